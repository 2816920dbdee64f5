// Secret redaction for every string net/ logs or puts into an Error (docs/DESIGN.md §7, ccache).
//
// Contract:
//  - `redact(text)` returns `text` with:
//      * every registered secret replaced by "***" (exact, case-sensitive match; longest first);
//      * the value of a credential header written as "Name: value" or "\"Name\": \"value\""
//        (Authorization, Proxy-Authorization, PRIVATE-TOKEN, JOB-TOKEN, X-Gitlab-Token,
//        Cookie, X-Api-Key) replaced by "***", whatever the value;
//      * the userinfo of URLs ("https://user:pw@host" -> "https://***@host");
//      * the value of credential query parameters (access_token, private_token, token,
//        password, client_secret) replaced by "***".
//  - Secrets are never shown: a secret of one character redacts every occurrence of that
//    character, by design (safety before readability). Empty secrets are ignored.
// Thread safety: `redact` is const and may run concurrently; adding secrets must not race with
// any other call (HttpClient adds them from its single user thread).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace risksync::net {

class Redactor {
 public:
  // Registers `secret` and, when it differs, its percent-encoded form.
  void add_secret(std::string_view secret);

  // Registers the secrets held in a credential header value: the whole value, the credential
  // after its scheme ("Bearer X" -> "X"), and for Basic the decoded "user:password" and
  // password. Does nothing for a header that is not a credential header.
  void add_header_secrets(std::string_view name, std::string_view value);

  // True for Authorization, Proxy-Authorization, Cookie, and any name ending in "token" or
  // "api-key" (PRIVATE-TOKEN, JOB-TOKEN, X-Gitlab-Token...), case-insensitive, except the
  // non-secret X-Atlassian-Token ("no-check").
  static bool is_credential_header(std::string_view name);

  std::string redact(std::string_view text) const;

  const std::vector<std::string>& secrets() const { return secrets_; }

 private:
  std::vector<std::string> secrets_;  // sorted by decreasing length
};

}  // namespace risksync::net
