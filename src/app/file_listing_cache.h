// A ListingCache kept in one JSON file between runs (ETags and page bodies), so that a
// scheduled `risksync sync` on an unchanged tracker costs 304s only.
//
// Contract: never required (docs/DESIGN.md §5): an unreadable, corrupt or missing file is an empty
// cache; `save` writes atomically and reports failures as values. Pages are stored only in
// memory until `save`, which writes nothing when no page was put that the cache did not hold
// already (a scheduled sync answered 304s rewrites no file).
#pragma once

#include <filesystem>
#include <map>

#include "net/listing_cache.h"
#include "util/result.h"

namespace risksync {

class FileListingCache final : public net::ListingCache {
 public:
  explicit FileListingCache(std::filesystem::path file);
  std::optional<net::CachedPage> get(const std::string& url) override;
  void put(const std::string& url, const net::CachedPage& page) override;
  Status save() const;

 private:
  std::filesystem::path file_;
  std::map<std::string, net::CachedPage> all_;
  bool changed_ = false;  // a page was put that differs from the one loaded
};

}  // namespace risksync
