#include "confluence/fake_confluence.h"

#include <nlohmann/json.hpp>

#include "util/base64.h"

namespace risksync::testing {

namespace {

using nlohmann::json;

FakeResponse error(int status, const std::string& message) {
  return FakeResponse::json(
      status, json{{"statusCode", status}, {"message", message}, {"data", json::object()}}.dump());
}

std::string usual_message(int status) {
  switch (status) {
    case 401:
      return "Unauthorized; scope does not match";
    case 403:
      return "You do not have permission to do this";
    case 404:
      return "No content found";
    case 409:
      return "Version must be incremented on update. Current version is: 1";
    case 429:
      return "Rate limit exceeded";
    default:
      return "Internal server error";
  }
}

bool method_matches(const std::string& wanted, const std::string& method) {
  return wanted == "*" || wanted == method || (wanted == "WRITE" && method != "GET");
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

}  // namespace

FakeConfluence::FakeConfluence(FakeConfluenceFlavor flavor)
    : flavor_(flavor), server_(std::make_unique<FakeHttpServer>()) {
  server_->on("*", ".*", [this](const RecordedRequest& rq) { return handle(rq); });
}

FakeConfluence::~FakeConfluence() {
  server_.reset();
}

std::string FakeConfluence::base_url() const {
  return server_->base_url() + (flavor_ == FakeConfluenceFlavor::cloud ? "/wiki" : "");
}

std::string FakeConfluence::reserialised(const std::string& storage) {
  std::string s;
  for (std::size_t i = 0; i < storage.size();) {
    if (storage.compare(i, 4, "<!--") == 0) {
      const auto end = storage.find("-->", i + 4);
      i = end == std::string::npos ? storage.size() : end + 3;
      continue;
    }
    s += storage[i++];
  }
  static const std::regex self_closing(R"(<([A-Za-z][A-Za-z0-9:_-]*)([^<>]*?)\s*/>)");
  s = std::regex_replace(s, self_closing, "<$1$2></$1>");
  replace_all(s, "&#39;", "'");
  replace_all(s, ">\n<", "><");
  return s;
}

std::string FakeConfluence::add_page(const std::string& title, const std::string& body,
                                     const std::string& parent_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  FakeConfluencePage p;
  p.id = std::to_string(next_id_++);
  p.space_key = space_key();
  p.title = title;
  p.body = reserialised(body);
  p.parent_id = parent_id;
  pages_.push_back(p);
  return p.id;
}

void FakeConfluence::set_page_body(const std::string& title, const std::string& body) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeConfluencePage* p = find_page(space_key(), title)) {
    p->body = reserialised(body);
    ++p->version;
  }
}

void FakeConfluence::delete_attachment(const std::string& page_title,
                                       const std::string& file_name) {
  std::lock_guard<std::mutex> lock(mutex_);
  const FakeConfluencePage* p = find_page(space_key(), page_title);
  if (p == nullptr) return;
  std::erase_if(attachments_, [&](const FakeConfluenceAttachment& a) {
    return a.page_id == p->id && a.file_name == file_name;
  });
}

void FakeConfluence::edit_before_next_put() {
  std::lock_guard<std::mutex> lock(mutex_);
  edit_before_next_put_ = true;
}

std::optional<FakeConfluencePage> FakeConfluence::page(const std::string& title) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& p : pages_)
    if (p.title == title) return p;
  return std::nullopt;
}

std::optional<FakeConfluenceAttachment> FakeConfluence::attachment(
    const std::string& page_title, const std::string& file_name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& p : pages_) {
    if (p.title != page_title) continue;
    for (const auto& a : attachments_)
      if (a.page_id == p.id && a.file_name == file_name) return a;
  }
  return std::nullopt;
}

void FakeConfluence::respond_next(std::string method, std::string path_regex, FakeResponse response,
                                  int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.push_back(Fault{std::move(method), std::regex(path_regex), std::move(response), times});
}

void FakeConfluence::fail_next(std::string method, std::string path_regex, int status, int times,
                               std::string message) {
  respond_next(std::move(method), std::move(path_regex),
               error(status, message.empty() ? usual_message(status) : message), times);
}

void FakeConfluence::clear_faults() {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.clear();
}

