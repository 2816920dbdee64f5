#include "net/json_body.h"

#include <vector>

namespace risksync::net {

using nlohmann::json;

namespace {

std::string string_member(const json& object, std::string_view key) {
  const json* v = json_member(object, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    out += (out.empty() ? "" : "; ") + part;
  }
  return out;
}

// GitHub's and GraphQL's errors[]: strings, {message}, or {resource, field, code}.
std::vector<std::string> error_array_parts(const json& errors) {
  std::vector<std::string> parts;
  for (const json& e : errors) {
    if (e.is_string()) {
      parts.push_back(e.get<std::string>());
      continue;
    }
    std::string part = string_member(e, "message");
    if (part.empty()) {
      part = string_member(e, "resource");
      const std::string field = string_member(e, "field");
      const std::string code = string_member(e, "code");
      if (!field.empty()) part += (part.empty() ? "" : ".") + field;
      if (!code.empty()) part += (part.empty() ? "" : " ") + code;
    }
    parts.push_back(part);
  }
  return parts;
}

// Jira's errors{} and GitLab's message{}: {"field": "text"} or {"field": ["text", …]}.
std::vector<std::string> field_map_parts(const json& fields) {
  std::vector<std::string> parts;
  for (const auto& [field, value] : fields.items()) {
    if (value.is_string()) {
      parts.push_back(field + ": " + value.get<std::string>());
    } else if (value.is_array()) {
      std::vector<std::string> texts;
      for (const json& t : value)
        if (t.is_string()) texts.push_back(t.get<std::string>());
      if (!texts.empty()) parts.push_back(field + " " + joined(texts));
    }
  }
  return parts;
}

}  // namespace

const json* json_member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::optional<std::uint64_t> json_positive_integer(const json* value) {
  if (value == nullptr) return std::nullopt;
  if (value->is_number_unsigned()) {
    const auto v = value->get<std::uint64_t>();
    return v > 0 ? std::optional<std::uint64_t>(v) : std::nullopt;
  }
  if (value->is_number_integer()) {
    const auto v = value->get<std::int64_t>();
    return v > 0 ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(v)) : std::nullopt;
  }
  return std::nullopt;
}

std::string json_type_name(const json& value) {
  return value.is_discarded() ? std::string("nothing") : std::string(value.type_name());
}

std::string shorten_for_message(std::string_view text, std::size_t max) {
  std::string out;
  for (const char c : text) {
    const bool continuation = (static_cast<unsigned char>(c) & 0xC0) == 0x80;
    if (out.size() >= max && !continuation) {
      out += "…";
      break;
    }
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  return out;
}

std::string describe_body(std::string_view body, const BodyHints& hints) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) {
    std::size_t start = 0;
    while (start < body.size() && (body[start] == ' ' || body[start] == '\n' ||
                                   body[start] == '\r' || body[start] == '\t'))
      ++start;
    if (start == body.size()) return "an empty body";
    if (body[start] == '<')
      return "an HTML page instead of JSON ('" + shorten_for_message(body.substr(start), 60) +
             "')" + std::string(hints.html_hint);
    return "a body that is not JSON ('" + shorten_for_message(body.substr(start), 80) + "')";
  }

  // The headline: GitHub/GitLab `message` (a string), GitLab's OAuth `error`.
  std::string out = string_member(j, "message");
  if (out.empty()) {
    out = string_member(j, "error");
    const std::string description = string_member(j, "error_description");
    if (!description.empty()) out += (out.empty() ? "" : ": ") + description;
  }
  const bool omitted = !hints.omit_message.empty() && out == hints.omit_message;
  if (omitted) out.clear();

  // The details.
  std::vector<std::string> parts;
  if (const json* errors = json_member(j, "errors"); errors && errors->is_array()) {
    parts = error_array_parts(*errors);
  }
  if (const json* messages = json_member(j, "errorMessages"); messages && messages->is_array()) {
    for (const json& m : *messages)
      if (m.is_string()) parts.push_back(m.get<std::string>());
  }
  if (const json* fields = json_member(j, "errors"); fields && fields->is_object()) {
    const auto more = field_map_parts(*fields);
    parts.insert(parts.end(), more.begin(), more.end());
  }
  if (const json* fields = json_member(j, "message"); fields && fields->is_object()) {
    const auto more = field_map_parts(*fields);
    parts.insert(parts.end(), more.begin(), more.end());
  }
  const std::string details = joined(parts);
  if (out.empty())
    out = details;
  else if (!details.empty())
    out += " (" + details + ")";

  if (out.empty() && omitted) return "no details";
  if (out.empty()) return "a JSON " + json_type_name(j) + " without a message";
  return "'" + shorten_for_message(out, 300) + "'";
}

Result<json> parse_json_body(std::string_view body, JsonShape shape, std::string_view what,
                             const BodyHints& hints, const json::parser_callback_t& filter) {
  json j = json::parse(body, filter, false);
  const bool fits = !j.is_discarded() &&
                    (shape == JsonShape::any || (shape == JsonShape::object && j.is_object()) ||
                     (shape == JsonShape::array && j.is_array()));
  if (fits) return j;
  std::string expected = shape == JsonShape::array    ? "a JSON array"
                         : shape == JsonShape::object ? "a JSON object"
                                                      : "JSON";
  if (!what.empty()) expected += " of " + std::string(what);
  const std::string came =
      j.is_discarded() ? describe_body(body, hints) : "a JSON " + json_type_name(j);
  return remote_error("not " + expected + " but " + came);
}

}  // namespace risksync::net
