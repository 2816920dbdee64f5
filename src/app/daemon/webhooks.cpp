#include "app/daemon/webhooks.h"

#include <nlohmann/json.hpp>

#include <charconv>

#include "net/hmac.h"
#include "util/ascii.h"
#include "util/base64.h"

namespace risksync::daemon {
namespace {

using nlohmann::json;

HookVerdict accepted(std::string log, bool trigger = false) {
  return HookVerdict{202, trigger, std::move(log)};
}
HookVerdict unauthorized(std::string log) {
  return HookVerdict{401, false, std::move(log)};
}

// "sha256=<hex>" signed with `secret` over `body`.
bool sha256_header_matches(const std::optional<std::string>& header, std::string_view secret,
                           std::string_view body) {
  if (!header) return false;
  const std::string expected = "sha256=" + net::hex_lower(net::hmac_sha256(secret, body));
  return net::constant_time_equal(ascii::to_lower(ascii::trim(*header)), expected);
}

// Names of labels in a JSON array of strings or of objects with "name"/"title".
bool has_managed_label(const json& labels) {
  if (!labels.is_array()) return false;
  for (const auto& l : labels) {
    std::string name;
    if (l.is_string()) {
      name = l.get<std::string>();
    } else if (l.is_object()) {
      for (const char* key : {"name", "title"})
        if (l.contains(key) && l[key].is_string()) name = l[key].get<std::string>();
    }
    if (is_managed_label(name)) return true;
  }
  return false;
}

const json& at(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

bool github_is_managed(const json& payload) {
  for (const char* item : {"issue", "sub_issue", "parent_issue"})
    if (has_managed_label(at(at(payload, item), "labels"))) return true;
  return is_managed_label(at(at(payload, "label"), "name").is_string()
                              ? at(at(payload, "label"), "name").get<std::string>()
                              : std::string());
}

bool gitlab_is_managed(const json& payload) {
  if (has_managed_label(at(payload, "labels"))) return true;
  if (has_managed_label(at(at(payload, "object_attributes"), "labels"))) return true;
  const json& change = at(at(payload, "changes"), "labels");
  return has_managed_label(at(change, "previous")) || has_managed_label(at(change, "current"));
}

bool jira_is_managed(const json& payload) {
  if (has_managed_label(at(at(at(payload, "issue"), "fields"), "labels"))) return true;
  const json& items = at(at(payload, "changelog"), "items");
  if (!items.is_array()) return false;
  for (const auto& item : items) {
    if (at(item, "field") != "labels") continue;
    for (const char* side : {"fromString", "toString"}) {
      const json& text = at(item, side);
      if (!text.is_string()) continue;
      const std::string s = text.get<std::string>();
      std::size_t pos = 0;
      while (pos <= s.size()) {
        const auto space = s.find(' ', pos);
        const auto end = space == std::string::npos ? s.size() : space;
        if (is_managed_label(std::string_view(s).substr(pos, end - pos))) return true;
        pos = end + 1;
      }
    }
  }
  return false;
}

std::optional<json> parse_body(const std::string& body) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

HookVerdict github(const net::ServerRequest& req, std::string_view secret, ReplayGuard& replays) {
  const auto signature = req.header("X-Hub-Signature-256");
  if (!signature) return unauthorized("github: missing X-Hub-Signature-256");
  if (!sha256_header_matches(signature, secret, req.body))
    return unauthorized("github: X-Hub-Signature-256 does not match the configured secret");
  const std::string delivery = req.header("X-GitHub-Delivery").value_or("");
  if (!replays.first_time("github:" + delivery))
    return accepted("github: delivery " + delivery + " already seen, ignored");
  const std::string event = req.header("X-GitHub-Event").value_or("");
  if (event == "ping") return accepted("github: ping");
  if (event != "issues" && event != "sub_issues")
    return accepted("github: event \"" + event + "\" ignored");
  const auto payload = parse_body(req.body);
  if (!payload) return HookVerdict{400, false, "github: body is not JSON"};
  if (!github_is_managed(*payload))
    return accepted("github: " + event + " about an unmanaged issue, ignored");
  return accepted("github: " + event + " about a managed issue", true);
}

std::optional<long long> parse_seconds(std::string_view text) {
  long long v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

HookVerdict gitlab(const net::ServerRequest& req, std::string_view secret,
                   std::chrono::system_clock::time_point now, ReplayGuard& replays) {
  std::string delivery;
  if (const auto token = req.header("X-Gitlab-Token")) {
    if (!net::constant_time_equal(*token, secret))
      return unauthorized("gitlab: X-Gitlab-Token does not match the configured secret");
    delivery = req.header("X-Gitlab-Event-UUID").value_or("");
  } else {
    const auto id = req.header("webhook-id");
    const auto timestamp = req.header("webhook-timestamp");
    const auto signatures = req.header("webhook-signature");
    if (!id || !timestamp || !signatures)
      return unauthorized("gitlab: neither X-Gitlab-Token nor webhook-signature");
    if (secret.substr(0, 6) != "whsec_")
      return unauthorized("gitlab: a signed delivery needs a whsec_ secret");
    const auto key = base64_decode(secret.substr(6));
    if (!key) return unauthorized("gitlab: the configured whsec_ secret is not base64");
    const std::string expected =
        base64_encode(net::hmac_sha256(*key, *id + "." + *timestamp + "." + req.body));
    bool matched = false;
    std::string_view list = *signatures;
    while (!list.empty()) {
      const auto space = list.find(' ');
      const std::string_view one = list.substr(0, space);
      list = space == std::string_view::npos ? std::string_view() : list.substr(space + 1);
      if (one.substr(0, 3) == "v1,")
        matched = net::constant_time_equal(one.substr(3), expected) || matched;
    }
    if (!matched) return unauthorized("gitlab: webhook-signature does not match the secret");
    const auto sent = parse_seconds(*timestamp);
    const auto now_s =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    if (!sent || now_s - *sent > kMaxSignatureAge.count() ||
        *sent - now_s > kMaxSignatureAge.count())
      return accepted("gitlab: webhook-timestamp more than 5 minutes away, ignored");
    delivery = *id;
  }
  if (!replays.first_time("gitlab:" + delivery))
    return accepted("gitlab: delivery " + delivery + " already seen, ignored");
  const auto payload = parse_body(req.body);
  if (!payload) return HookVerdict{400, false, "gitlab: body is not JSON"};
  const json& kind = at(*payload, "object_kind");
  const std::string object_kind = kind.is_string() ? kind.get<std::string>() : "";
  if (object_kind != "issue" && object_kind != "work_item")
    return accepted("gitlab: object_kind \"" + object_kind + "\" ignored");
  if (!gitlab_is_managed(*payload))
    return accepted("gitlab: " + object_kind + " about an unmanaged item, ignored");
  return accepted("gitlab: " + object_kind + " about a managed item", true);
}

HookVerdict jira(const net::ServerRequest& req, std::string_view secret, ReplayGuard& replays) {
  const auto signature = req.header("X-Hub-Signature");
  if (!signature) return unauthorized("jira: missing X-Hub-Signature");
  if (!sha256_header_matches(signature, secret, req.body))
    return unauthorized("jira: X-Hub-Signature does not match the configured secret");
  const std::string delivery = req.header("X-Atlassian-Webhook-Identifier").value_or("");
  if (!replays.first_time("jira:" + delivery))
    return accepted("jira: delivery " + delivery + " already seen, ignored");
  const auto payload = parse_body(req.body);
  if (!payload) return HookVerdict{400, false, "jira: body is not JSON"};
  const json& event = at(*payload, "webhookEvent");
  const std::string name = event.is_string() ? event.get<std::string>() : "";
  if (name.rfind("jira:issue_", 0) != 0) return accepted("jira: event \"" + name + "\" ignored");
  if (!jira_is_managed(*payload))
    return accepted("jira: " + name + " about an unmanaged issue, ignored");
  return accepted("jira: " + name + " about a managed issue", true);
}

}  // namespace

std::string_view to_string(HookPlatform platform) {
  switch (platform) {
    case HookPlatform::github:
      return "github";
    case HookPlatform::gitlab:
      return "gitlab";
    case HookPlatform::jira:
      return "jira";
  }
  return "?";
}

bool is_managed_label(std::string_view label) {
  const std::string l = ascii::to_lower(ascii::trim(label));
  return l == "risksync" || l.rfind("risksync:", 0) == 0;
}

bool ReplayGuard::first_time(const std::string& id) {
  if (id.empty() || id.back() == ':') return true;
  if (seen_.contains(id)) return false;
  seen_.insert(id);
  order_.push_back(id);
  if (order_.size() > capacity_) {
    seen_.erase(order_.front());
    order_.pop_front();
  }
  return true;
}

std::string HookVerdict::body() const {
  switch (status) {
    case 202:
      return trigger ? "accepted: a sync cycle is scheduled\n" : "accepted: nothing to do\n";
    case 401:
      return "unauthorized: missing or wrong signature\n";
    default:
      return "bad request\n";
  }
}

HookVerdict verify_and_classify(HookPlatform platform, const net::ServerRequest& request,
                                std::string_view secret, std::chrono::system_clock::time_point now,
                                ReplayGuard& replays) {
  if (secret.empty())
    return unauthorized(std::string(to_string(platform)) +
                        ": no webhook secret is configured for this platform");
  switch (platform) {
    case HookPlatform::github:
      return github(request, secret, replays);
    case HookPlatform::gitlab:
      return gitlab(request, secret, now, replays);
    case HookPlatform::jira:
      return jira(request, secret, replays);
  }
  return unauthorized("unknown platform");
}

}  // namespace risksync::daemon
