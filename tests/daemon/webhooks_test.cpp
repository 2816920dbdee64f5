// Webhook verification per platform, with signatures computed here from the raw body.
#include <gtest/gtest.h>

#include <openssl/hmac.h>

#include "app/daemon/webhooks.h"
#include "util/base64.h"

namespace risksync::daemon {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::system_clock;

// Computed here with OpenSSL directly, not with net::hmac_sha256, so the test can catch it.
std::string hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &n);
  return std::string(reinterpret_cast<const char*>(out), n);
}
std::string hex(std::string_view bytes) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    out += d[static_cast<unsigned char>(c) >> 4];
    out += d[static_cast<unsigned char>(c) & 15];
  }
  return out;
}

const std::string kSecret = "It's a Secret to Everybody";
const std::string kManagedIssue =
    R"({"action":"closed","issue":{"number":7,"labels":[{"name":"risksync:measure"}]}})";
const std::string kPlainIssue = R"({"action":"closed","issue":{"number":8,"labels":[]}})";

net::ServerRequest github_request(const std::string& body, const std::string& event,
                                  const std::string& delivery, const std::string& secret) {
  net::ServerRequest r;
  r.method = "POST";
  r.path = "/hooks/github";
  r.body = body;
  r.headers.emplace("X-GitHub-Event", event);
  r.headers.emplace("X-GitHub-Delivery", delivery);
  r.headers.emplace("X-Hub-Signature-256", "sha256=" + hex(hmac(secret, body)));
  return r;
}

