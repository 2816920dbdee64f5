// Benchmark: what one sync costs, in requests, CPU time and memory (never a timed unit test).
//
// A fake GitHub (tests/github/fake_github.h) on loopback, the real HttpClient and
// GitHubTracker, and the sync engine, on an analysis of 50 abuser stories × 5 measures:
//   0. first sync, create_api = rest (create + POST …/sub_issues), on an empty tracker
//   1. first sync, create_api = graphql (createIssue with parentIssueId; the default), on
//      another empty tracker, which the rows below go on from
//   2. second sync       (reads the listing the first one changed, caches its ETags)
//   3. no-change sync    (same document, listing cache kept: ETag/304)
//   4. one-change sync   (one measure closed as completed on GitHub)
//   5. lost-cache sync   (no listing cache: full listing, still nothing written)
// For each: requests by method, how many of them count against GitHub's rate limit
// (304s do not), writes (REST POST/PATCH/PUT/DELETE and GraphQL mutations; a GraphQL query is
// a POST but reads), content-creating writes (the REST POSTs — issues, sub-issue links,
// labels, comments — and createIssue mutations: what GitHub's 500/hour secondary limit
// counts), the minimum possible, CPU time and peak memory.
//
// Run: ./build/risksync_bench   (prints a markdown table; README.md shows one)
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "connectors/github/github_tracker.h"
#include "github/fake_github.h"
#include "model/assessment.h"
#include "net/http_client.h"
#include "sync/engine.h"

namespace {

using namespace risksync;

constexpr int kStories = 50;
constexpr int kMeasuresPerStory = 5;

Analysis big_analysis() {
  Analysis a;
  a.source_file = "bench.md";
  for (int s = 1; s <= kStories; ++s) {
    AbuserStory st;
    st.id = "AS" + std::to_string(s);
    st.number = s;
    st.text = "En tant qu'attaquant numéro " + std::to_string(s) + ", lorsque le composant " +
              std::to_string(s) +
              " est vulnérable, je souhaite voler des données afin de les revendre";
    st.gravity = static_cast<Gravity>(1 + s % 4);
    st.current_likelihood = Likelihood::near_certain;
    st.target_likelihood = Likelihood::unlikely;
    for (int m = 1; m <= kMeasuresPerStory; ++m) {
      Measure me;
      me.key = "M" + std::to_string((s - 1) * kMeasuresPerStory + m);
      me.explicit_key = true;
      me.text = "Mesure " + std::to_string(m) + " contre le scénario " + std::to_string(s);
      me.kind = m % 2 ? MeasureKind::tech : MeasureKind::orga;
      me.stories = {st.id};
      st.possible_measures.push_back(me.key);
      a.measures.push_back(me);
    }
    a.stories.push_back(st);
  }
  a.reindex();
  return a;
}

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

long peak_rss_kib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

struct Row {
  std::string name;
  std::size_t gets = 0, posts = 0, patches = 0, not_modified = 0, total = 0;
  std::size_t writes = 0, creating = 0;
  std::size_t minimum = 0;
  std::string minimum_note;
  double cpu = 0;
  long rss = 0;
  std::size_t failures = 0;
};

Row run(const std::string& name, testing::FakeGitHub& gh, const Analysis& analysis,
        net::ListingCache* cache, std::size_t minimum, std::string note,
        github::CreateApi create_api = github::kDefaultCreateApi) {
  net::HttpClientOptions o;
  o.base_url = gh.base_url();
  o.default_headers = github::github_default_headers(gh.token());
  o.min_write_interval = std::chrono::milliseconds(0);  // GHES-like: no pacing on loopback
  net::NetDeps deps;
  deps.sleep = [](std::chrono::milliseconds) {};
  auto client = net::HttpClient::create(o, deps);
  if (!client) {
    std::fprintf(stderr, "client: %s\n", client.error().to_string().c_str());
    std::exit(1);
  }
  github::GitHubTrackerOptions go;
  go.owner = gh.owner();
  go.repo = gh.repo();
  go.create_api = create_api;
  github::GitHubTracker tracker(go, **client, cache);
  gh.clear_log();
  const double cpu0 = cpu_seconds();
  SyncOptions so;
  so.source_file = analysis.source_file;
  auto report = run_sync(analysis, ZoneGrid::default_grid(), tracker, so, true, nullptr);
  Row row;
  row.name = name;
  row.cpu = cpu_seconds() - cpu0;
  row.rss = peak_rss_kib();
  if (!report) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), report.error().to_string().c_str());
    std::exit(1);
  }
  row.failures = report->failures();
  for (const auto& ex : gh.exchanges()) {
    ++row.total;
    if (ex.request.method == "GET") ++row.gets;
    if (ex.request.method == "POST") ++row.posts;
    if (ex.request.method == "PATCH") ++row.patches;
    if (ex.status == 304) ++row.not_modified;
    const bool graphql = ex.request.path == gh.graphql_path();
    const bool mutation = graphql && ex.request.body.find("\"mutation ") != std::string::npos;
    if (graphql ? mutation : ex.request.method != "GET") ++row.writes;
    if (graphql ? mutation : ex.request.method == "POST") ++row.creating;
  }
  row.minimum = minimum;
  row.minimum_note = std::move(note);
  return row;
}

}  // namespace

