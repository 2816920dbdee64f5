#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "model/analysis.h"

namespace risksync {
namespace {

// Decodes one UTF-8 code point at s[i]; advances i. Invalid bytes decode as U+FFFD, 1 byte.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  auto cont = [&](std::size_t k) -> int {
    if (i + k >= s.size()) return -1;
    const auto b = static_cast<unsigned char>(s[i + k]);
    return (b & 0xC0) == 0x80 ? (b & 0x3F) : -1;
  };
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    ++i;
    return 0xFFFD;
  }
  for (int k = 1; k < len; ++k) {
    const int c = cont(static_cast<std::size_t>(k));
    if (c < 0) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | static_cast<char32_t>(c);
  }
  i += static_cast<std::size_t>(len);
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Latin letters with diacritics used in French (and a few neighbours) -> ASCII.
const char* fold_latin(char32_t cp) {
  switch (cp) {
    case U'à':
    case U'á':
    case U'â':
    case U'ä':
    case U'ã':
    case U'å':
    case U'À':
    case U'Á':
    case U'Â':
    case U'Ä':
    case U'Ã':
    case U'Å':
      return "a";
    case U'ç':
    case U'Ç':
      return "c";
    case U'é':
    case U'è':
    case U'ê':
    case U'ë':
    case U'É':
    case U'È':
    case U'Ê':
    case U'Ë':
      return "e";
    case U'î':
    case U'ï':
    case U'í':
    case U'ì':
    case U'Î':
    case U'Ï':
    case U'Í':
    case U'Ì':
      return "i";
    case U'ô':
    case U'ö':
    case U'ó':
    case U'ò':
    case U'õ':
    case U'Ô':
    case U'Ö':
    case U'Ó':
    case U'Ò':
    case U'Õ':
      return "o";
    case U'ù':
    case U'û':
    case U'ü':
    case U'ú':
    case U'Ù':
    case U'Û':
    case U'Ü':
    case U'Ú':
      return "u";
    case U'ÿ':
    case U'Ÿ':
      return "y";
    case U'ñ':
    case U'Ñ':
      return "n";
    case U'œ':
    case U'Œ':
      return "oe";
    case U'æ':
    case U'Æ':
      return "ae";
    default:
      return nullptr;
  }
}

}  // namespace

std::string normalize_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  auto put = [&](std::string_view piece) {
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += piece;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const char32_t cp = next_code_point(text, i);
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      if (c >= 'A' && c <= 'Z') {
        const char lower = static_cast<char>(c - 'A' + 'a');
        put(std::string_view(&lower, 1));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        put(std::string_view(&c, 1));
      } else {
        pending_space = true;  // punctuation and spacing separate words
      }
    } else if (const char* folded = fold_latin(cp)) {
      put(folded);
    } else if (cp >= 0x2000 || cp == 0xA0 || cp == 0xFFFD) {
      pending_space = true;  // general punctuation, symbols, emoji, nbsp
    } else {
      std::string enc;
      append_utf8(enc, cp);
      put(enc);
    }
  }
  return out;
}

std::string text_fingerprint(std::string_view text) {
  const std::string norm = normalize_text(text);
  std::uint32_t h = 2166136261u;  // FNV-1a, 32 bits
  for (const char c : norm) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", h);
  return hex;
}

std::string derive_measure_key(std::string_view story_id, std::string_view text) {
  return std::string(story_id) + "-" + text_fingerprint(text);
}

}  // namespace risksync
