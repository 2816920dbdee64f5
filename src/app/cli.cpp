#include "app/cli.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <cxxopts.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "app/connect.h"
#include "app/daemon/daemon.h"
#include "app/dashboard.h"
#include "app/exit_codes.h"
#include "app/file_listing_cache.h"
#include "app/folder_wiki.h"
#include "app/inputs.h"
#include "app/logging.h"
#include "app/sync_job.h"
#include "model/assessment.h"
#include "net/redact.h"
#include "render/model_json.h"
#include "render/page.h"
#include "sync/engine.h"

namespace risksync {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCommandsHelp =
    "usage: risksync <command> [options] [FILE]\n"
    "\n"
    "Keeps a DINUM/ANSSI risk analysis alive: abuser stories and their possible measures,\n"
    "residual likelihood, risk map (cartographie des risques).\n"
    "\n"
    "commands:\n"
    "  validate [FILE]                parse the analysis and report problems\n"
    "  render   [FILE] --out DIR      write the dashboard (markdown page, SVG map, HTML page)\n"
    "  check    [FILE] --fail-on ZONE exit 1 when a residual risk lies in ZONE or worse\n"
    "  export   [FILE] --format json  print the computed model\n"
    "  plan     [FILE]                what a sync would do on the tracker (writes nothing)\n"
    "  sync     [FILE]                one full cycle: validate, list, plan, apply, recompute,\n"
    "                                 publish the dashboard to the wiki\n"
    "  daemon   --config FILE [--config FILE2 ...]\n"
    "                                 sync on a schedule and on webhooks; /healthz, /readyz,\n"
    "                                 /metrics\n"
    "\n"
    "With a tracker configured, render, check and export count the tracker's statuses (read\n"
    "only; --offline: the document's checkboxes); without one, the checkboxes.\n"
    "\n"
    "FILE defaults to `analysis` in the configuration (--config, default ./risksync.toml).\n"
    "Run `risksync <command> --help` for the options of a command.\n"
    "\n"
    "exit codes: 0 ok, 1 check failed, 2 bad input, 3 remote failure, 4 local I/O error,\n"
    "            64 wrong command line, 70 internal error\n";

void print_error(const Error& e) {
  if (log_format() == LogFormat::json) return spdlog::error("{}", e.to_string());
  std::cerr << "risksync: error: " << e.to_string() << "\n";
}
void print_warning(const Error& e) {
  if (log_format() == LogFormat::json) return spdlog::warn("{}", e.to_string());
  std::cerr << "risksync: warning: " << e.to_string() << "\n";
}

// --log-format: sets it; returns false (after saying why) when the value is unknown.
bool apply_log_format(const cxxopts::ParseResult& result) {
  if (!result.count("log-format")) return true;
  const auto format = log_format_from_string(result["log-format"].as<std::string>());
  if (!format) {
    std::cerr << "risksync: --log-format must be text or json\n";
    return false;
  }
  set_log_format(*format);
  return true;
}

void add_common_options(cxxopts::Options& options) {
  // clang-format off
  options.add_options()
    ("c,config", "configuration file (TOML)", cxxopts::value<std::string>())
    ("zones", "zone grid file (TOML), replaces the configured one", cxxopts::value<std::string>())
    ("lang", "language of published pages: fr | en", cxxopts::value<std::string>())
    ("v,verbose", "more logs on stderr")
    ("q,quiet", "only errors on stderr")
    ("h,help", "show this help")
    ("file", "analysis document (markdown)", cxxopts::value<std::string>());
  // clang-format on
  options.parse_positional({"file"});
  options.positional_help("[FILE]");
}

struct Parsed {
  cxxopts::ParseResult result;
  InputRequest request;
};

// Parses the command line of one command. Returns an exit code when the run must stop here
// (help shown or usage error), nothing otherwise.
std::optional<int> parse_command_line(cxxopts::Options& options, int argc, char** argv,
                                      Parsed& out) {
  try {
    out.result = options.parse(argc, argv);
  } catch (const cxxopts::exceptions::exception& e) {
    std::cerr << "risksync: " << e.what() << "\n\n" << options.help() << "\n";
    return kExitUsage;
  }
  if (out.result.count("help")) {
    std::cout << options.help() << "\n";
    return kExitOk;
  }
  auto& r = out.result;
  if (r.count("config")) out.request.config_file = r["config"].as<std::string>();
  if (r.count("file")) out.request.analysis = r["file"].as<std::string>();
  if (r.count("zones")) out.request.zones = r["zones"].as<std::string>();
  if (r.count("lang")) {
    const auto lang = lang_from_string(r["lang"].as<std::string>());
    if (!lang) {
      std::cerr << "risksync: --lang must be fr or en\n";
      return kExitUsage;
    }
    out.request.lang = lang;
  }
  if (r.count("verbose")) spdlog::set_level(spdlog::level::debug);
  if (r.count("quiet")) spdlog::set_level(spdlog::level::err);
  return std::nullopt;
}

// Loads every input; prints warnings and errors. Returns the inputs or an exit code.
std::variant<Inputs, int> load_or_report(const InputRequest& request, bool quiet) {
  InputsOutcome outcome = load_inputs(request);
  if (!outcome.inputs) {
    for (const auto& e : outcome.errors) print_error(e);
    int code = kExitBadInput;
    for (const auto& e : outcome.errors)
      if (e.kind != ErrorKind::bad_input) code = exit_code_for(e);
    return code;
  }
  if (!quiet)
    for (const auto& w : outcome.inputs->warnings) print_warning(w);
  return std::move(*outcome.inputs);
}

// --fail-on ZONE, shared by `check` and `sync`.
void add_fail_on_option(cxxopts::Options& options, const std::string& default_text) {
  options.add_options()("fail-on",
                        "exit 1 when a residual risk lies in ZONE or worse: acceptable | watch "
                        "(à surveiller) | important | unacceptable (inacceptable); " +
                            default_text,
                        cxxopts::value<std::string>());
}

// False (after saying why) when --fail-on names no zone.
bool parse_fail_on(const cxxopts::ParseResult& result, std::optional<Zone>& threshold) {
  if (!result.count("fail-on")) return true;
  threshold = zone_from_string(result["fail-on"].as<std::string>());
  if (threshold) return true;
  std::cerr << "risksync: --fail-on: unknown zone \"" << result["fail-on"].as<std::string>()
            << "\"; expected acceptable, watch, important or unacceptable\n";
  return false;
}

// The gate's verdict on `out`; true when no residual risk lies in `threshold` or worse.
bool print_gate(const Assessment& assessment, Zone threshold, Lang lang, std::ostream& out) {
  const auto failing = stories_at_or_above(assessment, threshold);
  if (failing.empty()) {
    out << "ok: no residual risk in zone \"" << zone_name(threshold, lang) << "\" or worse\n";
    return true;
  }
  out << "FAILED: " << failing.size() << " residual risk(s) in zone \""
      << zone_name(threshold, lang) << "\" or worse:\n";
  for (const auto& id : failing) {
    const StoryAssessment* s = assessment.find_story(id);
    out << "  " << id << "  " << zone_emoji(s->zone_residual) << " "
        << zone_name(s->zone_residual, lang) << " (gravity " << to_int(s->gravity)
        << ", residual likelihood " << to_int(s->residual) << ")\n";
  }
  return false;
}

// --offline / --from-checkboxes, shared by `check`, `render` and `export`.
void add_offline_option(cxxopts::Options& options) {
  options.add_options()("offline",
                        "use the document's checkboxes as statuses, not the tracker's (no "
                        "network, no token)")("from-checkboxes", "same as --offline");
}

bool offline_requested(const cxxopts::ParseResult& result) {
  return result.count("offline") > 0 || result.count("from-checkboxes") > 0;
}

// The configured tracker as a person reads it, without connecting: "github (octo/risks)".
std::string configured_tracker(const Config& config) {
  if (config.tracker.repository.empty()) return config.tracker.kind;
  return config.tracker.kind + " (" + config.tracker.repository + ")";
}

// The statuses `check`, `render` and `export` count: with a tracker configured, the
// tracker's, read through the sync job exactly as `plan` reads them (apply=false, no wiki,
// nothing written but the listing cache); without one, or with --offline, the document's
// checkboxes. Prints the warnings (a checkbox that disagrees with the tracker among them).
// Returns the report, or the exit code after saying why the tracker could not be read.
std::variant<SyncReport, int> read_statuses(const Inputs& in, bool offline, bool quiet) {
  const bool has_tracker = in.config.tracker.kind != "none";
  if (!has_tracker || offline) {
    SyncReport report;
    report.statuses = statuses_from_checkboxes(in.analysis);
    report.assessment = assess(in.analysis, report.statuses, in.grid);
    if (has_tracker) report.status_source = {configured_tracker(in.config), "", true};
    return report;
  }
  SyncJobOptions job;
  job.apply = false;
  job.publish = false;
  SyncJobOutcome outcome = run_sync_job(in, job, Env::process());
  if (outcome.error) {
    print_error(*outcome.error);
    std::cerr << "risksync: the statuses of " << outcome.tracker
              << " could not be read: nothing was computed or written (--offline uses the "
                 "document's checkboxes instead)\n";
    return outcome.exit_code();
  }
  if (!quiet)
    for (const auto& w : outcome.report.warnings) print_warning(w);
  return std::move(outcome.report);
}

// "statuses: read from github (octo/risks) on 2026-12-03 10:00 UTC", or the checkboxes.
std::string describe_status_source(const StatusSource& source) {
  if (source.from_tracker())
    return "statuses: read from " + source.tracker + " on " + source.read_at;
  if (source.offline)
    return "statuses: from the document's checkboxes (--offline: " + source.tracker + " not read)";
  return "statuses: from the document's checkboxes (no tracker configured)";
}

int cmd_validate(int argc, char** argv) {
  cxxopts::Options options("risksync validate", "Parse the analysis and report problems.");
  add_common_options(options);
  Parsed p;
  if (auto code = parse_command_line(options, argc, argv, p)) return *code;
  auto loaded = load_or_report(p.request, p.result.count("quiet") > 0);
  if (auto* code = std::get_if<int>(&loaded)) return *code;
  const Inputs& in = std::get<Inputs>(loaded);
  if (Status st = check_credentials(in.config, Env::process()); !st) {
    print_error(st.error());
    return exit_code_for(st.error());
  }
  std::size_t shared = 0;
  for (const auto& m : in.analysis.measures)
    if (m.stories.size() > 1) ++shared;
  std::cout << in.config.analysis.string() << ": ok: " << in.analysis.stories.size()
            << " abuser stories, " << in.analysis.measures.size() << " possible measures ("
            << shared << " shared), " << in.warnings.size() << " warnings\n";
  if (in.config.tracker.kind != "none") {
    std::cout << "validate is local (no network): it reads no status; check, render and "
                 "export read them from "
              << configured_tracker(in.config) << " (the checkboxes do not count)\n";
  } else {
    std::cout << "validate is local (no network); statuses come from the document's "
                 "checkboxes (no tracker configured)\n";
  }
  return kExitOk;
}

int cmd_render(int argc, char** argv) {
  cxxopts::Options options("risksync render",
                           "Write the dashboard: markdown page, SVG map and HTML page.");
  add_common_options(options);
  options.add_options()("o,out", "output folder (default: wiki.path of the config, else ./out)",
                        cxxopts::value<std::string>());
  add_offline_option(options);
  Parsed p;
  if (auto code = parse_command_line(options, argc, argv, p)) return *code;
  const bool quiet = p.result.count("quiet") > 0;
  auto loaded = load_or_report(p.request, quiet);
  if (auto* code = std::get_if<int>(&loaded)) return *code;
  const Inputs& in = std::get<Inputs>(loaded);

  fs::path out_dir = "out";
  if (p.result.count("out")) {
    out_dir = p.result["out"].as<std::string>();
  } else if (in.config.wiki.kind == "folder" && !in.config.wiki.path.empty()) {
    out_dir = in.config.wiki.path;
  }
  auto read = read_statuses(in, offline_requested(p.result), quiet);
  if (auto* code = std::get_if<int>(&read)) return *code;
  const SyncReport& report = std::get<SyncReport>(read);
  FolderWiki folder(out_dir);
  auto published = publish_report(in, report, folder, Env::process(), /*with_html=*/true);
  if (!published) {
    print_error(published.error());
    return exit_code_for(published.error());
  }
  std::cout << "Dashboard written to " << out_dir.string() << "/"
            << (published->changed ? "" : " (unchanged)") << ":\n";
  std::cout << "  " << published->location << "\n";
  const std::string stem = FolderWiki::file_stem(in.config.wiki.page);
  for (const char* ext : {".svg", ".html"})
    std::cout << "  " << (out_dir / (stem + ext)).string() << "\n";
  std::cout << describe_status_source(report.status_source) << "\n";
  return kExitOk;
}

int cmd_check(int argc, char** argv) {
  cxxopts::Options options(
      "risksync check",
      "Exit 1 when a residual risk lies in ZONE or worse: the gate before the homologation "
      "committee.");
  add_common_options(options);
  add_fail_on_option(options, "default: the grid's lowest blocking zone");
  add_offline_option(options);
  Parsed p;
  if (auto code = parse_command_line(options, argc, argv, p)) return *code;
  std::optional<Zone> threshold;
  if (!parse_fail_on(p.result, threshold)) return kExitUsage;
  const bool quiet = p.result.count("quiet") > 0;
  auto loaded = load_or_report(p.request, quiet);
  if (auto* code = std::get_if<int>(&loaded)) return *code;
  const Inputs& in = std::get<Inputs>(loaded);
  if (!threshold) {
    threshold = in.grid.blocking().empty() ? Zone::unacceptable : *in.grid.blocking().begin();
  }
  auto read = read_statuses(in, offline_requested(p.result), quiet);
  if (auto* code = std::get_if<int>(&read)) return *code;
  const SyncReport& report = std::get<SyncReport>(read);
  std::cout << describe_status_source(report.status_source) << "\n";
  return print_gate(report.assessment, *threshold, in.config.lang, std::cout) ? kExitOk
                                                                              : kExitCheckFailed;
}

int cmd_export(int argc, char** argv) {
  cxxopts::Options options("risksync export", "Print the computed model.");
  add_common_options(options);
  options.add_options()("format", "json", cxxopts::value<std::string>()->default_value("json"));
  add_offline_option(options);
  Parsed p;
  if (auto code = parse_command_line(options, argc, argv, p)) return *code;
  if (p.result["format"].as<std::string>() != "json") {
    std::cerr << "risksync: --format: only json is supported\n";
    return kExitUsage;
  }
  const bool quiet = p.result.count("quiet") > 0;
  auto loaded = load_or_report(p.request, quiet);
  if (auto* code = std::get_if<int>(&loaded)) return *code;
  const Inputs& in = std::get<Inputs>(loaded);
  auto read = read_statuses(in, offline_requested(p.result), quiet);
  if (auto* code = std::get_if<int>(&read)) return *code;
  const SyncReport& report = std::get<SyncReport>(read);
  // The JSON says where the statuses came from; stderr too when --offline set the tracker aside.
  if (!quiet && report.status_source.offline)
    std::cerr << "risksync: " << describe_status_source(report.status_source) << "\n";
  nlohmann::json doc = model_to_json(in.analysis, report.assessment, report.status_source);
  doc["actions"] = nlohmann::json::array();
  std::cout << doc.dump(2) << "\n";
  return kExitOk;
}

nlohmann::json actions_json(const std::vector<Action>& actions,
                            const std::vector<RemoteItem>& remote) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : actions) {
    nlohmann::json j{{"op", to_string(a.op)},
                     {"kind", to_string(a.kind)},
                     {"key", a.key},
                     {"changes", a.changes},
                     {"summary", a.summary}};
    if (a.remote && *a.remote < remote.size()) j["url"] = remote[*a.remote].url;
    out.push_back(std::move(j));
  }
  return out;
}

