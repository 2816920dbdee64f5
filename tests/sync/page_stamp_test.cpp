// The publication stamp (sync/page_stamp.h) and publish_dashboard (sync/wiki.h): the date a
// page shows is read back from the wiki, so it changes only when the content does.
#include "sync/page_stamp.h"

#include <gtest/gtest.h>

#include <map>

#include "util/hash.h"

namespace risksync {
namespace {

TEST(PageStamp, RoundTripsAndReplacesTheOldStamp) {
  const PublicationStamp a{"00ff", "2026-12-01 10:00 UTC"};
  const PublicationStamp b{"abcd", "2026-12-03 07:05 UTC"};
  const std::string once = with_page_stamp("# Page\n\ntext", a, PageFormat::markdown);
  EXPECT_EQ(once, "# Page\n\ntext\n<!-- risksync:page fp=00ff at=\"2026-12-01 10:00 UTC\" -->\n");
  EXPECT_EQ(read_page_stamp(once), a);
  const std::string twice = with_page_stamp(once, b, PageFormat::markdown);
  EXPECT_EQ(read_page_stamp(twice), b);
  EXPECT_EQ(twice.find("00ff"), std::string::npos) << twice;
}

TEST(PageStamp, MalformedOrMissingStampIsNoStamp) {
  EXPECT_FALSE(read_page_stamp("# Page\n"));
  EXPECT_FALSE(read_page_stamp("<!-- risksync:page fp=XYZ -->"));
  EXPECT_FALSE(read_page_stamp("<!-- risksync:page fp=00ff at=\"no end -->"));
  EXPECT_FALSE(read_page_stamp("<!-- risksync:page fp=00ff\n-->"));
  // The last stamp wins: one pasted higher up by a person does not.
  const auto s = read_page_stamp(
      "<!-- risksync:page fp=1111 at=\"old\" -->\ntext\n<!-- risksync:page fp=2222 at=\"new\" -->");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->fingerprint, "2222");
}

TEST(PageStamp, UnrepresentableDateIsDropped) {
  const std::string line = page_stamp_line({"00ff", "a\"b"});
  EXPECT_EQ(line, "<!-- risksync:page fp=00ff -->");
}

// A wiki of pages kept in memory, as a platform would show them.
class MemoryWiki : public Wiki {
 public:
  std::map<std::string, std::string> pages;
  int writes = 0;
  std::string describe() const override { return "memory"; }
  Result<std::optional<PublicationStamp>> published_stamp(const std::string& title) override {
    auto it = pages.find(title);
    if (it == pages.end()) return std::optional<PublicationStamp>{};
    return read_page_stamp(it->second);
  }
  Result<PublishResult> publish(const WikiPage& page) override {
    PublishResult r{false, page.title};
    if (pages[page.title] != page.content) {
      pages[page.title] = page.content;
      r.changed = true;
      ++writes;
    }
    return r;
  }
};

PageDraft draft(const std::string& content, const std::string& now) {
  PageDraft d;
  d.title = "Carto";
  d.fingerprint = fnv1a64_hex(content);
  d.now = now;
  d.build = [content](const std::string& date, const Wiki&) {
    return WikiPage{"Carto", content + "\nMis à jour le " + date + "\n", {}, "msg"};
  };
  return d;
}

TEST(PublishDashboard, KeepsTheDateWhileTheContentIsUnchanged) {
  MemoryWiki wiki;
  auto first = publish_dashboard(wiki, draft("maps v1", "01/12"));
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->changed);
  // A later run with the same content writes nothing and the page still shows 01/12.
  auto again = publish_dashboard(wiki, draft("maps v1", "03/12"));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(wiki.writes, 1);
  EXPECT_NE(wiki.pages["Carto"].find("Mis à jour le 01/12"), std::string::npos);
  // New content: the new date.
  auto changed = publish_dashboard(wiki, draft("maps v2", "04/12"));
  ASSERT_TRUE(changed);
  EXPECT_TRUE(changed->changed);
  EXPECT_NE(wiki.pages["Carto"].find("Mis à jour le 04/12"), std::string::npos);
}

TEST(PublishDashboard, APageAPersonRewroteIsRepublished) {
  MemoryWiki wiki;
  ASSERT_TRUE(publish_dashboard(wiki, draft("maps", "01/12")));
  wiki.pages["Carto"] = "someone's own text, no stamp";
  auto r = publish_dashboard(wiki, draft("maps", "05/12"));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->changed);
  EXPECT_NE(wiki.pages["Carto"].find("maps"), std::string::npos);
  EXPECT_NE(wiki.pages["Carto"].find("05/12"), std::string::npos);
}

TEST(PublishDashboard, AReadErrorWritesNothing) {
  struct Failing : MemoryWiki {
    Result<std::optional<PublicationStamp>> published_stamp(const std::string&) override {
      return remote_error("wiki down");
    }
  } wiki;
  auto r = publish_dashboard(wiki, draft("maps", "01/12"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "wiki down");
  EXPECT_EQ(wiki.writes, 0);
}

TEST(PageStampConfluence, IsAnAnchorMacroNotACommentAndReadsBack) {
  const PublicationStamp stamp{"0123456789abcdef", "2026-12-03 07:05 UTC"};
  const std::string page = with_page_stamp("<p>x</p>\n", stamp, PageFormat::confluence_storage);
  EXPECT_EQ(page.find("<!--"), std::string::npos) << page;
  EXPECT_NE(page.find("<ac:structured-macro ac:name=\"anchor\""), std::string::npos) << page;
  EXPECT_NE(page.find("at=&quot;2026-12-03 07:05 UTC&quot;"), std::string::npos) << page;
  EXPECT_EQ(read_page_stamp(page), stamp);
  // Re-stamped: one stamp, the new one.
  const PublicationStamp later{"fedcba9876543210", "2026-12-04 07:05 UTC"};
  const std::string again = with_page_stamp(page, later, PageFormat::confluence_storage);
  EXPECT_EQ(again.find("0123456789abcdef"), std::string::npos) << again;
  EXPECT_EQ(read_page_stamp(again), later);
  EXPECT_EQ(again.rfind("<p>x</p>\n", 0), 0u) << again;
}

TEST(PageStampConfluence, ReadsTheMacroTextAsConfluenceReserialisesIt) {
  // Attributes reordered, the quotes as &#34;: the text inside still counts.
  const std::string shown =
      "<p>x</p><p><ac:structured-macro ac:schema-version=\"1\" ac:name=\"anchor\" "
      "ac:macro-id=\"9\"><ac:parameter ac:name=\"\">risksync:page fp=00ff at=&#34;d 1&#34;"
      "</ac:parameter></ac:structured-macro></p>";
  EXPECT_EQ(read_page_stamp(shown), (PublicationStamp{"00ff", "d 1"}));
  // Plain text a person typed in a paragraph is not risksync's macro unless it is a tag's text.
  EXPECT_EQ(read_page_stamp("<p>see risksync:page fp=00ff</p>"), std::nullopt);
}

}  // namespace
}  // namespace risksync
