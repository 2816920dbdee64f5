#include "app/connect.h"

#include <cstdlib>

#include "app/file_listing_cache.h"
#include "app/folder_wiki.h"
#include "app/inputs.h"
#include "app/registry.h"
#include "connectors/confluence/confluence_connector.h"
#include "connectors/confluence/confluence_wiki.h"
#include "connectors/github/git_wiki.h"
#include "connectors/github/github_connector.h"
#include "connectors/github/github_contents.h"
#include "connectors/github/github_tracker.h"
#include "connectors/gitlab/gitlab_connector.h"
#include "connectors/gitlab/gitlab_tracker.h"
#include "connectors/gitlab/gitlab_wiki.h"
#include "net/http_client.h"
#include "net/proxy.h"

namespace risksync {

namespace fs = std::filesystem;

Connections::Connections() = default;
Connections::~Connections() = default;
Connections::Connections(Connections&&) noexcept = default;
Connections& Connections::operator=(Connections&&) noexcept = default;

namespace {

std::string env_or_empty(const Env& env, const std::string& name) {
  return env.get_or_empty(name);
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

Result<std::string> load_token(const TrackerConfig& tc, const Env& env) {
  const SourceLocation where{tc.config_file, tc.line};
  Error missing = bad_input("", where, "tracker.token_env");
  if (!tc.token_file.empty()) {
    auto text = read_text_file(tc.token_file);
    if (!text) {
      missing.field = "tracker.token_file";
      missing.message = "cannot read the token file " + tc.token_file.string();
      return missing;
    }
    std::string token = trim(*text);
    if (token.empty()) {
      missing.field = "tracker.token_file";
      missing.message = "the token file " + tc.token_file.string() + " is empty";
      return missing;
    }
    return token;
  }
  std::vector<std::string> names;
  if (!tc.token_env.empty()) {
    names.push_back(tc.token_env);
  } else if (const ConnectorEntry* entry = find_connector(ConnectorRole::tracker, tc.kind)) {
    names.assign(entry->token_variables.begin(), entry->token_variables.end());
  }
  for (const auto& n : names) {
    std::string v = trim(env_or_empty(env, n));
    if (!v.empty()) return v;
  }
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : " or ") + n;
  missing.message = "no token for the " + tc.kind + " tracker: set " +
                    (list.empty() ? std::string("token_env") : list) +
                    ", or token_env / token_file in [tracker]";
  return missing;
}

std::string host_of(const std::string& url) {
  auto u = net::parse_url(url);
  return u ? u->host : std::string{};
}

Result<net::HttpClientOptions> client_options(const std::string& base_url, const TrackerConfig& tc,
                                              const Env& env) {
  net::HttpClientOptions o;
  o.base_url = base_url;
  o.ca_bundle_path = tc.ca_bundle.string();
  o.connect_timeout = std::chrono::seconds(std::min(tc.timeout_s, 30));
  o.read_timeout = std::chrono::seconds(tc.timeout_s);
  o.write_timeout = std::chrono::seconds(tc.timeout_s);
  std::string proxy = tc.proxy;
  if (proxy.empty()) proxy = env_or_empty(env, "HTTPS_PROXY");
  if (proxy.empty()) proxy = env_or_empty(env, "https_proxy");
  std::string no_proxy = env_or_empty(env, "NO_PROXY");
  if (no_proxy.empty()) no_proxy = env_or_empty(env, "no_proxy");
  auto p = net::proxy_from_env(proxy, no_proxy, host_of(base_url));
  if (!p) return p.error();
  o.proxy = *p;
  return o;
}

std::string sanitize_for_path(const std::string& s) {
  std::string out;
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    out += ok ? c : '_';
  }
  return out;
}

struct OwnerAndRepo {
  std::string owner;
  std::string repo;
};

Result<OwnerAndRepo> split_repository(const Config& config) {
  const std::string& repository = config.tracker.repository;
  const auto slash = repository.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == repository.size() ||
      repository.find('/', slash + 1) != std::string::npos) {
    return bad_input("expected owner/name, got \"" + repository + "\"",
                     SourceLocation{config.file.string(), 0}, "tracker.repository");
  }
  return OwnerAndRepo{repository.substr(0, slash), repository.substr(slash + 1)};
}

