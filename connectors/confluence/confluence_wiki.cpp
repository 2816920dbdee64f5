#include "connectors/confluence/confluence_wiki.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <vector>

#include "net/json_body.h"
#include "render/escape.h"
#include "sync/page_stamp.h"
#include "util/base64.h"
#include "util/hash.h"

namespace risksync::confluence {

namespace {

using nlohmann::json;

std::string string_field(const json& j, std::string_view key) {
  const json* v = net::json_member(j, key);
  if (v == nullptr) return {};
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number_integer()) return std::to_string(v->get<long long>());
  return {};
}

long long integer_field(const json* j, std::string_view key) {
  if (j == nullptr) return -1;
  const json* v = net::json_member(*j, key);
  if (v != nullptr && v->is_number_integer()) return v->get<long long>();
  if (v != nullptr && v->is_string()) {
    try {
      return std::stoll(v->get<std::string>());
    } catch (...) {
      return -1;
    }
  }
  return -1;
}

std::string attachment_comment(std::string_view content) {
  return "risksync fnv1a64=" + fnv1a64_hex(content);
}

// The first element of `results` in a listing, or nullptr.
const json* first_result(const json& listing) {
  const json* results = net::json_member(listing, "results");
  if (results == nullptr || !results->is_array() || results->empty()) return nullptr;
  return &(*results)[0];
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

}  // namespace

std::string confluence_api_base(Flavor flavor, std::string_view api_url) {
  std::string base(api_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (flavor == Flavor::cloud && !base.ends_with("/wiki")) base += "/wiki";
  return base;
}

net::Headers confluence_default_headers(Flavor flavor, std::string_view email,
                                        std::string_view token) {
  net::Headers h;
  h.emplace("Accept", "application/json");
  if (flavor == Flavor::cloud) {
    h.emplace("Authorization",
              "Basic " + base64_encode(std::string(email) + ":" + std::string(token)));
  } else {
    h.emplace("Authorization", "Bearer " + std::string(token));
  }
  return h;
}

std::string confluence_canonical_storage(std::string_view in) {
  std::string s;
  s.reserve(in.size());
  // Comments out, <x …/> as <x …></x>.
  for (std::size_t i = 0; i < in.size();) {
    if (in.compare(i, 4, "<!--") == 0) {
      const auto end = in.find("-->", i + 4);
      i = end == std::string_view::npos ? in.size() : end + 3;
      continue;
    }
    if (in[i] == '<' && i + 1 < in.size() && in[i + 1] != '/' && in[i + 1] != '!') {
      const auto close = in.find('>', i);
      if (close != std::string_view::npos && close > i + 1 && in[close - 1] == '/') {
        std::string_view inside = in.substr(i + 1, close - i - 2);
        while (!inside.empty() && inside.back() == ' ') inside.remove_suffix(1);
        const auto name_end = inside.find_first_of(" \t\r\n");
        s += "<" + std::string(inside) + "></" + std::string(inside.substr(0, name_end)) + ">";
        i = close + 1;
        continue;
      }
    }
    s += in[i++];
  }
  replace_all(s, "&quot;", "\"");
  replace_all(s, "&#39;", "'");
  replace_all(s, "&apos;", "'");
  // White space between tags out.
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '>') {
      std::size_t j = i + 1;
      while (j < s.size() && (s[j] == ' ' || s[j] == '\n' || s[j] == '\r' || s[j] == '\t')) ++j;
      out += '>';
      if (j < s.size() && s[j] == '<') {
        i = j - 1;
      }
      continue;
    }
    out += s[i];
  }
  const auto first = out.find_first_not_of(" \n\r\t");
  if (first == std::string::npos) return {};
  const auto last = out.find_last_not_of(" \n\r\t");
  return out.substr(first, last - first + 1);
}

ConfluenceWiki::ConfluenceWiki(ConfluenceWikiOptions options, net::HttpTransport& transport,
                               const net::Redactor* redactor)
    : options_(std::move(options)), transport_(transport), redactor_(redactor) {}

