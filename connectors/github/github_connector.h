// What the GitHub connector owns of the configuration (docs/DESIGN.md §9) and its policy
// defaults. app/registry.cpp lists every connector's entry; app/config.cpp refuses a key the
// chosen kind does not own, and app/connect.cpp applies these defaults. Every connector folder
// has the same file: connectors/<platform>/<platform>_connector.h.
#pragma once

#include <chrono>
#include <string_view>
#include <vector>

namespace risksync::github {

// Keys of [tracker] for kind = "github", beyond `kind`.
inline const std::vector<std::string_view> kTrackerKeys = {
    "repository", "api_url", "token_env",         "token_file", "in_progress_label", "done_label",
    "ca_bundle",  "proxy",   "write_interval_ms", "timeout_s",  "create_api"};

// Values of tracker.create_api: how issues are created (GitHubTrackerOptions::create_api).
// "graphql" (the default: one createIssue with parentIssueId per measure) or "rest" (POST
// /issues, then POST …/sub_issues).
inline const std::vector<std::string_view> kCreateApiValues = {"graphql", "rest"};

// Keys of [wiki] for kind = "github-wiki" (a git repository) and "github-contents" (a file of
// the main repository through the Contents API), beyond `kind`.
inline const std::vector<std::string_view> kGitWikiKeys = {"page", "git_url", "branch",
                                                           "cache_dir"};
inline const std::vector<std::string_view> kContentsWikiKeys = {"page", "path", "branch"};

// Token variables read when the configuration names none (GitHub CLI's order).
inline const std::vector<std::string_view> kTokenVariables = {"GH_TOKEN", "GITHUB_TOKEN"};

// Spacing between two writes: GitHub.com asks for at least one second between mutative
// requests (REST best practices, secondary rate limits); a GHES instance sets its own limits.
inline std::chrono::milliseconds default_write_interval(bool public_github) {
  return public_github ? std::chrono::milliseconds(1000) : std::chrono::milliseconds(0);
}

}  // namespace risksync::github
