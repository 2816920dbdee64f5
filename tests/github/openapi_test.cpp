// Every request the GitHub connector sends, checked against GitHub's official OpenAPI
// description (github/openapi.h), so that the fake GitHub cannot share the connector's
// mistakes (issue #6 "GitHub, as documented": `parent_issue_id` on POST …/issues was sent for
// months, GitHub dropped it silently and so did the fake).
//
// Three parts:
//  1. OpenApiValidator*: the validator itself refuses what GitHub does not document (unknown
//     path, wrong method, undeclared body field, undeclared query parameter, missing required
//     field, wrong type, bad enum, non-integer issue number), on GitHub's description and on
//     small hand-written ones for the schema keywords.
//  2. ConnectorRequests.EveryRequestIsDocumented: connector scenarios (GitHubTracker through
//     the sync engine and directly, GitHubContentsPublisher) over FakeGitHub; every recorded
//     exchange is validated and each violation is listed as "METHOD path: problem" (never a
//     header: the token stays out of the output).
//  3. ConnectorRequests.ScenariosCoverEveryOperation: kConnectorOperations is the hand-kept
//     list of the (method, path template) pairs the connector can send, read from
//     connectors/github/*.cpp. The test requires (a) the scenarios to hit exactly that list
//     (a missing one: add a scenario; an extra one: add it to the list), and (b) the list to
//     cover the connector's source text, scanned at test time (RISKSYNC_SOURCE_DIR): in every
//     file that builds REST requests (its code names net::HttpRequest or HttpTransport; the
//     git wiki speaks git and is out of scope), every string literal starting with '/' is cut
//     into path words (before any '?'), and each word must be a literal segment of a listed
//     template; every method literal ("GET", "POST", "PUT", "PATCH", "DELETE") must be the
//     method of a listed operation. So a new endpoint with a new path word or a new method
//     fails until it is listed, and once listed it fails until a scenario sends it. Limits,
//     chosen for robustness over cleverness: the scan does not pair words with methods (a new
//     GET on an already used path word passes (b), yet fails (a) as soon as a scenario sends
//     it), "HEAD" is not scanned (it is also git's name for the default branch in github.com
//     URLs), and kNotApiWords lists path words of non-API URLs.
//
// The description is @octokit/openapi's generated/api.github.com.json, installed by
// scripts/install-deps.sh; CMake passes its path as RISKSYNC_OPENAPI_SPEC. When it is missing,
// every test here FAILS (never skips) saying to run that script.
#include "github/openapi.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "app/dashboard.h"
#include "connectors/github/github_contents.h"
#include "connectors/github/github_tracker.h"
#include "github/fake_github.h"
#include "net/http_client.h"
#include "sync/engine.h"
#include "sync/marker.h"
#include "sync/sample_analysis.h"

namespace risksync {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using testing::FakeGitHub;
using testing::OpenApiSpec;
using testing::OperationRef;
using testing::RecordedCall;

// ---- the description, loaded once ----

struct LoadedSpec {
  std::optional<OpenApiSpec> spec;
  std::string error;
};

const LoadedSpec& github_description() {
  static const LoadedSpec loaded = [] {
    LoadedSpec out;
    auto spec = OpenApiSpec::load(RISKSYNC_OPENAPI_SPEC);
    if (spec.ok())
      out.spec = std::move(spec).value();
    else
      out.error = spec.error().to_string();
    return out;
  }();
  return loaded;
}

class WithGitHubDescription : public ::testing::Test {
 protected:
  void SetUp() override {
    const LoadedSpec& loaded = github_description();
    ASSERT_TRUE(loaded.spec.has_value())
        << loaded.error
        << "\n(GitHub's OpenAPI description is needed: run scripts/install-deps.sh)";
    spec = &*loaded.spec;
  }

