#include "app/config.h"
#include "net/http.h"

#include "app/registry.h"
#include "connectors/confluence/confluence_connector.h"
#include "connectors/github/github_connector.h"
#include "connectors/jira/jira_connector.h"

#include "sync/wiki.h"

#include <toml++/toml.h>
#include <charconv>
#include <nlohmann/json.hpp>
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

bool is_product_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// "host:port" with an IP literal or localhost; IPv6 in brackets.
bool parse_listen(std::string_view text, std::string& host, int& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view h = text.substr(0, colon);
  const std::string_view p = text.substr(colon + 1);
  if (h.front() == '[') {
    if (h.size() < 3 || h.back() != ']') return false;
    h = h.substr(1, h.size() - 2);
  } else if (h.find(':') != std::string_view::npos) {
    return false;
  }
  int value = 0;
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc{} || end != p.data() + p.size() || value < 0 || value > 65535) return false;
  for (const char c : h) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                    c == '.' || c == ':';
    if (!ok && h != "localhost") return false;
  }
  host = std::string(h);
  port = value;
  return true;
}

// A TOML value as JSON (strings, numbers, booleans, arrays, tables); nullopt for dates.
std::optional<nlohmann::json> toml_to_json(const toml::node& node) {
  if (const auto* s = node.as_string()) return nlohmann::json(s->get());
  if (const auto* i = node.as_integer()) return nlohmann::json(i->get());
  if (const auto* f = node.as_floating_point()) return nlohmann::json(f->get());
  if (const auto* b = node.as_boolean()) return nlohmann::json(b->get());
  if (const auto* a = node.as_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : *a) {
      auto v = toml_to_json(e);
      if (!v) return std::nullopt;
      out.push_back(std::move(*v));
    }
    return out;
  }
  if (const auto* t = node.as_table()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : *t) {
      auto j = toml_to_json(v);
      if (!j) return std::nullopt;
      out[std::string(k.str())] = std::move(*j);
    }
    return out;
  }
  return std::nullopt;
}

// [tracker.fields.<issue type>] <field id> = <value>: static values of required Jira fields.
std::optional<Error> read_static_fields(
    const toml::node& node, std::string_view file_name,
    std::map<std::string, std::map<std::string, std::string>>& out) {
  const toml::table* types = node.as_table();
  if (types == nullptr)
    return bad_input("expected tables [tracker.fields.<issue type>] of field id = value",
                     loc_of(node, file_name), "tracker.fields");
  for (const auto& [type, fields] : *types) {
    const std::string key = "tracker.fields." + std::string(type.str());
    const toml::table* t = fields.as_table();
    if (t == nullptr)
      return bad_input("expected a table of field id = value (e.g. customfield_10042 = \"x\")",
                       loc_of(fields, file_name), key);
    for (const auto& [id, value] : *t) {
      auto j = toml_to_json(value);
      if (!j)
        return bad_input("expected a string, number, boolean, array or table",
                         loc_of(value, file_name), key + "." + std::string(id.str()));
      out[std::string(type.str())][std::string(id.str())] = j->dump();
    }
  }
  return std::nullopt;
}