nlohmann::json results_json(const std::vector<ActionResult>& results) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : results) {
    nlohmann::json j{{"op", to_string(r.action.op)},
                     {"kind", to_string(r.action.kind)},
                     {"key", r.action.key},
                     {"summary", r.action.summary},
                     {"url", r.url},
                     {"ok", !r.error.has_value()},
                     {"attempted", r.attempted}};
    if (r.error) j["error"] = r.error->to_string();
    out.push_back(std::move(j));
  }
  return out;
}

// Progress on a terminal for long runs: "[ 12/300] create M7".
ProgressFn terminal_progress(bool enabled) {
  if (!enabled) return nullptr;
  return [](std::size_t done, std::size_t total, const Action& a) {
    if (total < 10) return;
    if (done >= total) {
      std::cerr << "\r\033[K";
      return;
    }
    std::cerr << "\r\033[K[" << done + 1 << "/" << total << "] " << a.summary << std::flush;
  };
}

int cmd_plan_or_sync(int argc, char** argv, bool apply) {
  cxxopts::Options options(apply ? "risksync sync" : "risksync plan",
                           apply ? "One full cycle: validate, list, plan, apply, recompute, "
                                   "publish the dashboard."
                                 : "Show what a sync would do on the tracker; writes nothing.");
  add_common_options(options);
  options.add_options()("format", "text | json",
                        cxxopts::value<std::string>()->default_value("text"));
  options.add_options()("log-format", "logs on stderr: text | json (one JSON object a line)",
                        cxxopts::value<std::string>());
  if (apply) {
    options.add_options()("no-publish", "do not publish the dashboard to the wiki");
    add_fail_on_option(options, "statuses as the tracker shows them, checked after publishing");
  }
  Parsed p;
  if (auto code = parse_command_line(options, argc, argv, p)) return *code;
  if (!apply_log_format(p.result)) return kExitUsage;
  std::optional<Zone> fail_on;
  if (apply && !parse_fail_on(p.result, fail_on)) return kExitUsage;
  const std::string format = p.result["format"].as<std::string>();
  if (format != "text" && format != "json") {
    std::cerr << "risksync: --format must be text or json\n";
    return kExitUsage;
  }
  const bool json = format == "json";
  const bool quiet = p.result.count("quiet") > 0;

  // 1. Validate every local input: nothing is written anywhere before this passed.
  auto loaded = load_or_report(p.request, quiet);
  if (auto* code = std::get_if<int>(&loaded)) return *code;
  const Inputs& in = std::get<Inputs>(loaded);

  // 2–4. Credentials, connections, tracker (list, plan, apply), publication.
  SyncJobOptions job;
  job.apply = apply;
  job.publish = !p.result.count("no-publish");
  job.progress = terminal_progress(isatty(STDERR_FILENO) && !quiet);
  const SyncJobOutcome outcome = run_sync_job(in, job, Env::process());
  if (outcome.error) {
    print_error(*outcome.error);
    return outcome.exit_code();
  }
  const SyncReport& report = outcome.report;
  for (const auto& w : report.warnings)
    if (!quiet) print_warning(w);
  const auto& published = outcome.published;
  const auto& publish_error = outcome.publish_error;

  // 5. Report. The gate (--fail-on) decides only when the sync itself succeeded.
  const std::size_t failures = report.failures();
  int exit_code = outcome.exit_code();
  std::vector<std::string> gate_failing;
  if (fail_on) {
    gate_failing = stories_at_or_above(report.assessment, *fail_on);
    if (exit_code == kExitOk && !gate_failing.empty()) exit_code = kExitCheckFailed;
  }
  if (json) {
    nlohmann::json doc = model_to_json(in.analysis, report.assessment, report.status_source);
    doc["tracker"] = outcome.tracker;
    doc["actions"] = actions_json(report.first_plan.actions, report.remote);
    if (apply) {
      doc["results"] = results_json(report.results);
      doc["failures"] = failures;
      if (published)
        doc["wiki"] = {{"changed", published->changed}, {"location", published->location}};
      if (publish_error) doc["wiki"] = {{"error", publish_error->to_string()}};
      if (fail_on)
        doc["fail_on"] = {{"zone", to_string(*fail_on)},
                          {"failed", !gate_failing.empty()},
                          {"stories", gate_failing}};
    }
    doc["exit_code"] = exit_code;
    std::cout << doc.dump(2) << "\n";
  } else {
    if (!outcome.has_tracker) {
      std::cout << "tracker: none (statuses from the document's checkboxes)\n";
    } else if (report.first_plan.empty()) {
      std::cout << outcome.tracker << ": up to date, nothing to do\n";
    } else {
      std::cout << outcome.tracker << ": " << report.first_plan.actions.size()
                << (apply ? " action(s):\n" : " action(s) would be applied:\n");
      for (const auto& a : report.first_plan.actions) std::cout << "  " << a.summary << "\n";
    }
    if (apply) {
      for (const auto& r : report.results)
        if (r.error && r.attempted) print_error(Error{r.error->kind, r.error->message, {}, {}});
      std::size_t created = 0, updated = 0, closed = 0, reopened = 0;
      for (const auto& r : report.results) {
        if (r.error) continue;
        created += r.action.op == ActionOp::create;
        updated += r.action.op == ActionOp::update || r.action.op == ActionOp::link_parent ||
                   r.action.op == ActionOp::link_related;
        closed += r.action.op == ActionOp::close;
        reopened += r.action.op == ActionOp::reopen;
      }
      if (outcome.has_tracker)
        std::cout << "sync: " << created << " created, " << updated << " updated, " << closed
                  << " closed, " << reopened << " reopened, " << failures << " failed"
                  << (report.not_attempted() > 0
                          ? ", " + std::to_string(report.not_attempted()) + " not attempted"
                          : std::string())
                  << "\n";
      if (report.stopped_by)
        std::cout << "sync: stopped: " << report.stopped_by->message
                  << "\nsync: the next run resumes with the " << report.not_attempted()
                  << " remaining action(s)\n";
      if (published)
        std::cout << "wiki: " << published->location
                  << (published->changed ? " (updated)" : " (unchanged)") << "\n";
      if (fail_on) (void)print_gate(report.assessment, *fail_on, in.config.lang, std::cout);
    }
  }
  if (publish_error) print_error(*publish_error);
  return exit_code;
}