  testing::Validation check(const std::string& method, const std::string& path_and_query,
                            const std::string& body = "") const {
    RecordedCall call;
    call.method = method;
    const auto q = path_and_query.find('?');
    call.path = path_and_query.substr(0, q);
    if (q != std::string::npos) call.query = path_and_query.substr(q + 1);
    call.body = body;
    if (!body.empty()) call.content_type = "application/json";
    return spec->validate(call);
  }

  static std::string joined(const testing::Validation& v) {
    std::string out;
    for (const auto& s : v.violations) out += "\n  " + s;
    return out;
  }

  const OpenApiSpec* spec = nullptr;
};

bool mentions(const testing::Validation& v, const std::string& text) {
  return std::any_of(v.violations.begin(), v.violations.end(),
                     [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

// ---- 1. the validator refuses what GitHub does not document ----

using OpenApiValidator = WithGitHubDescription;

TEST_F(OpenApiValidator, LoadsGitHubsDescription) {
  EXPECT_FALSE(spec->version().empty());
  EXPECT_EQ(spec->match_path("/repos/o/r/issues/12/sub_issues"),
            "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues");
}

TEST(OpenApiLoad, MissingDescriptionIsAnErrorSayingToRunInstallDeps) {
  const auto spec = OpenApiSpec::load("/nonexistent/api.github.com.json");
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.error().message.find("scripts/install-deps.sh"), std::string::npos);
  EXPECT_FALSE(OpenApiSpec::from_json(json::object()).ok());
}

TEST_F(OpenApiValidator, LiteralSegmentsArePreferredAndContentsPathTakesSeveralSegments) {
  EXPECT_EQ(spec->match_path("/repos/o/r/issues/comments"),
            "/repos/{owner}/{repo}/issues/comments");
  EXPECT_EQ(spec->match_path("/repos/o/r/issues/7"), "/repos/{owner}/{repo}/issues/{issue_number}");
  EXPECT_EQ(spec->match_path("/repos/o/r/contents/docs/maps/risques.svg"),
            "/repos/{owner}/{repo}/contents/{path}");
  EXPECT_EQ(spec->match_path("/repos/o/r/issues/7/"), std::nullopt);
}

TEST_F(OpenApiValidator, DocumentedRequestsPass) {
  for (const auto& [method, target, body] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"GET", "/repos/o/r/issues?labels=risksync&state=all&per_page=100&page=2", ""},
           {"POST", "/repos/o/r/issues", R"({"title":"t","body":"b","labels":["risksync"]})"},
           {"PATCH", "/repos/o/r/issues/12",
            R"({"state":"closed","state_reason":"not_planned","labels":["a"]})"},
           {"POST", "/repos/o/r/issues/12/sub_issues",
            R"({"sub_issue_id":1000013,"replace_parent":true})"},
           {"PUT", "/repos/o/r/contents/docs/a%20b.md",
            R"({"message":"m","content":"aGk=","sha":"abc","branch":"pages"})"},
       }) {
    const auto v = check(method, target, body);
    EXPECT_TRUE(v.ok()) << method << " " << target << joined(v);
    EXPECT_TRUE(v.operation.has_value()) << target;
  }
}

TEST_F(OpenApiValidator, UnknownPathFails) {
  const auto v = check("GET", "/repos/o/r/issues/12/parents");
  EXPECT_FALSE(v.ok());
  EXPECT_FALSE(v.operation.has_value());
  EXPECT_TRUE(mentions(v, "no path")) << joined(v);
}

TEST_F(OpenApiValidator, WrongMethodOnAKnownPathFails) {
  const auto v = check("DELETE", "/repos/o/r/issues");
  EXPECT_FALSE(v.ok());
  EXPECT_TRUE(mentions(v, "DELETE is not documented for /repos/{owner}/{repo}/issues"))
      << joined(v);
  EXPECT_TRUE(mentions(v, "GET, POST")) << joined(v);
}

TEST_F(OpenApiValidator, ParentIssueIdOnCreateFails) {
  const auto v =
      check("POST", "/repos/o/r/issues",
            R"({"title":"M1","body":"b","labels":["risksync"],"parent_issue_id":1000001})");
  EXPECT_FALSE(v.ok());
  EXPECT_TRUE(mentions(v, "`parent_issue_id` is not a documented field")) << joined(v);
}

TEST_F(OpenApiValidator, UndeclaredQueryParameterFails) {
  const auto v = check("GET", "/repos/o/r/issues?labels=risksync&parent=3");
  EXPECT_FALSE(v.ok());
  EXPECT_TRUE(mentions(v, "query parameter 'parent' is not documented")) << joined(v);
  EXPECT_TRUE(mentions(check("GET", "/repos/o/r/issues?state=every"), "not one of"));
  EXPECT_TRUE(mentions(check("GET", "/repos/o/r/issues?per_page=many"), "not an integer"));
}

TEST_F(OpenApiValidator, MissingRequiredBodyFieldFails) {
  const auto v = check("POST", "/repos/o/r/issues/12/sub_issues", R"({"replace_parent":true})");
  EXPECT_FALSE(v.ok());
  EXPECT_TRUE(mentions(v, "required field `sub_issue_id` is missing")) << joined(v);
  EXPECT_TRUE(mentions(check("POST", "/repos/o/r/issues/12/sub_issues"), "requires a body"));
}

TEST_F(OpenApiValidator, WrongTypeFails) {
  const auto v = check("POST", "/repos/o/r/issues/12/sub_issues", R"({"sub_issue_id":"1000013"})");
  EXPECT_FALSE(v.ok());
  EXPECT_TRUE(mentions(v, "body.sub_issue_id: expected integer, got string")) << joined(v);
}

TEST_F(OpenApiValidator, BadEnumFails) {
  const auto v =
      check("PATCH", "/repos/o/r/issues/12", R"({"state":"closed","state_reason":"nope"})");
  EXPECT_FALSE(v.ok());
  EXPECT_TRUE(mentions(v, "body.state_reason: \"nope\" is not one of")) << joined(v);
  EXPECT_TRUE(check("PATCH", "/repos/o/r/issues/12", R"({"state_reason":null})").ok());
}

TEST_F(OpenApiValidator, NonIntegerIssueNumberFails) {
  const auto v = check("PATCH", "/repos/o/r/issues/AS1", R"({"title":"t"})");
  EXPECT_FALSE(v.ok());
  EXPECT_TRUE(mentions(v, "path parameter issue_number = 'AS1' is not an integer")) << joined(v);
}

TEST_F(OpenApiValidator, BodyWhereNoneIsTakenAndWrongContentTypeFail) {
  EXPECT_TRUE(mentions(check("GET", "/repos/o/r/issues/12/parent", "{}"), "takes no body"));
  RecordedCall call{"POST", "/repos/o/r/labels", "", "text/plain", R"({"name":"x"})"};
  EXPECT_TRUE(mentions(spec->validate(call), "content type text/plain is not documented"));
}

// The validator is not stricter than GitHub means: the request examples of the description
// validate against their own schemas. The few that do not are inconsistencies of the
// description itself (23.0.2: a null gist file the schema does not allow, an example field
// the schema does not declare, an SSH key that misses its pattern, ...).
TEST_F(OpenApiValidator, AcceptsNearlyAllOfGitHubsOwnRequestExamples) {
  int examples = 0;
  std::vector<std::string> refused;
  for (const auto& [path, item] : spec->document()["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (!op.is_object() || !op.contains("requestBody")) continue;
      const json& content = op["requestBody"].value("content", json::object());
      if (!content.contains("application/json")) continue;
      const json& media = content["application/json"];
      if (!media.contains("examples") || !media.contains("schema")) continue;
      for (const auto& [name, example] : media["examples"].items()) {
        if (!example.contains("value")) continue;
        ++examples;
        const auto v = spec->check_schema(example["value"], media["schema"]);
        if (!v.empty()) refused.push_back(method + " " + path + " [" + name + "]: " + v.front());
      }
    }
  }
  EXPECT_GT(examples, 300);
  std::string list;
  for (const auto& r : refused) list += "\n  " + r;
  EXPECT_LE(refused.size() * 100, static_cast<std::size_t>(examples) * 5)
      << refused.size() << " of " << examples << " examples refused:" << list;
}

// The schema keywords, on small descriptions written for the purpose.
TEST(OpenApiSchema, SubsetOfJsonSchemaWithUndeclaredFieldsRefused) {
  const json doc = json::parse(R"({
    "openapi": "3.0.3", "paths": {},
    "components": {"schemas": {
      "base": {"type": "object", "properties": {"id": {"type": "integer", "minimum": 1}},
               "required": ["id"]},
      "named": {"allOf": [{"$ref": "#/components/schemas/base"},
                          {"type": "object", "properties": {"name": {"type": "string",
                                                                     "maxLength": 3}}}]},
      "either": {"oneOf": [{"type": "string"},
                           {"type": "object", "properties": {"a": {"type": "boolean"}}},
                           {"type": "object", "properties": {"b": {"type": ["integer", "null"]}}}]},
      "map": {"type": "object", "additionalProperties": {"type": "integer"}},
      "closed": {"type": "object", "additionalProperties": false},
      "free": {"type": "object"},
      "list": {"type": "array", "items": {"type": "string", "nullable": true}, "maxItems": 2}
    }}})");
  const auto spec = OpenApiSpec::from_json(doc);
  ASSERT_TRUE(spec.ok()) << spec.error().to_string();
  const auto errors = [&](const char* schema, const char* value) {
    return spec->check_schema(json::parse(value),
                              json{{"$ref", std::string("#/components/schemas/") + schema}});
  };
  EXPECT_TRUE(errors("named", R"({"id": 2, "name": "abc"})").empty());
  EXPECT_EQ(errors("named", R"({"id": 0, "name": "abcd", "extra": 1})").size(), 3u)
      << "minimum, maxLength and the undeclared field";
  EXPECT_FALSE(errors("named", R"({"name": "a"})").empty()) << "id is required";
  EXPECT_TRUE(errors("either", R"("s")").empty());
  EXPECT_TRUE(errors("either", R"({"a": true})").empty());
  EXPECT_TRUE(errors("either", R"({"b": null})").empty());
  EXPECT_FALSE(errors("either", R"({"a": true, "b": 1})").empty()) << "no branch has both";
  EXPECT_FALSE(errors("either", R"({"b": "x"})").empty());
  EXPECT_FALSE(errors("either", "3").empty());
  EXPECT_TRUE(errors("map", R"({"x": 1, "y": 2})").empty());
  EXPECT_FALSE(errors("map", R"({"x": "1"})").empty());
  EXPECT_FALSE(errors("closed", R"({"x": 1})").empty());
  EXPECT_TRUE(errors("free", R"({"x": 1})").empty());
  EXPECT_TRUE(errors("list", R"(["a", null])").empty());
  EXPECT_FALSE(errors("list", R"(["a", "b", "c"])").empty());
  EXPECT_FALSE(errors("list", R"(["a", 1])").empty());
  EXPECT_FALSE(spec->check_schema(json(1), json{{"$ref", "#/components/schemas/nope"}}).empty());
}

