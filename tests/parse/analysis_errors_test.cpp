// Hard errors (each names file, line and field) and soft warnings of the analysis parser.
#include <gtest/gtest.h>

#include "parse/analysis_parser.h"
#include "parse_test_support.h"

namespace risksync {
namespace {

using testing::dump;
using testing::parse;

// Asserts a failed parse with exactly one error, and returns it.
Error single_error(std::string_view md, const ParseOptions& options = {}) {
  const ParseOutcome out = parse(md, options);
  EXPECT_FALSE(out.ok());
  EXPECT_FALSE(out.analysis.has_value());
  EXPECT_EQ(out.errors.size(), 1u) << dump(out.errors);
  if (out.errors.empty()) return Error{};
  EXPECT_EQ(out.errors[0].kind, ErrorKind::bad_input);
  EXPECT_EQ(out.errors[0].where.file, "analyse.md");
  return out.errors[0];
}

// A complete story whose lines can be overridden; line numbers: header 1, gravity 3, current 4,
// possible 5-6, target 7.
std::string story(std::string_view gravity = "Gravité : 3",
                  std::string_view current = "Vraisemblance actuelle : 2",
                  std::string_view target = "Vraisemblance cible : 1",
                  std::string_view header = "### AS1 — En tant que hacker") {
  std::string md = std::string(header) + "\n\n";
  if (!gravity.empty()) md += "- " + std::string(gravity) + "\n";
  if (!current.empty()) md += "- " + std::string(current) + "\n";
  md += "- Mesures possibles :\n  - [Tech] Activer la double authentification\n";
  if (!target.empty()) md += "- " + std::string(target) + "\n";
  return md;
}

TEST(AnalysisErrors, GravityAboveFour) {
  const Error e = single_error(story("Gravité : 5/4"));
  EXPECT_EQ(e.where.line, 3);
  EXPECT_EQ(e.field, "Gravité");
  EXPECT_NE(e.message.find("out of range"), std::string::npos) << e.message;
  EXPECT_EQ(e.to_string().rfind("analyse.md:3: Gravité: ", 0), 0u) << e.to_string();
}

TEST(AnalysisErrors, GravityZero) {
  const Error e = single_error(story("Gravité : 0"));
  EXPECT_EQ(e.where.line, 3);
  EXPECT_EQ(e.field, "Gravité");
}

TEST(AnalysisErrors, LikelihoodOutOfRange) {
  const Error e = single_error(story("Gravité : 3", "Vraisemblance actuelle : 7"));
  EXPECT_EQ(e.where.line, 4);
  EXPECT_EQ(e.field, "Vraisemblance actuelle");
}

TEST(AnalysisErrors, NegativeAndFractionalLevels) {
  EXPECT_EQ(single_error(story("Gravité : -1")).where.line, 3);
  EXPECT_EQ(single_error(story("Gravité : 2.5")).where.line, 3);
  EXPECT_EQ(single_error(story("Gravité : 3/5")).field, "Gravité");
}

TEST(AnalysisErrors, UnrecognisedLevel) {
  const Error e = single_error(
      story("Gravité : 3", "Vraisemblance actuelle : 2", "Vraisemblance cible : très faible"));
  EXPECT_EQ(e.where.line, 7);
  EXPECT_EQ(e.field, "Vraisemblance cible");
  EXPECT_NE(e.message.find("unrecognised level 'très faible'"), std::string::npos) << e.message;
}

TEST(AnalysisErrors, EmptyLevel) {
  const Error e = single_error(story("Gravité :"));
  EXPECT_EQ(e.where.line, 3);
  EXPECT_EQ(e.field, "Gravité");
}

TEST(AnalysisErrors, TargetAboveCurrent) {
  const Error e =
      single_error(story("Gravité : 3", "Vraisemblance actuelle : 2", "Vraisemblance cible : 3"));
  EXPECT_EQ(e.where.line, 7);
  EXPECT_EQ(e.field, "Vraisemblance cible");
  EXPECT_NE(e.message.find("above"), std::string::npos);
}

TEST(AnalysisErrors, StoryHeadingWithoutId) {
  const Error e = single_error("## Abuser stories\n\n### En tant que hacker, je souhaite voler\n" +
                               story().substr(story().find('\n')));
  EXPECT_EQ(e.where.line, 3);
  EXPECT_EQ(e.field, "id");
  EXPECT_NE(e.message.find("without id"), std::string::npos);
}

TEST(AnalysisErrors, StoryHeadingWithoutIdNextToValidStories) {
  const ParseOutcome out =
      parse("## Abuser stories\n\n" + story() + "\n### En tant que voleur\n\n- Gravité : 2\n");
  ASSERT_FALSE(out.ok());
  ASSERT_EQ(out.errors.size(), 1u) << dump(out.errors);
  EXPECT_EQ(out.errors[0].where.line, 11);
  EXPECT_EQ(out.errors[0].field, "id");
}

TEST(AnalysisErrors, DuplicateIdReportsBothLines) {
  const Error e = single_error(story() + "\n" + story());
  EXPECT_EQ(e.where.line, 9);
  EXPECT_EQ(e.field, "id");
  EXPECT_NE(e.message.find("AS1"), std::string::npos);
  EXPECT_NE(e.message.find("lines 1 and 9"), std::string::npos) << e.message;
}

TEST(AnalysisErrors, NoGravity) {
  const Error e = single_error(story(""));
  EXPECT_EQ(e.where.line, 1);
  EXPECT_EQ(e.field, "Gravité");
  EXPECT_NE(e.message.find("AS1 has no gravity"), std::string::npos);
}

TEST(AnalysisErrors, NoCurrentLikelihood) {
  const Error e = single_error(story("Gravité : 3", "", "Vraisemblance cible : 1"));
  EXPECT_EQ(e.where.line, 1);
  EXPECT_EQ(e.field, "Vraisemblance actuelle");
}

TEST(AnalysisErrors, InvalidUtf8ReportsTheLineOfTheFirstBadByte) {
  std::string md = story();
  md.insert(md.find("hacker") + 2, "\xC3\x28");  // 0xC3 starts a sequence, '(' breaks it
  md += "\xFF\n";
  const Error e = single_error(md);
  EXPECT_EQ(e.where.line, 1);
  EXPECT_EQ(e.field, "");
  EXPECT_NE(e.message.find("UTF-8"), std::string::npos);
  EXPECT_NE(e.message.find("0xC3"), std::string::npos) << e.message;

  std::string later = story();
  later.insert(later.find("Vraisemblance actuelle"), "\xED\xA0\x80");  // a UTF-16 surrogate
  EXPECT_EQ(single_error(later).where.line, 4);
}

TEST(AnalysisErrors, InputTooLarge) {
  ParseOptions options;
  options.max_bytes = 64;
  const Error e = single_error(story(), options);
  EXPECT_EQ(e.where.line, 0);
  EXPECT_EQ(e.field, "");
  EXPECT_NE(e.message.find("64-byte limit"), std::string::npos) << e.message;
}

TEST(AnalysisErrors, Anssi2018TableLayoutGetsOneClearError) {
  const Error e = single_error(testing::read_file(testing::data_path("parse/anssi-2018.md")));
  EXPECT_EQ(e.where.line, 7);
  EXPECT_EQ(e.field, "Abuser stories");
  EXPECT_NE(e.message.find("no abuser story found"), std::string::npos);
  EXPECT_NE(e.message.find("Scénario | Source de risque"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("examples/audioconf.md"), std::string::npos);
}

TEST(AnalysisErrors, DocumentWithoutAbuserStory) {
  const Error e = single_error("# Analyse de risques — X\n\n## Description\n\nUn service.\n");
  EXPECT_EQ(e.where.line, 0);
  EXPECT_EQ(e.field, "Abuser stories");
  EXPECT_NE(e.message.find("no abuser story found: expected headings like '### AS1 — En tant "
                           "que …'"),
            std::string::npos)
      << e.message;
  EXPECT_EQ(single_error("").field, "Abuser stories");
  EXPECT_EQ(single_error("## Abuser stories\n\nÀ compléter.\n").where.line, 1);
}

TEST(AnalysisErrors, TableRowWithoutId) {
  const Error e = single_error(
      R"(| ID | Gravité | Vraisemblance actuelle | Mesures possibles | Vraisemblance cible |
|---|---|---|---|---|
| AS1 | 3 | 2 | X | 1 |
|  | 2 | 2 | Y | 1 |
)");
  EXPECT_EQ(e.where.line, 4);
  EXPECT_EQ(e.field, "id");
}

TEST(AnalysisErrors, AllErrorsAreCollected) {
  const ParseOutcome out = parse(story("Gravité : 9") + "\n" +
                                 story("Gravité : 2", "Vraisemblance actuelle : 1",
                                       "Vraisemblance cible : 2", "### AS2 — En tant que X") +
                                 "\n" + story("Gravité : 2", "", "", "### AS3 — En tant que Y"));
  ASSERT_FALSE(out.ok());
  ASSERT_EQ(out.errors.size(), 3u) << dump(out.errors);
  EXPECT_EQ(out.errors[0].where.line, 3);
  EXPECT_EQ(out.errors[0].field, "Gravité");
  EXPECT_EQ(out.errors[1].where.line, 15);
  EXPECT_EQ(out.errors[1].field, "Vraisemblance cible");
  EXPECT_EQ(out.errors[2].where.line, 17);
  EXPECT_EQ(out.errors[2].field, "Vraisemblance actuelle");
}

TEST(AnalysisErrors, SameFieldTwiceWithDifferentValues) {
  const ParseOutcome out = parse(story("Gravité : 3\n- Gravité : 4"));
  ASSERT_EQ(out.errors.size(), 1u) << dump(out.errors);
  EXPECT_EQ(out.errors[0].where.line, 4);
  EXPECT_NE(out.errors[0].message.find("line 3"), std::string::npos);
}

// ---- warnings ----

TEST(AnalysisWarnings, MissingTargetUsesCurrent) {
  const ParseOutcome out = parse(story("Gravité : 3", "Vraisemblance actuelle : 2", ""));
  ASSERT_TRUE(out.ok()) << dump(out.errors);
  ASSERT_EQ(out.warnings.size(), 1u) << dump(out.warnings);
  EXPECT_EQ(out.warnings[0].where.line, 1);
  EXPECT_EQ(out.warnings[0].field, "Vraisemblance cible");
  EXPECT_EQ(out.analysis->stories[0].target_likelihood, Likelihood::likely);
}

TEST(AnalysisWarnings, StoryWithoutPossibleMeasure) {
  const ParseOutcome out = parse(
      "### AS1 — En tant que hacker\n\n- Gravité : 2\n- Vraisemblance actuelle : 1\n"
      "- Vraisemblance cible : 1\n");
  ASSERT_TRUE(out.ok()) << dump(out.errors);
  ASSERT_EQ(out.warnings.size(), 1u) << dump(out.warnings);
  EXPECT_EQ(out.warnings[0].where.line, 1);
  EXPECT_EQ(out.warnings[0].field, "Mesures possibles");
}

TEST(AnalysisWarnings, UnknownLabelInsideAStory) {
  const ParseOutcome out = parse(story("Gravité : 3\n- Commentaire : à revoir en atelier"));
  ASSERT_TRUE(out.ok()) << dump(out.errors);
  ASSERT_EQ(out.warnings.size(), 1u) << dump(out.warnings);
  EXPECT_EQ(out.warnings[0].where.line, 4);
  EXPECT_EQ(out.warnings[0].field, "Commentaire");
  EXPECT_NE(out.warnings[0].message.find("unknown label 'Commentaire'"), std::string::npos);
}

TEST(AnalysisWarnings, FieldsOutsideAnyStory) {
  const ParseOutcome out = parse("## Abuser stories\n\n- Gravité : 3\n\n## Cartographie\n\n" +
                                 story("Gravité : 2", "Vraisemblance actuelle : 2",
                                       "Vraisemblance cible : 1", "## AS1 — En tant que X"));
  ASSERT_TRUE(out.ok()) << dump(out.errors);
  ASSERT_EQ(out.warnings.size(), 1u) << dump(out.warnings);
  EXPECT_EQ(out.warnings[0].where.line, 3);
}

}  // namespace
}  // namespace risksync
