// The Wiki interface: where the dashboard is published (GitHub wiki, a file in a repository,
// GitLab wiki, Confluence, a local folder).
//
// Contract for implementations:
//  - `publish` writes the page and its attachments only when their content changed, and says
//    whether it did. Safe to repeat.
//  - Errors are values: remote (platform refused/failed), bad_input (wiki not initialised,
//    token refused: with a message that tells the user what to do), local_io.
//  - Secrets never appear in errors or logs.
#pragma once

#include <string>
#include <vector>

#include "util/result.h"

namespace risksync {

struct WikiAttachment {
  std::string file_name;  // "Cartographie-des-risques.svg"
  std::string content;
  std::string media_type;  // "image/svg+xml"
};

struct WikiPage {
  std::string title;    // "Cartographie des risques"
  std::string content;  // markdown (or the platform's markup), references attachments by name
  std::vector<WikiAttachment> attachments;
  std::string commit_message;
};

struct PublishResult {
  bool changed = false;
  std::string location;  // URL or path of the page
};

class Wiki {
 public:
  virtual ~Wiki() = default;
  virtual std::string describe() const = 0;
  virtual Result<PublishResult> publish(const WikiPage& page) = 0;
};

}  // namespace risksync