// ---- 2. every request the connector sends is documented ----

// The operations the GitHub connector can send, read from connectors/github/github_tracker.cpp
// and github_contents.cpp (git_wiki.cpp speaks git, not REST). Keep in step with the source:
// ScenariosCoverEveryOperation fails otherwise.
const std::set<OperationRef> kConnectorOperations = {
    {"GET", "/repos/{owner}/{repo}/labels", ""},   // ensure_labels: list
    {"POST", "/repos/{owner}/{repo}/labels", ""},  // ensure_labels: create the missing ones
    {"GET", "/repos/{owner}/{repo}/issues", ""},   // list_managed (conditional, paginated)
    {"POST", "/repos/{owner}/{repo}/issues", ""},  // create
    {"PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", ""},          // update, close, reopen
    {"POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", ""},  // close/reopen note
    {"POST", "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues", ""},  // link_parent
    {"GET", "/repos/{owner}/{repo}/issues/{issue_number}/parent", ""},      // link_parent after 422
    {"GET", "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues", ""},  // the 100 limit
    {"GET", "/repos/{owner}/{repo}/contents/{path}", ""},  // contents wiki: read sha
    {"PUT", "/repos/{owner}/{repo}/contents/{path}", ""},  // contents wiki: write
};

// Path words of literals that are not API paths: the page's github.com URL
// ("https://github.com/o/r/blob/HEAD/docs/risques.md") when GitHub's answer gives none.
// "graphql": the GraphQL endpoint, checked against GitHub's GraphQL schema instead
// (tests/github/graphql_schema_test.cpp); "api", "v3": GHES's REST base path, recognised to
// find its GraphQL endpoint.
const std::set<std::string> kNotApiWords = {"blob", "graphql", "api", "v3"};

