#include "model/residual.h"

#include <algorithm>

namespace risksync {

Likelihood residual_likelihood(Likelihood current, Likelihood target,
                               std::span<const WeightedStatus> measures) {
  const int vc = to_int(current);
  const int vt = std::min(to_int(target), vc);
  long total = 0;
  long done = 0;
  for (const auto& m : measures) {
    const int w = std::max(1, m.weight);
    total += w;
    if (m.status == MeasureStatus::done) done += w;
  }
  if (total == 0) return current;
  // floor((vc - vt) * done / total), exact in integers (all terms are non-negative).
  const long steps = (static_cast<long>(vc - vt) * done) / total;
  return static_cast<Likelihood>(vc - static_cast<int>(steps));
}

}  // namespace risksync
