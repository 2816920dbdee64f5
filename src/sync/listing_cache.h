// A cache of listing pages for conditional requests (ETag / If-None-Match), so that an
// unchanged tracker answers a listing with 304 Not Modified (API-NOTES.md §1: on GitHub a 304
// does not count against the primary rate limit). Platform-neutral: GitHub and GitLab both
// send ETags on their listings.
//
// Contract:
//  - Keys are the URLs (or path+query) exactly as the connector requested them, one entry
//    per page; `next_url` is the page's `rel="next"` link ("" on the last page), kept because
//    a 304 need not repeat the Link header.
//  - A connector puts a page only after it has parsed it successfully, and only when the
//    server sent an ETag; it uses the cached body only when the server answered 304 to the
//    cached ETag. A cache may forget entries at any time (the next listing is then a full one).
//  - Implementations never throw; a get() that cannot read its storage returns nullopt.
// Thread safety: InMemoryListingCache is not synchronised (a Tracker is used from one thread);
// other implementations state their own rules.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

namespace risksync {

struct CachedPage {
  std::string etag;      // as received, weak validators included: W/"abc"
  std::string body;      // the page's raw body
  std::string next_url;  // rel="next" link of that page, "" when it was the last one
};

class ListingCache {
 public:
  virtual ~ListingCache() = default;
  virtual std::optional<CachedPage> get(const std::string& url) = 0;
  virtual void put(const std::string& url, const CachedPage& page) = 0;
};

// Keeps pages in memory for the life of the process (daemon mode, tests).
class InMemoryListingCache final : public ListingCache {
 public:
  std::optional<CachedPage> get(const std::string& url) override {
    const auto it = pages_.find(url);
    if (it == pages_.end()) return std::nullopt;
    return it->second;
  }
  void put(const std::string& url, const CachedPage& page) override { pages_[url] = page; }

  std::size_t size() const { return pages_.size(); }
  void clear() { pages_.clear(); }

 private:
  std::map<std::string, CachedPage> pages_;
};

}  // namespace risksync