struct ScenarioRun {
  std::vector<testing::FakeExchange> exchanges;
  std::vector<std::string> problems;  // a scenario that did not do what it should
  std::string prefix;                 // the fake's API prefix (GHES's /api/v3)
  std::string token;                  // must never appear in what the tests print
};

// Runs the connector's scenarios over one FakeGitHub and returns what it recorded.
ScenarioRun run_scenarios() {
  ScenarioRun run;
  const auto problem = [&](const std::string& what) { run.problems.push_back(what); };
  // Under GHES's prefix: the validator is given the path after it, as on api.github.com.
  run.prefix = "/api/v3";
  FakeGitHub gh("octo", "risks", "fake-github-token-for-openapi", run.prefix);
  run.token = gh.token();
  if (!gh.ok()) {
    problem("the fake GitHub did not start");
    return run;
  }
  net::HttpClientOptions o;
  o.base_url = gh.base_url();
  o.default_headers = github::github_default_headers(gh.token());
  o.min_write_interval = milliseconds(0);
  o.connect_timeout = milliseconds(1000);
  o.read_timeout = milliseconds(2000);
  o.write_timeout = milliseconds(1000);
  o.retry.max_attempts = 2;
  net::NetDeps deps;
  deps.sleep = [](milliseconds) {};
  deps.jitter = [] { return 0.0; };
  auto created = net::HttpClient::create(std::move(o), std::move(deps));
  if (!created.ok()) {
    problem(created.error().to_string());
    return run;
  }
  auto client = std::move(created).value();
  net::InMemoryListingCache cache;
  github::GitHubTrackerOptions to;
  to.owner = gh.owner();
  to.repo = gh.repo();
  to.create_api = github::CreateApi::rest;  // the REST create and sub-issue link are checked here
  github::GitHubTracker tracker(to, *client, &cache, &client->redactor());

  // Issues labelled by hand without a risksync block: skipped by the listing, but they make it
  // two pages long (per_page=100), so every listing follows a Link rel="next".
  for (int i = 0; i < 100; ++i) gh.add_issue("labelled by hand", "no marker", {"risksync"});

  const auto number_of = [&](const std::string& key) {
    for (const auto& i : gh.issues()) {
      const auto shown = find_block(i.body);
      if (shown.block && shown.block->marker.key == key) return i.number;
    }
    return 0;
  };
  SyncOptions options;
  const auto sync = [&](const Analysis& a, const std::string& step) -> std::optional<SyncReport> {
    options.source_file = a.source_file;
    auto r = run_sync(a, ZoneGrid::default_grid(), tracker, options, /*apply=*/true, nullptr);
    if (!r.ok()) {
      problem(step + ": " + r.error().to_string());
      return std::nullopt;
    }
    for (const auto& result : r->results)
      if (result.error)
        problem(step + ": " + result.action.summary + ": " + result.error->to_string());
    return std::move(r).value();
  };

  // First sync: labels listed and created, issues created, measures linked under stories.
  const Analysis a = testing::sample();
  const auto first = sync(a, "first sync");
  if (gh.count("POST", "/repos/octo/risks/labels") == 0) problem("first sync created no label");
  if (gh.count("POST", "/repos/octo/risks/issues/[0-9]+/sub_issues") == 0)
    problem("first sync linked no sub-issue");

  // A person moves a measure under the other story: re-linked with replace_parent.
  const std::string derived = a.measures[1].key;
  gh.move_sub_issue(number_of(derived), number_of("AS2"));
  sync(a, "re-link");
  if (gh.parent_of(number_of(derived)) != number_of("AS1"))
    problem("the measure was not moved back");

  // The story's text changes: title and body updated.
  Analysis edited = a;
  edited.stories[0].text += " et les enregistrements";
  sync(edited, "edit");

  // AS2 leaves the analysis: closed as not planned, retired label added, comment; then it
  // comes back: reopened (state_reason reopened), retired label removed, comment.
  Analysis without = edited;
  without.stories.pop_back();
  without.measures[0].stories = {"AS1"};
  sync(without, "retire");
  if (const auto as2 = gh.issue(number_of("AS2")); !as2 || as2->state_reason != "not_planned")
    problem("AS2 was not closed as not planned");
  sync(edited, "come back");
  if (const auto as2 = gh.issue(number_of("AS2")); !as2 || as2->state != "open")
    problem("AS2 was not reopened");
  if (gh.comments(number_of("AS2")).size() < 2) problem("no comment on close and reopen");

  // Direct calls: a close as completed with a comment, and the two 422 paths of link_parent.
  auto items = tracker.list_managed();
  if (!items.ok()) {
    problem("listing: " + items.error().to_string());
    return run;
  }
  const auto item = [&](const std::string& key) {
    for (const auto& i : *items)
      if (i.marker.key == key) return i;
    problem("no listed item " + key);
    return RemoteItem{};
  };
  ItemChange close;
  close.state = ItemChange::State::close;
  close.close_reason = CloseReason::completed;
  close.comment = "Fait.";
  if (auto r = tracker.update(item("M1"), close); !r.ok())
    problem("close: " + r.error().to_string());
  // Already a sub-issue of that parent: GitHub answers 422, GET …/parent says it is done.
  if (Status s = tracker.link_parent(item(derived), item("AS1")); !s.ok())
    problem("repeated link: " + s.error().to_string());
  // A parent at the (lowered) sub-issue limit: 422, GET …/parent (none), then GET
  // …/sub_issues counts them.
  gh.set_sub_issue_limit(1);
  if (tracker.link_parent(item("AS2"), item("AS1")).ok()) problem("the refusal was not reported");
  gh.set_sub_issue_limit(100);

  // Conditional listing over two pages: the second listing is answered by 304s.
  gh.clear_faults();
  if (!tracker.list_managed().ok() || !tracker.list_managed().ok()) problem("conditional listing");
  if (gh.count_status(304) < 2) problem("no 304 on an unchanged two-page listing");

  // Contents API wiki: the real dashboard (markdown + SVG map), created, unchanged, updated;
  // then on another branch (?ref= and `branch`).
  if (first) {
    PageContext ctx;
    ctx.generated_at = "2026-12-03 08:00 UTC";
    ctx.source_file = "analyse.md";
    WikiPage page = build_dashboard(a, first->assessment, ZoneGrid::default_grid(), ctx, {});
    github::GitHubContentsOptions co;
    co.owner = gh.owner();
    co.repo = gh.repo();
    co.path = "docs/Cartographie-des-risques.md";
    github::GitHubContentsPublisher publisher(co, *client, &client->redactor());
    const auto publish = [&](github::GitHubContentsPublisher& p, const WikiPage& w,
                             bool expect_change, const std::string& step) {
      auto r = p.publish(w);
      if (!r.ok())
        problem(step + ": " + r.error().to_string());
      else if (r->changed != expect_change)
        problem(step + ": changed is " + (r->changed ? "true" : "false"));
    };
    publish(publisher, page, true, "contents: create");
    publish(publisher, page, false, "contents: unchanged");
    page.content += "\nÉdition suivante.\n";
    publish(publisher, page, true, "contents: update");
    if (gh.file(co.path) != page.content) problem("contents: the page is not what was published");
    if (page.attachments.empty() ||
        gh.file("docs/" + page.attachments[0].file_name) != page.attachments[0].content)
      problem("contents: the SVG map is not what was published");
    gh.add_branch("pages");
    co.branch = "pages";
    github::GitHubContentsPublisher on_branch(co, *client, &client->redactor());
    publish(on_branch, page, true, "contents: on a branch");
  }

  run.exchanges = gh.exchanges();
  return run;
}