// An HTTP client for the GitHub REST API of the tracker's configuration (base URL, proxy,
// CA bundle, timeouts, write pacing), authenticated with `token`.
Result<std::unique_ptr<net::HttpClient>> github_client(const TrackerConfig& tc,
                                                       const std::string& token, const Env& env) {
  const std::string base = github::github_api_base(tc.api_url);
  auto options = client_options(base, tc, env);
  if (!options) return options.error();
  options->default_headers = github::github_default_headers(token);
  const bool public_github = host_of(base) == "api.github.com";
  options->min_write_interval = tc.write_interval_ms >= 0
                                    ? std::chrono::milliseconds(tc.write_interval_ms)
                                    : github::default_write_interval(public_github);
  return net::HttpClient::create(*options, env.net_deps("github"));
}

Result<std::unique_ptr<Tracker>> github_tracker(const Config& config, const Env& env,
                                                Connections& out) {
  const TrackerConfig& tc = config.tracker;
  auto repository = split_repository(config);
  if (!repository) return repository.error();
  auto token = load_token(tc, env);
  if (!token) return token.error();
  out.secret = *token;

  auto client = github_client(tc, *token, env);
  if (!client) return client.error();
  out.tracker_http = std::move(*client);

  auto cache = std::make_unique<FileListingCache>(state_dir_for(config, env) / "listing.json");
  out.listing_cache = std::move(cache);
  github::GitHubTrackerOptions go;
  go.owner = repository->owner;
  go.repo = repository->repo;
  if (!tc.create_api.empty())
    go.create_api = tc.create_api == "rest" ? github::CreateApi::rest : github::CreateApi::graphql;
  go.graphql_url = github::github_graphql_url(tc.api_url);
  return std::unique_ptr<Tracker>(std::make_unique<github::GitHubTracker>(
      go, *out.tracker_http, out.listing_cache.get(), &out.tracker_http->redactor()));
}

// GitLab: the project by path (group/sub/project) or numeric id, PRIVATE-TOKEN, GraphQL beside
// the REST base, creation paced below GitLab.com's 200 issues a minute.
Result<std::unique_ptr<Tracker>> gitlab_tracker(const Config& config, const Env& env,
                                                Connections& out) {
  const TrackerConfig& tc = config.tracker;
  const std::string& project = tc.repository;
  if (project.empty() || project.front() == '/' || project.back() == '/' ||
      project.find("//") != std::string::npos)
    return bad_input(
        "expected group/project (or group/sub/project, or the numeric project id), "
        "got \"" +
            project + "\"",
        SourceLocation{config.file.string(), 0}, "tracker.repository");
  auto token = load_token(tc, env);
  if (!token) return token.error();
  out.secret = *token;
  const std::string base = gitlab::gitlab_api_base(tc.api_url);
  auto options = client_options(base, tc, env);
  if (!options) return options.error();
  options->default_headers = gitlab::gitlab_default_headers(*token);
  options->min_write_interval = tc.write_interval_ms >= 0
                                    ? std::chrono::milliseconds(tc.write_interval_ms)
                                    : gitlab::default_write_interval(host_of(base) == "gitlab.com");
  // After a 429 with Retry-After, GitHub's policy (one write per 7.2 s: 500 an hour) would make
  // a first GitLab sync crawl; GitLab.com allows 200 issues and 60 notes a minute: one a second.
  net::WritePacingPolicy pacing;
  pacing.slowed_write_interval = gitlab::kSlowedWriteInterval;
  options->write_pacer = std::make_shared<net::WritePacer>(pacing);
  auto client = net::HttpClient::create(*options, env.net_deps("gitlab"));
  if (!client) return client.error();
  out.tracker_http = std::move(*client);
  out.listing_cache =
      std::make_unique<FileListingCache>(state_dir_for(config, env) / "listing.json");
  gitlab::GitLabTrackerOptions go;
  go.project = project;
  if (!tc.drop_labels.empty()) go.drop_labels = tc.drop_labels;
  go.graphql_url = gitlab::gitlab_graphql_url(base);
  return std::unique_ptr<Tracker>(std::make_unique<gitlab::GitLabTracker>(
      go, *out.tracker_http, out.listing_cache.get(), &out.tracker_http->redactor()));
}

// Confluence's credentials: the token (wiki.token_file, else wiki.token_env, else
// CONFLUENCE_TOKEN) and, on Cloud, the account's e-mail (wiki.email_env, else CONFLUENCE_EMAIL).
struct ConfluenceCredentials {
  std::string email;
  std::string token;
};

