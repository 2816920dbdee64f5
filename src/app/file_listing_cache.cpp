#include "app/file_listing_cache.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/folder_wiki.h"

namespace risksync {

FileListingCache::FileListingCache(std::filesystem::path file) : file_(std::move(file)) {
  std::ifstream in(file_, std::ios::binary);
  if (!in) return;
  std::ostringstream buf;
  buf << in.rdbuf();
  const auto doc = nlohmann::json::parse(buf.str(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("pages") || !doc["pages"].is_object()) return;
  for (const auto& [url, page] : doc["pages"].items()) {
    if (!page.is_object()) continue;
    const auto etag = page.value("etag", std::string{});
    const auto body = page.value("body", std::string{});
    const auto next = page.value("next_url", std::string{});
    if (etag.empty()) continue;
    all_[url] = net::CachedPage{etag, body, next};
  }
}

std::optional<net::CachedPage> FileListingCache::get(const std::string& url) {
  const auto it = all_.find(url);
  if (it == all_.end()) return std::nullopt;
  return it->second;
}

void FileListingCache::put(const std::string& url, const net::CachedPage& page) {
  all_[url] = page;
}

Status FileListingCache::save() const {
  nlohmann::json pages = nlohmann::json::object();
  for (const auto& [url, page] : all_)
    pages[url] = {{"etag", page.etag}, {"body", page.body}, {"next_url", page.next_url}};
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  if (ec) return local_io_error("cannot create cache folder: " + ec.message(), file_.string());
  auto wrote = write_if_changed(file_, nlohmann::json{{"version", 1}, {"pages", pages}}.dump());
  if (!wrote) return wrote.error();
  return ok_status();
}

}  // namespace risksync
