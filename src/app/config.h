// The configuration file (docs/DESIGN.md §9): a contract with scripts and CI templates. Names are
// extended, never renamed.
//
// Contract:
//  - `parse_config` is pure: it reads no file and no environment. Relative paths are resolved
//    against `base_dir` (the folder of the configuration file).
//  - Unknown keys, wrong types and invalid values are bad_input errors naming file, line, key.
//  - Secrets are not in this struct: only the *name* of the variable (token_env) or the path of
//    the file (token_file) that holds the token.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/scales.h"
#include "util/result.h"

namespace risksync {

struct TrackerConfig {
  std::string kind = "none";  // github | gitlab | jira | none (status from checkboxes)
  std::string repository;     // github owner/name; gitlab group/project; jira project key
  std::string api_url;        // empty = the platform's public default
  std::string token_env;      // name of the variable holding the token
  std::filesystem::path token_file;
  // Status mapping (docs/DESIGN.md §2, issue 3): an open issue carrying this label is in progress
  // (assignment also counts); a closed-completed measure counts as done only with done_label.
  std::string in_progress_label = "en cours";
  std::string done_label;  // e.g. "vérifiée"; empty = closing as completed is enough
  // gitlab: labels that make a closed issue dropped; empty = the connector's defaults
  // (abandonnée, wontfix). The first is added when risksync closes a removed item.
  std::vector<std::string> drop_labels;
  // Minimum delay between two writes, in milliseconds; -1 = platform default (1000 on
  // github.com, 0 on GHES).
  int write_interval_ms = -1;
  std::filesystem::path ca_bundle;  // PEM bundle; empty = system store
  std::string proxy;                // overrides HTTPS_PROXY when set
  int timeout_s = 30;
  // github: "graphql" | "rest" (how issues are created); empty = the connector's default.
  std::string create_api;
  // jira (connectors/jira/jira_connector.h): flavor cloud | data-center (empty = cloud); the
  // variable holding the Cloud account's e-mail (empty = JIRA_EMAIL); issue types, link type
  // and drop resolutions (empty = the connector's defaults); static values of fields the
  // project requires, per issue type name: [tracker.fields.<type>] <field id> = <value>, kept
  // as JSON text.
  std::string flavor;
  std::string email_env;
  std::string story_type;
  std::string subtask_type;
  std::string link_type;
  std::vector<std::string> drop_resolutions;
  std::map<std::string, std::map<std::string, std::string>> fields;
  // Where the [tracker] table was written (messages about its keys).
  std::string config_file;
  int line = 0;
};

struct WikiConfig {
  std::string kind = "folder";  // github-wiki | github-contents | gitlab-wiki | confluence | folder
  std::string page = "Cartographie des risques";
  std::string git_url;              // github-wiki: any git URL, file:// included
  std::filesystem::path path;       // folder: output folder; github-contents: file in the repo
  std::string branch;               // github-contents: target branch (default branch if empty)
  std::filesystem::path cache_dir;  // github-wiki: where the clone is kept
  // confluence (connectors/confluence/confluence_connector.h): flavor cloud | data-center,
  // api_url (the site; Cloud: …/wiki), space key, parent page title, the e-mail's variable
  // (cloud), the token's variable or file, a CA bundle.
  std::string flavor = "cloud";
  std::string api_url;
  std::string space;
  std::string parent_page;
  std::string email_env;
  std::string token_env;
  std::filesystem::path token_file;
  std::filesystem::path ca_bundle;
  // Where the [wiki] table was written (messages about its keys).
  int line = 0;
};

// Where a webhook secret is read from: the variable `env` names, else the file `file`. Never the
// secret itself. Both empty = not configured.
struct SecretSource {
  std::string env;
  std::filesystem::path file;
  bool configured() const { return !env.empty() || !file.empty(); }
};

// [daemon] (docs/DESIGN.md §9): `risksync daemon --config FILE [--config FILE2 …]`.
//  - interval: between periodic cycles, "30s", "15m", "1h" (an integer and one unit; at least 10 s,
//    at most 24 h). jitter: the most added at random to each wait (same syntax, at most the
//    interval; default a tenth of the interval).
//  - listen: "host:port" of the webhook and health listener (the first config's is used); the
//    host must be an IP literal or "localhost". Default 127.0.0.1:8787: meant to sit behind a
//    reverse proxy.
//  - webhook_secret_env / webhook_secret_file: the secret of every platform's webhooks;
//    github_secret_*, gitlab_secret_* (a token, or the `whsec_…` key of the signed form) and
//    jira_secret_* override it for one platform. The env and file forms of one key are
//    exclusive.
//  - max_body_bytes: larger webhook bodies are refused with 413 (default 1 MiB).
struct DaemonConfig {
  std::chrono::seconds interval{15 * 60};
  std::chrono::seconds jitter{90};
  std::string listen_host = "127.0.0.1";
  int listen_port = 8787;
  SecretSource webhook_secret;
  SecretSource github_secret;
  SecretSource gitlab_secret;
  SecretSource jira_secret;
  std::size_t max_body_bytes = 1024 * 1024;
  int line = 0;  // where [daemon] was written; 0 = absent (defaults)

  // The platform's own secret source when configured, else webhook_secret.
  const SecretSource& secret_for(std::string_view platform) const;
};

// "30s", "15m", "1h" -> seconds; nullopt for anything else (no sign, no fraction, no mix).
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

struct Config {
  std::filesystem::path file;  // the configuration file itself (empty when none)
  std::filesystem::path analysis;
  // The analysis path as the user wrote it (config or command line): shown on pages and in
  // issue bodies, so that they do not depend on the folder risksync runs from.
  std::string analysis_as_written;
  Lang lang = Lang::fr;
  std::filesystem::path zones;                  // empty = built-in default grid
  std::vector<std::filesystem::path> catalogs;  // référentiels that measures may cite
  std::filesystem::path state_dir;              // local cache (ETags...), never required
  // The product's name (daemon: `?product=<name>`, metrics, logs); default the file's stem.
  std::string name;
  TrackerConfig tracker;
  WikiConfig wiki;
  DaemonConfig daemon;
};

Result<Config> parse_config(std::string_view toml_text, std::string_view file_name,
                            const std::filesystem::path& base_dir);

// net::parse_service_url: http:// only for loopback hosts (tests), no credentials in the URL.
Status check_api_url(std::string_view url, std::string_view field, const SourceLocation& where);

}  // namespace risksync
