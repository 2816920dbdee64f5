#include "net/redact.h"
#include "util/ascii.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "net/http.h"

namespace risksync::net {

namespace {

using ascii::lower;
using ascii::to_lower;
using ascii::trim;

constexpr std::string_view kMask = "***";

bool iends_with(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  return to_lower(s.substr(s.size() - suffix.size())) == suffix;
}

// Decodes standard base64; returns "" on malformed input.
std::string base64_decode(std::string_view in) {
  std::array<int, 256> table{};
  table.fill(-1);
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < kAlphabet.size(); ++i)
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  std::string out;
  int buffer = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const int v = table[static_cast<unsigned char>(c)];
    if (v < 0) return {};
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

void replace_all(std::string& text, std::string_view needle, std::string_view with) {
  if (needle.empty()) return;
  std::size_t pos = 0;
  while ((pos = text.find(needle, pos)) != std::string::npos) {
    text.replace(pos, needle.size(), with);
    pos += with.size();
  }
}

// Case-insensitive find of an ASCII needle (given in lower case).
std::size_t ifind(const std::string& lowered_text, std::string_view lowered_needle,
                  std::size_t from) {
  return lowered_text.find(lowered_needle, from);
}

// "Name: value" and "\"Name\": \"value\"" forms of credential headers.
void redact_header_values(std::string& text) {
  static constexpr std::array<std::string_view, 8> kNames = {
      "proxy-authorization", "authorization", "private-token", "job-token",
      "x-gitlab-token",      "cookie",        "x-api-key",     "x-auth-token"};
  for (const std::string_view name : kNames) {
    std::size_t pos = 0;
    while (true) {
      const std::string lowered = to_lower(text);
      pos = ifind(lowered, name, pos);
      if (pos == std::string::npos) break;
      std::size_t i = pos + name.size();
      // Must be a whole name: not preceded by a name character (e.g. "proxy-" for
      // "authorization", handled by its own entry).
      const bool starts_word =
          pos == 0 || !(std::isalnum(static_cast<unsigned char>(text[pos - 1])) ||
                        text[pos - 1] == '-' || text[pos - 1] == '_');
      if (i < text.size() && text[i] == '"') ++i;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (!starts_word || i >= text.size() || (text[i] != ':' && text[i] != '=')) {
        pos += name.size();
        continue;
      }
      ++i;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (i < text.size() && text[i] == '"') ++i;
      if (text.compare(i, kMask.size(), kMask) == 0) {  // already redacted
        pos = i + kMask.size();
        continue;
      }
      std::size_t end = i;
      while (end < text.size() && text[end] != '\r' && text[end] != '\n' && text[end] != '"' &&
             text[end] != ',' && text[end] != '}' && text[end] != '&')
        ++end;
      // Trailing blanks stay (they are not part of the value).
      while (end > i && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
      if (end > i) {
        text.replace(i, end - i, kMask);
        end = i + kMask.size();
      }
      pos = end;
    }
  }
}

// scheme://userinfo@host -> scheme://***@host
void redact_url_userinfo(std::string& text) {
  std::size_t pos = 0;
  while ((pos = text.find("://", pos)) != std::string::npos) {
    const std::size_t start = pos + 3;
    std::size_t end = start;
    while (end < text.size()) {
      const char c = text[end];
      if (c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '>' || c == '<' ||
          std::isspace(static_cast<unsigned char>(c)))
        break;
      ++end;
    }
    const std::size_t at = text.rfind('@', end == 0 ? 0 : end - 1);
    if (at != std::string::npos && at >= start && at < end &&
        text.compare(start, at - start, kMask) != 0) {
      text.replace(start, at - start, kMask);
      pos = start + kMask.size() + 1;
    } else {
      pos = end;
    }
  }
}

// ?access_token=X / &private_token=X -> ***
void redact_query_credentials(std::string& text) {
  static constexpr std::array<std::string_view, 6> kParams = {
      "access_token=", "private_token=", "token=", "password=", "client_secret=", "api_key="};
  for (const std::string_view param : kParams) {
    std::size_t pos = 0;
    while (true) {
      const std::string lowered = to_lower(text);
      pos = ifind(lowered, param, pos);
      if (pos == std::string::npos) break;
      if (pos == 0 || (text[pos - 1] != '?' && text[pos - 1] != '&')) {
        pos += param.size();
        continue;
      }
      const std::size_t i = pos + param.size();
      if (text.compare(i, kMask.size(), kMask) == 0) {  // already redacted
        pos = i + kMask.size();
        continue;
      }
      std::size_t end = i;
      while (end < text.size() && text[end] != '&' && text[end] != '#' && text[end] != '"' &&
             text[end] != '\'' && text[end] != '>' &&
             !std::isspace(static_cast<unsigned char>(text[end])))
        ++end;
      if (end > i) {
        text.replace(i, end - i, kMask);
        end = i + kMask.size();
      }
      pos = end;
    }
  }
}

}  // namespace

void Redactor::add_secret(std::string_view secret) {
  if (secret.empty()) return;
  const auto add = [this](std::string s) {
    if (std::find(secrets_.begin(), secrets_.end(), s) != secrets_.end()) return;
    secrets_.push_back(std::move(s));
  };
  add(std::string(secret));
  const std::string encoded = encode_query_value(secret);
  if (encoded != secret) add(encoded);
  std::stable_sort(secrets_.begin(), secrets_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

bool Redactor::is_credential_header(std::string_view name) {
  const std::string n = to_lower(trim(name));
  if (n == "x-atlassian-token") return false;  // "no-check": a CSRF switch, not a secret
  return n == "authorization" || n == "proxy-authorization" || n == "cookie" ||
         iends_with(n, "token") || iends_with(n, "api-key");
}

void Redactor::add_header_secrets(std::string_view name, std::string_view value) {
  if (!is_credential_header(name)) return;
  const std::string_view v = trim(value);
  add_secret(v);
  const auto space = v.find(' ');
  if (space == std::string_view::npos) return;
  const std::string scheme = to_lower(v.substr(0, space));
  const std::string_view credential = trim(v.substr(space + 1));
  add_secret(credential);
  if (scheme == "basic") {
    const std::string decoded = base64_decode(credential);
    if (!decoded.empty()) {
      add_secret(decoded);
      const auto colon = decoded.find(':');
      if (colon != std::string::npos) add_secret(std::string_view(decoded).substr(colon + 1));
    }
  }
}

std::string Redactor::redact(std::string_view text) const {
  std::string out(text);
  for (const std::string& secret : secrets_) replace_all(out, secret, kMask);
  redact_header_values(out);
  redact_url_userinfo(out);
  redact_query_credentials(out);
  return out;
}

}  // namespace risksync::net
