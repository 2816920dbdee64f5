#include "connectors/gitlab/gitlab_wiki.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <vector>

#include "net/json_body.h"
#include "sync/page_stamp.h"
#include "util/hash.h"

namespace risksync::gitlab {

namespace {

using nlohmann::json;

constexpr std::string_view kPlaceholderPrefix = "risksync-attachment:";

std::string string_field(const json& j, std::string_view key) {
  const json* v = net::json_member(j, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

// What GitLab may change in a page it stores (line endings, trailing newlines) does not count
// as a difference.
std::string normalised(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

bool ends_a_link(char c) {
  return c == ')' || c == '"' || c == '\'' || c == ' ' || c == '\n' || c == '\r' || c == '\t' ||
         c == '>' || c == ']';
}

// The path of an uploaded file named `upload_name` that `content` links to
// ("uploads/<folder>/<upload_name>"), or "" when it links to none.
std::string referenced_upload(std::string_view content, std::string_view upload_name) {
  const std::string tail = "/" + std::string(upload_name);
  for (std::size_t at = content.find(tail); at != std::string_view::npos;
       at = content.find(tail, at + 1)) {
    const std::size_t end = at + tail.size();
    if (end < content.size() && !ends_a_link(content[end])) continue;
    const std::size_t start = content.rfind("uploads/", at);
    if (start == std::string_view::npos) continue;
    const std::string_view folder = content.substr(start + 8, at - start - 8);
    if (folder.empty() || folder.find_first_of("/()\"' \n\t<>[]") != std::string_view::npos)
      continue;
    return std::string(content.substr(start, end - start));
  }
  return {};
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

}  // namespace

std::string gitlab_wiki_slug(std::string_view title) {
  std::string slug(title);
  for (char& c : slug)
    if (c == ' ') c = '-';
  return slug;
}

std::string gitlab_upload_name(std::string_view file_name, std::string_view content) {
  const std::string hash = fnv1a64_hex(content);
  const auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::string(file_name) + "-" + hash;
  return std::string(file_name.substr(0, dot)) + "-" + hash + std::string(file_name.substr(dot));
}

GitLabWiki::GitLabWiki(GitLabWikiOptions options, net::HttpTransport& transport,
                       const net::Redactor* redactor)
    : options_(std::move(options)),
      transport_(transport),
      redactor_(redactor),
      project_path_("/projects/" + net::encode_path_segment(options_.project)) {}

std::string GitLabWiki::describe() const {
  return "gitlab wiki (" + options_.project + ")";
}

std::string GitLabWiki::attachment_reference(std::string_view file_name) const {
  return std::string(kPlaceholderPrefix) + std::string(file_name);
}

std::string GitLabWiki::redacted(std::string_view text) const {
  if (redactor_ != nullptr) return redactor_->redact(text);
  return net::Redactor().redact(text);
}

Error GitLabWiki::error_from(std::string_view what, const net::HttpResponse& response) const {
  const std::string prefix = "gitlab wiki (" + options_.project + "): " + std::string(what) +
                             ": HTTP " + std::to_string(response.status) + ": ";
  const std::string said = redacted(net::describe_body(response.body));
  switch (response.status) {
    case 401:
      return bad_input(
          prefix + "the token was refused (invalid, expired or revoked); GitLab said: " + said, {},
          options_.token_field);
    case 403:
      return bad_input(prefix +
                           "the token may not write this wiki (it needs the api scope and at "
                           "least the Developer role); GitLab said: " +
                           said,
                       {}, options_.token_field);
    case 404:
      return bad_input(prefix + "project " + options_.project +
                           " not found, or the token cannot see it; GitLab said: " + said,
                       {}, options_.project_field);
    default:
      return remote_error(prefix + said);
  }
}

Status GitLabWiki::preflight() {
  if (preflight_done_) return ok_status();
  if (options_.project.empty())
    return bad_input("the GitLab wiki needs a project (group/project or its numeric id)", {},
                     options_.project_field);
  net::HttpRequest get;
  get.path_and_query = project_path_;
  auto answer = transport_.send(get);
  if (!answer)
    return remote_error(redacted("gitlab wiki (" + options_.project +
                                 "): reading the project: " + answer.error().message));
  if (answer->status != 200) return error_from("reading the project", *answer);
  const json project = json::parse(answer->body, nullptr, false);
  if (!project.is_object())
    return remote_error("gitlab wiki (" + options_.project +
                        "): reading the project: GitLab answered " +
                        net::describe_body(answer->body));
  const json* enabled = net::json_member(project, "wiki_enabled");
  const bool disabled = (enabled != nullptr && enabled->is_boolean() && !enabled->get<bool>()) ||
                        string_field(project, "wiki_access_level") == "disabled";
  if (disabled)
    return bad_input("gitlab wiki (" + options_.project +
                         "): the project's wiki is disabled; turn it on (Settings > General > "
                         "Visibility, project features: Wiki) or choose another wiki kind",
                     {}, "wiki.kind");
  web_url_ = string_field(project, "web_url");
  preflight_done_ = true;
  return ok_status();
}

Result<std::optional<GitLabWiki::ShownPage>> GitLabWiki::read_page(const std::string& title) {
  if (Status s = check_page_title(title); !s) return s.error();
  if (Status s = preflight(); !s) return s.error();
  net::HttpRequest get;
  get.path_and_query = project_path_ + "/wikis/" +
                       net::encode_path_segment(gitlab_wiki_slug(title)) + "?with_content=1";
  auto answer = transport_.send(get);
  if (!answer)
    return remote_error(redacted("gitlab wiki (" + options_.project + "): reading page '" + title +
                                 "': " + answer.error().message));
  if (answer->status == 404) {
    // No such page, or no wiki at all: the list of pages tells them apart.
    net::HttpRequest list;
    list.path_and_query = project_path_ + "/wikis";
    auto listed = transport_.send(list);
    if (!listed)
      return remote_error(redacted("gitlab wiki (" + options_.project +
                                   "): listing the wiki: " + listed.error().message));
    if (listed->status == 200) return std::optional<ShownPage>{};
    if (listed->status == 404 || listed->status == 403)
      return bad_input("gitlab wiki (" + options_.project +
                           "): the project has no wiki the token can use (HTTP " +
                           std::to_string(listed->status) +
                           " on its wiki pages); turn the wiki on or choose another wiki kind",
                       {}, "wiki.kind");
    return error_from("listing the wiki", *listed);
  }
  if (answer->status != 200) return error_from("reading page '" + title + "'", *answer);
  const json page = json::parse(answer->body, nullptr, false);
  if (!page.is_object() || !page.contains("content"))
    return remote_error("gitlab wiki (" + options_.project + "): reading page '" + title +
                        "': GitLab answered " + net::describe_body(answer->body));
  return std::optional<ShownPage>{ShownPage{string_field(page, "content")}};
}

Result<std::optional<PublicationStamp>> GitLabWiki::published_stamp(const std::string& title) {
  auto shown = read_page(title);
  if (!shown) return shown.error();
  if (!*shown) return std::optional<PublicationStamp>{};
  return read_page_stamp((*shown)->content);
}

Result<std::string> GitLabWiki::upload(const WikiAttachment& attachment, const std::string& name) {
  const std::string boundary = "risksync-" + fnv1a64_hex(name + attachment.content);
  const std::string media =
      attachment.media_type.empty() ? "application/octet-stream" : attachment.media_type;
  net::HttpRequest post;
  post.method = "POST";
  post.path_and_query = project_path_ + "/wikis/attachments";
  post.content_type = "multipart/form-data; boundary=" + boundary;
  post.body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
              name + "\"\r\nContent-Type: " + media + "\r\n\r\n" + attachment.content + "\r\n--" +
              boundary + "--\r\n";
  auto answer = transport_.send(post);
  const std::string what = "uploading " + attachment.file_name;
  if (!answer)
    return remote_error(redacted("gitlab wiki (" + options_.project + "): " + what + ": " +
                                 answer.error().message));
  if (answer->status != 201 && answer->status != 200) return error_from(what, *answer);
  const json j = json::parse(answer->body, nullptr, false);
  std::string path = string_field(j, "file_path");
  if (path.empty()) {
    if (const json* link = net::json_member(j, "link"); link != nullptr)
      path = string_field(*link, "url");
  }
  if (path.empty())
    return remote_error("gitlab wiki (" + options_.project + "): " + what +
                        ": GitLab answered without file_path: " + net::describe_body(answer->body));
  spdlog::info("gitlab wiki: uploaded {} as {}", attachment.file_name, path);
  return path;
}

Result<PublishResult> GitLabWiki::publish(const WikiPage& page) {
  auto shown = read_page(page.title);
  if (!shown) return shown.error();
  const std::string shown_content = *shown ? (*shown)->content : std::string();

  PublishResult result;
  std::string content = page.content;
  std::vector<std::string> names;
  for (const WikiAttachment& a : page.attachments) {
    if (a.file_name.empty() || a.file_name.front() == '.' ||
        a.file_name.find_first_of("/\\\"()[]<> \t\r\n") != std::string::npos)
      return bad_input("attachment name '" + a.file_name +
                       "' must be a plain file name (no folder, space or bracket)");
    for (const auto& n : names)
      if (n == a.file_name) return bad_input("two attachments are named '" + a.file_name + "'");
    names.push_back(a.file_name);
    const std::string name = gitlab_upload_name(a.file_name, a.content);
    std::string path = referenced_upload(shown_content, name);
    if (path.empty()) {
      auto uploaded = upload(a, name);
      if (!uploaded) return uploaded.error();
      path = std::move(*uploaded);
      result.changed = true;
    }
    replace_all(content, attachment_reference(a.file_name), path);
  }

  const std::string slug = gitlab_wiki_slug(page.title);
  result.location = (web_url_.empty() ? "gitlab:" + options_.project : web_url_) + "/-/wikis/" +
                    net::encode_path_segment(slug);
  if (*shown && normalised(shown_content) == normalised(content)) {
    spdlog::debug("gitlab wiki: page '{}' unchanged", page.title);
    return result;
  }
  net::HttpRequest write;
  json body = {{"content", content}, {"format", "markdown"}};
  if (*shown) {
    write.method = "PUT";
    write.path_and_query = project_path_ + "/wikis/" + net::encode_path_segment(slug);
  } else {
    write.method = "POST";
    write.path_and_query = project_path_ + "/wikis";
    body["title"] = page.title;
  }
  write.body = body.dump();
  write.content_type = "application/json";
  auto answer = transport_.send(write);
  const std::string what = (*shown ? "updating page '" : "creating page '") + page.title + "'";
  if (!answer)
    return remote_error(redacted("gitlab wiki (" + options_.project + "): " + what + ": " +
                                 answer.error().message));
  if (answer->status != 200 && answer->status != 201) return error_from(what, *answer);
  spdlog::info("gitlab wiki: page '{}' {}", page.title, *shown ? "updated" : "created");
  result.changed = true;
  return result;
}

}  // namespace risksync::gitlab
