// Non-cryptographic content hashes for change detection (page and block fingerprints).
//
// Contract: pure, deterministic across platforms and runs; never use for security.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace risksync {

// Incremental FNV-1a, 64 bits. `feed_field` separates fields so that ("ab","c") != ("a","bc").
class Fnv1a64 {
 public:
  void feed(std::string_view bytes);
  void feed_field(std::string_view bytes);
  std::uint64_t value() const { return h_; }
  std::string hex() const;  // 16 lower-case hex digits

 private:
  std::uint64_t h_ = 14695981039346656037ull;
};

// Fnv1a64 of `bytes`, as 16 hex digits.
std::string fnv1a64_hex(std::string_view bytes);

}  // namespace risksync
