#include "app/registry.h"

#include "connectors/github/github_connector.h"
#include "connectors/gitlab/gitlab_connector.h"

namespace risksync {

const std::vector<ConnectorEntry>& connector_registry() {
  static const std::vector<ConnectorEntry> entries = {
      {"github", ConnectorRole::tracker, github::kTrackerKeys, github::kTokenVariables},
      {"gitlab", ConnectorRole::tracker, gitlab::kTrackerKeys, gitlab::kTokenVariables},
      // Statuses from the document's checkboxes; status keys still apply.
      {"none", ConnectorRole::tracker, {"in_progress_label", "done_label"}, {}},
      {"github-wiki", ConnectorRole::wiki, github::kGitWikiKeys, github::kTokenVariables},
      {"github-contents", ConnectorRole::wiki, github::kContentsWikiKeys, github::kTokenVariables},
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