const ScenarioRun& scenarios() {
  static const ScenarioRun run = run_scenarios();
  return run;
}

using ConnectorRequests = WithGitHubDescription;

RecordedCall call_of(const testing::FakeExchange& e, const std::string& prefix) {
  RecordedCall call;
  call.method = e.request.method;
  call.path = e.request.path;
  if (!prefix.empty() && call.path.rfind(prefix, 0) == 0) call.path.erase(0, prefix.size());
  call.query = e.request.query;
  call.content_type = e.request.header("Content-Type");
  call.body = e.request.body;
  return call;
}

TEST_F(ConnectorRequests, EveryRequestIsDocumented) {
  const ScenarioRun& run = scenarios();
  for (const auto& p : run.problems) {
    ASSERT_EQ(p.find(run.token), std::string::npos) << "a scenario's error would print the token";
    ADD_FAILURE() << "scenario: " << p;
  }
  ASSERT_GT(run.exchanges.size(), 20u);
  std::size_t bad = 0;
  for (const auto& e : run.exchanges) {
    const RecordedCall call = call_of(e, run.prefix);
    const auto v = spec->validate(call);
    for (const auto& violation : v.violations) {
      ++bad;
      ASSERT_EQ((call.path + call.query + violation).find(run.token), std::string::npos)
          << "a violation would print the token";
      ADD_FAILURE() << call.method << " " << call.path
                    << (call.query.empty() ? "" : "?" + call.query) << ": " << violation;
    }
  }
  EXPECT_EQ(bad, 0u) << "requests GitHub's description (" << spec->version()
                     << ") does not document";
}

