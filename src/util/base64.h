// Base64 (RFC 4648, standard alphabet, with padding): the GitHub Contents API
// carries file contents in base64, git's Basic authorization header is base64, and the signed
// GitLab webhooks carry a base64 HMAC under a base64 `whsec_` key.
//
// Contract: pure functions. `base64_decode` skips line breaks and blanks (GitHub wraps the
// `content` field every 60 characters) and returns nullopt for any other character outside the
// alphabet or a malformed length.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace risksync {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace risksync