// Reads [daemon]; the first error names file, line and key.
std::optional<Error> read_daemon_table(const toml::table& t, std::string_view file_name,
                                       const fs::path& base_dir, DaemonConfig& dc) {
  dc.line = loc_of(t, file_name).line;
  TableReader r(t, "daemon.", file_name, base_dir);
  std::string interval, jitter, listen;
  r.string("interval", interval);
  r.string("jitter", jitter);
  r.string("listen", listen);
  const std::pair<const char*, SecretSource*> secrets[] = {{"webhook_secret", &dc.webhook_secret},
                                                           {"github_secret", &dc.github_secret},
                                                           {"gitlab_secret", &dc.gitlab_secret},
                                                           {"jira_secret", &dc.jira_secret}};
  for (const auto& [prefix, source] : secrets) {
    r.string(std::string(prefix) + "_env", source->env);
    r.path(std::string(prefix) + "_file", source->file);
  }
  int max_body = static_cast<int>(dc.max_body_bytes);
  r.integer("max_body_bytes", max_body, 1024, 64 * 1024 * 1024);
  r.reject_unknown();
  if (r.error()) return r.error();
  auto at = [&](std::string_view key) { return loc_of(*t.get(key), file_name); };
  dc.max_body_bytes = static_cast<std::size_t>(max_body);
  if (t.get("interval")) {
    const auto d = parse_duration(interval);
    if (!d || *d < std::chrono::seconds(10) || *d > std::chrono::hours(24))
      return bad_input(
          "expected a duration from \"10s\" to \"24h\" such as \"30s\", \"15m\" or "
          "\"1h\"; got \"" +
              interval + "\"",
          at("interval"), "daemon.interval");
    dc.interval = *d;
  }
  dc.jitter = dc.interval / 10;
  if (t.get("jitter")) {
    const auto d = jitter == "0" ? std::optional(std::chrono::seconds(0)) : parse_duration(jitter);
    if (!d || *d > dc.interval)
      return bad_input(
          "expected a duration such as \"30s\" or \"2m\", at most the interval; got \"" + jitter +
              "\"",
          at("jitter"), "daemon.jitter");
    dc.jitter = *d;
  }
  if (t.get("listen") && !parse_listen(listen, dc.listen_host, dc.listen_port))
    return bad_input(
        "expected host:port with an IP address or localhost, such as "
        "\"127.0.0.1:8787\"; got \"" +
            listen + "\"",
        at("listen"), "daemon.listen");
  for (const auto& [prefix, source] : secrets) {
    if (!source->env.empty() && !source->file.empty())
      return bad_input(
          std::string("give either ") + prefix + "_env or " + prefix + "_file, not both",
          at(std::string(prefix) + "_file"), std::string("daemon.") + prefix + "_file");
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  const char unit = text.back();
  const std::string_view digits = text.substr(0, text.size() - 1);
  long long value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size() || value < 0 ||
      value > 7LL * 24 * 3600)
    return std::nullopt;
  switch (unit) {
    case 's':
      return std::chrono::seconds(value);
    case 'm':
      return std::chrono::seconds(value * 60);
    case 'h':
      return std::chrono::seconds(value * 3600);
    default:
      return std::nullopt;
  }
}

const SecretSource& DaemonConfig::secret_for(std::string_view platform) const {
  const SecretSource* own = platform == "github"   ? &github_secret
                            : platform == "gitlab" ? &gitlab_secret
                            : platform == "jira"   ? &jira_secret
                                                   : nullptr;
  return own != nullptr && own->configured() ? *own : webhook_secret;
}

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
  top.string("name", cfg.name);
  top.reject_unknown({"tracker", "wiki", "daemon"});
  if (top.error()) return *top.error();
  if (const toml::node* n = root.get("name"); n != nullptr && !is_product_name(cfg.name))
    return bad_input("expected 1 to 64 letters, digits, '-', '_' or '.'", loc_of(*n, file_name),
                     "name");
  if (cfg.name.empty()) {
    cfg.name = fs::path(file_name).stem().string();
    if (!is_product_name(cfg.name)) cfg.name = "risksync";
  }

  for (const char* name : {"tracker", "wiki", "daemon"}) {
    const toml::node* n = root.get(name);
    if (n && !n->is_table())
      return bad_input("expected a table [" + std::string(name) + "]", loc_of(*n, file_name), name);
  }
  if (const toml::table* t = root["daemon"].as_table()) {
    if (auto e = read_daemon_table(*t, file_name, base_dir, cfg.daemon)) return *e;
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
    r.string("flavor", tc.flavor);
    r.one_of("flavor", tc.flavor, {jira::kFlavorCloud, jira::kFlavorDataCenter});
    r.string("email_env", tc.email_env);
    r.string("story_type", tc.story_type);
    r.string("subtask_type", tc.subtask_type);
    r.string("link_type", tc.link_type);
    r.string_list("drop_resolutions", tc.drop_resolutions);
    r.reject_unknown({"fields"});
    if (const toml::node* f = t->get("fields"); f != nullptr && !r.error()) {
      if (auto e = read_static_fields(*f, file_name, tc.fields)) return *e;
    }
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
    r.string("flavor", wc.flavor);
    r.one_of("flavor", wc.flavor, confluence::kFlavors);
    r.string("api_url", wc.api_url);
    r.string("space", wc.space);
    r.string("parent_page", wc.parent_page);
    r.string("email_env", wc.email_env);
    r.string("token_env", wc.token_env);
    r.path("token_file", wc.token_file);
    r.path("ca_bundle", wc.ca_bundle);
    wc.line = loc_of(*t, file_name).line;
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
    if (const toml::node* u = t->get("api_url")) {
      if (auto st = check_api_url(wc.api_url, "wiki.api_url", loc_of(*u, file_name)); !st)
        return st.error();
    }
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
