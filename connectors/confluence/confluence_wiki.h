// ConfluenceWiki: the Wiki (sync/wiki.h) over a Confluence space, Cloud or Data Center
// (API-NOTES-2026.md §5, §6, §7). The page is Confluence storage format (PageFormat::
// confluence_storage, render/emit.h emit_confluence_storage).
//
// Contract
//  - Speaks only through the HttpTransport it is given, whose base URL is
//    confluence_api_base() and whose default headers are confluence_default_headers() (Cloud:
//    Basic email:token; Data Center: Bearer PAT). Retries and rate limits are the transport's.
//  - Preflight, once, before the first read: the space (Cloud GET /api/v2/spaces?keys=KEY for
//    its id; DC GET /rest/api/space/KEY) and, when configured, the parent page (found by title
//    in the space). 401/403 -> bad_input naming options.token_field; a missing space ->
//    bad_input "wiki.space"; a missing parent -> bad_input "wiki.parent_page". The sync job
//    calls published_stamp before any tracker write, so these stop the run with nothing
//    written.
//  - The page, found by space and exact title: Cloud GET /api/v2/pages?space-id=&title=
//    &status=current&body-format=storage; DC GET /rest/api/content?spaceKey=&title=
//    &expand=body.storage,version. Created under the parent (Cloud POST /api/v2/pages with
//    parentId; DC POST /rest/api/content with ancestors); updated (Cloud PUT /api/v2/pages/ID,
//    DC PUT /rest/api/content/ID) with version.number = the version shown + 1, and only when
//    the content differs from what GET shows, compared after confluence_canonical_storage
//    (Confluence re-serialises what it stores). A 409 (stale version) is answered by reading
//    the page again and one more PUT with that version + 1 (none when it now shows the
//    content); a second 409 is a remote error.
//  - Attachments (after the page exists: they hang off its id; before the update of a page
//    that exists): listed (Cloud GET /api/v2/pages/ID/attachments?filename=; DC GET
//    /rest/api/content/ID/child/attachment?filename=) and uploaded only when the one Confluence
//    shows has another size or no comment "risksync fnv1a64=<hex of the content>". Uploads are
//    multipart (`file`, `comment`, `minorEdit`) with X-Atlassian-Token: no-check: Cloud PUT
//    /rest/api/content/ID/child/attachment (upsert); DC POST …/child/attachment for a new file,
//    POST …/child/attachment/ATT/data for a new version (DC answers 405 to PUT).
//  - The stamp (sync/page_stamp.h): Confluence does not keep HTML comments in storage, so the
//    stamp is the name of an anchor macro (invisible on the page, kept in storage).
//    published_stamp reads it from the page Confluence shows (nullopt: no page, no stamp).
//  - attachment_reference(name): an ac:image of the attachment (the page shows it).
//  - Errors: messages "confluence (<space>): <what>: <why>", quoting Confluence's message
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

namespace risksync::confluence {

enum class Flavor { cloud, data_center };

struct ConfluenceWikiOptions {
  Flavor flavor = Flavor::cloud;
  std::string space;        // the space key
  std::string parent_page;  // optional: title of the parent page
  // Shown in the page's location: the API base URL ("https://acme.atlassian.net/wiki").
  std::string site_url;
  std::string token_field = "wiki.token_env";
};

// Cloud: api_url with "/wiki" added when it does not end with it; Data Center: api_url. No
// trailing '/'.
std::string confluence_api_base(Flavor flavor, std::string_view api_url);

// Accept: application/json and the Authorization header (Cloud Basic base64(email:token),
// Data Center Bearer token).
net::Headers confluence_default_headers(Flavor flavor, std::string_view email,
                                        std::string_view token);

// What Confluence's re-serialisation of storage does not change, for comparing a page with
// what Confluence shows: comments removed, <x/> written <x></x>, &quot; &#39; &apos; as the
// characters, white space between tags removed, ends trimmed.
std::string confluence_canonical_storage(std::string_view storage);

class ConfluenceWiki final : public Wiki {
 public:
  ConfluenceWiki(ConfluenceWikiOptions options, net::HttpTransport& transport,
                 const net::Redactor* redactor = nullptr);

  std::string describe() const override;  // "confluence cloud (SEC)"
  PageFormat page_format() const override { return PageFormat::confluence_storage; }
  std::string attachment_reference(std::string_view file_name) const override;
  Result<std::optional<PublicationStamp>> published_stamp(const std::string& title) override;
  Result<PublishResult> publish(const WikiPage& page) override;

 private:
  struct ShownPage {
    std::string id;
    std::string title;
    std::string body;
    long long version = 0;
  };
  struct ShownAttachment {
    std::string id;
    long long size = -1;
    std::string comment;
  };

  Status preflight();
  Result<std::optional<ShownPage>> find_page(const std::string& title);
  Result<ShownPage> read_page_by_id(const std::string& id);
  Result<std::string> create_page(const WikiPage& page);
  // Ok(true) when written, Ok(false) on a 409 (stale version).
  Result<bool> update_page(const ShownPage& shown, const WikiPage& page);
  Result<std::optional<ShownAttachment>> find_attachment(const std::string& page_id,
                                                         const std::string& file_name);
  Result<bool> ensure_attachment(const std::string& page_id, const WikiAttachment& attachment);
  Error error_from(std::string_view what, const net::HttpResponse& response) const;
  Error transport_error(std::string_view what, const Error& error) const;
  std::string prefix() const;
  std::string redacted(std::string_view text) const;

  ConfluenceWikiOptions options_;
  net::HttpTransport& transport_;
  const net::Redactor* redactor_;
  std::string space_id_;   // Cloud: the numeric id of the space
  std::string parent_id_;  // the parent page's id, when configured
  bool preflight_done_ = false;
};

}  // namespace risksync::confluence
