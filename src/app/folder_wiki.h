// A Wiki that is a local folder: the page and its attachments are files. Used offline (no
// account, no network) and by teams that publish the folder themselves (GitLab Pages, CI
// artifacts).
//
// Contract: writes a file only when its content changed (atomic replace: temp file + rename);
// attachments before the page, so a failure leaves the page as it was; returns changed=false
// when every file was already up to date. Refuses titles check_page_title refuses.
#pragma once

#include <filesystem>
#include <optional>

#include "sync/wiki.h"

namespace risksync {

class FolderWiki : public Wiki {
 public:
  explicit FolderWiki(std::filesystem::path folder) : folder_(std::move(folder)) {}
  std::string describe() const override { return "folder " + folder_.string(); }
  // The stamp of <folder>/<stem>.md; nullopt when the file does not exist.
  Result<std::optional<PublicationStamp>> published_stamp(const std::string& title) override;
  Result<PublishResult> publish(const WikiPage& page) override;

  // "Cartographie des risques" -> "Cartographie-des-risques" (GitHub/GitLab wiki page names).
  static std::string file_stem(const std::string& title);

 private:
  std::filesystem::path folder_;
};

// Writes `content` to `path` unless it already holds exactly that. Returns whether it wrote.
Result<bool> write_if_changed(const std::filesystem::path& path, const std::string& content);

}  // namespace risksync
