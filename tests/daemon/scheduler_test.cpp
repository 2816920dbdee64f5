// The daemon's schedule with a fake clock: nothing here sleeps or reads the real time.
#include <gtest/gtest.h>

#include "app/daemon/scheduler.h"

namespace risksync::daemon {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kStart = TimePoint{} + std::chrono::hours(24 * 365 * 56);

struct Fixture {
  double random = 0.5;
  Scheduler scheduler{[this] { return random; }};
};

TEST(Scheduler, FirstCycleAtOnceThenIntervalPlusJitter) {
  Fixture f;
  f.scheduler.add_product("a", {minutes(15), seconds(60)}, kStart);
  EXPECT_EQ(f.scheduler.take_due(kStart), std::vector<std::string>{"a"});
  // Running: not handed out again, and not a wake-up reason.
  EXPECT_TRUE(f.scheduler.take_due(kStart + minutes(60)).empty());
  EXPECT_FALSE(f.scheduler.next_wakeup().has_value());
  f.scheduler.finish("a", true, kStart, kStart + seconds(10));
  const TimePoint expected = kStart + seconds(10) + minutes(15) + seconds(30);  // 0.5 × 60 s
  EXPECT_EQ(f.scheduler.next_wakeup(), expected);
  EXPECT_TRUE(f.scheduler.take_due(expected - seconds(1)).empty());
  EXPECT_EQ(f.scheduler.take_due(expected).size(), 1u);
  const ProductState* a = f.scheduler.find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->last_success, kStart + seconds(10));
  EXPECT_EQ(a->last_duration, std::chrono::milliseconds(10000));
  EXPECT_EQ(a->cycles_succeeded, 1u);
}

TEST(Scheduler, JitterStaysWithinItsBounds) {
  for (const double r : {0.0, 0.25, 0.999999}) {
    Fixture f;
    f.random = r;
    f.scheduler.add_product("a", {minutes(10), seconds(120)}, kStart);
    (void)f.scheduler.take_due(kStart);
    f.scheduler.finish("a", true, kStart, kStart);
    const TimePoint next = *f.scheduler.next_wakeup();
    EXPECT_GE(next, kStart + minutes(10)) << r;
    EXPECT_LT(next, kStart + minutes(10) + seconds(120)) << r;
  }
  // Zero jitter: exactly the interval.
  Fixture f;
  f.scheduler.add_product("a", {minutes(10), seconds(0)}, kStart);
  (void)f.scheduler.take_due(kStart);
  f.scheduler.finish("a", true, kStart, kStart);
  EXPECT_EQ(f.scheduler.next_wakeup(), kStart + minutes(10));
}

TEST(Scheduler, TriggersWhileIdleCoalesceIntoOneCycle) {
  Fixture f;
  f.scheduler.add_product("a", {minutes(15), seconds(0)}, kStart);
  (void)f.scheduler.take_due(kStart);
  f.scheduler.finish("a", true, kStart, kStart + seconds(5));
  const TimePoint t = kStart + minutes(3);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(f.scheduler.trigger("a", t));
  }
  EXPECT_EQ(f.scheduler.take_due(t).size(), 1u);
  f.scheduler.finish("a", true, t, t + seconds(5));
  // Nothing more until the interval: the five events were one cycle.
  EXPECT_TRUE(f.scheduler.take_due(t + seconds(6)).empty());
  EXPECT_EQ(f.scheduler.next_wakeup(), t + seconds(5) + minutes(15));
  EXPECT_FALSE(f.scheduler.trigger("unknown", t));
}

TEST(Scheduler, TriggersWhileRunningGiveExactlyOneExtraCycle) {
  Fixture f;
  f.scheduler.add_product("a", {minutes(15), seconds(0)}, kStart);
  ASSERT_EQ(f.scheduler.take_due(kStart).size(), 1u);
  for (int i = 0; i < 3; ++i) {
    f.scheduler.trigger("a", kStart + seconds(i));
  }
  EXPECT_TRUE(f.scheduler.take_due(kStart + seconds(3)).empty());  // never overlapping
  f.scheduler.finish("a", true, kStart, kStart + seconds(4));
  ASSERT_EQ(f.scheduler.take_due(kStart + seconds(4)).size(), 1u);  // the extra cycle
  f.scheduler.finish("a", true, kStart + seconds(4), kStart + seconds(8));
  EXPECT_TRUE(f.scheduler.take_due(kStart + seconds(9)).empty());
}