std::string FakeConfluence::path_of(const RecordedRequest& rq) const {
  if (flavor_ == FakeConfluenceFlavor::cloud) {
    if (rq.path.rfind("/wiki/", 0) != 0) return {};
    return rq.path.substr(5);
  }
  return rq.path;
}

std::size_t FakeConfluence::count(const std::string& method, const std::string& path_regex) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::regex re(path_regex);
  std::size_t n = 0;
  for (const auto& rq : log_)
    n += method_matches(method, rq.method) && std::regex_match(path_of(rq), re);
  return n;
}

std::vector<RecordedRequest> FakeConfluence::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return log_;
}

FakeConfluencePage* FakeConfluence::find_page(const std::string& space, const std::string& title) {
  for (auto& p : pages_)
    if (p.space_key == space && p.title == title) return &p;
  return nullptr;
}

FakeConfluencePage* FakeConfluence::find_page_by_id(const std::string& id) {
  for (auto& p : pages_)
    if (p.id == id) return &p;
  return nullptr;
}

std::string FakeConfluence::page_json(const FakeConfluencePage& p, bool with_body) const {
  json j;
  j["id"] = p.id;
  j["title"] = p.title;
  j["status"] = "current";
  j["version"] = {{"number", p.version}};
  if (flavor_ == FakeConfluenceFlavor::cloud) {
    j["spaceId"] = "98304";
    if (!p.parent_id.empty()) j["parentId"] = p.parent_id;
    j["body"] = with_body ? json{{"storage", {{"representation", "storage"}, {"value", p.body}}}}
                          : json::object();
    j["_links"] = {{"webui", "/spaces/SEC/pages/" + p.id}};
  } else {
    j["type"] = "page";
    j["space"] = {{"key", p.space_key}};
    if (with_body) j["body"] = {{"storage", {{"representation", "storage"}, {"value", p.body}}}};
  }
  return j.dump();
}

std::string FakeConfluence::attachment_json(const FakeConfluenceAttachment& a) const {
  json j;
  j["id"] = a.id;
  j["title"] = a.file_name;
  if (flavor_ == FakeConfluenceFlavor::cloud) {
    j["mediaType"] = a.media_type;
    j["fileSize"] = a.content.size();
    j["comment"] = a.comment;
    j["pageId"] = a.page_id;
    j["version"] = {{"number", a.version}};
  } else {
    j["type"] = "attachment";
    j["metadata"] = {{"mediaType", a.media_type}, {"comment", a.comment}};
    j["extensions"] = {{"fileSize", a.content.size()}, {"mediaType", a.media_type}};
    j["version"] = {{"number", a.version}};
  }
  return j.dump();
}

FakeResponse FakeConfluence::handle(const RecordedRequest& rq) {
  std::lock_guard<std::mutex> lock(mutex_);
  log_.push_back(rq);
  const std::string path = path_of(rq);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (method_matches(it->method, rq.method) && std::regex_match(path, it->path)) {
      FakeResponse r = it->response;
      if (--it->remaining <= 0) faults_.erase(it);
      return r;
    }
  }
  const std::string wanted_auth = flavor_ == FakeConfluenceFlavor::cloud
                                      ? "Basic " + base64_encode(email() + ":" + token())
                                      : "Bearer " + token();
  if (rq.header("Authorization") != wanted_auth) return error(401, usual_message(401));
  if (path.empty()) return error(404, "Not found");
  return handle_locked(rq, path);
}

FakeResponse FakeConfluence::upload(const RecordedRequest& rq, const std::string& page_id,
                                    const std::string& attachment_id, bool upsert) {
  if (rq.header("X-Atlassian-Token") != "no-check") return error(403, "XSRF check failed");
  if (find_page_by_id(page_id) == nullptr) return error(404, "No content with id " + page_id);
  const RecordedFormPart* file = nullptr;
  std::string comment;
  for (const auto& part : rq.form_parts) {
    if (part.name == "file") file = &part;
    if (part.name == "comment") comment = part.content;
  }
  if (file == nullptr || file->filename.empty())
    return error(400, "Attachment file must be supplied in the 'file' field");
  FakeConfluenceAttachment* existing = nullptr;
  for (auto& a : attachments_) {
    if (a.page_id != page_id) continue;
    if (!attachment_id.empty() ? a.id == attachment_id : a.file_name == file->filename)
      existing = &a;
  }
  if (!attachment_id.empty() && existing == nullptr)
    return error(404, "No attachment with id " + attachment_id);
  if (existing != nullptr && attachment_id.empty() && !upsert)
    return error(400,
                 "Cannot add a new attachment with same file name as an existing attachment: " +
                     file->filename);
  if (existing == nullptr) {
    FakeConfluenceAttachment a;
    a.id = "att" + std::to_string(next_id_++);
    a.page_id = page_id;
    a.file_name = file->filename;
    attachments_.push_back(a);
    existing = &attachments_.back();
  } else {
    ++existing->version;
  }
  existing->content = file->content;
  existing->media_type = file->content_type;
  existing->comment = comment;
  return FakeResponse::json(200, "{\"results\":[" + attachment_json(*existing) + "]}");
}

