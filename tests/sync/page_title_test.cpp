// check_page_title (sync/wiki.h): the one rule every Wiki and the configuration apply to a
// page title.
#include <gtest/gtest.h>

#include <string>

#include "sync/wiki.h"

namespace risksync {
namespace {

using namespace std::string_literals;

TEST(PageTitle, AcceptsOrdinaryTitles) {
  for (const std::string& good : {"Cartographie des risques"s, "Risk map"s, "Carte Sécurité"s,
                                  "Risques 2026 (v2)"s, "a.b"s, "Home"s}) {
    EXPECT_TRUE(check_page_title(good).ok()) << good;
  }
}

TEST(PageTitle, RefusesWhatCouldLeaveTheWikiOrBreakAFileName) {
  for (const std::string& bad :
       {""s, "  "s, "a/b"s, "/abs"s, "a\\b"s, ".."s, "../Home"s, "Home/.."s, "a..b"s, "a\0b"s,
        "line\nbreak"s, "cr\rhere"s, "tab\there"s, "esc\x1b"s, "del\x7f"s, "c1\xc2\x85"s}) {
    const Status s = check_page_title(bad);
    ASSERT_FALSE(s.ok()) << "accepted: " << bad;
    EXPECT_EQ(s.error().kind, ErrorKind::bad_input);
    EXPECT_EQ(s.error().field, "wiki.page");
    EXPECT_EQ(s.error().message.find('\0'), std::string::npos);
  }
}

}  // namespace
}  // namespace risksync
