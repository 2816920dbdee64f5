// Webhook deliveries (issue 9): is this request really from the platform, is it new, and is it
// about an item risksync manages? Pure: the secret, the clock's `now` and the replay memory are
// passed in; no thread, no I/O. The daemon turns a `trigger` into Scheduler::trigger.
//
// Contract, per platform (the raw body is what is signed; a one-byte change is refused):
//  - GitHub: X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(secret, body). X-GitHub-Delivery
//    seen before → ignored (202). X-GitHub-Event "ping" → 202; "issues" or "sub_issues" about an
//    issue carrying a managed label (is_managed_label) → trigger; anything else → 202.
//  - GitLab: X-Gitlab-Token equal to the secret; or the signed form: webhook-id,
//    webhook-timestamp (Unix seconds), webhook-signature "v1,<base64 HMAC-SHA256(key,
//    id.timestamp.body)>" (several space-separated signatures allowed) where the key is the
//    base64 part of the `whsec_…` secret. A timestamp more than 5 minutes old (or ahead) or a
//    webhook-id seen before → ignored (202). object_kind "issue" or "work_item" with a managed
//    label (current labels or the labels change) → trigger.
//  - Jira (Cloud admin webhooks and Data Center): X-Hub-Signature = "sha256=" + hex HMAC.
//    X-Atlassian-Webhook-Identifier seen before → ignored. A "jira:issue_*" event whose issue
//    carries a managed label (or whose changelog touches one) → trigger.
//  - Signature or token missing or wrong → 401, and `log` says why without the secret or the
//    signature received. No secret configured → 401 too. A body that is not JSON → 400.
//  - Every comparison of a secret or signature is constant-time (net::constant_time_equal).
// Thread safety: ReplayGuard is not thread-safe; the daemon calls under its mutex.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <set>
#include <string>
#include <string_view>

#include "net/http_server.h"

namespace risksync::daemon {

enum class HookPlatform { github, gitlab, jira };
std::string_view to_string(HookPlatform platform);

// The label risksync puts on every item it manages ("risksync", "risksync:story"...), any case.
bool is_managed_label(std::string_view label);

// The delivery ids seen recently (bounded: the oldest are forgotten first).
class ReplayGuard {
 public:
  explicit ReplayGuard(std::size_t capacity = 4096) : capacity_(capacity) {}
  // True the first time `id` is seen; false for a replay. An empty id is always new.
  bool first_time(const std::string& id);

 private:
  std::size_t capacity_;
  std::deque<std::string> order_;
  std::set<std::string> seen_;
};

struct HookVerdict {
  int status = 202;      // 202 accepted, 400, 401
  bool trigger = false;  // a cycle should run
  std::string log;       // one line for the daemon's log, never the secret
  std::string body() const;
};

inline constexpr std::chrono::seconds kMaxSignatureAge{300};

HookVerdict verify_and_classify(HookPlatform platform, const net::ServerRequest& request,
                                std::string_view secret, std::chrono::system_clock::time_point now,
                                ReplayGuard& replays);

}  // namespace risksync::daemon