std::string ConfluenceWiki::describe() const {
  return std::string(options_.flavor == Flavor::cloud ? "confluence cloud ("
                                                      : "confluence data-center (") +
         options_.space + ")";
}

std::string ConfluenceWiki::prefix() const {
  return "confluence (" + options_.space + "): ";
}

std::string ConfluenceWiki::attachment_reference(std::string_view file_name) const {
  return "<ac:image><ri:attachment ri:filename=\"" + escape_html(file_name) + "\"/></ac:image>";
}

std::string ConfluenceWiki::redacted(std::string_view text) const {
  if (redactor_ != nullptr) return redactor_->redact(text);
  return net::Redactor().redact(text);
}

Error ConfluenceWiki::transport_error(std::string_view what, const Error& error) const {
  return remote_error(redacted(prefix() + std::string(what) + ": " + error.message));
}

Error ConfluenceWiki::error_from(std::string_view what, const net::HttpResponse& response) const {
  const std::string head =
      prefix() + std::string(what) + ": HTTP " + std::to_string(response.status) + ": ";
  const std::string said = redacted(net::describe_body(response.body));
  switch (response.status) {
    case 401:
      return bad_input(head + "the token was refused (invalid, expired or revoked" +
                           (options_.flavor == Flavor::cloud
                                ? std::string(", or the e-mail is not the token's account")
                                : std::string()) +
                           "); Confluence said: " + said,
                       {}, options_.token_field);
    case 403:
      return bad_input(head +
                           "the token may not do this (it needs permission to view and add "
                           "pages and attachments in the space); Confluence said: " +
                           said,
                       {}, options_.token_field);
    default:
      return remote_error(head + said);
  }
}

Status ConfluenceWiki::preflight() {
  if (preflight_done_) return ok_status();
  if (options_.space.empty())
    return bad_input("the Confluence wiki needs a space key", {}, "wiki.space");
  net::HttpRequest get;
  if (options_.flavor == Flavor::cloud) {
    get.path_and_query = "/api/v2/spaces?" + net::build_query({{"keys", options_.space}});
  } else {
    get.path_and_query = "/rest/api/space/" + net::encode_path_segment(options_.space);
  }
  auto answer = transport_.send(get);
  if (!answer) return transport_error("reading the space", answer.error());
  const auto missing_space = [&] {
    return bad_input(prefix() + "space " + options_.space +
                         " not found, or the token cannot see it (space keys are "
                         "case-sensitive)",
                     {}, "wiki.space");
  };
  if (answer->status == 404) return missing_space();
  if (answer->status != 200) return error_from("reading the space", *answer);
  const json body = json::parse(answer->body, nullptr, false);
  if (!body.is_object())
    return remote_error(prefix() + "reading the space: Confluence answered " +
                        net::describe_body(answer->body));
  if (options_.flavor == Flavor::cloud) {
    const json* space = first_result(body);
    if (space == nullptr) return missing_space();
    space_id_ = string_field(*space, "id");
    if (space_id_.empty())
      return remote_error(prefix() + "reading the space: no id in " +
                          net::describe_body(answer->body));
  }
  preflight_done_ = true;
  if (!options_.parent_page.empty()) {
    auto parent = find_page(options_.parent_page);
    if (!parent) {
      preflight_done_ = false;
      return parent.error();
    }
    if (!*parent) {
      preflight_done_ = false;
      return bad_input(prefix() + "the parent page '" + options_.parent_page +
                           "' is not in the space; create it or change parent_page",
                       {}, "wiki.parent_page");
    }
    parent_id_ = (*parent)->id;
  }
  return ok_status();
}

