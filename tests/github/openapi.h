// OpenApiSpec: checks recorded HTTP requests against an OpenAPI 3.0 description — GitHub's
// official one (@octokit/openapi, generated/api.github.com.json, installed by
// scripts/install-deps.sh) — so that the fake GitHub cannot share the connector's mistakes.
//
// What validate() checks for one request (method + path AFTER the API prefix, e.g. GHES's
// "/api/v3" removed; raw query; content type; body):
//  - Path: it matches a template of `paths`. Segments are compared from the left and a literal
//    segment beats a parameter at the first place they differ (/repos/{owner}/{repo}/issues/
//    events is preferred to .../issues/{issue_number}); a template segment mixing text and
//    parameters ("{basehead}.diff") is a pattern. A parameter marked `x-multi-segment` (the
//    Contents API's {path}) may take several segments when it is the template's last one.
//  - Method: documented for that path (else the violation lists the documented ones); a
//    `deprecated` operation is a violation too.
//  - Path parameters (percent-decoded) against their schema: an integer is digits, enum, ...
//  - Query: every parameter is declared `in: query` for the operation (path-level and
//    operation-level `parameters`, `$ref`s to #/components/parameters resolved); values are
//    checked against type (integer, number, boolean, string, arrays as comma lists), enum,
//    minimum/maximum; a repeated non-array parameter and a missing required one are
//    violations.
//  - Body: a body for an operation without `requestBody`, a missing body when it is required,
//    a content type the operation does not declare, and for JSON media types the JSON Schema
//    subset GitHub's description uses: type (a name or an array of names, `nullable`),
//    enum, properties, required, additionalProperties (false, true or a schema), items,
//    min/maxItems, uniqueItems, min/maxProperties, oneOf (exactly one), anyOf, allOf, $ref to
//    #/components/schemas/..., minimum/maximum, min/maxLength (code points), pattern.
//    `format` is not checked.
//  - STRICT on undeclared fields: GitHub's request schemas seldom say additionalProperties:
//    false, yet GitHub silently DROPS fields it does not know (that is how `parent_issue_id`
//    on POST /repos/{owner}/{repo}/issues hid). So a property of an object whose schema
//    declares `properties` (at the top level or nested, counting those of allOf branches and
//    of the oneOf/anyOf branch that matched) and no additionalProperties is a violation. An
//    object schema without `properties` stays free-form.
// Not checked: headers (required or not), responses, security.
//
// Errors are values: load() returns an Error (kind local_io / bad_input) when the file is
// missing or not an OpenAPI document; validate() returns the violations as sentences (no
// exception escapes). Violations quote values from the request (never send secrets in them).
// Thread safety: immutable after load(); copies share the parsed document.
#pragma once

#include <compare>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "util/result.h"

namespace risksync::testing {

// A request as recorded, path without the API prefix and without the query.
struct RecordedCall {
  std::string method;        // "GET", "POST", ... (any case)
  std::string path;          // raw, still percent-encoded: "/repos/o/r/contents/docs/a%20b.md"
  std::string query;         // raw, without '?': "labels=risksync&state=all"
  std::string content_type;  // as sent, parameters allowed ("application/json; charset=utf-8")
  std::string body;
};

// A documented operation: upper-case method and path template.
struct OperationRef {
  std::string method;         // "POST"
  std::string path_template;  // "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues"
  std::string operation_id;   // "issues/add-sub-issue"
  auto operator<=>(const OperationRef& other) const {
    return std::tie(method, path_template) <=> std::tie(other.method, other.path_template);
  }
  bool operator==(const OperationRef& other) const {
    return method == other.method && path_template == other.path_template;
  }
};

struct Validation {
  std::optional<OperationRef> operation;  // set when path and method are documented
  std::vector<std::string> violations;    // empty: the request is as documented
  bool ok() const { return violations.empty(); }
};

class OpenApiSpec {
 public:
  // Reads and parses the description (a 13 MB file: load it once per test program).
  static Result<OpenApiSpec> load(const std::string& file);
  // From an already parsed document (tests of the validator with small descriptions).
  static Result<OpenApiSpec> from_json(nlohmann::json document);

  std::string version() const;  // info.version, e.g. "23.0.2"
  const nlohmann::json& document() const;

  // The template `path` matches, preferring literal segments; nullopt when none does.
  std::optional<std::string> match_path(std::string_view path) const;

  Validation validate(const RecordedCall& call) const;

  // The violations of `value` against `schema` (resolved against this document), each
  // prefixed with `where` ("body", "body.labels[0]").
  std::vector<std::string> check_schema(const nlohmann::json& value, const nlohmann::json& schema,
                                        const std::string& where = "body") const;

 private:
  struct Template;
  struct Document;
  explicit OpenApiSpec(std::shared_ptr<const Document> doc) : doc_(std::move(doc)) {}
  std::shared_ptr<const Document> doc_;
};

}  // namespace risksync::testing
