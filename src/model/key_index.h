// Lookup by key in a vector of records whose keys are unique (story ids, measure keys): the
// index behind Analysis::find_story / find_measure and Assessment::find_story / status_of.
//
// Contract:
//  - The index holds POSITIONS into the vector, sorted by key, never pointers or views: an
//    owner copied or moved together with its vector keeps a valid index.
//  - It is built explicitly, by rebuild(items, key_of), from the vector it serves; find then
//    costs O(log n) key reads. Building costs O(n log n) and 4 bytes per record.
//  - find never trusts the index blindly: it returns a position only when the record there
//    carries the key asked for, and a key the index does not give is looked for linearly. So
//    a stale index (the vector changed since the last rebuild) or no index at all still
//    gives the right answer, only in O(n). A missing key therefore always costs O(n): lookups
//    are meant for keys that exist (the Analysis contract guarantees it for every key the
//    model itself holds).
//  - With duplicate keys (outside the Analysis contract) the first record in vector order is
//    found, as a linear search would.
//  - Thread safety: find is const and changes nothing (concurrent finds are safe); rebuild
//    needs exclusive access.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

namespace risksync {

class KeyIndex {
 public:
  // key_of(record) -> something convertible to std::string_view.
  template <class Record, class KeyOf>
  void rebuild(const std::vector<Record>& items, KeyOf key_of) {
    order_.clear();
    if (items.size() > std::numeric_limits<std::uint32_t>::max()) return;  // stays linear
    order_.resize(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) order_[i] = static_cast<std::uint32_t>(i);
    std::stable_sort(order_.begin(), order_.end(), [&](std::uint32_t a, std::uint32_t b) {
      return std::string_view(key_of(items[a])) < std::string_view(key_of(items[b]));
    });
  }

  // Position of the record of `items` whose key is `key`, or nullopt.
  template <class Record, class KeyOf>
  std::optional<std::size_t> find(const std::vector<Record>& items, std::string_view key,
                                  KeyOf key_of) const {
    if (order_.size() == items.size()) {  // else stale for sure: skip to the linear search
      const std::size_t at = first_not_below(items, key, key_of);
      if (at < order_.size() && std::string_view(key_of(items[order_[at]])) == key)
        return order_[at];
    }
    for (std::size_t i = 0; i < items.size(); ++i)
      if (std::string_view(key_of(items[i])) == key) return i;
    return std::nullopt;
  }

  // Whether the index gives every record of `items` at its current position (O(n log n)):
  // for tests and assertions.
  template <class Record, class KeyOf>
  bool covers(const std::vector<Record>& items, KeyOf key_of) const {
    if (order_.size() != items.size()) return false;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string_view key(key_of(items[i]));
      const std::size_t at = first_not_below(items, key, key_of);
      if (at == order_.size() || std::string_view(key_of(items[order_[at]])) != key) return false;
    }
    return true;
  }

  std::size_t size() const { return order_.size(); }

 private:
  // Binary search over order_ (hand-written: a stale index may be unsorted, which
  // std::lower_bound does not allow). Requires order_.size() == items.size().
  template <class Record, class KeyOf>
  std::size_t first_not_below(const std::vector<Record>& items, std::string_view key,
                              KeyOf key_of) const {
    std::size_t lo = 0;
    std::size_t hi = order_.size();
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (std::string_view(key_of(items[order_[mid]])) < key)
        lo = mid + 1;
      else
        hi = mid;
    }
    return lo;
  }

  std::vector<std::uint32_t> order_;  // positions, sorted by the key of the record there
};

}  // namespace risksync
