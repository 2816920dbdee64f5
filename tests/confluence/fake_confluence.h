// FakeConfluence: a loopback Confluence, Cloud or Data Center, that behaves like the real one
// where risksync depends on it (API-NOTES-2026.md §5, §6).
//
//  - Cloud (base_url() ends with /wiki): GET /api/v2/spaces?keys=; GET /api/v2/pages
//    ?space-id=&title=[&status=][&body-format=storage] (the body only with body-format);
//    POST /api/v2/pages {spaceId, status, title, parentId?, body{representation: storage,
//    value}}; GET/PUT /api/v2/pages/ID (PUT needs version.number = current + 1, else 409);
//    GET /api/v2/pages/ID/attachments?filename=; v1 PUT /rest/api/content/ID/child/attachment
//    (multipart `file`, upsert) and POST (create; an existing name is 400). Auth: Basic
//    base64(email:token).
//  - Data Center (base_url() without /wiki): GET /rest/api/space/KEY (404 when missing);
//    GET /rest/api/content?spaceKey=&title=&expand=body.storage,version; POST /rest/api/content
//    {type, title, space{key}, ancestors?, body{storage{value, representation}}}; GET/PUT
//    /rest/api/content/ID (version + 1, else 409); GET …/ID/child/attachment?filename=; POST
//    …/child/attachment (create; an existing name is 400 "Cannot add a new attachment with same
//    file name…"); POST …/child/attachment/ATT/data (new version); PUT …/child/attachment is
//    405. Auth: Bearer token.
//  - Both: attachment uploads need X-Atlassian-Token exactly "no-check" (else 403); a title
//    already in the space is 400 on create; the storage body is kept re-serialised a little,
//    as Confluence does: comments dropped, <x/> written <x></x>, &#39; as ', line breaks
//    between tags removed. Every write of a page adds a version.
//  - Faults (checked before auth, in the order added, consumed as they fire): the next N
//    requests matching a method ("*" any, "WRITE" any but GET) and a path regex (the path
//    after /wiki on Cloud) get a response (respond_next, fail_next: a Confluence-like JSON
//    error). edit_before_next_put(): a person saves the page (same body, version + 1) just
//    before the next page PUT is handled, so that PUT is stale (409).
//
// Thread safety: every public method locks.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "support/fake_http_server.h"

namespace risksync::testing {

enum class FakeConfluenceFlavor { cloud, data_center };

struct FakeConfluencePage {
  std::string id;
  std::string space_key;
  std::string title;
  std::string body;  // storage, as Confluence keeps it
  std::string parent_id;
  long long version = 1;
};

struct FakeConfluenceAttachment {
  std::string id;
  std::string page_id;
  std::string file_name;
  std::string media_type;
  std::string content;
  std::string comment;
  long long version = 1;
};

class FakeConfluence {
 public:
  explicit FakeConfluence(FakeConfluenceFlavor flavor);
  ~FakeConfluence();

  FakeConfluenceFlavor flavor() const { return flavor_; }
  std::string base_url() const;  // http://127.0.0.1:PORT/wiki (Cloud) or http://127.0.0.1:PORT
  std::string email() const { return "ada@example.org"; }
  std::string token() const { return "test-confluence-token-0123"; }
  std::string space_key() const { return "SEC"; }

  // A person's actions.
  std::string add_page(const std::string& title, const std::string& body,
                       const std::string& parent_id = "");
  void set_page_body(const std::string& title, const std::string& body);  // version + 1
  void delete_attachment(const std::string& page_title, const std::string& file_name);
  void edit_before_next_put();

  std::optional<FakeConfluencePage> page(const std::string& title) const;
  std::optional<FakeConfluenceAttachment> attachment(const std::string& page_title,
                                                     const std::string& file_name) const;

  // The storage body as the fake keeps it.
  static std::string reserialised(const std::string& storage);

  void respond_next(std::string method, std::string path_regex, FakeResponse response,
                    int times = 1);
  void fail_next(std::string method, std::string path_regex, int status, int times = 1,
                 std::string message = "");
  void clear_faults();
  std::size_t count(const std::string& method, const std::string& path_regex) const;
  std::vector<RecordedRequest> requests() const;

 private:
  struct Fault {
    std::string method;
    std::regex path;
    FakeResponse response;
    int remaining = 1;
  };

  FakeResponse handle(const RecordedRequest& request);
  FakeResponse handle_locked(const RecordedRequest& request, const std::string& path);
  FakeResponse upload(const RecordedRequest& rq, const std::string& page_id,
                      const std::string& attachment_id, bool upsert);
  FakeConfluencePage* find_page(const std::string& space, const std::string& title);
  FakeConfluencePage* find_page_by_id(const std::string& id);
  std::string page_json(const FakeConfluencePage& page, bool with_body) const;
  std::string attachment_json(const FakeConfluenceAttachment& a) const;
  std::string path_of(const RecordedRequest& request) const;

  FakeConfluenceFlavor flavor_;
  mutable std::mutex mutex_;
  std::vector<FakeConfluencePage> pages_;
  std::vector<FakeConfluenceAttachment> attachments_;
  int next_id_ = 65537;
  bool edit_before_next_put_ = false;
  std::vector<Fault> faults_;
  std::vector<RecordedRequest> log_;
  std::unique_ptr<FakeHttpServer> server_;  // last: stopped first
};

}  // namespace risksync::testing
