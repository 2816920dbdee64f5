// Benchmark: how the core scales with the size of the analysis (issue #6 "Linear cost"), in
// CPU time and peak memory (never a timed unit test).
//
// For 1,000 and 5,000 abuser stories (tests/support/big_analysis.h: ~5 possible measures each,
// a socle of shared measures, Ségur citations) it runs, each row in a process of its own:
//   validate     parse the markdown text with the Ségur catalog (what `risksync validate` does)
//   export       parse, assess, the model as JSON text (`risksync export --format json`)
//   render       parse, assess, markdown page + SVG map + HTML page (`risksync render`)
//   plan, empty  parse, list, match, assess, plan against an empty tracker (`risksync plan`)
//   listing      the listing alone of a tracker holding every item: the pages' JSON parsed,
//                each issue's block read (GitHubTracker::list_managed, no analysis)
//   plan, full   parse, list, match, assess, plan against that full tracker (the plan is empty)
//   sync, no change   what `risksync sync` does on a converged tracker (app/sync_job.cpp
//                run_sync_job): read the wiki's stamp, parse, list, plan (empty), save the
//                listing cache, publish the dashboard (app/sync_job.h publish_report: with the
//                issues' links) into a folder wiki that already shows it, so nothing is
//                written: one daemon cycle. Two rows: no listing cache file (a fresh CI
//                runner: every page comes whole, and the cache file is written), and the cache
//                the previous sync saved (every page answered 304, its cached body parsed)
// The tracker is the real GitHubTracker (connectors/github) reading GitHub-shaped listing
// pages (100 issues each, the fields GitHub sends, risksync's block in each body) from files:
// parsing the listing JSON and reading each body's block is measured, as in a real `risksync
// sync`; no HTTP, TLS or fake server is.
//
// For each size, one preparing child (`--prepare N DIR`, not measured) writes the analysis
// text (DIR/big.md) and the listing pages of a tracker a converged sync leaves
// (DIR/listing-K.json, filled through the in-memory tracker of the tests) and the listing
// cache that sync saves (DIR/state/listing.json). Each row then
// re-executes this binary (`--row NAME --dir DIR`) so that one row's memory never pollutes the
// next: CPU time (user + system) and peak RSS come from wait4(2) for that child alone. "work"
// is the child's own CPU time around the measured steps (from the analysis text in memory to
// the rendered pages; the listing pages are read from their files as they are requested, as
// they would arrive from the network); "process" is the whole child: start-up, reading the
// catalog and the analysis file included. Each row runs three times (the machine may be
// shared): the table shows the run with the least work CPU time, and the highest peak RSS of
// the three. The last table gives the 5,000 / 1,000 ratios.
//
// Run: ./build-rel/risksync_scale_bench  (Release build; prints markdown tables; README shows them)
//      ./build-rel/risksync_scale_bench 200 1000  (other sizes: the first is the ratio base)
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/dashboard.h"
#include "app/env.h"
#include "app/file_listing_cache.h"
#include "app/folder_wiki.h"
#include "app/inputs.h"
#include "app/sync_job.h"
#include "connectors/github/github_tracker.h"
#include "model/assessment.h"
#include "parse/analysis_parser.h"
#include "parse/catalog.h"
#include "render/model_json.h"
#include "support/big_analysis.h"
#include "support/temp_dir.h"
#include "sync/engine.h"
#include "sync/memory_tracker.h"

namespace {

using namespace risksync;

constexpr std::array<const char*, 8> kRows{"validate",      "export",     "render",
                                           "plan-empty",    "list-full",  "plan-full",
                                           "sync-nochange", "sync-cached"};

constexpr int kRuns = 3;  // per row; the least CPU time is kept

const char* row_title(std::string_view row) {
  if (row == "validate") return "validate (parse + checks)";
  if (row == "export") return "export (JSON)";
  if (row == "render") return "render (md + html + svg)";
  if (row == "plan-empty") return "plan, empty tracker";
  if (row == "list-full") return "listing alone, tracker holding every item";
  if (row == "plan-full") return "plan, tracker holding every item";
  if (row == "sync-nochange")
    return "sync, no change, no listing cache (parse + list + plan + publish md + html + svg)";
  return "sync, no change, listing cached: 304s (parse + list + plan + publish)";
}

double cpu_seconds(const rusage& ru) {
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double self_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return cpu_seconds(ru);
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "scale_bench: %s\n", what.c_str());
  std::exit(2);
}

