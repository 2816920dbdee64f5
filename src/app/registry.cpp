#include "app/registry.h"

#include "app/config.h"
#include "connectors/confluence/confluence_connector.h"
#include "connectors/github/github_connector.h"
#include "connectors/gitlab/gitlab_connector.h"
#include "connectors/jira/jira_connector.h"

namespace risksync {
namespace {

bool is_owner_and_name(std::string_view repository) {
  const auto slash = repository.find('/');
  return slash != std::string_view::npos && slash > 0 && slash + 1 < repository.size() &&
         repository.find('/', slash + 1) == std::string_view::npos;
}

bool has_github_tracker(const Config& c) {
  return c.tracker.kind == "github" && !c.tracker.repository.empty();
}

std::optional<ConfigProblem> check_github_tracker(const Config& c) {
  if (is_owner_and_name(c.tracker.repository)) return std::nullopt;
  return ConfigProblem{"tracker.repository", "expected owner/name for a github repository, got \"" +
                                                 c.tracker.repository + "\""};
}

std::optional<ConfigProblem> check_github_wiki(const Config& c) {
  if (!c.wiki.git_url.empty() || has_github_tracker(c)) return std::nullopt;
  return ConfigProblem{"wiki.git_url",
                       "github-wiki needs git_url (the wiki's git address) unless [tracker] is a "
                       "github repository, whose wiki is then used"};
}

std::optional<ConfigProblem> check_github_contents(const Config& c) {
  if (!has_github_tracker(c))
    return ConfigProblem{"tracker.repository",
                         "github-contents publishes into the github tracker's repository: set "
                         "[tracker] kind = \"github\" and repository = \"owner/name\""};
  if (c.wiki.path.empty())
    return ConfigProblem{"wiki.path",
                         "github-contents needs path, the page's file in the repository (e.g. "
                         "path = \"docs/risques.md\"); its map is written beside it"};
  return std::nullopt;
}

// This version publishes to the wiki of the gitlab tracker's project, with its token
// (repository/api_url/token_env/token_file of its own are not read yet).
std::optional<ConfigProblem> check_gitlab_wiki(const Config& c) {
  if (c.tracker.kind == "gitlab" && !c.tracker.repository.empty()) return std::nullopt;
  return ConfigProblem{"tracker.kind",
                       "gitlab-wiki publishes to the wiki of the gitlab tracker's project: set "
                       "[tracker] kind = \"gitlab\" and repository = \"group/project\""};
}

// Confluence needs its site and its space; the e-mail (Basic auth) only on Cloud.
std::optional<ConfigProblem> check_confluence_wiki(const Config& c) {
  if (c.wiki.api_url.empty())
    return ConfigProblem{"wiki.api_url",
                         "confluence needs api_url: https://<site>.atlassian.net/wiki (cloud) or "
                         "the Data Center's address (flavor = \"data-center\")"};
  if (c.wiki.space.empty())
    return ConfigProblem{"wiki.space",
                         "confluence needs space, the key of the space to publish in"};
  if (c.wiki.flavor != "cloud" && !c.wiki.email_env.empty())
    return ConfigProblem{"wiki.email_env",
                         "email_env applies to flavor = \"cloud\" only (Data Center uses a "
                         "personal access token alone)"};
  return std::nullopt;
}

// A Jira project key: an upper-case letter, then upper-case letters, digits or '_' (2 to 10
// characters by default, up to 255 on sites that allow it).
std::optional<ConfigProblem> check_jira_tracker(const Config& c) {
  const std::string& key = c.tracker.repository;
  bool ok = key.size() >= 2 && key.size() <= 255 && key.front() >= 'A' && key.front() <= 'Z';
  for (const char ch : key)
    ok = ok && ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_');
  if (!ok)
    return ConfigProblem{"tracker.repository",
                         "expected a Jira project key (upper-case letters, digits or '_', "
                         "starting with a letter, e.g. SEC), got \"" +
                             key + "\""};
  if (!c.tracker.flavor.empty() && c.tracker.flavor != jira::kFlavorCloud &&
      c.tracker.flavor != jira::kFlavorDataCenter)
    return ConfigProblem{"tracker.flavor", "expected cloud or data-center"};
  if (c.tracker.flavor == jira::kFlavorDataCenter && !c.tracker.email_env.empty())
    return ConfigProblem{"tracker.email_env",
                         "email_env is for Jira Cloud's Basic authentication; Data Center uses "
                         "the personal access token alone (Bearer)"};
  return std::nullopt;
}

}  // namespace

const std::vector<ConnectorEntry>& connector_registry() {
  static const std::vector<ConnectorEntry> entries = {
      {"github", ConnectorRole::tracker, github::kTrackerKeys, github::kTokenVariables,
       check_github_tracker},
      {"gitlab", ConnectorRole::tracker, gitlab::kTrackerKeys, gitlab::kTokenVariables},
      {"jira", ConnectorRole::tracker, jira::kTrackerKeys, jira::kTokenVariables,
       check_jira_tracker},
      // Statuses from the document's checkboxes; status keys still apply.
      {"none", ConnectorRole::tracker, {"in_progress_label", "done_label"}, {}},
      {"github-wiki", ConnectorRole::wiki, github::kGitWikiKeys, github::kTokenVariables,
       check_github_wiki},
      {"github-contents", ConnectorRole::wiki, github::kContentsWikiKeys, github::kTokenVariables,
       check_github_contents},
      {"gitlab-wiki", ConnectorRole::wiki, {"page"}, gitlab::kTokenVariables, check_gitlab_wiki},
      {"confluence", ConnectorRole::wiki, confluence::kWikiKeys, confluence::kTokenVariables,
       check_confluence_wiki},
      {"folder", ConnectorRole::wiki, {"page", "path"}, {}},
  };
  return entries;
}

const ConnectorEntry* find_connector(ConnectorRole role, std::string_view kind) {
  for (const auto& e : connector_registry())
    if (e.role == role && e.kind == kind) return &e;
  return nullptr;
}

std::vector<std::string_view> connector_kinds(ConnectorRole role) {
  std::vector<std::string_view> out;
  for (const auto& e : connector_registry())
    if (e.role == role) out.push_back(e.kind);
  return out;
}

}  // namespace risksync