Result<ConfluenceCredentials> load_confluence_credentials(const Config& config, const Env& env) {
  const WikiConfig& wc = config.wiki;
  const SourceLocation where{config.file.string(), wc.line};
  ConfluenceCredentials out;
  if (!wc.token_file.empty()) {
    auto text = read_text_file(wc.token_file);
    if (!text)
      return bad_input("cannot read the token file " + wc.token_file.string(), where,
                       "wiki.token_file");
    out.token = trim(*text);
    if (out.token.empty())
      return bad_input("the token file " + wc.token_file.string() + " is empty", where,
                       "wiki.token_file");
  } else {
    std::vector<std::string> names;
    if (!wc.token_env.empty()) {
      names.push_back(wc.token_env);
    } else {
      names.assign(confluence::kTokenVariables.begin(), confluence::kTokenVariables.end());
    }
    for (const auto& n : names) {
      out.token = trim(env_or_empty(env, n));
      if (!out.token.empty()) break;
    }
    if (out.token.empty())
      return bad_input("no token for the confluence wiki: set " + names.front() +
                           ", or token_env / token_file in [wiki]",
                       where, "wiki.token_env");
  }
  if (wc.flavor == "cloud") {
    const std::string name =
        wc.email_env.empty() ? std::string(confluence::kEmailVariables.front()) : wc.email_env;
    out.email = trim(env_or_empty(env, name));
    if (out.email.empty())
      return bad_input("no e-mail for Confluence Cloud (Basic auth is e-mail:API token): set " +
                           name + ", or email_env in [wiki]",
                       where, "wiki.email_env");
  }
  return out;
}

Result<std::unique_ptr<Wiki>> confluence_wiki(const Config& config, const Env& env,
                                              Connections& out) {
  const WikiConfig& wc = config.wiki;
  auto credentials = load_confluence_credentials(config, env);
  if (!credentials) return credentials.error();
  out.wiki_secret = credentials->token;
  const confluence::Flavor flavor =
      wc.flavor == "cloud" ? confluence::Flavor::cloud : confluence::Flavor::data_center;
  const std::string base = confluence::confluence_api_base(flavor, wc.api_url);
  TrackerConfig transport_settings;  // timeouts and proxy as a tracker's, the wiki's CA bundle
  transport_settings.ca_bundle = wc.ca_bundle;
  auto options = client_options(base, transport_settings, env);
  if (!options) return options.error();
  options->default_headers =
      confluence::confluence_default_headers(flavor, credentials->email, credentials->token);
  options->min_write_interval = std::chrono::milliseconds(0);
  auto client = net::HttpClient::create(*options, env.net_deps("confluence"));
  if (!client) return client.error();
  out.wiki_http = std::move(*client);
  confluence::ConfluenceWikiOptions o;
  o.flavor = flavor;
  o.space = wc.space;
  o.parent_page = wc.parent_page;
  o.site_url = base;
  o.token_field = wc.token_file.empty() ? "wiki.token_env" : "wiki.token_file";
  return std::unique_ptr<Wiki>(std::make_unique<confluence::ConfluenceWiki>(
      std::move(o), *out.wiki_http, &out.wiki_http->redactor()));
}

// https://api.github.com -> https://github.com; https://HOST/api/v3 -> https://HOST
std::string github_web_base(const std::string& api_url) {
  const std::string base = github::github_api_base(api_url);
  auto u = net::parse_url(base);
  if (!u || u->host == "api.github.com") return "https://github.com";
  return u->origin();
}

