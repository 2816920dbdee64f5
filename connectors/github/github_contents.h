// GitHubContentsPublisher: publishes the dashboard as files of the MAIN repository through the
// Contents API (API-NOTES.md §1 "Alternative"), e.g. `docs/risques.md`, for teams that keep
// their documentation in the repository (or a Pages branch) rather than in the wiki.
//
// Contract of publish():
//  - The page goes to `options.path`; each attachment goes beside it, in the same folder,
//    under its own file name (the page references attachments by name, so links keep working:
//    to get `docs/risques.svg`, name the attachment "risques.svg" — see attachment_path()).
//    Attachments are written before the page, so the page never links to a missing image.
//  - For each file: GET /repos/{o}/{r}/contents/{path}[?ref=branch] reads the current `sha`
//    and content (base64, wrapped with line breaks); identical content (compared on the
//    decoded bytes, or on git's blob SHA-1 when GitHub omits the content of a large file)
//    means no PUT. Otherwise PUT {message, content (base64), sha when the file exists, branch
//    when set}: 201 created, 200 updated. A 409 or 422 (the sha moved: someone committed
//    meanwhile) is followed by one fresh GET and one more PUT. Each PUT is one commit.
//  - Returns {changed: whether any file was written, location: the page's html_url}.
//  - Errors (values): bad_input for an invalid path or attachment name, a path that is a
//    folder, 404 (repository, branch or token access: the message says which to check,
//    field "wiki.path"), 401/403 (token refused or without Contents write permission, field
//    "tracker.token_env"); remote for transport failures, 5xx, or answers that are not the
//    expected JSON. Messages read "github (o/r): <what>: <why>", quoting GitHub's `message`
//    through the Redactor, never a token.
//  - Speaks only through the HttpTransport it is given; the caller configures it (base URL
//    from github_api_base(), headers from github_default_headers(), connectors/github/
//    github_tracker.h). Retries and rate limits are the transport's.
// Ownership: keeps references to the transport and redactor (when given); they must outlive the
// publisher. Thread safety: one thread at a time (like the transport).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "net/http.h"
#include "net/redact.h"
#include "sync/wiki.h"
#include "util/result.h"

namespace risksync::github {

struct GitHubContentsOptions {
  std::string owner;
  std::string repo;
  std::string path;    // file of the page in the repository: "docs/risques.md"
  std::string branch;  // empty: the repository's default branch
};

// Git's blob id of `content`: SHA-1 of "blob <size>\0<content>", in lower-case hex (what the
// Contents API returns as `sha`).
std::string git_blob_sha1(std::string_view content);

class GitHubContentsPublisher final : public Wiki {
 public:
  GitHubContentsPublisher(GitHubContentsOptions options, net::HttpTransport& transport,
                          const net::Redactor* redactor = nullptr);

  std::string describe() const override;  // "github (o/r) file docs/risques.md"
  // GET of options.path: the stamp of the page as GitHub shows it; nullopt when the file does
  // not exist (404) or GitHub does not inline its content.
  Result<std::optional<PublicationStamp>> published_stamp(const std::string& title) override;
  Result<PublishResult> publish(const WikiPage& page) override;

  // Where an attachment named `file_name` is written: "docs/" + file_name for
  // path "docs/risques.md"; an Error (bad_input) for a name with a path separator, a leading
  // '.', a control character, or an invalid configured path.
  Result<std::string> attachment_path(std::string_view file_name) const;

 private:
  struct FileOutcome {
    bool changed = false;
    std::string html_url;
  };

  Result<FileOutcome> put_file(const std::string& path, const std::string& content,
                               const std::string& message);
  Error error_from(std::string_view what, const net::HttpResponse& response) const;
  std::string contents_url(const std::string& path) const;
  std::string redacted(std::string_view text) const;

  GitHubContentsOptions options_;
  net::HttpTransport& transport_;
  const net::Redactor* redactor_;
};

}  // namespace risksync::github