// `risksync daemon`: SIGTERM/SIGINT end it after the cycle in flight (exit 0), SIGHUP reloads
// the configurations. The signals are blocked in every thread and taken by one thread of their
// own (sigtimedwait), which sets the flags and wakes the loop.
int cmd_daemon(int argc, char** argv) {
  cxxopts::Options options("risksync daemon",
                           "Sync every configured product on its schedule and when a webhook "
                           "says a managed item changed; serve /healthz, /readyz, /metrics.");
  // clang-format off
  options.add_options()
    ("c,config", "configuration file (TOML), once per product",
     cxxopts::value<std::vector<std::string>>())
    ("log-format", "logs on stderr: text | json (one JSON object a line)",
     cxxopts::value<std::string>())
    ("v,verbose", "more logs on stderr")
    ("q,quiet", "only errors on stderr")
    ("h,help", "show this help");
  // clang-format on
  cxxopts::ParseResult result;
  try {
    result = options.parse(argc, argv);
  } catch (const cxxopts::exceptions::exception& e) {
    std::cerr << "risksync: " << e.what() << "\n\n" << options.help() << "\n";
    return kExitUsage;
  }
  if (result.count("help")) {
    std::cout << options.help() << "\n";
    return kExitOk;
  }
  if (!result.unmatched().empty()) {
    std::cerr << "risksync: daemon takes no FILE; give --config FILE\n";
    return kExitUsage;
  }
  if (!result.count("config")) {
    std::cerr << "risksync: daemon needs --config FILE (once per product)\n";
    return kExitUsage;
  }
  if (!apply_log_format(result)) return kExitUsage;
  if (result.count("verbose")) spdlog::set_level(spdlog::level::debug);
  if (result.count("quiet")) spdlog::set_level(spdlog::level::err);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts: all inherit it

  daemon::DaemonOptions daemon_options;
  for (const auto& f : result["config"].as<std::vector<std::string>>())
    daemon_options.config_files.emplace_back(f);
  daemon::Daemon daemon(std::move(daemon_options), Env::process());
  if (Status loaded = daemon.load(); !loaded) {
    print_error(loaded.error());
    return exit_code_for(loaded.error());
  }
  if (auto bound = daemon.start_listener(); !bound) {
    print_error(bound.error());
    return exit_code_for(bound.error());
  }

  std::atomic<bool> stop{false};
  std::atomic<bool> reload{false};
  std::atomic<bool> done{false};
  std::thread signal_thread([&] {
    while (!done) {
      const timespec timeout{0, 200 * 1000 * 1000};
      const int sig = sigtimedwait(&signals, nullptr, &timeout);
      if (sig == SIGTERM || sig == SIGINT) {
        spdlog::info("{}: finishing the cycle in flight, then exiting",
                     sig == SIGTERM ? "SIGTERM" : "SIGINT");
        stop = true;
        daemon.wake();
      } else if (sig == SIGHUP) {
        spdlog::info("SIGHUP: reloading the configurations");
        reload = true;
        daemon.wake();
      }
    }
  });
  const int code = daemon.run(stop, reload);
  done = true;
  signal_thread.join();
  daemon.stop_listener();
  return code;
}

}  // namespace

