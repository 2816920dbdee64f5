// Every GraphQL document the GitHub connector can send, checked against GitHub's published
// GraphQL schema (@octokit/graphql-schema, pinned in scripts/openapi/package.json and turned
// into introspection JSON by scripts/install-deps.sh; CMake passes RISKSYNC_GRAPHQL_SCHEMA):
//  1. the validator (tests/github/graphql_schema.h) can fail: wrong names are caught;
//  2. the connector's documents with the variables it sends, as recorded by the fake GitHub
//     during syncs that use every document (repository + labels pages, an issue's id, the
//     createIssue mutation with and without a parent).
// When the schema is missing, every test FAILS (never skips) saying to run install-deps.sh.
#include "github/graphql_schema.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "connectors/github/github_tracker.h"
#include "github/fake_github.h"
#include "github/graphql_document.h"
#include "net/http_client.h"
#include "sync/engine.h"

namespace risksync {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using testing::GraphQLSchema;

const GraphQLSchema& schema() {
  static const Result<GraphQLSchema> loaded = GraphQLSchema::load(RISKSYNC_GRAPHQL_SCHEMA);
  if (!loaded.ok()) {
    ADD_FAILURE() << loaded.error().to_string();
    static const GraphQLSchema empty =
        GraphQLSchema::from_json(json{{"__schema", {{"types", json::array()}}}}).value();
    return empty;
  }
  return loaded.value();
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}

const json kCreateInput = {{"input",
                            {{"repositoryId", "R_1"},
                             {"title", "AS1 : t"},
                             {"body", "b"},
                             {"labelIds", {"LA_1"}},
                             {"parentIssueId", "I_1"}}}};

TEST(GitHubGraphQLSchema, LoadsAndHasTheFieldsRisksyncRelieson) {
  ASSERT_GT(schema().type_count(), 1000u);
  EXPECT_EQ(schema().validate(github::GraphQLDocuments::kCreateIssue, kCreateInput),
            std::vector<std::string>{});
}

TEST(GitHubGraphQLSchema, ValidatorCatchesWrongNames) {
  const std::string doc(github::GraphQLDocuments::kCreateIssue);
  // A selected field that does not exist on Issue.
  auto v = schema().validate(std::regex_replace(doc, std::regex("databaseId"), "databaseID"),
                             kCreateInput);
  EXPECT_NE(joined(v).find("Issue has no field 'databaseID'"), std::string::npos) << joined(v);
  // An input field with a wrong name, and a required one missing.
  json input = kCreateInput;
  input["input"].erase("parentIssueId");
  input["input"]["parentId"] = "I_1";
  input["input"].erase("repositoryId");
  v = schema().validate(doc, input);
  EXPECT_NE(joined(v).find("CreateIssueInput has no field 'parentId'"), std::string::npos)
      << joined(v);
  EXPECT_NE(joined(v).find("repositoryId: required by CreateIssueInput"), std::string::npos)
      << joined(v);
  // A mutation that does not exist, an object without a selection, a wrong variable type.
  v = schema().validate(
      "mutation($input: CreateIssueInput!) { createIssues(input: $input) { "
      "clientMutationId } }",
      kCreateInput);
  EXPECT_NE(joined(v).find("Mutation has no field 'createIssues'"), std::string::npos) << joined(v);
  v = schema().validate(
      "mutation($input: CreateIssueInput!) { createIssue(input: $input) { "
      "issue } }",
      kCreateInput);
  EXPECT_NE(joined(v).find("select its fields"), std::string::npos) << joined(v);
  v = schema().validate(
      "query($owner: String!, $name: String!, $number: String!) { repository(owner: $owner, "
      "name: $name) { issue(number: $number) { id } } }",
      json{{"owner", "o"}, {"name", "r"}, {"number", "1"}});
  EXPECT_NE(joined(v).find("$number of type String! given to 'number' of type Int!"),
            std::string::npos)
      << joined(v);
  // A required argument missing, an argument that does not exist, an unused variable.
  v = schema().validate("query($x: Int) { repository(owner: \"o\") { id } }", json::object());
  EXPECT_NE(joined(v).find("required argument 'name'"), std::string::npos) << joined(v);
  EXPECT_NE(joined(v).find("$x is declared but unused"), std::string::npos) << joined(v);
  // An unreadable document.
  EXPECT_FALSE(schema().validate("query { ...F }", json::object()).empty());
}

// Syncs through the GraphQL path against the fake, recording every GraphQL request.
std::vector<testing::FakeExchange> graphql_requests() {
  std::vector<testing::FakeExchange> out;
  testing::FakeGitHub gh;
  for (int i = 0; i < 120; ++i) gh.add_repo_label({"people-" + std::to_string(i), "ededed", ""});
  net::HttpClientOptions o;
  o.base_url = gh.base_url();
  o.default_headers = github::github_default_headers(gh.token());
  o.min_write_interval = milliseconds(0);
  net::NetDeps deps;
  deps.sleep = [](milliseconds) {};
  auto client = net::HttpClient::create(o, deps);
  if (!client.ok()) {
    ADD_FAILURE() << client.error().to_string();
    return out;
  }
  github::GitHubTrackerOptions to;
  to.owner = gh.owner();
  to.repo = gh.repo();
  to.create_api = github::CreateApi::graphql;
  github::GitHubTracker tracker(to, **client);
  EXPECT_TRUE(tracker.ensure_labels(managed_label_specs()).ok());
  const auto body = [](const std::string& key, ItemKind kind) {
    return merge_managed_block("", Marker{key, kind, "0badf00d", "", false}, "\ntext\n");
  };
  auto story = tracker.create(
      ItemSpec{"AS1 : s", body("AS1", ItemKind::story), {"risksync", "risksync:story"}});
  EXPECT_TRUE(story.ok()) << story.error().to_string();
  if (!story.ok()) return out;
  // A parent whose node id the tracker has not seen: asked by number.
  RemoteItem unseen = *story;
  unseen.id = std::to_string(gh.id_of(gh.add_issue("AS2 : s", "", {"risksync"})));
  unseen.number = std::to_string(std::stoll(unseen.id) - testing::FakeGitHub::kIdOffset);
  for (const RemoteItem* parent : {&*story, &unseen}) {
    ItemSpec m{
        "M : m", body("M" + parent->number, ItemKind::measure), {"risksync", "risksync:measure"}};
    m.parent = parent;
    auto made = tracker.create(m);
    EXPECT_TRUE(made.ok()) << made.error().to_string();
  }
  for (const auto& e : gh.exchanges())
    if (e.request.path == gh.graphql_path()) out.push_back(e);
  return out;
}

TEST(GitHubGraphQLSchema, EveryDocumentTheConnectorSendsIsInTheSchema) {
  const auto requests = graphql_requests();
  std::set<std::string> sent;
  for (const auto& e : requests) {
    const json body = json::parse(e.request.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << e.request.body;
    ASSERT_TRUE(body.contains("query") && body["query"].is_string());
    const std::string query = body["query"].get<std::string>();
    sent.insert(query);
    const auto v = schema().validate(query, body.value("variables", json::object()));
    EXPECT_TRUE(v.empty()) << query << "\n"
                           << body.value("variables", json()).dump() << "\n"
                           << joined(v);
    EXPECT_EQ(e.status, 200);
  }
  // Every document of the connector was sent, labels over two pages (120 + 10 labels).
  for (const auto doc :
       {github::GraphQLDocuments::kRepositoryQuery, github::GraphQLDocuments::kIssueIdQuery,
        github::GraphQLDocuments::kCreateIssue})
    EXPECT_TRUE(sent.contains(std::string(doc))) << "never sent:\n" << doc;
  std::size_t label_pages = 0;
  for (const auto& e : requests)
    label_pages += e.request.body.find("RisksyncRepository") != std::string::npos;
  EXPECT_EQ(label_pages, 2u);
}

}  // namespace
}  // namespace risksync
