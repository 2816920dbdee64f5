#include "app/file_listing_cache.h"

#include <array>
#include <charconv>
#include <fstream>
#include <string>
#include <utility>

#include "app/folder_wiki.h"

namespace risksync {

namespace {

constexpr std::string_view kHeader = "risksync-listing-cache 2\n";

// Reads "<n> <n> <n> <n>\n" at `at`, advancing it; false on anything else.
bool read_counts(std::string_view text, std::size_t& at, std::array<std::size_t, 4>& counts) {
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const char* first = text.data() + at;
    const char* last = text.data() + text.size();
    const auto [end, ec] = std::from_chars(first, last, counts[i]);
    if (ec != std::errc{} || end == first || end == last) return false;
    if (*end != (i + 1 == counts.size() ? '\n' : ' ')) return false;
    at = static_cast<std::size_t>(end - text.data()) + 1;
  }
  return true;
}

}  // namespace

std::string FileListingCache::encode(const std::map<std::string, net::CachedPage>& pages) {
  std::size_t size = kHeader.size();
  for (const auto& [url, page] : pages)
    size += 4 * 21 + url.size() + page.etag.size() + page.body.size() + page.next_url.size();
  std::string out;
  out.reserve(size);
  out += kHeader;
  for (const auto& [url, page] : pages) {
    for (const std::string* part : {&url, &page.etag, &page.body, &page.next_url}) {
      out += std::to_string(part->size());
      out += part == &page.next_url ? '\n' : ' ';
    }
    out += url;
    out += page.etag;
    out += page.body;
    out += page.next_url;
    out += '\n';
  }
  return out;
}

std::optional<std::map<std::string, net::CachedPage>> FileListingCache::decode(
    std::string_view text) {
  if (text.substr(0, kHeader.size()) != kHeader) return std::nullopt;
  std::map<std::string, net::CachedPage> pages;
  std::size_t at = kHeader.size();
  while (at < text.size()) {
    std::array<std::size_t, 4> counts{};
    if (!read_counts(text, at, counts)) return std::nullopt;
    std::array<std::string_view, 4> parts;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] > text.size() - at) return std::nullopt;
      parts[i] = text.substr(at, counts[i]);
      at += counts[i];
    }
    if (at >= text.size() || text[at] != '\n') return std::nullopt;
    ++at;
    if (parts[1].empty()) return std::nullopt;  // a page is only ever kept with its ETag
    pages[std::string(parts[0])] =
        net::CachedPage{std::string(parts[1]), std::string(parts[2]), std::string(parts[3])};
  }
  return pages;
}

FileListingCache::FileListingCache(std::filesystem::path file) : file_(std::move(file)) {
  std::ifstream in(file_, std::ios::binary | std::ios::ate);
  if (!in) return;
  const std::streamoff size = in.tellg();
  if (size <= 0) return;
  std::string text(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(text.data(), size)) return;
  if (auto pages = decode(text)) all_ = std::move(*pages);
}

std::optional<net::CachedPage> FileListingCache::get(const std::string& url) {
  const auto it = all_.find(url);
  if (it == all_.end()) return std::nullopt;
  return it->second;
}

void FileListingCache::put(const std::string& url, const net::CachedPage& page) {
  net::CachedPage& kept = all_[url];
  if (kept.etag == page.etag && kept.body == page.body && kept.next_url == page.next_url) return;
  kept = page;
  changed_ = true;
}

Status FileListingCache::save() const {
  if (!changed_) return ok_status();  // the file holds every page already (or nothing to add)
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  if (ec) return local_io_error("cannot create cache folder: " + ec.message(), file_.string());
  auto wrote = write_if_changed(file_, encode(all_));
  if (!wrote) return wrote.error();
  return ok_status();
}

}  // namespace risksync
