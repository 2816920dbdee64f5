#include "app/folder_wiki.h"

#include "sync/page_stamp.h"

#include <fstream>
#include <sstream>

namespace risksync {

namespace fs = std::filesystem;

Result<bool> write_if_changed(const fs::path& path, const std::string& content) {
  std::error_code ec;
  if (fs::exists(path, ec)) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in && buf.str() == content) return false;
  }
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return local_io_error("cannot write", tmp.string());
    out << content;
    out.close();
    if (!out) return local_io_error("write failed", tmp.string());
  }
  fs::rename(tmp, path, ec);
  if (ec) return local_io_error("cannot replace: " + ec.message(), path.string());
  return true;
}

std::string FolderWiki::file_stem(const std::string& title) {
  std::string out;
  for (const char c : title) out += (c == ' ' || c == '/' || c == '\\') ? '-' : c;
  return out;
}

Result<std::optional<PublicationStamp>> FolderWiki::published_stamp(const std::string& title) {
  if (Status s = check_page_title(title); !s) return s.error();
  const fs::path page_path = folder_ / (file_stem(title) + ".md");
  std::error_code ec;
  if (!fs::exists(page_path, ec)) return std::optional<PublicationStamp>{};
  std::ifstream in(page_path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (!in) return local_io_error("cannot read", page_path.string());
  return read_page_stamp(buf.str());
}

Result<PublishResult> FolderWiki::publish(const WikiPage& page) {
  if (Status s = check_page_title(page.title); !s) return s.error();
  std::error_code ec;
  fs::create_directories(folder_, ec);
  if (ec) return local_io_error("cannot create folder: " + ec.message(), folder_.string());
  PublishResult result;
  const fs::path page_path = folder_ / (file_stem(page.title) + ".md");
  // Attachments first: the page (and its stamp) is replaced only once what it links to is
  // there, so a failure never leaves a new page pointing at an old or missing map.
  for (const auto& a : page.attachments) {
    auto w = write_if_changed(folder_ / a.file_name, a.content);
    if (!w) return w.error();
    result.changed = result.changed || *w;
  }
  auto wrote = write_if_changed(page_path, page.content);
  if (!wrote) return wrote.error();
  result.changed = result.changed || *wrote;
  result.location = page_path.string();
  return result;
}

}  // namespace risksync
