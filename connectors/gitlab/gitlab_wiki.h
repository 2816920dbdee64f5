// GitLabWiki: the Wiki (sync/wiki.h) over a GitLab project wiki, through the Wikis REST API
// (API-NOTES-2026.md §1.5).
//
// Contract
//  - Speaks only through the HttpTransport it is given, configured like the tracker's
//    (gitlab_api_base(), gitlab_default_headers(): PRIVATE-TOKEN). Retries and rate limits are
//    the transport's.
//  - Preflight, once, before the first read: GET /projects/:id. 401/403 -> bad_input naming
//    the token's key (options.token_field); 404 -> bad_input naming options.project_field; a
//    wiki turned off (`wiki_enabled: false`, `wiki_access_level: "disabled"`) -> bad_input
//    naming "wiki.kind". When the page itself answers 404, GET /projects/:id/wikis tells a
//    missing page (200) from a wiki that does not exist (404/403: bad_input "wiki.kind").
//  - The page: slug = the title with spaces as '-' (as GitLab makes it), URL-encoded with
//    net::encode_path_segment. GET /projects/:id/wikis/:slug?with_content=1 reads what GitLab
//    shows; POST /projects/:id/wikis {title, content, format: markdown} creates it; PUT
//    /projects/:id/wikis/:slug {content, format: markdown} rewrites it, and only when the
//    content differs from what GET returned (GitLab has no version lock: last writer wins).
//  - Attachments: the page is built with attachment_reference(name), a placeholder that
//    publish() replaces by the path GitLab returned for the upload. Each attachment is
//    uploaded (POST /projects/:id/wikis/attachments, multipart field `file`) under the name
//    "<stem>-<16 hex of its content's FNV-1a>.<ext>": GitLab commits each upload into a new
//    uploads/<random>/ folder, so an upload happens only when the page GitLab shows does not
//    already reference an uploaded file of that name (same content). Wiki uploads cannot be
//    read back with the API token, so an upload deleted from the wiki repository by hand is
//    not noticed while its content is unchanged (documented limit).
//    Uploads happen before the page is written: the page never links to a missing file.
//  - published_stamp reads the stamp of the page GitLab shows (nullopt: no page, no stamp).
//  - Errors: messages "gitlab wiki (<project>): <what>: <why>", quoting GitLab's message
//    through the Redactor, never a token; 5xx, 429 and transport failures are remote.
// Ownership: keeps references to the transport and redactor; they must outlive the wiki.
// Thread safety: one thread at a time (like the transport).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "net/http.h"
#include "net/redact.h"
#include "sync/wiki.h"
#include "util/result.h"

namespace risksync::gitlab {

struct GitLabWikiOptions {
  std::string project;  // "group/sub/project" or a numeric id
  // The configuration keys named by errors about the project and the token.
  std::string project_field = "tracker.repository";
  std::string token_field = "tracker.token_env";
};

// The slug GitLab gives a page titled `title`: spaces become '-'.
std::string gitlab_wiki_slug(std::string_view title);

// The name an attachment is uploaded under: "map.svg" -> "map-<16 hex>.svg".
std::string gitlab_upload_name(std::string_view file_name, std::string_view content);

class GitLabWiki final : public Wiki {
 public:
  GitLabWiki(GitLabWikiOptions options, net::HttpTransport& transport,
             const net::Redactor* redactor = nullptr);

  std::string describe() const override;  // "gitlab wiki (group/project)"
  std::string attachment_reference(std::string_view file_name) const override;
  Result<std::optional<PublicationStamp>> published_stamp(const std::string& title) override;
  Result<PublishResult> publish(const WikiPage& page) override;

 private:
  struct ShownPage {
    std::string content;
  };

  Status preflight();
  Result<std::optional<ShownPage>> read_page(const std::string& title);
  Result<std::string> upload(const WikiAttachment& attachment, const std::string& name);
  Error error_from(std::string_view what, const net::HttpResponse& response) const;
  std::string redacted(std::string_view text) const;

  GitLabWikiOptions options_;
  net::HttpTransport& transport_;
  const net::Redactor* redactor_;
  std::string project_path_;  // "/projects/<encoded>"
  std::string web_url_;       // the project's web_url, from the preflight
  bool preflight_done_ = false;
};

}  // namespace risksync::gitlab