// ---- child: one row ----

struct Work {
  Catalog catalog;
  ParseOptions options;
  std::string text;
};

Analysis parse_or_fail(const Work& w) {
  ParseOutcome out = parse_analysis(w.text, "big.md", w.options);
  if (!out.analysis || !out.warnings.empty())
    fail("the generated document does not parse cleanly (" + std::to_string(out.errors.size()) +
         " errors, " + std::to_string(out.warnings.size()) + " warnings)");
  return std::move(*out.analysis);
}

PageContext page_context() {
  PageContext ctx;
  ctx.generated_at = "2026-01-01 00:00 UTC";
  ctx.source_file = "big.md";
  return ctx;
}

std::size_t render(const Analysis& a, const Assessment& assessment) {
  const WikiPage page = build_dashboard(a, assessment, ZoneGrid::default_grid(), page_context(),
                                        {"Cartographie des risques", /*with_html=*/true});
  std::size_t bytes = page.content.size();
  for (const auto& att : page.attachments) bytes += att.content.size();
  return bytes;
}

testing::MemoryTracker make_tracker() {
  testing::MemoryTracker t;
  t.caps.create_with_parent = true;
  t.newest_first = false;  // listing order = storage order, so remote[i] is items[i]
  return t;
}

SyncOptions sync_options() {
  SyncOptions o;
  o.source_file = "big.md";
  return o;
}

// What `risksync sync` publishes from: the analysis and the configuration it names.
Inputs sync_inputs(Analysis analysis) {
  Inputs in;
  in.config.analysis_as_written = "big.md";
  in.analysis = std::move(analysis);
  return in;
}

// No environment variable, a fixed clock, no sleep.
Env fixed_env() {
  Env env;
  env.get = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  env.now = [] { return std::chrono::system_clock::time_point(std::chrono::hours(500000)); };
  env.sleep = [](std::chrono::milliseconds) {};
  env.random = [] { return 0.0; };
  return env;
}

// Fills `tracker` until it holds every item of `a` as a converged sync leaves it. Writes to
// the storage directly (not through apply_plan): this is set-up, not what is measured.
void fill(testing::MemoryTracker& tracker, const Analysis& a) {
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    auto report = run_sync(a, ZoneGrid::default_grid(), tracker, sync_options(), false, nullptr);
    if (!report) fail("plan: " + report.error().to_string());
    if (report->first_plan.empty()) return;
    std::map<std::string, RemoteItem> story_items;
    for (const Action& act : report->first_plan.actions) {
      if (act.op == ActionOp::create) {
        ItemSpec spec = act.spec;
        if (act.kind == ItemKind::measure) {
          const auto it = story_items.find(act.parent_key);
          if (it != story_items.end()) spec.parent = &it->second;
          if (act.parent_remote) spec.parent = &report->remote[*act.parent_remote];
        }
        auto created = tracker.create(spec);
        if (!created) fail("create: " + created.error().to_string());
        if (act.kind == ItemKind::story) story_items[act.key] = *created;
      } else if (act.op == ActionOp::update && act.remote) {
        RemoteItem& item = tracker.items[*act.remote];
        if (act.change.title) item.title = *act.change.title;
        if (act.change.body) item.body = *act.change.body;
        for (const auto& l : act.change.add_labels) item.labels.push_back(l);
      } else {
        fail("unexpected action while filling the tracker: " + act.summary);
      }
    }
  }
  fail("the tracker did not converge in " + std::to_string(kMaxPasses) + " passes");
}

constexpr const char* kOwner = "owner";
constexpr const char* kRepo = "repo";
constexpr std::size_t kPerPage = 100;  // what list_managed() asks for

std::string issue_api_url(const std::string& number) {
  return std::string("https://api.github.com/repos/") + kOwner + "/" + kRepo + "/issues/" + number;
}

