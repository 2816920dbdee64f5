#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "model/analysis.h"
#include "util/utf8.h"

namespace risksync {
namespace {

using utf8::append_utf8;
using utf8::next_code_point;

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
  auto put_char = [&](char c) {
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += c;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {  // ASCII: one byte, no decoding
      const char c = text[i++];
      if (c >= 'A' && c <= 'Z') {
        put_char(static_cast<char>(c - 'A' + 'a'));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        put_char(c);
      } else {
        pending_space = true;  // punctuation and spacing separate words
      }
      continue;
    }
    const char32_t cp = next_code_point(text, i);  // >= 0x80 (U+FFFD when invalid)
    if (const char* folded = fold_latin(cp)) {
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