FakeResponse FakeConfluence::handle_locked(const RecordedRequest& rq, const std::string& path) {
  const bool cloud = flavor_ == FakeConfluenceFlavor::cloud;
  std::smatch m;
  static const std::regex v2_page(R"(/api/v2/pages/(\d+))");
  static const std::regex v2_page_attachments(R"(/api/v2/pages/(\d+)/attachments)");
  static const std::regex v1_page(R"(/rest/api/content/(\d+))");
  static const std::regex v1_attachments(R"(/rest/api/content/(\d+)/child/attachment)");
  static const std::regex v1_attachment_data(
      R"(/rest/api/content/(\d+)/child/attachment/([A-Za-z0-9]+)/data)");
  static const std::regex dc_space(R"(/rest/api/space/([^/]+))");

  // Attachment uploads (v1 on both flavours).
  if (std::regex_match(path, m, v1_attachments)) {
    const std::string id = m[1];
    if (rq.method == "GET") {
      std::string results;
      const std::string wanted = rq.param("filename");
      for (const auto& a : attachments_)
        if (a.page_id == id && (wanted.empty() || a.file_name == wanted))
          results += (results.empty() ? "" : ",") + attachment_json(a);
      return FakeResponse::json(200, "{\"results\":[" + results + "],\"size\":0}");
    }
    if (rq.method == "PUT") {
      if (!cloud) return error(405, "Method Not Allowed");
      return upload(rq, id, "", /*upsert=*/true);
    }
    if (rq.method == "POST") return upload(rq, id, "", /*upsert=*/false);
    return error(405, "Method Not Allowed");
  }
  if (std::regex_match(path, m, v1_attachment_data)) {
    if (rq.method != "POST") return error(405, "Method Not Allowed");
    return upload(rq, m[1], m[2], false);
  }

  if (cloud) {
    if (path == "/api/v2/spaces" && rq.method == "GET") {
      const std::string keys = rq.param("keys");
      if (keys == space_key())
        return FakeResponse::json(
            200, R"({"results":[{"id":"98304","key":"SEC","name":"Sécurité"}],"_links":{}})");
      return FakeResponse::json(200, R"({"results":[],"_links":{}})");
    }
    if (path == "/api/v2/pages" && rq.method == "GET") {
      if (rq.param("space-id") != "98304") return FakeResponse::json(200, R"({"results":[]})");
      std::string results;
      const bool with_body = rq.param("body-format") == "storage";
      for (const auto& p : pages_)
        if (p.title == rq.param("title")) results += page_json(p, with_body);
      return FakeResponse::json(200, "{\"results\":[" + results + "],\"_links\":{}}");
    }
    if (path == "/api/v2/pages" && rq.method == "POST") {
      const json b = json::parse(rq.body, nullptr, false);
      if (!b.is_object() || !b.contains("title") || !b.contains("body") ||
          b["body"].value("representation", "") != "storage" || !b["body"].contains("value"))
        return error(400, "Invalid request body");
      if (b.value("spaceId", "") != "98304") return error(404, "Space not found");
      const std::string parent = b.value("parentId", "");
      if (!parent.empty() && find_page_by_id(parent) == nullptr)
        return error(404, "Parent page not found");
      const std::string title = b["title"].get<std::string>();
      if (find_page(space_key(), title) != nullptr)
        return error(400,
                     "A page with this title already exists: A page already exists with "
                     "the same TITLE in this space");
      FakeConfluencePage p;
      p.id = std::to_string(next_id_++);
      p.space_key = space_key();
      p.title = title;
      p.parent_id = parent;
      p.body = reserialised(b["body"]["value"].get<std::string>());
      pages_.push_back(p);
      return FakeResponse::json(200, page_json(p, false));
    }
    if (std::regex_match(path, m, v2_page_attachments) && rq.method == "GET") {
      std::string results;
      for (const auto& a : attachments_)
        if (a.page_id == m[1].str() &&
            (rq.param("filename").empty() || a.file_name == rq.param("filename")))
          results += (results.empty() ? "" : ",") + attachment_json(a);
      return FakeResponse::json(200, "{\"results\":[" + results + "],\"_links\":{}}");
    }
  } else {
    if (std::regex_match(path, m, dc_space) && rq.method == "GET") {
      if (m[1].str() != space_key()) return error(404, "No space with key : " + m[1].str());
      return FakeResponse::json(200,
                                R"({"id":98304,"key":"SEC","name":"Sécurité","type":"global"})");
    }
    if (path == "/rest/api/content" && rq.method == "GET") {
      std::string results;
      const bool with_body = rq.param("expand").find("body.storage") != std::string::npos;
      for (const auto& p : pages_)
        if (p.space_key == rq.param("spaceKey") && p.title == rq.param("title"))
          results += page_json(p, with_body);
      return FakeResponse::json(
          200, "{\"results\":[" + results + "],\"start\":0,\"limit\":25,\"size\":0}");
    }
    if (path == "/rest/api/content" && rq.method == "POST") {
      const json b = json::parse(rq.body, nullptr, false);
      if (!b.is_object() || b.value("type", "") != "page" || !b.contains("title") ||
          !b.contains("body") || !b["body"].contains("storage"))
        return error(400, "Invalid request body");
      if (!b.contains("space") || b["space"].value("key", "") != space_key())
        return error(404, "No space with key");
      std::string parent;
      if (b.contains("ancestors") && b["ancestors"].is_array() && !b["ancestors"].empty())
        parent = b["ancestors"][0].value("id", "");
      if (!parent.empty() && find_page_by_id(parent) == nullptr)
        return error(404, "Parent page not found");
      const std::string title = b["title"].get<std::string>();
      if (find_page(space_key(), title) != nullptr)
        return error(400,
                     "A page with this title already exists: A page already exists with "
                     "the title " +
                         title + " in the space with key SEC");
      FakeConfluencePage p;
      p.id = std::to_string(next_id_++);
      p.space_key = space_key();
      p.title = title;
      p.parent_id = parent;
      p.body = reserialised(b["body"]["storage"].value("value", ""));
      pages_.push_back(p);
      return FakeResponse::json(200, page_json(p, false));
    }
  }

  // One page by id: GET and PUT (v2 on Cloud, v1 on Data Center).
  if (std::regex_match(path, m, cloud ? v2_page : v1_page)) {
    FakeConfluencePage* p = find_page_by_id(m[1]);
    if (p == nullptr) return error(404, "No content found with id " + m[1].str());
    if (rq.method == "GET") {
      const bool with_body = cloud ? rq.param("body-format") == "storage"
                                   : rq.param("expand").find("body.storage") != std::string::npos;
      return FakeResponse::json(200, page_json(*p, with_body));
    }
    if (rq.method == "PUT") {
      if (edit_before_next_put_) {
        edit_before_next_put_ = false;
        ++p->version;  // a person saved the page meanwhile
      }
      const json b = json::parse(rq.body, nullptr, false);
      if (!b.is_object() || !b.contains("version") || !b["version"].contains("number") ||
          !b["version"]["number"].is_number_integer())
        return error(400, "Version must be supplied");
      if (b["version"]["number"].get<long long>() != p->version + 1)
        return error(409, "Version must be incremented on update. Current version is: " +
                              std::to_string(p->version));
      std::string value;
      if (cloud) {
        if (!b.contains("body") || b["body"].value("representation", "") != "storage")
          return error(400, "Invalid request body");
        value = b["body"].value("value", "");
      } else {
        if (!b.contains("body") || !b["body"].contains("storage"))
          return error(400, "Invalid request body");
        value = b["body"]["storage"].value("value", "");
      }
      p->title = b.value("title", p->title);
      p->body = reserialised(value);
      ++p->version;
      return FakeResponse::json(200, page_json(*p, false));
    }
    return error(405, "Method Not Allowed");
  }
  return error(404, "No route " + rq.method + " " + path);
}

}  // namespace risksync::testing