// One issue as GitHub's REST listing shows it (the usual fields, not only those risksync reads).
nlohmann::json github_issue(const RemoteItem& item, const std::string& parent_number) {
  using nlohmann::json;
  const std::string api = issue_api_url(item.number);
  json labels = json::array();
  for (const auto& name : item.labels)
    labels.push_back({{"id", 9000000 + labels.size()},
                      {"node_id", "LA_kwDOfake"},
                      {"url", "https://api.github.com/repos/owner/repo/labels/" + name},
                      {"name", name},
                      {"color", "5319e7"},
                      {"default", false},
                      {"description", nullptr}});
  const json user = {{"login", "risksync-bot"},
                     {"id", 4242},
                     {"node_id", "U_kgDOfake"},
                     {"avatar_url", "https://avatars.githubusercontent.com/u/4242?v=4"},
                     {"url", "https://api.github.com/users/risksync-bot"},
                     {"html_url", "https://github.com/risksync-bot"},
                     {"type", "User"},
                     {"site_admin", false}};
  return {{"url", api},
          {"repository_url", "https://api.github.com/repos/owner/repo"},
          {"labels_url", api + "/labels{/name}"},
          {"comments_url", api + "/comments"},
          {"events_url", api + "/events"},
          {"html_url", item.url},
          {"id", std::stoll(item.id)},
          {"node_id", "I_kwDOfake" + item.id},
          {"number", std::stoll(item.number)},
          {"title", item.title},
          {"user", user},
          {"labels", labels},
          {"state", is_closed(item.state) ? "closed" : "open"},
          {"locked", false},
          {"assignee", nullptr},
          {"assignees", json::array()},
          {"milestone", nullptr},
          {"comments", 0},
          {"created_at", item.created_at},
          {"updated_at", item.created_at},
          {"closed_at", nullptr},
          {"author_association", "OWNER"},
          {"sub_issues_summary", {{"total", 0}, {"completed", 0}, {"percent_completed", 0}}},
          {"parent_issue_url",
           parent_number.empty() ? json(nullptr) : json(issue_api_url(parent_number))},
          {"body", item.body},
          {"reactions",
           {{"url", api + "/reactions"},
            {"total_count", 0},
            {"+1", 0},
            {"-1", 0},
            {"laugh", 0},
            {"hooray", 0},
            {"confused", 0},
            {"heart", 0},
            {"rocket", 0},
            {"eyes", 0}}},
          {"timeline_url", api + "/timeline"},
          {"performed_via_github_app", nullptr},
          {"state_reason", nullptr}};
}

std::string listing_page_path(const std::string& dir, std::size_t page) {
  return dir + "/listing-" + std::to_string(page) + ".json";
}

// One read(2) into a string sized from fstat: about what receiving the page costs, without
// the stream machinery of testing::read_file.
std::string read_whole_file(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || fstat(fd, &st) != 0) fail("cannot read " + path);
  std::string out(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t got = read(fd, out.data() + done, out.size() - done);
    if (got <= 0) fail("cannot read " + path);
    done += static_cast<std::size_t>(got);
  }
  close(fd);
  return out;
}

// Answers GitHubTracker's listing with the pages prepare() wrote, one file read per page
// requested (as each page would arrive from the network), with GitHub's Link header and an
// ETag per page: a request that names it (If-None-Match, from a listing cache) is answered 304
// with no body, as GitHub answers for a listing that did not change. An empty listing is one
// page `[]`. Any other request stops the benchmark: a no-change sync writes nothing.
class ListingFiles final : public net::HttpTransport {
 public:
  ListingFiles(std::string dir, bool empty) : dir_(std::move(dir)), empty_(empty) {}

