#include "util/hash.h"

#include <cstdio>

namespace risksync {

void Fnv1a64::feed(std::string_view bytes) {
  for (const char c : bytes) {
    h_ ^= static_cast<unsigned char>(c);
    h_ *= 1099511628211ull;
  }
}

void Fnv1a64::feed_field(std::string_view bytes) {
  feed(bytes);
  h_ ^= 0xff;
  h_ *= 1099511628211ull;
}

std::string Fnv1a64::hex() const {
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h_));
  return out;
}

std::string fnv1a64_hex(std::string_view bytes) {
  Fnv1a64 h;
  h.feed(bytes);
  return h.hex();
}

}  // namespace risksync
