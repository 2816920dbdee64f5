// net/json_body.h: what error bodies of GitHub, GitLab, Jira and GraphQL say, descriptions of
// bodies that are not JSON, and parsing a body of an expected shape.
#include "net/json_body.h"

#include <gtest/gtest.h>

#include <string>

namespace risksync::net {
namespace {

TEST(DescribeBody, QuotesGitHubsMessageAndErrors) {
  EXPECT_EQ(describe_body(R"({"message":"Bad credentials"})"), "'Bad credentials'");
  EXPECT_EQ(
      describe_body(
          R"({"message":"Validation Failed","errors":[{"resource":"Issue","field":"title","code":"missing_field"},"plain"]})"),
      "'Validation Failed (Issue.title missing_field; plain)'");
  BodyHints omit;
  omit.omit_message = "Validation Failed";
  EXPECT_EQ(
      describe_body(R"({"message":"Validation Failed","errors":[{"message":"too long"}]})", omit),
      "'too long'");
  EXPECT_EQ(describe_body(R"({"message":"Validation Failed"})", omit), "no details");
}

TEST(DescribeBody, ReadsGitLabJiraAndGraphQlErrors) {
  EXPECT_EQ(describe_body(R"({"message":"404 Project Not Found"})"), "'404 Project Not Found'");
  EXPECT_EQ(describe_body(R"({"message":{"title":["can't be blank","is too short"]}})"),
            "'title can't be blank; is too short'");
  EXPECT_EQ(describe_body(R"({"error":"invalid_token","error_description":"Token expired"})"),
            "'invalid_token: Token expired'");
  EXPECT_EQ(
      describe_body(
          R"({"errorMessages":["Issue does not exist"],"errors":{"summary":"Field is required"}})"),
      "'Issue does not exist; summary: Field is required'");
  EXPECT_EQ(describe_body(R"({"data":null,"errors":[{"message":"Could not resolve"}]})"),
            "'Could not resolve'");
}

TEST(DescribeBody, SaysWhatCameInsteadOfJson) {
  EXPECT_EQ(describe_body(""), "an empty body");
  EXPECT_EQ(describe_body(" \n"), "an empty body");
  EXPECT_EQ(describe_body("[1,2]"), "a JSON array without a message");
  EXPECT_EQ(describe_body("{}"), "a JSON object without a message");
  BodyHints hint;
  hint.html_hint = ": is api_url right?";
  EXPECT_EQ(
      describe_body("\n<html><body>Sign in</body></html>", hint),
      "an HTML page instead of JSON ('<html><body>Sign in</body></html>'): is api_url right?");
  EXPECT_EQ(describe_body("oops\nline"), "a body that is not JSON ('oops line')");
}

TEST(DescribeBody, CutsLongTextsWithoutBreakingUtf8) {
  const std::string long_message(400, 'x');
  const std::string said = describe_body("{\"message\":\"" + long_message + "\"}");
  EXPECT_EQ(said, "'" + std::string(300, 'x') + "…'");
  // "é" is two bytes: a cut after byte 3 keeps it whole.
  EXPECT_EQ(shorten_for_message("aaé b", 3), "aaé…");
  EXPECT_EQ(shorten_for_message("a\tb", 10), "a b");
}

TEST(ParseJsonBody, ChecksTheShapeAndSaysWhatCame) {
  auto array = parse_json_body("[1]", JsonShape::array);
  ASSERT_TRUE(array.ok());
  EXPECT_EQ(array->size(), 1u);
  auto wrong = parse_json_body(R"({"a":1})", JsonShape::array, "issues");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::remote);
  EXPECT_EQ(wrong.error().message, "not a JSON array of issues but a JSON object");
  auto text = parse_json_body("[{\"id\": 1,", JsonShape::object);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().message, "not a JSON object but a body that is not JSON ('[{\"id\": 1,')");
  EXPECT_TRUE(parse_json_body("\"s\"", JsonShape::any).ok());
  EXPECT_FALSE(parse_json_body("", JsonShape::any).ok());
}

TEST(JsonAccessors, NeverThrow) {
  const nlohmann::json j = nlohmann::json::parse(R"({"id":7,"neg":-1,"s":"x"})");
  EXPECT_EQ(json_positive_integer(json_member(j, "id")), 7u);
  EXPECT_EQ(json_positive_integer(json_member(j, "neg")), std::nullopt);
  EXPECT_EQ(json_positive_integer(json_member(j, "s")), std::nullopt);
  EXPECT_EQ(json_member(j, "missing"), nullptr);
  EXPECT_EQ(json_member(nlohmann::json::array(), "id"), nullptr);
  EXPECT_EQ(json_type_name(nlohmann::json::parse("x", nullptr, false)), "nothing");
}

}  // namespace
}  // namespace risksync::net