  Result<net::HttpResponse> send(const net::HttpRequest& request) override {
    if (request.method != "GET" || request.path_and_query.find("/issues") == std::string::npos)
      fail("unexpected request " + request.method + " " + request.path_and_query);
    const std::size_t page = page_of(request.path_and_query);
    net::HttpResponse response;
    response.status = 200;
    if (empty_) {
      response.body = "[]";
      return response;
    }
    const std::string etag = "W/\"page-" + std::to_string(page) + "\"";
    response.headers.emplace("ETag", etag);
    if (std::filesystem::exists(listing_page_path(dir_, page + 1)))
      response.headers.emplace("Link", "<https://api.github.com/repositories/1/issues?page=" +
                                           std::to_string(page + 1) + ">; rel=\"next\"");
    const auto asked = request.headers.find("If-None-Match");
    if (asked != request.headers.end() && asked->second == etag) {
      response.status = 304;
      ++not_modified_;
      return response;
    }
    response.body = read_whole_file(listing_page_path(dir_, page));
    return response;
  }

  // The first request has no `page` parameter; the next ones follow the Link header.
  static std::size_t page_of(const std::string& path_and_query) {
    auto at = path_and_query.find("?page=");
    if (at == std::string::npos) at = path_and_query.find("&page=");
    return at == std::string::npos ? 1 : std::stoul(path_and_query.substr(at + 6));
  }

  std::size_t not_modified() const { return not_modified_; }

 private:
  std::string dir_;
  bool empty_;
  std::size_t not_modified_ = 0;
};

std::string listing_cache_path(const std::string& dir) {
  return dir + "/state/listing.json";
}

// The set-up of one size: the analysis text, and the listing pages of a converged tracker.
int prepare(int stories, const std::string& dir) {
  const std::string text = testing::big_analysis_markdown(stories);
  std::FILE* f = std::fopen((dir + "/big.md").c_str(), "wb");
  if (f == nullptr || std::fwrite(text.data(), 1, text.size(), f) != text.size() ||
      std::fclose(f) != 0)
    fail("cannot write " + dir + "/big.md");

  Work w;
  auto catalog = parse_catalog(
      testing::read_file(std::string(RISKSYNC_SOURCE_DIR) + "/config/catalogs/segur.tsv"),
      "segur.tsv");
  if (!catalog) fail("catalog: " + catalog.error().to_string());
  w.catalog = std::move(*catalog);
  w.options.catalog = &w.catalog;
  w.options.max_bytes = 64u << 20;
  w.text = text;
  testing::MemoryTracker tracker = make_tracker();
  const Inputs in = sync_inputs(parse_or_fail(w));
  fill(tracker, in.analysis);
  // The dashboard as the converged sync published it, in a folder wiki.
  auto converged = run_sync(in.analysis, in.grid, tracker, sync_options(), false, nullptr);
  if (!converged) fail("plan: " + converged.error().to_string());
  FolderWiki wiki(dir + "/wiki");
  if (auto pub = publish_report(in, *converged, wiki, fixed_env(), /*with_html=*/true); !pub)
    fail("publish: " + pub.error().to_string());

  std::map<std::string, std::string> number_of_id;
  for (const auto& item : tracker.items) number_of_id[item.id] = item.number;
  const std::size_t pages =
      std::max<std::size_t>(1, (tracker.items.size() + kPerPage - 1) / kPerPage);
  for (std::size_t p = 0; p < pages; ++p) {
    nlohmann::json page = nlohmann::json::array();
    for (std::size_t i = p * kPerPage; i < std::min(tracker.items.size(), (p + 1) * kPerPage);
         ++i) {
      const RemoteItem& item = tracker.items[i];
      const std::string parent =
          item.parent.known == ParentRef::Known::item ? number_of_id.at(item.parent.id) : "";
      page.push_back(github_issue(item, parent));
    }
    const std::string body = page.dump();
    std::FILE* out = std::fopen(listing_page_path(dir, p + 1).c_str(), "wb");
    if (out == nullptr || std::fwrite(body.data(), 1, body.size(), out) != body.size() ||
        std::fclose(out) != 0)
      fail("cannot write a listing page in " + dir);
  }
  // The listing cache that sync left (ETags and bodies of every page), for the cached row.
  ListingFiles transport(dir, /*empty=*/false);
  FileListingCache cache(listing_cache_path(dir));
  github::GitHubTracker lister({kOwner, kRepo, "risksync"}, transport, &cache);
  if (auto listed = lister.list_managed(); !listed) fail("list: " + listed.error().to_string());
  if (auto saved = cache.save(); !saved) fail("cache: " + saved.error().to_string());
  return 0;
}

