// The residual likelihood rule (docs/DESIGN.md §3).
//
//   done_share = Σ w(done) / Σ w(all possible measures)      (dropped stay in the denominator)
//   residual   = Vc − floor((Vc − Vt) × done_share)
//
// Computed with integers, so it is exact. Equals Vc with nothing done, Vt with everything done,
// never below Vt. A story with no possible measure keeps Vc.
#pragma once

#include <span>

#include "model/analysis.h"
#include "model/scales.h"

namespace risksync {

struct WeightedStatus {
  int weight = 1;  // ≥ 1
  MeasureStatus status = MeasureStatus::todo;
};

Likelihood residual_likelihood(Likelihood current, Likelihood target,
                               std::span<const WeightedStatus> measures);

}  // namespace risksync