TEST(Scheduler, FailuresBackOffExponentiallyCappedAtTheInterval) {
  EXPECT_EQ(Scheduler::backoff(1, minutes(15)), seconds(30));
  EXPECT_EQ(Scheduler::backoff(2, minutes(15)), seconds(60));
  EXPECT_EQ(Scheduler::backoff(3, minutes(15)), seconds(120));
  EXPECT_EQ(Scheduler::backoff(5, minutes(15)), seconds(480));
  EXPECT_EQ(Scheduler::backoff(6, minutes(15)), minutes(15));
  EXPECT_EQ(Scheduler::backoff(60, minutes(15)), minutes(15));
  EXPECT_EQ(Scheduler::backoff(1, seconds(20)), seconds(20));

  Fixture f;
  f.scheduler.add_product("a", {minutes(15), seconds(0)}, kStart);
  TimePoint t = kStart;
  for (int failures = 1; failures <= 3; ++failures) {
    ASSERT_EQ(f.scheduler.take_due(t).size(), 1u);
    f.scheduler.finish("a", false, t, t);
    t += Scheduler::backoff(failures, minutes(15));
    EXPECT_EQ(f.scheduler.next_wakeup(), t);
    // A webhook does not cut the back-off short.
    f.scheduler.trigger("a", t - seconds(1));
    EXPECT_TRUE(f.scheduler.take_due(t - seconds(1)).empty());
  }
  EXPECT_EQ(f.scheduler.find("a")->consecutive_failures, 3);
  ASSERT_EQ(f.scheduler.take_due(t).size(), 1u);
  f.scheduler.finish("a", true, t, t);
  EXPECT_EQ(f.scheduler.find("a")->consecutive_failures, 0);
  EXPECT_EQ(f.scheduler.find("a")->cycles_failed, 3u);
  EXPECT_EQ(f.scheduler.next_wakeup(), t + minutes(15));
}

TEST(Scheduler, AFailingProductDoesNotStopTheOthers) {
  Fixture f;
  f.scheduler.add_product("broken", {minutes(1), seconds(0)}, kStart);
  f.scheduler.add_product("healthy", {minutes(1), seconds(0)}, kStart);
  TimePoint t = kStart;
  int healthy_cycles = 0;
  for (int step = 0; step < 60; ++step, t += seconds(10)) {
    for (const auto& name : f.scheduler.take_due(t)) {
      healthy_cycles += name == "healthy";
      f.scheduler.finish(name, name == "healthy", t, t);
    }
  }
  // 10 minutes at one cycle a minute.
  EXPECT_EQ(healthy_cycles, 10);
  EXPECT_EQ(f.scheduler.find("healthy")->consecutive_failures, 0);
  EXPECT_GT(f.scheduler.find("broken")->consecutive_failures, 1);
  EXPECT_FALSE(f.scheduler.find("broken")->last_success.has_value());
}

TEST(Scheduler, ReleaseGivesBackAProductThatDidNotRun) {
  Fixture f;
  f.scheduler.add_product("a", {minutes(1), seconds(0)}, kStart);
  ASSERT_EQ(f.scheduler.take_due(kStart).size(), 1u);
  f.scheduler.release("a");
  EXPECT_EQ(f.scheduler.find("a")->cycles_succeeded + f.scheduler.find("a")->cycles_failed, 0u);
  EXPECT_EQ(f.scheduler.take_due(kStart).size(), 1u);  // still due
}

TEST(Scheduler, ReloadKeepsStateAndTakesTheNewInterval) {
  Fixture f;
  f.scheduler.add_product("a", {std::chrono::hours(1), seconds(0)}, kStart);
  (void)f.scheduler.take_due(kStart);
  f.scheduler.finish("a", true, kStart, kStart);
  f.scheduler.add_product("a", {minutes(5), seconds(0)}, kStart + minutes(1));
  EXPECT_EQ(f.scheduler.next_wakeup(), kStart + minutes(6));
  EXPECT_EQ(f.scheduler.find("a")->cycles_succeeded, 1u);
  f.scheduler.remove_product("a");
  EXPECT_EQ(f.scheduler.find("a"), nullptr);
  EXPECT_FALSE(f.scheduler.next_wakeup().has_value());
}

}  // namespace
}  // namespace risksync::daemon
