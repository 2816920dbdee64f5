#include "app/file_listing_cache.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "app/folder_wiki.h"

namespace risksync {

namespace {

// The member `key` of `object` moved out when it is a string, else "" (a corrupt file is an
// empty cache, never an exception).
std::string take_string(nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return std::move(it->get_ref<std::string&>());
}

}  // namespace

FileListingCache::FileListingCache(std::filesystem::path file) : file_(std::move(file)) {
  std::ifstream in(file_, std::ios::binary | std::ios::ate);
  if (!in) return;
  const std::streamoff size = in.tellg();
  if (size <= 0) return;
  std::string text(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(text.data(), size)) return;
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  text = std::string();
  if (!doc.is_object()) return;
  const auto pages = doc.find("pages");
  if (pages == doc.end() || !pages->is_object()) return;
  for (auto it = pages->begin(); it != pages->end(); ++it) {
    nlohmann::json& page = it.value();
    if (!page.is_object()) continue;
    std::string etag = take_string(page, "etag");
    if (etag.empty()) continue;
    all_[it.key()] =
        net::CachedPage{std::move(etag), take_string(page, "body"), take_string(page, "next_url")};
  }
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
