// What the GitLab connector owns of the configuration (docs/DESIGN.md §9) and its policy
// defaults. app/registry.cpp lists every connector's entry; app/config.cpp refuses a key the
// chosen kind does not own, and app/connect.cpp applies these defaults. Same file shape as
// connectors/github/github_connector.h.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace risksync::gitlab {

// Keys of [tracker] for kind = "gitlab", beyond `kind`. `repository` is the project's path
// ("group/sub/project") or its numeric id.
inline const std::vector<std::string_view> kTrackerKeys = {
    "repository",  "api_url",   "token_env", "token_file",        "in_progress_label", "done_label",
    "drop_labels", "ca_bundle", "proxy",     "write_interval_ms", "timeout_s"};

// Token variable read when the configuration names none; sent as PRIVATE-TOKEN.
inline const std::vector<std::string_view> kTokenVariables = {"GITLAB_TOKEN"};

// Labels that mark a closed issue as dropped (not done); the first one is the label risksync
// adds when it closes an item that left the analysis. `drop_labels` in [tracker] replaces them.
inline const std::vector<std::string> kDefaultDropLabels = {"abandonnée", "wontfix"};

// Spacing between two writes. GitLab.com limits issue creation to 200 per minute and per user
// (API-NOTES-2026 §1.4), not shown in the RateLimit-* headers: 400 ms keeps creation at 150 a
// minute. Self-managed instances had 300 a minute by default (now off by default): 250 ms.
inline std::chrono::milliseconds default_write_interval(bool gitlab_com) {
  return gitlab_com ? std::chrono::milliseconds(400) : std::chrono::milliseconds(250);
}

// Spacing of writes once GitLab answered 429 with Retry-After: GitLab.com allows 60 notes and
// 200 issues a minute per user; one write a second stays under both.
inline constexpr std::chrono::milliseconds kSlowedWriteInterval{1000};

}  // namespace risksync::gitlab