int main() {
  const Analysis analysis = big_analysis();
  const std::size_t items = analysis.stories.size() + analysis.measures.size();
  const std::size_t pages = (items + 99) / 100;
  testing::FakeGitHub gh;  // strict framing (FakeHttpServer's default): 304s without Content-Length
  if (!gh.ok()) return 1;
  net::InMemoryListingCache cache;

  std::vector<Row> rows;
  // The two create paths of issue 6, each on its own empty tracker. REST: POST /issues cannot
  // name a parent, so each measure costs a create and a POST .../sub_issues. GraphQL:
  // createIssue(parentIssueId) makes a measure in one write, after one query for the node ids
  // of the repository and its labels.
  const std::size_t measures = analysis.measures.size();
  {
    testing::FakeGitHub rest_gh;
    net::InMemoryListingCache rest_cache;
    rows.push_back(run(
        "first sync, create_api = rest", rest_gh, analysis, &rest_cache, 1 + items + measures,
        "1 listing + 1 create per item + 1 sub-issue link per measure", github::CreateApi::rest));
  }
  // The default (README "Cost of a sync"); the rows below go on from the tracker it filled.
  rows.push_back(run("first sync, create_api = graphql (default)", gh, analysis, &cache, 2 + items,
                     "1 listing + 1 node-id query + 1 createIssue per item",
                     github::CreateApi::graphql));
  rows.push_back(run("second sync", gh, analysis, &cache, pages,
                     "re-reads the listing the first sync changed"));
  rows.push_back(run("no-change sync", gh, analysis, &cache, pages,
                     std::to_string(pages) + " listing pages, all 304"));
  // One measure of AS7 closed as completed on GitHub.
  for (const auto& issue : gh.issues()) {
    if (issue.title.rfind("M31 ", 0) == 0) gh.close_issue(issue.number, "completed");
  }
  rows.push_back(
      run("one-change sync", gh, analysis, &cache, pages + 1, "listing + 1 story body update"));
  net::InMemoryListingCache empty;
  rows.push_back(run("lost-cache sync", gh, analysis, &empty, pages, "full listing, no write"));

  std::printf("%d stories × %d measures = %zu managed issues\n\n", kStories, kMeasuresPerStory,
              items);
  std::printf(
      "| sync | requests | GET | POST | PATCH | 304 (free) | counted | writes | "
      "content-creating (of 500/h) | minimum | CPU s | peak RSS MiB |\n"
      "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|\n");
  for (const auto& r : rows) {
    std::printf("| %s | %zu | %zu | %zu | %zu | %zu | %zu | %zu | %zu | %zu (%s) | %.2f | %.1f |\n",
                r.name.c_str(), r.total, r.gets, r.posts, r.patches, r.not_modified,
                r.total - r.not_modified, r.writes, r.creating, r.minimum, r.minimum_note.c_str(),
                r.cpu, static_cast<double>(r.rss) / 1024.0);
    if (r.failures) std::printf("  (%zu failed actions)\n", r.failures);
  }
  return 0;
}
