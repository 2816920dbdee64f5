#include "parse/catalog.h"

#include <gtest/gtest.h>

#include <map>

#include "parse_test_support.h"

namespace risksync {
namespace {

// Annex 1 of the seed lists C-1…C-22, W-1…W-27, T-1…T-10 and M-1…M-23: 22 + 27 + 10 + 23 = 82.
TEST(Catalog, ShippedSegurCatalog) {
  const std::string text = testing::read_file(testing::config_path("catalogs/segur.tsv"));
  auto cat = parse_catalog(text, "config/catalogs/segur.tsv");
  ASSERT_TRUE(cat.ok()) << cat.error().to_string();
  EXPECT_EQ(cat->name, "segur");
  EXPECT_EQ(cat->entries.size(), 82u);
  std::map<char, int> per_prefix;
  for (const auto& e : cat->entries) ++per_prefix[e.id[0]];
  EXPECT_EQ(per_prefix['C'], 22);
  EXPECT_EQ(per_prefix['W'], 27);
  EXPECT_EQ(per_prefix['T'], 10);
  EXPECT_EQ(per_prefix['M'], 23);

  const CatalogEntry* c4 = cat->find("C-4");
  ASSERT_NE(c4, nullptr);
  EXPECT_EQ(c4->category, "Gestion de l'authentification");
  EXPECT_EQ(c4->title, "Blocage compte");
  EXPECT_EQ(c4->description.find('<'), std::string::npos) << c4->description;
  EXPECT_NE(c4->description.find("Une temporisation d'accès au compte"), std::string::npos);
  EXPECT_EQ(cat->find("w-7")->title, "CSRF");  // case-insensitive
  EXPECT_EQ(cat->find("M-23")->id, "M-23");
  EXPECT_EQ(cat->find("C-23"), nullptr);
  for (const auto& e : cat->entries) {
    EXPECT_EQ(e.description.find("<"), std::string::npos) << e.id;
    EXPECT_FALSE(e.description.empty()) << e.id;
  }
}

TEST(Catalog, CommentsBlankLinesCrLfAndHeaderRow) {
  auto cat = parse_catalog(
      "# comment\r\nid\tcategory\ttitle\tdescription\r\n\r\n"
      "X-1\tCat\tTitle\tDesc\r\n",
      "dir/mine.tsv");
  ASSERT_TRUE(cat.ok()) << cat.error().to_string();
  EXPECT_EQ(cat->name, "mine");
  ASSERT_EQ(cat->entries.size(), 1u);
  EXPECT_EQ(cat->entries[0].description, "Desc");
}

TEST(Catalog, WrongColumnCount) {
  auto cat = parse_catalog("# header\nC-1\tA\tB\tC\nC-2\tA\tB\n", "c.tsv");
  ASSERT_FALSE(cat.ok());
  EXPECT_EQ(cat.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(cat.error().where.file, "c.tsv");
  EXPECT_EQ(cat.error().where.line, 3);
  EXPECT_NE(cat.error().message.find("found 3"), std::string::npos);

  auto five = parse_catalog("C-1\tA\tB\tC\tD\n", "c.tsv");
  ASSERT_FALSE(five.ok());
  EXPECT_EQ(five.error().where.line, 1);
}

TEST(Catalog, DuplicateId) {
  auto cat = parse_catalog("C-1\tA\tB\tC\nC-2\tA\tB\tC\nc-1\tA\tB\tC\n", "c.tsv");
  ASSERT_FALSE(cat.ok());
  EXPECT_EQ(cat.error().where.line, 3);
  EXPECT_EQ(cat.error().field, "id");
  EXPECT_NE(cat.error().message.find("first at line 1"), std::string::npos);
}

TEST(Catalog, EmptyIdOrTitleOrFile) {
  EXPECT_EQ(parse_catalog("\tA\tB\tC\n", "c.tsv").error().field, "id");
  EXPECT_EQ(parse_catalog("C-1\tA\t\tC\n", "c.tsv").error().field, "title");
  EXPECT_FALSE(parse_catalog("# nothing\n", "c.tsv").ok());
}

TEST(Catalog, InvalidUtf8) {
  auto cat = parse_catalog("C-1\tA\tB\tC\nC-2\tA\t\xFF\tC\n", "c.tsv");
  ASSERT_FALSE(cat.ok());
  EXPECT_EQ(cat.error().where.line, 2);
}

}  // namespace
}  // namespace risksync
