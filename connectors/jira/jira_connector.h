// What the Jira connector owns of the configuration (docs/DESIGN.md §9) and its policy
// defaults. app/registry.cpp lists every connector's entry; app/config.cpp refuses a key the
// chosen kind does not own, and app/connect.cpp applies these defaults. Same file shape as
// connectors/gitlab/gitlab_connector.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace risksync::jira {

// Keys of [tracker] for kind = "jira", beyond `kind`. `repository` is the project key (SEC);
// `fields` is a table of tables: [tracker.fields.<issue type>] <field id> = <value>, the static
// values of fields a project requires on create (README "Jira").
inline const std::vector<std::string_view> kTrackerKeys = {
    "repository", "api_url",    "flavor",       "email_env",         "token_env",
    "token_file", "story_type", "subtask_type", "link_type",         "drop_resolutions",
    "fields",     "ca_bundle",  "proxy",        "write_interval_ms", "timeout_s"};

// Token variable read when the configuration names none (Cloud API token; Data Center personal
// access token), and the account e-mail of Cloud's Basic authentication.
inline const std::vector<std::string_view> kTokenVariables = {"JIRA_API_TOKEN"};
inline constexpr std::string_view kDefaultEmailVariable = "JIRA_EMAIL";

inline constexpr std::string_view kFlavorCloud = "cloud";
inline constexpr std::string_view kFlavorDataCenter = "data-center";

inline constexpr std::string_view kDefaultStoryType = "Story";
// Company-managed projects on both flavours call it "Sub-task" (team-managed Cloud projects:
// "Subtask"); when the project has no type of that name and subtask_type is not configured,
// the project's first sub-task type (createmeta `subtask: true`) is taken.
inline constexpr std::string_view kDefaultSubtaskType = "Sub-task";
inline constexpr std::string_view kDefaultLinkType = "Relates";

// Resolutions that make a done issue dropped (issue 8); "Duplicate" reads as a duplicate. The
// first one the close transition offers is sent when risksync closes an item as not planned.
inline const std::vector<std::string> kDefaultDropResolutions = {
    "Won't Do", "Won't Fix", "Duplicate", "Declined", "Abandonné"};

// Bulk create: at most 50 issues per call (API-NOTES-2026 §2.2; the same on Data Center).
inline constexpr std::size_t kMaxBulkCreate = 50;

}  // namespace risksync::jira