Result<std::optional<ConfluenceWiki::ShownPage>> ConfluenceWiki::find_page(
    const std::string& title) {
  net::HttpRequest get;
  if (options_.flavor == Flavor::cloud) {
    get.path_and_query = "/api/v2/pages?" + net::build_query({{"space-id", space_id_},
                                                              {"title", title},
                                                              {"status", "current"},
                                                              {"body-format", "storage"}});
  } else {
    get.path_and_query =
        "/rest/api/content?" + net::build_query({{"spaceKey", options_.space},
                                                 {"title", title},
                                                 {"type", "page"},
                                                 {"expand", "body.storage,version"}});
  }
  const std::string what = "reading page '" + title + "'";
  auto answer = transport_.send(get);
  if (!answer) return transport_error(what, answer.error());
  if (answer->status != 200) return error_from(what, *answer);
  const json listing = json::parse(answer->body, nullptr, false);
  if (!listing.is_object() || !listing.contains("results"))
    return remote_error(prefix() + what + ": Confluence answered " +
                        net::describe_body(answer->body));
  const json* page = first_result(listing);
  if (page == nullptr) return std::optional<ShownPage>{};
  ShownPage shown;
  shown.id = string_field(*page, "id");
  shown.title = string_field(*page, "title");
  shown.version = integer_field(net::json_member(*page, "version"), "number");
  if (const json* body = net::json_member(*page, "body"); body != nullptr) {
    if (const json* storage = net::json_member(*body, "storage"); storage != nullptr)
      shown.body = string_field(*storage, "value");
  }
  if (shown.id.empty() || shown.version < 0)
    return remote_error(prefix() + what + ": no id or version in " +
                        net::describe_body(answer->body));
  return std::optional<ShownPage>{std::move(shown)};
}

Result<ConfluenceWiki::ShownPage> ConfluenceWiki::read_page_by_id(const std::string& id) {
  net::HttpRequest get;
  get.path_and_query =
      options_.flavor == Flavor::cloud
          ? "/api/v2/pages/" + net::encode_path_segment(id) + "?body-format=storage"
          : "/rest/api/content/" + net::encode_path_segment(id) + "?expand=body.storage,version";
  const std::string what = "reading page " + id;
  auto answer = transport_.send(get);
  if (!answer) return transport_error(what, answer.error());
  if (answer->status != 200) return error_from(what, *answer);
  const json page = json::parse(answer->body, nullptr, false);
  if (!page.is_object())
    return remote_error(prefix() + what + ": Confluence answered " +
                        net::describe_body(answer->body));
  ShownPage shown;
  shown.id = string_field(page, "id");
  shown.title = string_field(page, "title");
  shown.version = integer_field(net::json_member(page, "version"), "number");
  if (const json* body = net::json_member(page, "body"); body != nullptr) {
    if (const json* storage = net::json_member(*body, "storage"); storage != nullptr)
      shown.body = string_field(*storage, "value");
  }
  if (shown.version < 0)
    return remote_error(prefix() + what + ": no version in " + net::describe_body(answer->body));
  return shown;
}

Result<std::optional<PublicationStamp>> ConfluenceWiki::published_stamp(const std::string& title) {
  if (Status s = check_page_title(title); !s) return s.error();
  if (Status s = preflight(); !s) return s.error();
  auto shown = find_page(title);
  if (!shown) return shown.error();
  if (!*shown) return std::optional<PublicationStamp>{};
  return read_page_stamp((*shown)->body);
}

Result<std::string> ConfluenceWiki::create_page(const WikiPage& page) {
  net::HttpRequest post;
  post.method = "POST";
  json body;
  if (options_.flavor == Flavor::cloud) {
    post.path_and_query = "/api/v2/pages";
    body = {{"spaceId", space_id_},
            {"status", "current"},
            {"title", page.title},
            {"body", {{"representation", "storage"}, {"value", page.content}}}};
    if (!parent_id_.empty()) body["parentId"] = parent_id_;
  } else {
    post.path_and_query = "/rest/api/content";
    body = {{"type", "page"},
            {"title", page.title},
            {"space", {{"key", options_.space}}},
            {"body", {{"storage", {{"value", page.content}, {"representation", "storage"}}}}}};
    if (!parent_id_.empty()) body["ancestors"] = json::array({{{"id", parent_id_}}});
  }
  post.body = body.dump();
  post.content_type = "application/json";
  const std::string what = "creating page '" + page.title + "'";
  auto answer = transport_.send(post);
  if (!answer) return transport_error(what, answer.error());
  if (answer->status != 200 && answer->status != 201) return error_from(what, *answer);
  const json created = json::parse(answer->body, nullptr, false);
  const std::string id = created.is_object() ? string_field(created, "id") : std::string();
  if (id.empty())
    return remote_error(prefix() + what + ": no id in " + net::describe_body(answer->body));
  spdlog::info("confluence: page '{}' created ({})", page.title, id);
  return id;
}

