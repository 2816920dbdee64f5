// Safety limits checked before the markdown library runs (src/parse/input_limits.h): each gives
// one error with its line, and ordinary documents are far below them.
#include "parse/input_limits.h"

#include <gtest/gtest.h>

#include "parse/analysis_parser.h"
#include "parse_test_support.h"

namespace risksync {
namespace {

using parse_detail::check_input_limits;

Error single_error(const std::string& md) {
  const ParseOutcome out = testing::parse(md);
  EXPECT_FALSE(out.ok());
  EXPECT_EQ(out.errors.size(), 1u) << testing::dump(out.errors);
  return out.errors.empty() ? Error{} : out.errors[0];
}

TEST(InputLimits, ExamplesAreFarBelowTheLimits) {
  for (const char* name : {"audioconf.md", "plateforme-sante.md"})
    EXPECT_FALSE(check_input_limits(testing::read_file(testing::example_path(name))).has_value())
        << name;
  EXPECT_FALSE(check_input_limits(testing::read_file(testing::data_path("parse/table-layout.md")))
                   .has_value());
}

TEST(InputLimits, TooManyPipesOnALine) {
  std::string row = "|";
  for (int i = 0; i < 70; ++i) row += " a |";
  const Error e = single_error("# Titre\n\nTexte\n" + row + "\n");
  EXPECT_EQ(e.where.line, 3 + 1);
  EXPECT_NE(e.message.find("more than 64 '|'"), std::string::npos) << e.message;
}

TEST(InputLimits, TooManyTableCells) {
  std::string md = "# Titre\n\n| a | b | c | d |\n|---|---|---|---|\n";
  for (int i = 0; i < 30000; ++i) md += "x\n";
  const Error e = single_error(md);
  EXPECT_EQ(e.where.line, 3);
  EXPECT_NE(e.message.find("4 columns, 30000 rows"), std::string::npos) << e.message;
}

TEST(InputLimits, TableCellsAreCountedOncePerTable) {
  // Delimiter-looking rows inside a table do not start a new count (linear scan).
  std::string md = "| a | b |\n|---|---|\n";
  for (int i = 0; i < 1000; ++i) md += "|---|---|\n";
  EXPECT_FALSE(check_input_limits(md).has_value());
}

TEST(InputLimits, DeepNesting) {
  const Error quotes = single_error("# T\n\n" + std::string(101, '>') + " texte\n");
  EXPECT_EQ(quotes.where.line, 3);
  EXPECT_NE(quotes.message.find("nested more than 100 levels"), std::string::npos);

  std::string lists;
  for (int i = 0; i < 51; ++i) lists += "- ";
  EXPECT_EQ(single_error("Texte\n" + lists + "a\n").where.line, 2);

  EXPECT_FALSE(check_input_limits(std::string(50, '>') + " ok\n").has_value());
  // A thematic break made of many markers is not nesting.
  std::string rule;
  for (int i = 0; i < 80; ++i) rule += "* ";
  EXPECT_FALSE(check_input_limits(rule + "\n").has_value());
}

TEST(InputLimits, TooManyImages) {
  std::string md = "# T\n\n";
  for (int i = 0; i < 257; ++i) md += "![";
  const Error e = single_error(md + "\n");
  EXPECT_EQ(e.where.line, 3);
  EXPECT_NE(e.message.find("more than 256 images"), std::string::npos);
}

}  // namespace
}  // namespace risksync
