#include "model/residual.h"

#include <gtest/gtest.h>

#include <vector>

namespace risksync {
namespace {

std::vector<WeightedStatus> measures(int done, int todo, int dropped = 0) {
  std::vector<WeightedStatus> out;
  for (int i = 0; i < done; ++i) out.push_back({1, MeasureStatus::done});
  for (int i = 0; i < todo; ++i) out.push_back({1, MeasureStatus::todo});
  for (int i = 0; i < dropped; ++i) out.push_back({1, MeasureStatus::dropped});
  return out;
}

// Reference implementation of docs/DESIGN.md §3 with rationals written independently of the
// integer shortcut used in production.
int reference(int vc, int vt, int done_w, int total_w) {
  if (total_w == 0) return vc;
  int steps = 0;
  // largest k with k/(vc-vt) <= done/total, i.e. floor((vc-vt)*done/total) by search
  for (int k = 0; k <= vc - vt; ++k)
    if (k * total_w <= (vc - vt) * done_w) steps = k;
  return vc - steps;
}

TEST(Residual, EveryCurrentTargetShareCombination) {
  for (int vc = 1; vc <= 4; ++vc) {
    for (int vt = 1; vt <= vc; ++vt) {
      for (int total = 1; total <= 8; ++total) {
        for (int done = 0; done <= total; ++done) {
          const auto ms = measures(done, total - done);
          const int got = to_int(
              residual_likelihood(static_cast<Likelihood>(vc), static_cast<Likelihood>(vt), ms));
          EXPECT_EQ(got, reference(vc, vt, done, total))
              << "vc=" << vc << " vt=" << vt << " done=" << done << "/" << total;
          EXPECT_GE(got, vt);
          EXPECT_LE(got, vc);
          if (done == 0) {
            EXPECT_EQ(got, vc);
          }
          if (done == total) {
            EXPECT_EQ(got, vt);
          }
        }
      }
    }
  }
}

TEST(Residual, NoPossibleMeasureKeepsCurrent) {
  EXPECT_EQ(residual_likelihood(Likelihood::very_likely, Likelihood::unlikely, {}),
            Likelihood::very_likely);
}

TEST(Residual, StepIsEarnedOnlyWhenEnoughWorkIsDone) {
  // Vc=4, Vt=1: 3 steps; with 4 measures, 1 done = 0.75 step -> still 4.
  EXPECT_EQ(residual_likelihood(Likelihood::near_certain, Likelihood::unlikely, measures(1, 3)),
            Likelihood::near_certain);
  // 2 done of 4 = 1.5 steps -> 3.
  EXPECT_EQ(residual_likelihood(Likelihood::near_certain, Likelihood::unlikely, measures(2, 2)),
            Likelihood::very_likely);
}

TEST(Residual, DroppedMeasuresStayInTheDenominator) {
  // 1 done, 1 dropped, Vc=2 Vt=1: share 1/2 -> floor(0.5) = 0 steps.
  EXPECT_EQ(residual_likelihood(Likelihood::likely, Likelihood::unlikely, measures(1, 0, 1)),
            Likelihood::likely);
  // Without the dropped one, the same done measure earns the step.
  EXPECT_EQ(residual_likelihood(Likelihood::likely, Likelihood::unlikely, measures(1, 0, 0)),
            Likelihood::unlikely);
}

TEST(Residual, InProgressAndUnverifiedDoNotCount) {
  const std::vector<WeightedStatus> ms{{1, MeasureStatus::in_progress},
                                       {1, MeasureStatus::closed_unverified}};
  EXPECT_EQ(residual_likelihood(Likelihood::likely, Likelihood::unlikely, ms), Likelihood::likely);
}

TEST(Residual, WeightsChangeTheShare) {
  // Vc=3, Vt=1; a done measure of weight 2 and a todo of weight 1: share 2/3 -> floor(4/3)=1.
  const std::vector<WeightedStatus> heavy_done{{2, MeasureStatus::done}, {1, MeasureStatus::todo}};
  EXPECT_EQ(residual_likelihood(Likelihood::very_likely, Likelihood::unlikely, heavy_done),
            Likelihood::likely);
  // The reverse: share 1/3 -> floor(2/3) = 0.
  const std::vector<WeightedStatus> light_done{{1, MeasureStatus::done}, {2, MeasureStatus::todo}};
  EXPECT_EQ(residual_likelihood(Likelihood::very_likely, Likelihood::unlikely, light_done),
            Likelihood::very_likely);
}

TEST(Residual, WeightedEveryShare) {
  for (int vc = 1; vc <= 4; ++vc)
    for (int vt = 1; vt <= vc; ++vt)
      for (int wd = 0; wd <= 5; ++wd)
        for (int wt = 0; wt <= 5; ++wt) {
          std::vector<WeightedStatus> ms;
          if (wd > 0) ms.push_back({wd, MeasureStatus::done});
          if (wt > 0) ms.push_back({wt, MeasureStatus::todo});
          const int got = to_int(
              residual_likelihood(static_cast<Likelihood>(vc), static_cast<Likelihood>(vt), ms));
          EXPECT_EQ(got, reference(vc, vt, wd, wd + wt));
        }
}

}  // namespace
}  // namespace risksync
