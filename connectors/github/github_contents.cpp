#include "connectors/github/github_contents.h"

#include <openssl/evp.h>

#include <array>
#include <cctype>
#include <optional>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "net/json_body.h"
#include "sync/page_stamp.h"
#include "util/base64.h"

namespace risksync::github {

namespace {

using nlohmann::json;

bool has_control(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  return false;
}

// "docs/risques.md": relative, no empty, "." or ".." segment, no backslash or control char.
Status check_repo_path(std::string_view path) {
  const auto bad = [&](std::string_view why) {
    return bad_input(
        "'" + std::string(path) + "' cannot be a file of the repository: " + std::string(why), {},
        "wiki.path");
  };
  if (path.empty()) return bad("it is empty");
  if (path.front() == '/' || path.back() == '/')
    return bad("it must be relative to the repository root and name a file");
  if (has_control(path) || path.find('\\') != std::string_view::npos)
    return bad("it contains a backslash or a control character");
  std::size_t pos = 0;
  while (pos <= path.size()) {
    auto end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view seg = path.substr(pos, end - pos);
    if (seg.empty() || seg == "." || seg == "..")
      return bad("it has an empty, '.' or '..' segment");
    if (seg == ".git") return bad("it points inside .git");
    pos = end + 1;
  }
  return ok_status();
}

std::string encode_path(std::string_view path) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    auto end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    if (!out.empty()) out += '/';
    out += net::encode_path_segment(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

std::string string_field(const json& j, std::string_view key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

}  // namespace

std::string git_blob_sha1(std::string_view content) {
  const std::string header = "blob " + std::to_string(content.size()) + std::string(1, '\0');
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx, header.data(), header.size()) == 1 &&
            EVP_DigestUpdate(ctx, content.data(), content.size()) == 1 &&
            EVP_DigestFinal_ex(ctx, digest.data(), &len) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0F];
  }
  return out;
}

GitHubContentsPublisher::GitHubContentsPublisher(GitHubContentsOptions options,
                                                 net::HttpTransport& transport,
                                                 const net::Redactor* redactor)
    : options_(std::move(options)), transport_(transport), redactor_(redactor) {}

std::string GitHubContentsPublisher::describe() const {
  return "github (" + options_.owner + "/" + options_.repo + ") file " + options_.path +
         (options_.branch.empty() ? "" : " on branch " + options_.branch);
}

std::string GitHubContentsPublisher::redacted(std::string_view text) const {
  if (redactor_ != nullptr) return redactor_->redact(text);
  return net::Redactor().redact(text);
}

std::string GitHubContentsPublisher::contents_url(const std::string& path) const {
  return "/repos/" + net::encode_path_segment(options_.owner) + "/" +
         net::encode_path_segment(options_.repo) + "/contents/" + encode_path(path);
}

Result<std::string> GitHubContentsPublisher::attachment_path(std::string_view file_name) const {
  if (Status s = check_repo_path(options_.path); !s) return s.error();
  if (file_name.empty() || file_name.front() == '.' || has_control(file_name) ||
      file_name.find_first_of("/\\") != std::string_view::npos)
    return bad_input("attachment name '" + std::string(file_name) +
                     "' must be a plain file name (no folder, no leading '.')");
  const auto slash = options_.path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : options_.path.substr(0, slash + 1);
  std::string out = dir + std::string(file_name);
  if (out == options_.path)
    return bad_input("attachment '" + std::string(file_name) + "' has the page's own file name");
  return out;
}

Error GitHubContentsPublisher::error_from(std::string_view what,
                                          const net::HttpResponse& response) const {
  const std::string prefix =
      "github (" + options_.owner + "/" + options_.repo + "): " + std::string(what) + ": ";
  const std::string said = redacted(net::describe_body(response.body));
  const std::string status = "HTTP " + std::to_string(response.status);
  switch (response.status) {
    case 401:
      return bad_input(
          prefix + status + ": the token was refused (invalid or expired); GitHub said: " + said,
          {}, "tracker.token_env");
    case 403:
      return bad_input(prefix + status +
                           ": the token may not write this repository's contents (fine-grained: "
                           "Contents read and write; classic: repo); GitHub said: " +
                           said,
                       {}, "tracker.token_env");
    case 404:
      return bad_input(
          prefix + status + ": repository " + options_.owner + "/" + options_.repo +
              (options_.branch.empty() ? "" : " or its branch '" + options_.branch + "'") +
              " not found, or the token cannot see it; check the repository name, "
              "the branch and the token's access. GitHub said: " +
              said,
          {}, "wiki.path");
    default:
      return remote_error(prefix + status + ": " + said);
  }
}

