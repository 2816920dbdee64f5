// The Wiki interface: where the dashboard is published (GitHub wiki, a file in a repository,
// GitLab wiki, Confluence, a local folder), and publish_dashboard(), the one way the sync job
// publishes through it.
//
// Contract for implementations:
//  - `publish` writes the page and its attachments only when their content differs from what
//    the wiki SHOWS (never from what risksync believes it wrote), and says whether it did.
//    Safe to repeat.
//  - `published_stamp` reads back the publication stamp of the page now on the wiki (see
//    sync/page_stamp.h): nullopt when there is no page or it carries no stamp (a person
//    rewrote it). It reads; it never writes.
//  - `page_format` says what markup the wiki stores (markdown for GitHub/GitLab wikis and
//    folders; Confluence storage XHTML next); `attachment_reference` says how the page links
//    to an attachment published beside it (by file name for files and git wikis; GitLab
//    returns an upload path, Confluence an attachment macro).
//  - Errors are values: remote (platform refused/failed), bad_input (wiki not initialised,
//    token refused, a page name the wiki cannot hold: with a message that tells the user what
//    to do), local_io.
//  - Secrets never appear in errors or logs.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace risksync {

struct WikiAttachment {
  std::string file_name;  // "Cartographie-des-risques.svg"
  std::string content;
  std::string media_type;  // "image/svg+xml"
  // A rendering of another attachment (the PNG of the SVG map): its bytes depend on the
  // machine's fonts, so the content fingerprint leaves it out (the SVG speaks for it).
  bool derived = false;
};

struct WikiPage {
  std::string title;    // "Cartographie des risques"
  std::string content;  // in the wiki's page_format(), references attachments as it says
  std::vector<WikiAttachment> attachments;
  std::string commit_message;
};

struct PublishResult {
  bool changed = false;
  std::string location;  // URL or path of the page
};

enum class PageFormat { markdown, confluence_storage };

// What a published page says about itself: the fingerprint of its content (the date excluded)
// and the date it shows, which is when that content was first published.
struct PublicationStamp {
  std::string fingerprint;
  std::string generated_at;
  bool operator==(const PublicationStamp&) const = default;
};

class Wiki {
 public:
  virtual ~Wiki() = default;
  virtual std::string describe() const = 0;
  virtual PageFormat page_format() const { return PageFormat::markdown; }
  virtual std::string attachment_reference(std::string_view file_name) const {
    return std::string(file_name);
  }
  virtual Result<std::optional<PublicationStamp>> published_stamp(const std::string& title) = 0;
  virtual Result<PublishResult> publish(const WikiPage& page) = 0;
};

// The one rule for page titles, shared by every Wiki and by the configuration check: a title
// is refused (bad_input, field "wiki.page") when it is empty or blank, or holds NUL or another
// control character (C0, DEL, C1), '/', '\\' or "..": such a title would name a file outside the
// wiki's folder, or a page no wiki can hold. A Wiki may refuse more (GitWiki: ':' '*'...).
Status check_page_title(std::string_view title);

// The dashboard to publish, built for one date. `build` is called with the date the page must
// show and the wiki (for its format and attachment references); `fingerprint` identifies the
// content without the date (the caller hashes a page built with an empty date).
struct PageDraft {
  std::string title;
  std::string fingerprint;
  std::string now;  // the date to show when the content changed
  std::function<WikiPage(const std::string& generated_at, const Wiki& wiki)> build;
};

// Publishes `draft`: reads the stamp the wiki shows; when its fingerprint is the draft's, the
// page keeps the date it shows (a scheduled run that changes nothing writes nothing), else the
// page shows `draft.now`. The stamp is written into the page (sync/page_stamp.h), then
// Wiki::publish writes what differs. A page person-edited (no stamp, or a stamp that does not
// match) is rewritten.
Result<PublishResult> publish_dashboard(Wiki& wiki, const PageDraft& draft);

}  // namespace risksync
