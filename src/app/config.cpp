#include "app/config.h"
#include "net/http.h"

#include "app/registry.h"
#include "connectors/github/github_connector.h"

#include "sync/wiki.h"

#include <toml++/toml.h>
#include <set>

namespace risksync {
namespace {

namespace fs = std::filesystem;

SourceLocation loc_of(const toml::node& node, std::string_view file) {
  return SourceLocation{std::string(file), static_cast<int>(node.source().begin.line)};
}

// Reads the keys of one TOML table into a struct, remembering the first error.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string prefix, std::string_view file,
              fs::path base_dir)
      : table_(table), prefix_(std::move(prefix)), file_(file), base_(std::move(base_dir)) {}

  void string(std::string_view key, std::string& out) {
    seen_.insert(std::string(key));
    const toml::node* n = table_.get(key);
    if (!n) return;
    if (const auto* s = n->as_string()) {
      out = s->get();
    } else {
      fail(*n, key, "expected a string");
    }
  }

  void path(std::string_view key, fs::path& out) {
    std::string s;
    const bool present = table_.get(key) != nullptr;
    string(key, s);
    if (present && !failed()) out = s.empty() ? fs::path{} : (base_ / s).lexically_normal();
  }

  void integer(std::string_view key, int& out, int min, int max) {
    seen_.insert(std::string(key));
    const toml::node* n = table_.get(key);
    if (!n) return;
    const auto* i = n->as_integer();
    if (!i) return fail(*n, key, "expected an integer");
    if (i->get() < min || i->get() > max)
      return fail(*n, key,
                  "must be between " + std::to_string(min) + " and " + std::to_string(max));
    out = static_cast<int>(i->get());
  }

  void path_list(std::string_view key, std::vector<fs::path>& out) {
    seen_.insert(std::string(key));
    const toml::node* n = table_.get(key);
    if (!n) return;
    const auto* arr = n->as_array();
    if (!arr) return fail(*n, key, "expected an array of strings");
    for (const auto& item : *arr) {
      const auto* s = item.as_string();
      if (!s) return fail(item, key, "expected an array of strings");
      out.push_back((base_ / s->get()).lexically_normal());
    }
  }

  void string_list(std::string_view key, std::vector<std::string>& out) {
    seen_.insert(std::string(key));
    const toml::node* n = table_.get(key);
    if (!n) return;
    const auto* arr = n->as_array();
    if (!arr) return fail(*n, key, "expected an array of strings");
    out.clear();
    for (const auto& item : *arr) {
      const auto* s = item.as_string();
      if (!s || s->get().empty()) return fail(item, key, "expected an array of non-empty strings");
      out.push_back(s->get());
    }
  }

  void one_of(std::string_view key, const std::string& value,
              const std::vector<std::string_view>& allowed) {
    if (failed()) return;
    const toml::node* n = table_.get(key);
    if (!n) return;
    for (const auto a : allowed)
      if (a == value) return;
    std::string list;
    for (const auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    fail(*n, key, "unknown value \"" + value + "\"; expected one of: " + list);
  }

  // Unknown keys are errors: a typo must not silently fall back to a default.
  void reject_unknown(std::initializer_list<std::string_view> subtables = {}) {
    for (const auto& [k, v] : table_) {
      const std::string key(k.str());
      bool sub = false;
      for (const auto s : subtables) sub = sub || s == key;
      if (!sub && !seen_.contains(key)) fail(v, key, "unknown key");
    }
  }

  void fail(const toml::node& node, std::string_view key, std::string message) {
    if (error_) return;
    error_ = bad_input(std::move(message), loc_of(node, file_), prefix_ + std::string(key));
  }

  // Keys the chosen kind does not own are errors too: `git_url` under a folder wiki would
  // otherwise be silently ignored.
  void reject_not_owned(const ConnectorEntry& entry, std::string_view table_name) {
    for (const auto& [k, v] : table_) {
      const std::string_view key = k.str();
      if (key == "kind") continue;
      bool owned = false;
      for (const auto o : entry.keys) owned = owned || o == key;
      if (owned) continue;
      std::string list;
      for (const auto o : entry.keys) list += (list.empty() ? "" : ", ") + std::string(o);
      fail(v, key,
           "does not apply to " + std::string(table_name) + " kind \"" + std::string(entry.kind) +
               "\"" + (list.empty() ? std::string() : " (its keys: " + list + ")"));
    }
  }

  bool failed() const { return error_.has_value(); }
  const std::optional<Error>& error() const { return error_; }

 private:
  const toml::table& table_;
  std::string prefix_;
  std::string_view file_;
  fs::path base_;
  std::set<std::string> seen_;
  std::optional<Error> error_;
};

}  // namespace

Status check_api_url(std::string_view url, std::string_view field, const SourceLocation& where) {
  if (url.empty()) return ok_status();
  if (auto checked = net::parse_service_url(url); !checked)
    return bad_input(checked.error().message, where, std::string(field));
  return ok_status();
}

