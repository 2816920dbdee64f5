// A cache of listing pages for conditional requests (ETag / If-None-Match), so that an
// unchanged tracker answers a listing with 304 Not Modified (API-NOTES.md §1: on GitHub a 304
// does not count against the primary rate limit). Platform-neutral: GitHub and GitLab both
// send ETags on their listings. The conditional fetch itself (If-None-Match from the cached
// ETag, 304 -> cached body and cached next page, put after the page was handled) is done by
// net::fetch_pages (net/pagination.h): connectors hand it a cache, they do not use it directly.
//
// Contract:
//  - Keys are the path+query (or absolute URL, from a Link header) of GET requests exactly as
//    they were sent, one entry per page; `next_url` is the path+query of the page after it
//    ("" on the last page), kept because a 304 need not repeat the Link header.
//  - fetch_pages puts a page only after the caller has handled it successfully, and only when
//    the server sent an ETag; it uses the cached body only when the server answered 304 to the
//    cached ETag, and asks again without If-None-Match when the cached body is unreadable. A
//    cache may forget entries at any time (the next listing is then a full one).
//  - Implementations never throw; a get() that cannot read its storage returns nullopt.
// Thread safety: InMemoryListingCache is not synchronised (a Tracker is used from one thread);
// other implementations state their own rules.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

namespace risksync::net {

struct CachedPage {
  std::string etag;      // as received, weak validators included: W/"abc"
  std::string body;      // the page's raw body
  std::string next_url;  // path+query of the next page ("" when it was the last one)
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

}  // namespace risksync::net