Result<bool> ConfluenceWiki::update_page(const ShownPage& shown, const WikiPage& page) {
  net::HttpRequest put;
  put.method = "PUT";
  json body;
  const long long next = shown.version + 1;
  const std::string message = page.commit_message;
  if (options_.flavor == Flavor::cloud) {
    put.path_and_query = "/api/v2/pages/" + net::encode_path_segment(shown.id);
    body = {{"id", shown.id},
            {"status", "current"},
            {"title", page.title},
            {"body", {{"representation", "storage"}, {"value", page.content}}},
            {"version", {{"number", next}, {"message", message}}}};
  } else {
    put.path_and_query = "/rest/api/content/" + net::encode_path_segment(shown.id);
    body = {{"id", shown.id},
            {"type", "page"},
            {"title", page.title},
            {"space", {{"key", options_.space}}},
            {"body", {{"storage", {{"value", page.content}, {"representation", "storage"}}}}},
            {"version", {{"number", next}, {"message", message}}}};
  }
  put.body = body.dump();
  put.content_type = "application/json";
  const std::string what = "updating page '" + page.title + "'";
  auto answer = transport_.send(put);
  if (!answer) return transport_error(what, answer.error());
  if (answer->status == 409) return false;
  if (answer->status != 200) return error_from(what, *answer);
  spdlog::info("confluence: page '{}' updated to version {}", page.title, next);
  return true;
}

Result<std::optional<ConfluenceWiki::ShownAttachment>> ConfluenceWiki::find_attachment(
    const std::string& page_id, const std::string& file_name) {
  net::HttpRequest get;
  get.path_and_query = options_.flavor == Flavor::cloud
                           ? "/api/v2/pages/" + net::encode_path_segment(page_id) +
                                 "/attachments?" + net::build_query({{"filename", file_name}})
                           : "/rest/api/content/" + net::encode_path_segment(page_id) +
                                 "/child/attachment?" +
                                 net::build_query({{"filename", file_name}, {"expand", "version"}});
  const std::string what = "reading attachment " + file_name;
  auto answer = transport_.send(get);
  if (!answer) return transport_error(what, answer.error());
  if (answer->status != 200) return error_from(what, *answer);
  const json listing = json::parse(answer->body, nullptr, false);
  if (!listing.is_object())
    return remote_error(prefix() + what + ": Confluence answered " +
                        net::describe_body(answer->body));
  const json* results = net::json_member(listing, "results");
  if (results == nullptr || !results->is_array()) return std::optional<ShownAttachment>{};
  for (const json& a : *results) {
    if (!a.is_object() || string_field(a, "title") != file_name) continue;
    ShownAttachment shown;
    shown.id = string_field(a, "id");
    if (options_.flavor == Flavor::cloud) {
      shown.size = integer_field(&a, "fileSize");
      shown.comment = string_field(a, "comment");
    } else {
      shown.size = integer_field(net::json_member(a, "extensions"), "fileSize");
      if (const json* metadata = net::json_member(a, "metadata"); metadata != nullptr)
        shown.comment = string_field(*metadata, "comment");
    }
    return std::optional<ShownAttachment>{std::move(shown)};
  }
  return std::optional<ShownAttachment>{};
}