int run_cli(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("risksync");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("risksync: %l: %v");
  spdlog::set_level(spdlog::level::info);

  if (argc < 2) {
    std::cerr << kCommandsHelp;
    return kExitUsage;
  }
  const std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kCommandsHelp;
    return kExitOk;
  }
  if (command == "--version") {
    std::cout << "risksync " << RISKSYNC_VERSION << "\n";
    return kExitOk;
  }
  // Each command parses the arguments after its name.
  const int sub_argc = argc - 1;
  char** sub_argv = argv + 1;
  try {
    if (command == "validate") return cmd_validate(sub_argc, sub_argv);
    if (command == "render") return cmd_render(sub_argc, sub_argv);
    if (command == "check") return cmd_check(sub_argc, sub_argv);
    if (command == "export") return cmd_export(sub_argc, sub_argv);
    if (command == "plan") return cmd_plan_or_sync(sub_argc, sub_argv, /*apply=*/false);
    if (command == "sync") return cmd_plan_or_sync(sub_argc, sub_argv, /*apply=*/true);
    if (command == "daemon") return cmd_daemon(sub_argc, sub_argv);
  } catch (const std::exception& e) {
    std::cerr << "risksync: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  std::cerr << "risksync: unknown command \"" << command << "\"\n\n" << kCommandsHelp;
  return kExitUsage;
}

}  // namespace risksync