std::size_t plan_actions(const Analysis& a, Tracker& tracker) {
  auto report = run_sync(a, ZoneGrid::default_grid(), tracker, sync_options(), false, nullptr);
  if (!report) fail("plan: " + report.error().to_string());
  return report->first_plan.actions.size();
}

int run_row(std::string_view row, const std::string& dir) {
  Work w;
  auto catalog = parse_catalog(
      testing::read_file(std::string(RISKSYNC_SOURCE_DIR) + "/config/catalogs/segur.tsv"),
      "segur.tsv");
  if (!catalog) fail("catalog: " + catalog.error().to_string());
  w.catalog = std::move(*catalog);
  w.options.catalog = &w.catalog;
  w.options.max_bytes = 64u << 20;  // the generated documents are measured, not refused
  w.text = testing::read_file(dir + "/big.md");

  ListingFiles transport(dir, /*empty=*/row == "plan-empty");
  github::GitHubTracker tracker({kOwner, kRepo, "risksync"}, transport);

  const double cpu0 = self_cpu_seconds();
  std::size_t result = 0;  // printed, so that nothing is optimised away
  if (row == "validate") {
    result = parse_or_fail(w).measures.size();
  } else if (row == "export") {
    const Analysis a = parse_or_fail(w);
    const Assessment as = assess(a, statuses_from_checkboxes(a), ZoneGrid::default_grid());
    nlohmann::json doc = model_to_json(a, as, StatusSource{});
    doc["actions"] = nlohmann::json::array();
    result = doc.dump(2).size();
  } else if (row == "render") {
    const Analysis a = parse_or_fail(w);
    result = render(a, assess(a, statuses_from_checkboxes(a), ZoneGrid::default_grid()));
  } else if (row == "list-full") {
    auto listed = tracker.list_managed();
    if (!listed) fail("list: " + listed.error().to_string());
    result = listed->size();
  } else if (row == "plan-empty" || row == "plan-full") {
    result = plan_actions(parse_or_fail(w), tracker);
    if (row == "plan-full" && result != 0)
      fail("plan-full: " + std::to_string(result) + " actions on a converged tracker");
  } else if (row == "sync-nochange" || row == "sync-cached") {
    // As `risksync sync` does it (app/sync_job.cpp run_sync_job): the wiki's stamp read first;
    // the listing through the listing cache (sync-cached: the one the previous sync saved, so
    // every page is answered 304 and its cached body parsed; sync-nochange: none, as on a
    // fresh CI runner, so every page comes whole); plan; the cache saved; then publish_report
    // (the folder wiki finds nothing to write).
    const bool cached = row == "sync-cached";
    const std::string cache_file = cached ? listing_cache_path(dir) : dir + "/fresh/listing.json";
    if (!cached) std::filesystem::remove(cache_file);
    const Inputs in = sync_inputs(parse_or_fail(w));
    FileListingCache cache(cache_file);
    github::GitHubTracker synced({kOwner, kRepo, "risksync"}, transport, &cache);
    FolderWiki wiki(dir + "/wiki");
    if (auto shown = wiki.published_stamp(in.config.wiki.page); !shown || !*shown)
      fail("the folder wiki shows no stamped page");
    auto report = run_sync(in.analysis, in.grid, synced, sync_options(), false, nullptr);
    if (!report) fail("plan: " + report.error().to_string());
    if (!report->first_plan.empty())
      fail(std::string(row) +
           ": the plan is not empty: " + report->first_plan.actions.front().summary);
    if (cached != (transport.not_modified() > 0))
      fail(std::string(row) + ": " + std::to_string(transport.not_modified()) + " pages 304");
    if (auto saved = cache.save(); !saved) fail("cache: " + saved.error().to_string());
    auto pub = publish_report(in, *report, wiki, fixed_env(), /*with_html=*/true);
    if (!pub) fail("publish: " + pub.error().to_string());
    if (pub->changed) fail(std::string(row) + ": the published page changed");
    result = report->remote.size();
  } else {
    fail("unknown row " + std::string(row));
  }
  const double work = self_cpu_seconds() - cpu0;
  std::printf("%.6f %zu\n", work, result);
  return 0;
}

