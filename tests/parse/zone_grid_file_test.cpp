#include "parse/zone_grid_file.h"

#include <gtest/gtest.h>

#include "parse_test_support.h"

namespace risksync {
namespace {

constexpr std::string_view kRows = R"(
[grid]
critical    = ["watch", "watch", "unacceptable", "unacceptable"]
important   = ["acceptable", "watch", "important", "unacceptable"]
significant = ["acceptable", "acceptable", "watch", "important"]
minor       = ["acceptable", "acceptable", "watch", "watch"]
)";

void expect_same_grid(const ZoneGrid& a, const ZoneGrid& b) {
  for (int g = 1; g <= 4; ++g)
    for (int l = 1; l <= 4; ++l)
      EXPECT_EQ(a.at(static_cast<Gravity>(g), static_cast<Likelihood>(l)),
                b.at(static_cast<Gravity>(g), static_cast<Likelihood>(l)))
          << "gravity " << g << " likelihood " << l;
  EXPECT_EQ(a.blocking(), b.blocking());
}

Error expect_error(std::string_view toml) {
  auto r = parse_zone_grid(toml, "zones.toml");
  EXPECT_FALSE(r.ok());
  if (r.ok()) return Error{};
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(r.error().where.file, "zones.toml");
  return r.error();
}

TEST(ZoneGridFile, ShippedFileIsTheDefaultGrid) {
  const std::string text = testing::read_file(testing::config_path("zones.toml"));
  auto grid = parse_zone_grid(text, "config/zones.toml");
  ASSERT_TRUE(grid.ok()) << grid.error().to_string();
  expect_same_grid(*grid, ZoneGrid::default_grid());
}

TEST(ZoneGridFile, BlockingZonesAndFrenchNames) {
  auto grid = parse_zone_grid(R"(blocking = ["important", "inacceptable"]
[grid]
critique    = ["à surveiller", "watch", "inacceptable", "unacceptable"]
important   = ["acceptable", "watch", "important", "unacceptable"]
significant = ["acceptable", "acceptable", "watch", "important"]
minor       = ["acceptable", "acceptable", "watch", "important"]
)",
                              "zones.toml");
  ASSERT_TRUE(grid.ok()) << grid.error().to_string();
  EXPECT_EQ(grid->blocking(), (std::set<Zone>{Zone::important, Zone::unacceptable}));
  EXPECT_EQ(grid->at(Gravity::critical, Likelihood::unlikely), Zone::watch);
  EXPECT_EQ(grid->at(Gravity::minor, Likelihood::near_certain), Zone::important);
}

TEST(ZoneGridFile, MissingBlockingDefaultsToUnacceptable) {
  auto grid = parse_zone_grid(kRows, "zones.toml");
  ASSERT_TRUE(grid.ok()) << grid.error().to_string();
  EXPECT_EQ(grid->blocking(), std::set<Zone>{Zone::unacceptable});
}

TEST(ZoneGridFile, UnknownTopLevelKey) {
  const Error e = expect_error("colour = \"red\"\n" + std::string(kRows));
  EXPECT_EQ(e.where.line, 1);
  EXPECT_EQ(e.field, "colour");
}

TEST(ZoneGridFile, UnknownGravityRow) {
  const Error e = expect_error(std::string(kRows) +
                               "extreme = [\"watch\", \"watch\", \"watch\", "
                               "\"watch\"]\n");
  EXPECT_EQ(e.where.line, 7);
  EXPECT_EQ(e.field, "grid.extreme");
}

TEST(ZoneGridFile, WrongTypes) {
  Error e = expect_error("blocking = \"unacceptable\"\n" + std::string(kRows));
  EXPECT_EQ(e.where.line, 1);
  EXPECT_EQ(e.field, "blocking");
  EXPECT_NE(e.message.find("not a string"), std::string::npos) << e.message;

  e = expect_error("grid = 3\n");
  EXPECT_EQ(e.where.line, 1);
  EXPECT_EQ(e.field, "grid");

  e = expect_error(R"([grid]
critical    = ["watch", "watch", "unacceptable", "unacceptable"]
important   = "acceptable"
)");
  EXPECT_EQ(e.where.line, 3);
  EXPECT_EQ(e.field, "grid.important");

  e = expect_error(R"([grid]
critical    = ["watch", 2, "unacceptable", "unacceptable"]
)");
  EXPECT_EQ(e.where.line, 2);
  EXPECT_EQ(e.field, "grid.critical");
}

TEST(ZoneGridFile, RowOfLengthThree) {
  const Error e = expect_error(R"(blocking = ["unacceptable"]
[grid]
critical    = ["watch", "watch", "unacceptable", "unacceptable"]
important   = ["acceptable", "watch", "important"]
significant = ["acceptable", "acceptable", "watch", "important"]
minor       = ["acceptable", "acceptable", "watch", "watch"]
)");
  EXPECT_EQ(e.where.line, 4);
  EXPECT_EQ(e.field, "grid.important");
  EXPECT_NE(e.message.find("has 3 zones, expected 4"), std::string::npos) << e.message;
}

TEST(ZoneGridFile, UnknownZoneName) {
  Error e = expect_error(R"([grid]
critical    = ["watch", "watch", "purple", "unacceptable"]
)");
  EXPECT_EQ(e.where.line, 2);
  EXPECT_EQ(e.field, "grid.critical");
  EXPECT_NE(e.message.find("unknown zone 'purple'"), std::string::npos);

  e = expect_error("blocking = [\"catastrophic\"]\n" + std::string(kRows));
  EXPECT_EQ(e.where.line, 1);
  EXPECT_EQ(e.field, "blocking");
}

TEST(ZoneGridFile, MissingRowOrTable) {
  Error e = expect_error(R"([grid]
critical    = ["watch", "watch", "unacceptable", "unacceptable"]
)");
  EXPECT_EQ(e.field, "grid.minor");
  e = expect_error("blocking = []\n");
  EXPECT_EQ(e.field, "grid");
}

TEST(ZoneGridFile, TomlSyntaxErrorHasItsLine) {
  const Error e = expect_error("blocking = [\"unacceptable\"]\n\n[grid\ncritical = 1\n");
  EXPECT_EQ(e.where.line, 3);
}

TEST(ZoneGridFile, DuplicateRowThroughASynonym) {
  const Error e = expect_error(std::string(kRows) +
                               "critique = [\"watch\", \"watch\", \"watch\", "
                               "\"watch\"]\n");
  EXPECT_EQ(e.where.line, 7);
  EXPECT_EQ(e.field, "grid.critique");
}

}  // namespace
}  // namespace risksync
