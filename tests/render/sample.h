// Test fixture shared by the render tests: an AudioConf-like analysis built by hand (no parser),
// its statuses and assessment, and the page context. Covers: a measure shared by two stories
// (M3, weight 2, done), a dropped measure (M4), every other status, a measure without explicit
// key, catalog refs, measures in place, a story flagged "à revoir en atelier" (AS3) and a
// hostile story text (AS3: '|', <script>, ](javascript:…), <!-- -->, markdown punctuation).
//
// Statuses: M1 in_progress, AS2-… todo, M3 done, M4 dropped, M5 closed_unverified.
// Expected assessment (default grid):
//   AS1 gravity 4: current 2, residual 2, target 1 (share 2/3 of one step: no step earned)
//   AS2 gravity 2: current 1, residual 1, target 1
//   AS3 gravity 3: current 3, residual 2, target 1 (share 2/3 of two steps: one step) -> review
#pragma once

#include <string>

#include "model/analysis.h"
#include "model/assessment.h"
#include "model/zones.h"
#include "render/page.h"

namespace risksync::test {

struct RenderSample {
  Analysis analysis;
  StatusMap statuses;
  ZoneGrid grid = ZoneGrid::default_grid();
  Assessment assessment;
  PageContext ctx;
};

RenderSample audioconf_sample(Lang lang = Lang::fr);

// The hostile text of AS3, for assertions.
extern const char* const kHostileStoryText;

}  // namespace risksync::test