// ---- 3. the scenarios exercise every operation the connector can send ----

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The code of a C++ file without its comments, and its string literals (contents as written,
// escapes kept; raw strings included).
struct Lexed {
  std::string code;
  std::vector<std::string> literals;
};

Lexed lex(const std::string& text) {
  Lexed out;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    if (text.compare(i, 2, "//") == 0) {
      i = text.find('\n', i);
      if (i == std::string::npos) break;
    } else if (text.compare(i, 2, "/*") == 0) {
      const auto end = text.find("*/", i + 2);
      i = end == std::string::npos ? n : end + 2;
    } else if (text[i] == 'R' && i + 1 < n && text[i + 1] == '"') {
      const auto open = text.find('(', i + 2);
      if (open == std::string::npos) break;
      const std::string close = ")" + text.substr(i + 2, open - i - 2) + "\"";
      const auto end = text.find(close, open + 1);
      out.literals.push_back(
          text.substr(open + 1, (end == std::string::npos ? n : end) - open - 1));
      out.code += "\"\"";
      i = end == std::string::npos ? n : end + close.size();
    } else if (text[i] == '"' || text[i] == '\'') {
      const char quote = text[i];
      std::string literal;
      ++i;
      while (i < n && text[i] != quote) {
        if (text[i] == '\\' && i + 1 < n) literal += text[i++];
        literal += text[i++];
      }
      ++i;
      if (quote == '"') out.literals.push_back(literal);
      out.code += "\"\"";
    } else {
      out.code += text[i++];
    }
  }
  return out;
}