Result<GitHubContentsPublisher::FileOutcome> GitHubContentsPublisher::put_file(
    const std::string& path, const std::string& content, const std::string& message) {
  const std::string url = contents_url(path);
  const std::string shown = options_.owner + "/" + options_.repo + ":" + path;
  for (int attempt = 0; attempt < 2; ++attempt) {
    net::HttpRequest get;
    get.method = "GET";
    get.path_and_query = url;
    if (!options_.branch.empty())
      get.path_and_query += "?ref=" + net::encode_query_value(options_.branch);
    auto current = transport_.send(get);
    if (!current)
      return remote_error(redacted("github: reading " + shown + ": " + current.error().message));

    std::optional<std::string> sha;
    FileOutcome outcome;
    if (current->status == 200) {
      const json j = json::parse(current->body, nullptr, false);
      if (j.is_array())
        return bad_input("github (" + options_.owner + "/" + options_.repo + "): '" + path +
                             "' is a folder in the repository, not a file",
                         {}, "wiki.path");
      if (!j.is_object() || string_field(j, "sha").empty())
        return remote_error("github: reading " + shown + ": the answer is not a file description");
      if (const std::string type = string_field(j, "type"); !type.empty() && type != "file")
        return bad_input("github (" + options_.owner + "/" + options_.repo + "): '" + path +
                             "' is a " + type + " in the repository, not a file",
                         {}, "wiki.path");
      sha = string_field(j, "sha");
      outcome.html_url = string_field(j, "html_url");
      bool same = *sha == git_blob_sha1(content);
      const std::string encoded = string_field(j, "content");
      if (!same && string_field(j, "encoding") == "base64" && !encoded.empty()) {
        const auto decoded = base64_decode(encoded);
        same = decoded && *decoded == content;
      }
      if (same) {
        spdlog::debug("github: {} unchanged", shown);
        return outcome;
      }
    } else if (current->status != 404) {
      return error_from("reading " + path, *current);
    }

    json body = {{"message", message}, {"content", base64_encode(content)}};
    if (sha) body["sha"] = *sha;
    if (!options_.branch.empty()) body["branch"] = options_.branch;
    net::HttpRequest put;
    put.method = "PUT";
    put.path_and_query = url;
    put.body = body.dump();
    put.content_type = "application/json";
    auto written = transport_.send(put);
    if (!written)
      return remote_error(redacted("github: writing " + shown + ": " + written.error().message));
    if (written->status == 200 || written->status == 201) {
      const json j = json::parse(written->body, nullptr, false);
      if (j.is_object() && j.contains("content") && j["content"].is_object()) {
        const std::string html = string_field(j["content"], "html_url");
        if (!html.empty()) outcome.html_url = html;
      }
      spdlog::info("github: {} {}", shown, written->status == 201 ? "created" : "updated");
      outcome.changed = true;
      return outcome;
    }
    if ((written->status == 409 || written->status == 422) && attempt == 0) {
      spdlog::warn("github: {} changed meanwhile (HTTP {}); reading it again", shown,
                   written->status);
      continue;
    }
    return error_from("writing " + path, *written);
  }
  return remote_error("github (" + options_.owner + "/" + options_.repo + "): writing " + path +
                      ": the file kept changing while risksync wrote it; run risksync again");
}

Result<std::optional<PublicationStamp>> GitHubContentsPublisher::published_stamp(
    const std::string& title) {
  // The page lives at options_.path whatever its title; the title is still checked so that
  // every Wiki refuses the same titles.
  if (Status s = check_page_title(title); !s) return s.error();
  if (Status s = check_repo_path(options_.path); !s) return s.error();
  net::HttpRequest get;
  get.method = "GET";
  get.path_and_query = contents_url(options_.path);
  if (!options_.branch.empty())
    get.path_and_query += "?ref=" + net::encode_query_value(options_.branch);
  auto current = transport_.send(get);
  if (!current)
    return remote_error(
        redacted("github: reading " + options_.path + ": " + current.error().message));
  if (current->status == 404) return std::optional<PublicationStamp>{};
  if (current->status != 200) return error_from("reading " + options_.path, *current);
  const json j = json::parse(current->body, nullptr, false);
  // A folder, or a file too large for GitHub to inline its content: no stamp to read (publish
  // reports the folder; a large page is compared by its blob sha).
  if (!j.is_object() || string_field(j, "encoding") != "base64") {
    return std::optional<PublicationStamp>{};
  }
  const auto decoded = base64_decode(string_field(j, "content"));
  if (!decoded) return std::optional<PublicationStamp>{};
  return read_page_stamp(*decoded);
}

Result<PublishResult> GitHubContentsPublisher::publish(const WikiPage& page) {
  if (Status s = check_page_title(page.title); !s) return s.error();
  if (Status s = check_repo_path(options_.path); !s) return s.error();
  if (options_.owner.empty() || options_.repo.empty())
    return bad_input("the repository must be given as owner/name", {}, "tracker.repository");
  std::vector<std::pair<std::string, const std::string*>> files;
  for (const WikiAttachment& a : page.attachments) {
    auto p = attachment_path(a.file_name);
    if (!p) return p.error();
    for (const auto& f : files)
      if (f.first == *p) return bad_input("two attachments are named '" + a.file_name + "'");
    files.emplace_back(*p, &a.content);
  }
  files.emplace_back(options_.path, &page.content);  // last: the page links to its images
  const std::string message =
      page.commit_message.empty() ? "Update " + page.title + " (risksync)" : page.commit_message;

  PublishResult result;
  for (const auto& [path, content] : files) {
    auto outcome = put_file(path, *content, message);
    if (!outcome) return outcome.error();
    result.changed = result.changed || outcome->changed;
    if (path == options_.path) result.location = outcome->html_url;
  }
  if (result.location.empty())
    result.location = "https://github.com/" + options_.owner + "/" + options_.repo + "/blob/" +
                      (options_.branch.empty() ? "HEAD" : options_.branch) + "/" + options_.path;
  return result;
}

}  // namespace risksync::github