// ---- parent: one child per row ----

struct Measured {
  double work_cpu = 0;
  double process_cpu = 0;
  double peak_rss_mib = 0;
};

// Runs this binary with `args`, its stdout captured; fails unless it exits with 0.
std::string run_self(const char* self, const std::vector<std::string>& args, rusage& ru) {
  int fds[2];
  if (pipe(fds) != 0) fail("pipe");
  const pid_t pid = fork();
  if (pid < 0) fail("fork");
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<const char*> argv{self};
    for (const auto& a : args) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    execv(self, const_cast<char* const*>(argv.data()));
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  char buf[256];
  for (ssize_t got; (got = read(fds[0], buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<std::size_t>(got));
  close(fds[0]);
  int status = 0;
  if (wait4(pid, &status, 0, &ru) != pid) fail("wait4");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string line;
    for (const auto& a : args) line += " " + a;
    fail("child" + line + " failed");
  }
  return out;
}

Measured run_child(const char* self, const char* row, const std::string& dir) {
  rusage ru{};
  const std::string out = run_self(self, {"--row", row, "--dir", dir}, ru);
  Measured m;
  m.work_cpu = std::strtod(out.c_str(), nullptr);
  m.process_cpu = cpu_seconds(ru);
  m.peak_rss_mib = static_cast<double>(ru.ru_maxrss) / 1024.0;  // KiB on Linux
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::strcmp(argv[1], "--row") == 0 && std::strcmp(argv[3], "--dir") == 0)
    return run_row(argv[2], argv[4]);
  if (argc == 4 && std::strcmp(argv[1], "--prepare") == 0)
    return prepare(std::atoi(argv[2]), argv[3]);

  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
  if (sizes.empty()) sizes = {1000, 5000};
  for (const int s : sizes)
    if (s < 1) fail("sizes are story counts >= 1");

  // The binary itself, for the children (argv[0] may be relative or a symlink).
  std::array<char, 4096> self{};
  const ssize_t len = readlink("/proc/self/exe", self.data(), self.size() - 1);
  if (len <= 0) fail("readlink /proc/self/exe");

  std::map<std::pair<int, std::string>, Measured> results;
  std::printf("| stories | measures | step | work CPU ms | process CPU ms | peak RSS MiB |\n");
  std::printf("|--:|--:|---|--:|--:|--:|\n");
  for (const int s : sizes) {
    const auto shape = testing::big_analysis_shape(s);
    const testing::TempDir dir;
    if (dir.path().empty()) fail("cannot create a temporary folder");
    rusage setup{};
    run_self(self.data(), {"--prepare", std::to_string(s), dir.path().string()}, setup);
    for (const char* row : kRows) {
      Measured m = run_child(self.data(), row, dir.path().string());
      for (int again = 1; again < kRuns; ++again) {
        const Measured next = run_child(self.data(), row, dir.path().string());
        const double rss = std::max(m.peak_rss_mib, next.peak_rss_mib);
        if (next.work_cpu < m.work_cpu) m = next;
        m.peak_rss_mib = rss;
      }
      results[{s, row}] = m;
      std::printf("| %d | %zu | %s | %.1f | %.1f | %.1f |\n", s, shape.measures, row_title(row),
                  m.work_cpu * 1e3, m.process_cpu * 1e3, m.peak_rss_mib);
      std::fflush(stdout);
    }
  }
  if (sizes.size() >= 2) {
    const int base = sizes.front();
    const int big = sizes.back();
    std::printf("\n| step | work CPU %d / %d | peak RSS %d / %d |\n|---|--:|--:|\n", big, base, big,
                base);
    for (const char* row : kRows) {
      const Measured& a = results[{base, row}];
      const Measured& b = results[{big, row}];
      std::printf("| %s | %.2f | %.2f |\n", row_title(row),
                  a.work_cpu > 0 ? b.work_cpu / a.work_cpu : 0.0,
                  a.peak_rss_mib > 0 ? b.peak_rss_mib / a.peak_rss_mib : 0.0);
    }
  }
  return 0;
}