TEST(OpenApiSourceScan, LexerSeesLiteralsNotComments) {
  const Lexed l =
      lex("// \"/in_comment\"\nx = \"/issues?\" + R\"(/raw)\"; /* \"/no\" */ c = '\"';");
  EXPECT_EQ(l.literals, (std::vector<std::string>{"/issues?", "/raw"}));
  EXPECT_EQ(l.code.find("in_comment"), std::string::npos);
}

TEST_F(ConnectorRequests, ScenariosCoverEveryOperation) {
  const ScenarioRun& run = scenarios();
  std::set<OperationRef> hit;
  for (const auto& e : run.exchanges) {
    const auto v = spec->validate(call_of(e, run.prefix));
    if (v.operation) hit.insert(OperationRef{v.operation->method, v.operation->path_template, ""});
  }
  for (const auto& op : kConnectorOperations) {
    EXPECT_TRUE(hit.contains(op)) << op.method << " " << op.path_template
                                  << " is an operation of the connector no scenario sends: add "
                                     "one to run_scenarios()";
  }
  for (const auto& op : hit) {
    EXPECT_TRUE(kConnectorOperations.contains(op))
        << op.method << " " << op.path_template
        << " was sent but is not in kConnectorOperations: add it to the list";
  }

  // The list covers the source: every path word and method literal of the REST code.
  std::set<std::string> listed_words;
  std::set<std::string> listed_methods;
  for (const auto& op : kConnectorOperations) {
    listed_methods.insert(op.method);
    std::istringstream segments(op.path_template);
    for (std::string seg; std::getline(segments, seg, '/');)
      if (!seg.empty() && seg.front() != '{') listed_words.insert(seg);
  }
  const std::filesystem::path dir =
      std::filesystem::path(RISKSYNC_SOURCE_DIR) / "connectors/github";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  std::size_t rest_files = 0;
  std::set<std::string> words_seen;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".cpp") continue;
    const Lexed l = lex(read_text(entry.path()));
    if (l.code.find("HttpRequest") == std::string::npos &&
        l.code.find("HttpTransport") == std::string::npos)
      continue;  // does not build REST requests (git_wiki.cpp, base64.cpp)
    ++rest_files;
    const std::string file = entry.path().filename().string();
    for (const auto& literal : l.literals) {
      if (literal == "GET" || literal == "POST" || literal == "PUT" || literal == "PATCH" ||
          literal == "DELETE") {
        EXPECT_TRUE(listed_methods.contains(literal))
            << file << " sends " << literal << ", which no operation of kConnectorOperations uses";
        continue;
      }
      if (literal.empty() || literal.front() != '/') continue;
      std::istringstream words(literal.substr(0, literal.find('?')));
      for (std::string word; std::getline(words, word, '/');) {
        const bool is_word = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        });
        if (!is_word) continue;
        words_seen.insert(word);
        EXPECT_TRUE(listed_words.contains(word) || kNotApiWords.contains(word))
            << file << " builds a path with '" << word << "' (literal \"" << literal
            << "\") that no operation of kConnectorOperations has: list the new operation and "
               "add a scenario that sends it";
      }
    }
  }
  EXPECT_EQ(rest_files, 2u) << "github_tracker.cpp and github_contents.cpp build REST requests";
  for (const char* word : {"repos", "issues", "sub_issues", "labels", "contents"})
    EXPECT_TRUE(words_seen.contains(word)) << "the scan did not see '" << word << "'";
}

}  // namespace
}  // namespace risksync