Result<bool> ConfluenceWiki::ensure_attachment(const std::string& page_id,
                                               const WikiAttachment& attachment) {
  auto shown = find_attachment(page_id, attachment.file_name);
  if (!shown) return shown.error();
  const std::string comment = attachment_comment(attachment.content);
  if (*shown && (*shown)->size == static_cast<long long>(attachment.content.size()) &&
      (*shown)->comment.find(comment) != std::string::npos)
    return false;

  const std::string boundary = "risksync-" + fnv1a64_hex(attachment.file_name + comment);
  const std::string media =
      attachment.media_type.empty() ? "application/octet-stream" : attachment.media_type;
  const auto field = [&](std::string_view name, std::string_view value) {
    return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + std::string(name) +
           "\"\r\n\r\n" + std::string(value) + "\r\n";
  };
  net::HttpRequest upload;
  upload.content_type = "multipart/form-data; boundary=" + boundary;
  upload.body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
                attachment.file_name + "\"\r\nContent-Type: " + media + "\r\n\r\n" +
                attachment.content + "\r\n" + field("comment", comment) +
                field("minorEdit", "true") + "--" + boundary + "--\r\n";
  net::set_header(upload.headers, "X-Atlassian-Token", "no-check");
  const std::string base =
      "/rest/api/content/" + net::encode_path_segment(page_id) + "/child/attachment";
  if (options_.flavor == Flavor::cloud) {
    upload.method = "PUT";  // the upsert: a new attachment or a new version of it
    upload.path_and_query = base;
  } else if (*shown) {
    upload.method = "POST";  // a new version of an existing attachment
    upload.path_and_query = base + "/" + net::encode_path_segment((*shown)->id) + "/data";
    upload.idempotent = true;
  } else {
    upload.method = "POST";
    upload.path_and_query = base;
  }
  const std::string what = "uploading " + attachment.file_name;
  auto answer = transport_.send(upload);
  if (!answer) return transport_error(what, answer.error());
  if (answer->status != 200 && answer->status != 201) return error_from(what, *answer);
  spdlog::info("confluence: attachment {} uploaded", attachment.file_name);
  return true;
}

Result<PublishResult> ConfluenceWiki::publish(const WikiPage& page) {
  if (Status s = check_page_title(page.title); !s) return s.error();
  if (Status s = preflight(); !s) return s.error();
  for (std::size_t i = 0; i < page.attachments.size(); ++i) {
    const std::string& name = page.attachments[i].file_name;
    if (name.empty() || name.front() == '.' || name.find_first_of("/\\\r\n\"") != std::string::npos)
      return bad_input("attachment name '" + name + "' must be a plain file name");
    for (std::size_t j = 0; j < i; ++j)
      if (page.attachments[j].file_name == name)
        return bad_input("two attachments are named '" + name + "'");
  }
  auto found = find_page(page.title);
  if (!found) return found.error();

  PublishResult result;
  std::string page_id;
  if (!*found) {
    auto created = create_page(page);
    if (!created) return created.error();
    page_id = *created;
    result.changed = true;
    for (const WikiAttachment& a : page.attachments) {
      auto uploaded = ensure_attachment(page_id, a);
      if (!uploaded) return uploaded.error();
    }
  } else {
    ShownPage shown = std::move(**found);
    page_id = shown.id;
    // Attachments first: the page written next never links to a missing file.
    for (const WikiAttachment& a : page.attachments) {
      auto uploaded = ensure_attachment(page_id, a);
      if (!uploaded) return uploaded.error();
      result.changed = result.changed || *uploaded;
    }
    const std::string wanted = confluence_canonical_storage(page.content);
    for (int attempt = 0;; ++attempt) {
      if (shown.title == page.title && confluence_canonical_storage(shown.body) == wanted) {
        spdlog::debug("confluence: page '{}' unchanged", page.title);
        break;
      }
      auto written = update_page(shown, page);
      if (!written) return written.error();
      if (*written) {
        result.changed = true;
        break;
      }
      if (attempt > 0)
        return remote_error(prefix() + "updating page '" + page.title +
                            "': HTTP 409 twice: the page is being edited; try again later");
      spdlog::info("confluence: page '{}' changed meanwhile (409), reading it again", page.title);
      auto again = read_page_by_id(page_id);
      if (!again) return again.error();
      shown = std::move(*again);
      if (shown.title.empty()) shown.title = page.title;
    }
  }
  result.location = options_.site_url + "/pages/viewpage.action?pageId=" + page_id;
  return result;
}

}  // namespace risksync::confluence