Result<std::unique_ptr<Wiki>> make_wiki(const Config& config, const Env& env, Connections& out) {
  const WikiConfig& wc = config.wiki;
  if (wc.kind == "folder") {
    const fs::path folder = wc.path.empty() ? fs::path("out") : wc.path;
    return std::unique_ptr<Wiki>(std::make_unique<FolderWiki>(folder));
  }
  if (wc.kind == "github-wiki") {
    github::GitWikiOptions o;
    o.git_url = wc.git_url;
    if (o.git_url.empty()) {  // parse_config made sure the tracker is a github repository
      o.git_url =
          github_web_base(config.tracker.api_url) + "/" + config.tracker.repository + ".wiki.git";
    }
    if (out.secret.empty() && o.git_url.starts_with("https://")) {
      auto token = load_token(config.tracker, env);
      if (token) out.secret = *token;
    }
    o.token = out.secret;
    o.cache_dir = wc.cache_dir.empty() ? state_dir_for(config, env) / "wiki" : wc.cache_dir;
    o.branch = wc.branch;
    o.environment = env.environment();
    o.now = env.now;
    o.sleep = env.sleep;
    auto wiki = github::GitWiki::create(std::move(o));
    if (!wiki) return wiki.error();
    return std::unique_ptr<Wiki>(std::move(*wiki));
  }
  if (wc.kind == "github-contents") {
    // parse_config made sure of a github tracker repository and a path.
    auto repository = split_repository(config);
    if (!repository) return repository.error();
    if (out.secret.empty()) {
      auto token = load_token(config.tracker, env);
      if (!token) return token.error();
      out.secret = *token;
    }
    auto client = github_client(config.tracker, out.secret, env);
    if (!client) return client.error();
    out.wiki_http = std::move(*client);
    github::GitHubContentsOptions o;
    o.owner = repository->owner;
    o.repo = repository->repo;
    o.path = wc.path.generic_string();
    o.branch = wc.branch;
    return std::unique_ptr<Wiki>(std::make_unique<github::GitHubContentsPublisher>(
        std::move(o), *out.wiki_http, &out.wiki_http->redactor()));
  }
  if (wc.kind == "gitlab-wiki") {
    // parse_config made sure the tracker is a gitlab project: its client (token, base URL,
    // pacing) serves the wiki too.
    if (out.tracker_http == nullptr)
      return bad_input("gitlab-wiki needs a gitlab tracker",
                       SourceLocation{config.file.string(), 0}, "tracker.kind");
    gitlab::GitLabWikiOptions o;
    o.project = config.tracker.repository;
    return std::unique_ptr<Wiki>(std::make_unique<gitlab::GitLabWiki>(
        std::move(o), *out.tracker_http, &out.tracker_http->redactor()));
  }
  if (wc.kind == "confluence") return confluence_wiki(config, env, out);
  return bad_input(
      "wiki kind \"" + wc.kind +
          "\" is not available in this version; use folder, github-wiki or github-contents",
      SourceLocation{config.file.string(), 0}, "wiki.kind");
}

}  // namespace

Status check_credentials(const Config& config, const Env& env) {
  if (config.wiki.kind == "confluence") {
    auto credentials = load_confluence_credentials(config, env);
    if (!credentials) return credentials.error();
  }
  if (config.tracker.kind == "none") return ok_status();
  auto token = load_token(config.tracker, env);
  if (!token) return token.error();
  return ok_status();
}

fs::path state_dir_for(const Config& config, const Env& env) {
  // One folder per tracker repository, or per analysis document without a tracker.
  std::error_code ec;
  const std::string sub =
      config.tracker.repository.empty()
          ? sanitize_for_path(config.tracker.kind + "-" +
                              text_fingerprint(fs::absolute(config.analysis, ec).string()))
          : sanitize_for_path(config.tracker.kind + "-" + config.tracker.repository);
  if (!config.state_dir.empty()) return config.state_dir / sub;
  std::string base = env_or_empty(env, "XDG_CACHE_HOME");
  if (base.empty()) {
    const std::string home = env_or_empty(env, "HOME");
    base = home.empty() ? std::string(".risksync-cache") : home + "/.cache";
  }
  return fs::path(base) / "risksync" / sub;
}

Result<Connections> connect(const Config& config, const Env& env) {
  Connections out;
  const std::string& kind = config.tracker.kind;
  if (kind == "github") {
    auto tracker = github_tracker(config, env, out);
    if (!tracker) return tracker.error();
    out.tracker = std::move(*tracker);
  } else if (kind == "gitlab") {
    auto tracker = gitlab_tracker(config, env, out);
    if (!tracker) return tracker.error();
    out.tracker = std::move(*tracker);
  } else if (kind != "none") {
    return bad_input("tracker kind \"" + kind +
                         "\" is not available in this version; use github, gitlab or none",
                     SourceLocation{config.file.string(), 0}, "tracker.kind");
  }
  auto wiki = make_wiki(config, env, out);
  if (!wiki) return wiki.error();
  out.wiki = std::move(*wiki);
  return out;
}

}  // namespace risksync
