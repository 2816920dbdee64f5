// Message authentication for incoming webhooks: HMAC-SHA256 and a constant-time comparison
// (OpenSSL). The only place outside the connectors where OpenSSL's crypto is used.
//
// Contract: pure functions; the key is never logged or copied anywhere but OpenSSL's stack.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace risksync::net {

// HMAC-SHA256 of `message` under `key`: 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view message);

// Whether `a` and `b` are equal, in time that depends only on their lengths (CRYPTO_memcmp):
// for comparing a received signature or token with the expected one.
bool constant_time_equal(std::string_view a, std::string_view b);

// Lower-case hex of raw bytes ("sha256=" signatures of GitHub and Jira).
std::string hex_lower(std::string_view bytes);

}  // namespace risksync::net
