// A ListingCache kept in one file between runs (ETags and page bodies), so that a scheduled
// `risksync sync` on an unchanged tracker costs 304s only.
//
// Contract: never required (docs/DESIGN.md §5): an unreadable, corrupt or missing file is an empty
// cache; `save` writes atomically and reports failures as values. Pages are stored only in
// memory until `save`, which writes nothing when no page was put that the cache did not hold
// already (a scheduled sync answered 304s rewrites no file).
//
// File format (version 2; private to this class, read back only by it): the line
// "risksync-listing-cache 2", then per page a line of four decimal byte counts
// "<url> <etag> <body> <next_url>" followed by those four strings raw, back to back, and a
// newline. Bodies are stored as received, without escaping, so loading and saving a listing of
// thousands of issues costs about one copy of it. A file in any other shape (the JSON of
// version 1 included) is an empty cache: the next listing is a full one and rewrites the file.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "net/listing_cache.h"
#include "util/result.h"

namespace risksync {

class FileListingCache final : public net::ListingCache {
 public:
  explicit FileListingCache(std::filesystem::path file);
  std::optional<net::CachedPage> get(const std::string& url) override;
  void put(const std::string& url, const net::CachedPage& page) override;
  Status save() const;

  // The file's content for these pages, and back (nullopt when `text` is not such a file).
  static std::string encode(const std::map<std::string, net::CachedPage>& pages);
  static std::optional<std::map<std::string, net::CachedPage>> decode(std::string_view text);

 private:
  std::filesystem::path file_;
  std::map<std::string, net::CachedPage> all_;
  bool changed_ = false;  // a page was put that differs from the one loaded
};

}  // namespace risksync
