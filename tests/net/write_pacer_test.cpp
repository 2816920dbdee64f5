// WritePacer on its own: spacing per host, the slow-down after a secondary limit, the block
// until its retry time, the refusal after a persistent limit. Times are given, never read.
#include "net/write_pacer.h"

#include <gtest/gtest.h>

#include <memory>

namespace risksync::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using time_point = std::chrono::system_clock::time_point;

const time_point t0{seconds(1'700'000'000)};

TEST(WritePacer, SpacesWritesToOneHostByTheMinimumInterval) {
  WritePacer pacer;
  EXPECT_EQ(pacer.wait_before_write("api.github.com:443", t0, seconds(1)), milliseconds(0));
  pacer.record_write("api.github.com:443", t0);
  EXPECT_EQ(pacer.wait_before_write("api.github.com:443", t0 + milliseconds(300), seconds(1)),
            milliseconds(700));
  EXPECT_EQ(pacer.wait_before_write("api.github.com:443", t0 + seconds(2), seconds(1)),
            milliseconds(0));
  // Another host, or no interval: nothing to wait for.
  EXPECT_EQ(pacer.wait_before_write("ghes.example:443", t0, seconds(1)), milliseconds(0));
  EXPECT_EQ(pacer.wait_before_write("api.github.com:443", t0, milliseconds(0)), milliseconds(0));
  EXPECT_FALSE(pacer.slowed("api.github.com:443"));
}

TEST(WritePacer, SecondaryLimitBlocksUntilItsRetryTimeThenSlowsWrites) {
  WritePacer pacer;
  const std::string host = "api.github.com:443";
  pacer.record_write(host, t0);
  EXPECT_EQ(pacer.record_secondary_limit(host, t0 + seconds(60)), 1);
  EXPECT_TRUE(pacer.slowed(host));
  EXPECT_FALSE(pacer.slowed("ghes.example:443"));
  // Blocked until the retry time, whatever the client's own interval.
  EXPECT_EQ(pacer.wait_before_write(host, t0 + seconds(10), milliseconds(0)), seconds(50));
  // After it: the slowed interval (7.2 s) instead of the client's 1 s.
  pacer.record_write(host, t0 + seconds(60));
  EXPECT_EQ(pacer.wait_before_write(host, t0 + seconds(61), seconds(1)), milliseconds(6200));
  EXPECT_EQ(pacer.wait_before_write(host, t0 + seconds(61), seconds(10)), seconds(9));
  EXPECT_EQ(pacer.wait_before_write(host, t0 + seconds(70), seconds(1)), milliseconds(0));
  EXPECT_EQ(pacer.record_secondary_limit(host, t0 + seconds(30)), 2);  // the later time stays
  EXPECT_EQ(pacer.secondary_limits(host), 2);
}

TEST(WritePacer, RefusalLastsUntilTheRetryTime) {
  WritePacer pacer;
  pacer.refuse_until("h:443", t0 + seconds(480));
  ASSERT_TRUE(pacer.refused_until("h:443", t0).has_value());
  EXPECT_EQ(*pacer.refused_until("h:443", t0), t0 + seconds(480));
  EXPECT_FALSE(pacer.refused_until("h:443", t0 + seconds(480)).has_value());
  EXPECT_FALSE(pacer.refused_until("other:443", t0).has_value());
}

TEST(WritePacer, ProcessWideIsOneObject) {
  EXPECT_EQ(WritePacer::process_wide().get(), WritePacer::process_wide().get());
}

}  // namespace
}  // namespace risksync::net
