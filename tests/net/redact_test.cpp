#include "net/redact.h"

#include <gtest/gtest.h>

namespace risksync::net {
namespace {

TEST(Redactor, ReplacesRegisteredSecretsEverywhere) {
  Redactor r;
  r.add_secret("ghp_abcdef123456");
  EXPECT_EQ(r.redact("token ghp_abcdef123456 and again ghp_abcdef123456!"),
            "token *** and again ***!");
  EXPECT_EQ(r.redact("nothing secret here"), "nothing secret here");
}

TEST(Redactor, LongestSecretFirstAndEmptyIgnored) {
  Redactor r;
  r.add_secret("");
  r.add_secret("abc");
  r.add_secret("abcdef");
  EXPECT_EQ(r.secrets().size(), 2u);
  EXPECT_EQ(r.redact("xabcdefx abc"), "x***x ***");
}

TEST(Redactor, PercentEncodedFormIsAlsoRedacted) {
  Redactor r;
  r.add_secret("p@ss word");
  EXPECT_EQ(r.redact("https://proxy/?x=p%40ss%20word"), "https://proxy/?x=***");
}

TEST(Redactor, HeaderSecretsBearerTokenAndBasic) {
  Redactor r;
  r.add_header_secrets("Authorization", "Bearer s3cr3t-token");
  EXPECT_EQ(r.redact("server said: bad credentials s3cr3t-token"),
            "server said: bad credentials ***");
  // Basic base64("me@example.com:api-token-42")
  r.add_header_secrets("authorization", "Basic bWVAZXhhbXBsZS5jb206YXBpLXRva2VuLTQy");
  EXPECT_EQ(r.redact("echo bWVAZXhhbXBsZS5jb206YXBpLXRva2VuLTQy / api-token-42"), "echo *** / ***");
  r.add_header_secrets("PRIVATE-TOKEN", "glpat-XYZ987654");
  EXPECT_EQ(r.redact("glpat-XYZ987654"), "***");
}

TEST(Redactor, NonCredentialHeadersAreNotSecrets) {
  Redactor r;
  r.add_header_secrets("Accept", "application/vnd.github+json");
  r.add_header_secrets("X-Atlassian-Token", "no-check");
  EXPECT_TRUE(r.secrets().empty());
  EXPECT_TRUE(Redactor::is_credential_header("PRIVATE-TOKEN"));
  EXPECT_TRUE(Redactor::is_credential_header("x-gitlab-token"));
  EXPECT_TRUE(Redactor::is_credential_header("Proxy-Authorization"));
  EXPECT_FALSE(Redactor::is_credential_header("X-Atlassian-Token"));
  EXPECT_FALSE(Redactor::is_credential_header("Content-Type"));
}

TEST(Redactor, StripsCredentialHeaderValuesItWasNotTold) {
  const Redactor r;  // no secrets registered
  EXPECT_EQ(r.redact("Authorization: Bearer unknown-token\r\nAccept: */*"),
            "Authorization: ***\r\nAccept: */*");
  EXPECT_EQ(r.redact("PRIVATE-TOKEN: glpat-abc"), "PRIVATE-TOKEN: ***");
  EXPECT_EQ(r.redact("proxy-authorization: Basic Zm9vOmJhcg=="), "proxy-authorization: ***");
  EXPECT_EQ(r.redact(R"({"headers":{"Authorization":"token abc123","Accept":"x"}})"),
            R"({"headers":{"Authorization":"***","Accept":"x"}})");
  EXPECT_EQ(r.redact("Authorization failed for this resource"),
            "Authorization failed for this resource");
}

TEST(Redactor, StripsUserinfoInUrls) {
  const Redactor r;
  EXPECT_EQ(r.redact("push to https://x-access-token:ghs_123@github.com/o/r.wiki.git failed"),
            "push to https://***@github.com/o/r.wiki.git failed");
  EXPECT_EQ(r.redact("proxy http://alice:s3cret@proxy.corp:3128 refused"),
            "proxy http://***@proxy.corp:3128 refused");
  EXPECT_EQ(r.redact("see https://github.com/o/r/issues/1 and mail@example.com"),
            "see https://github.com/o/r/issues/1 and mail@example.com");
  EXPECT_EQ(r.redact("https://h/p?q=a@b"), "https://h/p?q=a@b");
}

TEST(Redactor, StripsCredentialQueryParameters) {
  const Redactor r;
  EXPECT_EQ(r.redact("GET https://h/x?access_token=abc&page=2"),
            "GET https://h/x?access_token=***&page=2");
  EXPECT_EQ(r.redact("GET https://h/x?page=2&private_token=glpat-1 -> 200"),
            "GET https://h/x?page=2&private_token=*** -> 200");
  EXPECT_EQ(r.redact("GET https://h/x?mytoken=abc"), "GET https://h/x?mytoken=abc");
}

TEST(Redactor, OneCharacterSecretIsStillRedacted) {
  Redactor r;
  r.add_secret("x");
  EXPECT_EQ(r.redact("axb"), "a***b");
}

}  // namespace
}  // namespace risksync::net
