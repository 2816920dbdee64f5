// Reading the JSON bodies of platform APIs (GitHub, GitLab, Jira, Confluence): parse a body
// expecting an object or an array, say in a few words what came instead, and extract the
// message an error body carries. Shared by every connector so that each says it the same way.
//
// Contract:
//  - Nothing here throws: parsing uses nlohmann/json without exceptions, accessors return
//    nullptr/nullopt on a missing member or a wrong type.
//  - describe_body() is meant for error messages: it never returns more than ~300 characters
//    of the body, replaces line breaks and tabs by spaces, and quotes what the platform said.
//    It does not redact: the caller passes the result through its net::Redactor.
//  - Error-body formats recognised (the first that gives text wins, the others are appended):
//      GitHub   {"message": "...", "errors": [ "text" | {"message"} | {"resource","field","code"}
//      ]} GitLab   {"message": "..."} or {"message": {"title": ["can't be blank"], ...}}
//               or {"error": "invalid_token", "error_description": "..."}
//      Jira     {"errorMessages": ["..."], "errors": {"summary": "Field is required"}}
//      GraphQL  {"errors": [{"message": "..."}]} (same path as GitHub's errors[])
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace risksync::net {

// ---- accessors that never throw ----

// The member `key` of `object`, or nullptr when `object` is not an object or has no such key.
const nlohmann::json* json_member(const nlohmann::json& object, std::string_view key);
// A JSON integer > 0 (GitHub ids and numbers, Jira ids given as numbers), else nullopt.
std::optional<std::uint64_t> json_positive_integer(const nlohmann::json* value);
// "object", "array", "string", "number", "boolean", "null"; "nothing" for a discarded value
// (what json::parse(…, nullptr, false) returns for text that is not JSON).
std::string json_type_name(const nlohmann::json& value);

// ---- describing a body ----

// `text` on one line (CR, LF, TAB -> space), cut after `max` bytes with "…" (never inside a
// UTF-8 sequence).
std::string shorten_for_message(std::string_view text, std::size_t max);

struct BodyHints {
  // A message equal to this is dropped because it only repeats the status ("Validation Failed"
  // for GitHub's 422); the details (errors[]) are kept, or "no details" is said.
  std::string_view omit_message;
  // Appended after a description of an HTML page, e.g. ": is api_url the REST API (…)?".
  std::string_view html_hint;
};

// What a response body says, for an error message:
//  - JSON with a message (formats above): "'<message> (<details>)'", quoted;
//  - JSON without one: "a JSON object without a message";
//  - HTML: "an HTML page instead of JSON ('<!DOCTYPE html>…')" + html_hint;
//  - other text: "a body that is not JSON ('…')"; nothing: "an empty body".
std::string describe_body(std::string_view body, const BodyHints& hints = {});

// ---- parsing a body of an expected shape ----

enum class JsonShape { any, object, array };

// Parses `body`. When it is not JSON, or not of `shape`, returns a remote Error whose message
// reads "not a JSON array[ of <what>] but a JSON object" or "… but a body that is not JSON
// ('…')" (describe_body with `hints`), for the caller to prefix ("the page is ", "GitHub
// answered 200 but ").
// `filter`, when set, is nlohmann's parser callback: the members and elements it refuses are
// not kept (the body is still checked to be JSON throughout).
Result<nlohmann::json> parse_json_body(std::string_view body, JsonShape shape,
                                       std::string_view what = {}, const BodyHints& hints = {},
                                       const nlohmann::json::parser_callback_t& filter = nullptr);

}  // namespace risksync::net