TEST(GithubHook, KnownDigestOfGithubsDocumentation) {
  // docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody",
  // payload "Hello, World!" gives this signature.
  net::ServerRequest r;
  r.body = "Hello, World!";
  r.headers.emplace("X-GitHub-Event", "ping");
  r.headers.emplace("X-Hub-Signature-256",
                    "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  ReplayGuard replays;
  EXPECT_EQ(verify_and_classify(HookPlatform::github, r, kSecret, Clock::now(), replays).status,
            202);
}

TEST(GithubHook, RightSignatureOnAManagedIssueTriggers) {
  ReplayGuard replays;
  const auto v = verify_and_classify(HookPlatform::github,
                                     github_request(kManagedIssue, "issues", "d1", kSecret),
                                     kSecret, Clock::now(), replays);
  EXPECT_EQ(v.status, 202);
  EXPECT_TRUE(v.trigger);
}

TEST(GithubHook, WrongMissingOrOtherSecretIs401AndNeverLogsTheSecret) {
  ReplayGuard replays;
  auto other = github_request(kManagedIssue, "issues", "d1", "another secret");
  auto missing = github_request(kManagedIssue, "issues", "d2", kSecret);
  missing.headers.erase("X-Hub-Signature-256");
  auto garbage = github_request(kManagedIssue, "issues", "d3", kSecret);
  garbage.headers.erase("X-Hub-Signature-256");
  garbage.headers.emplace("X-Hub-Signature-256", "sha256=zz");
  for (const auto* r : {&other, &missing, &garbage}) {
    const auto v = verify_and_classify(HookPlatform::github, *r, kSecret, Clock::now(), replays);
    EXPECT_EQ(v.status, 401);
    EXPECT_FALSE(v.trigger);
    EXPECT_EQ(v.log.find(kSecret), std::string::npos) << v.log;
    EXPECT_EQ(v.body().find(kSecret), std::string::npos);
  }
  // No secret configured: refused too.
  EXPECT_EQ(verify_and_classify(HookPlatform::github,
                                github_request(kManagedIssue, "issues", "d4", kSecret), "",
                                Clock::now(), replays)
                .status,
            401);
}

TEST(GithubHook, OneByteChangedInTheBodyIsRefused) {
  ReplayGuard replays;
  auto r = github_request(kManagedIssue, "issues", "d1", kSecret);
  r.body[r.body.size() / 2] ^= 1;
  EXPECT_EQ(verify_and_classify(HookPlatform::github, r, kSecret, Clock::now(), replays).status,
            401);
}

TEST(GithubHook, ReplayPingAndUnrelatedEventsDoNotTrigger) {
  ReplayGuard replays;
  const auto first = github_request(kManagedIssue, "issues", "same-id", kSecret);
  EXPECT_TRUE(
      verify_and_classify(HookPlatform::github, first, kSecret, Clock::now(), replays).trigger);
  const auto again =
      verify_and_classify(HookPlatform::github, first, kSecret, Clock::now(), replays);
  EXPECT_EQ(again.status, 202);
  EXPECT_FALSE(again.trigger);
  for (const auto& [body, event] : {std::pair{std::string(R"({"zen":"x"})"), std::string("ping")},
                                    std::pair{kManagedIssue, std::string("push")},
                                    std::pair{kPlainIssue, std::string("issues")}}) {
    const auto v = verify_and_classify(HookPlatform::github,
                                       github_request(body, event, "id-" + event + body, kSecret),
                                       kSecret, Clock::now(), replays);
    EXPECT_EQ(v.status, 202) << event;
    EXPECT_FALSE(v.trigger) << event;
  }
  // sub_issues about a managed parent triggers.
  const std::string sub =
      R"({"action":"sub_issue_added","parent_issue":{"labels":[{"name":"risksync:story"}]},"sub_issue":{"labels":[]}})";
  EXPECT_TRUE(verify_and_classify(HookPlatform::github,
                                  github_request(sub, "sub_issues", "sub-1", kSecret), kSecret,
                                  Clock::now(), replays)
                  .trigger);
}

// ---- GitLab ----

const std::string kWorkItem =
    R"({"object_kind":"work_item","object_attributes":{"iid":3},"labels":[{"title":"risksync"}]})";

net::ServerRequest gitlab_token_request(const std::string& body, const std::string& token) {
  static int deliveries = 0;
  net::ServerRequest r;
  r.body = body;
  r.headers.emplace("X-Gitlab-Token", token);
  r.headers.emplace("X-Gitlab-Event-UUID", "uuid-" + std::to_string(++deliveries));
  return r;
}

net::ServerRequest gitlab_signed_request(const std::string& body, const std::string& whsec,
                                         const std::string& id, long long timestamp) {
  const std::string key = *base64_decode(whsec.substr(6));
  const std::string ts = std::to_string(timestamp);
  net::ServerRequest r;
  r.body = body;
  r.headers.emplace("webhook-id", id);
  r.headers.emplace("webhook-timestamp", ts);
  r.headers.emplace("webhook-signature", "v1,bm90IHRoaXMgb25l v1," +
                                             base64_encode(hmac(key, id + "." + ts + "." + body)));
  return r;
}

TEST(GitlabHook, TokenFormConstantTime) {
  ReplayGuard replays;
  const auto ok = verify_and_classify(HookPlatform::gitlab, gitlab_token_request(kWorkItem, "tok"),
                                      "tok", Clock::now(), replays);
  EXPECT_EQ(ok.status, 202);
  EXPECT_TRUE(ok.trigger);
  EXPECT_EQ(verify_and_classify(HookPlatform::gitlab, gitlab_token_request(kWorkItem, "tok2"),
                                "tok", Clock::now(), replays)
                .status,
            401);
  net::ServerRequest none;
  none.body = kWorkItem;
  EXPECT_EQ(verify_and_classify(HookPlatform::gitlab, none, "tok", Clock::now(), replays).status,
            401);
  // An unrelated object kind, an unmanaged issue: accepted, nothing to do.
  const auto push = verify_and_classify(HookPlatform::gitlab,
                                        gitlab_token_request(R"({"object_kind":"push"})", "tok"),
                                        "tok", Clock::now(), replays);
  EXPECT_EQ(push.status, 202);
  EXPECT_FALSE(push.trigger);
  const auto plain = verify_and_classify(
      HookPlatform::gitlab,
      gitlab_token_request(R"({"object_kind":"issue","labels":[{"title":"bug"}]})", "tok"), "tok",
      Clock::now(), replays);
  EXPECT_FALSE(plain.trigger);
  // A label removed from the item still concerns risksync.
  const auto removed = verify_and_classify(
      HookPlatform::gitlab,
      gitlab_token_request(
          R"({"object_kind":"issue","labels":[],"changes":{"labels":{"previous":[{"title":"risksync:story"}],"current":[]}}})",
          "tok"),
      "tok", Clock::now(), replays);
  EXPECT_TRUE(removed.trigger);
}

TEST(GitlabHook, SignedFormWithWhsecKey) {
  const std::string whsec = "whsec_" + base64_encode("0123456789abcdef0123456789abcdef");
  const auto now = Clock::now();
  const long long now_s = std::chrono::duration_cast<seconds>(now.time_since_epoch()).count();
  ReplayGuard replays;
  const auto ok = verify_and_classify(HookPlatform::gitlab,
                                      gitlab_signed_request(kWorkItem, whsec, "msg_1", now_s),
                                      whsec, now, replays);
  EXPECT_EQ(ok.status, 202);
  EXPECT_TRUE(ok.trigger);
  // Replayed id: ignored.
  const auto replay = verify_and_classify(HookPlatform::gitlab,
                                          gitlab_signed_request(kWorkItem, whsec, "msg_1", now_s),
                                          whsec, now, replays);
  EXPECT_EQ(replay.status, 202);
  EXPECT_FALSE(replay.trigger);
  // Older than 5 minutes: ignored.
  const auto old = verify_and_classify(
      HookPlatform::gitlab, gitlab_signed_request(kWorkItem, whsec, "msg_2", now_s - 301), whsec,
      now, replays);
  EXPECT_EQ(old.status, 202);
  EXPECT_FALSE(old.trigger);
  // Another key, one byte of body changed: 401.
  const std::string other = "whsec_" + base64_encode("another key another key another!");
  EXPECT_EQ(verify_and_classify(HookPlatform::gitlab,
                                gitlab_signed_request(kWorkItem, other, "msg_3", now_s), whsec, now,
                                replays)
                .status,
            401);
  auto changed = gitlab_signed_request(kWorkItem, whsec, "msg_4", now_s);
  changed.body.back() = ' ';
  EXPECT_EQ(verify_and_classify(HookPlatform::gitlab, changed, whsec, now, replays).status, 401);
  // The id and timestamp are signed too.
  auto moved = gitlab_signed_request(kWorkItem, whsec, "msg_5", now_s);
  moved.headers.erase("webhook-timestamp");
  moved.headers.emplace("webhook-timestamp", std::to_string(now_s + 1));
  EXPECT_EQ(verify_and_classify(HookPlatform::gitlab, moved, whsec, now, replays).status, 401);
}

// ---- Jira ----

TEST(JiraHook, HubSignatureOnIssueEvents) {
  const std::string body =
      R"({"webhookEvent":"jira:issue_updated","issue":{"key":"SEC-1","fields":{"labels":["risksync:measure"]}}})";
  auto request = [&](const std::string& b, const std::string& secret, const std::string& id) {
    net::ServerRequest r;
    r.body = b;
    r.headers.emplace("X-Hub-Signature", "sha256=" + hex(hmac(secret, b)));
    r.headers.emplace("X-Atlassian-Webhook-Identifier", id);
    return r;
  };
  ReplayGuard replays;
  const auto ok = verify_and_classify(HookPlatform::jira, request(body, kSecret, "1"), kSecret,
                                      Clock::now(), replays);
  EXPECT_EQ(ok.status, 202);
  EXPECT_TRUE(ok.trigger);
  EXPECT_FALSE(verify_and_classify(HookPlatform::jira, request(body, kSecret, "1"), kSecret,
                                   Clock::now(), replays)
                   .trigger);
  EXPECT_EQ(verify_and_classify(HookPlatform::jira, request(body, "nope", "2"), kSecret,
                                Clock::now(), replays)
                .status,
            401);
  const std::string project = R"({"webhookEvent":"project_created"})";
  const auto other = verify_and_classify(HookPlatform::jira, request(project, kSecret, "3"),
                                         kSecret, Clock::now(), replays);
  EXPECT_EQ(other.status, 202);
  EXPECT_FALSE(other.trigger);
  const std::string unlabelled =
      R"({"webhookEvent":"jira:issue_updated","issue":{"fields":{"labels":[]}},"changelog":{"items":[{"field":"labels","fromString":"ops risksync:story","toString":"ops"}]}})";
  EXPECT_TRUE(verify_and_classify(HookPlatform::jira, request(unlabelled, kSecret, "4"), kSecret,
                                  Clock::now(), replays)
                  .trigger);
}

TEST(ManagedLabel, OnlyRisksyncsOwn) {
  EXPECT_TRUE(is_managed_label("risksync"));
  EXPECT_TRUE(is_managed_label("RiskSync:Story"));
  EXPECT_FALSE(is_managed_label("risksyncx"));
  EXPECT_FALSE(is_managed_label("bug"));
}

TEST(ReplayGuardTest, ForgetsTheOldestBeyondItsCapacity) {
  ReplayGuard g(2);
  EXPECT_TRUE(g.first_time("a"));
  EXPECT_TRUE(g.first_time("b"));
  EXPECT_FALSE(g.first_time("a"));
  EXPECT_TRUE(g.first_time("c"));
  EXPECT_TRUE(g.first_time("a"));  // forgotten
  EXPECT_TRUE(g.first_time(""));
  EXPECT_TRUE(g.first_time(""));
}

}  // namespace
}  // namespace risksync::daemon