Result<Config> parse_config(std::string_view toml_text, std::string_view file_name,
                            const fs::path& base_dir) {
  toml::table root;
  try {
    root = toml::parse(toml_text, file_name);
  } catch (const toml::parse_error& e) {
    return bad_input(
        std::string(e.description()),
        SourceLocation{std::string(file_name), static_cast<int>(e.source().begin.line)});
  }

  Config cfg;
  cfg.file = fs::path(file_name);
  TableReader top(root, "", file_name, base_dir);
  top.path("analysis", cfg.analysis);
  top.string("analysis", cfg.analysis_as_written);
  std::string lang = "fr";
  top.string("lang", lang);
  top.one_of("lang", lang, {"fr", "en"});
  if (!top.failed()) cfg.lang = lang_from_string(lang).value_or(Lang::fr);
  top.path("zones", cfg.zones);
  top.path_list("catalogs", cfg.catalogs);
  top.path("state_dir", cfg.state_dir);
  top.reject_unknown({"tracker", "wiki"});
  if (top.error()) return *top.error();

  for (const auto& [name, expected] : {std::pair{"tracker", 0}, std::pair{"wiki", 1}}) {
    const toml::node* n = root.get(name);
    if (n && !n->is_table())
      return bad_input("expected a table [" + std::string(name) + "]", loc_of(*n, file_name), name);
    (void)expected;
  }

  if (const toml::table* t = root["tracker"].as_table()) {
    TrackerConfig& tc = cfg.tracker;
    tc.config_file = std::string(file_name);
    tc.line = loc_of(*t, file_name).line;
    TableReader r(*t, "tracker.", file_name, base_dir);
    r.string("kind", tc.kind);
    r.one_of("kind", tc.kind, connector_kinds(ConnectorRole::tracker));
    r.string("repository", tc.repository);
    r.string("api_url", tc.api_url);
    r.string("token_env", tc.token_env);
    r.path("token_file", tc.token_file);
    r.string("in_progress_label", tc.in_progress_label);
    r.string("done_label", tc.done_label);
    r.string_list("drop_labels", tc.drop_labels);
    r.integer("write_interval_ms", tc.write_interval_ms, -1, 600000);
    r.path("ca_bundle", tc.ca_bundle);
    r.string("proxy", tc.proxy);
    r.integer("timeout_s", tc.timeout_s, 1, 600);
    r.string("create_api", tc.create_api);
    r.one_of("create_api", tc.create_api, github::kCreateApiValues);
    r.reject_unknown();
    if (const ConnectorEntry* entry = find_connector(ConnectorRole::tracker, tc.kind))
      r.reject_not_owned(*entry, "tracker");
    if (r.error()) return *r.error();
    if (const toml::node* u = t->get("api_url")) {
      if (auto st = check_api_url(tc.api_url, "tracker.api_url", loc_of(*u, file_name)); !st)
        return st.error();
    }
    if (tc.kind != "none" && tc.repository.empty())
      return bad_input(
          "missing: the tracker needs a repository (owner/name, group/project or "
          "project key)",
          loc_of(*t, file_name), "tracker.repository");
  }

  if (const toml::table* t = root["wiki"].as_table()) {
    WikiConfig& wc = cfg.wiki;
    TableReader r(*t, "wiki.", file_name, base_dir);
    r.string("kind", wc.kind);
    r.one_of("kind", wc.kind, connector_kinds(ConnectorRole::wiki));
    r.string("page", wc.page);
    r.string("git_url", wc.git_url);
    r.string("branch", wc.branch);
    r.path("cache_dir", wc.cache_dir);
    // `path` is a local folder for kind=folder, a path inside the repository otherwise.
    if (wc.kind == "folder") {
      r.path("path", wc.path);
    } else {
      std::string p;
      r.string("path", p);
      wc.path = p;
    }
    r.reject_unknown();
    if (const ConnectorEntry* entry = find_connector(ConnectorRole::wiki, wc.kind))
      r.reject_not_owned(*entry, "wiki");
    if (r.error()) return *r.error();
    if (Status s = check_page_title(wc.page); !s) {
      Error e = s.error();
      const toml::node* page = t->get("page");
      e.where = loc_of(page ? *page : *t, file_name);
      return e;
    }
  }

  // What each chosen connector needs from the whole configuration (app/registry.h): found by
  // `validate`, before any command connects to anything.
  for (const ConnectorEntry* entry : {find_connector(ConnectorRole::tracker, cfg.tracker.kind),
                                      find_connector(ConnectorRole::wiki, cfg.wiki.kind)}) {
    if (entry == nullptr || entry->check == nullptr) continue;
    const std::optional<ConfigProblem> problem = entry->check(cfg);
    if (!problem) continue;
    // The line of the key at fault when it is written, else of its table, else the file.
    const std::string_view key = problem->key;
    const auto dot = key.find('.');
    const toml::node* table = root[key.substr(0, dot)].node();
    const toml::node* node = nullptr;
    if (table != nullptr && table->is_table() && dot != std::string_view::npos)
      node = table->as_table()->get(key.substr(dot + 1));
    const toml::node* at = node != nullptr ? node : table;
    return bad_input(
        problem->message,
        at != nullptr ? loc_of(*at, file_name) : SourceLocation{std::string(file_name), 0},
        std::string(key));
  }
  return cfg;
}

}  // namespace risksync
