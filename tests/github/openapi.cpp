#include "github/openapi.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "net/http.h"
#include "util/ascii.h"
#include "util/utf8.h"

namespace risksync::testing {

using nlohmann::json;

namespace {

constexpr int kMaxDepth = 64;  // $ref chains and nesting: far more than GitHub's description

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto pos = s.find(sep, start);
    out.emplace_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// A short rendering of a value for messages.
std::string shown(const json& v) {
  std::string text = v.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string type_of(const json& v) {
  if (v.is_number_integer()) return "integer";
  if (v.is_number()) return "number";
  return v.type_name();
}

bool is_integer_text(std::string_view s) {
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  return !s.empty() && s.size() <= 19 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<double> number_text(const std::string& s) {
  if (s.empty()) return std::nullopt;
  std::istringstream in(s);
  double d = 0;
  in >> d;
  if (in.fail() || !in.eof()) return std::nullopt;
  return d;
}

// Query values: '+' is a space (form encoding), then percent-decoding.
std::string decode_query_part(std::string_view raw) {
  std::string s(raw);
  std::replace(s.begin(), s.end(), '+', ' ');
  return net::percent_decode(s);
}

std::string media_type(std::string_view content_type) {
  const auto semi = content_type.find(';');
  return ascii::to_lower(ascii::trim(content_type.substr(0, semi)));
}

bool is_json_media_type(std::string_view type) {
  return type == "application/json" || (type.size() > 5 && type.substr(type.size() - 5) == "+json");
}

}  // namespace

// ---- the parsed document ----

struct OpenApiSpec::Template {
  struct Segment {
    std::string literal;                  // when not a parameter
    std::vector<std::string> parameters;  // "{owner}" -> {"owner"}; several in a pattern
    std::optional<std::regex> pattern;    // "{basehead}.diff": text mixed with parameters
    bool is_parameter() const { return !parameters.empty(); }
  };
  std::string text;
  std::vector<Segment> segments;
  bool last_is_multi_segment = false;  // the last parameter may take several segments
};

struct OpenApiSpec::Document {
  json root;
  std::vector<Template> templates;

  // Follows $ref (JSON pointers into this document) until a schema without one; nullptr for a
  // reference that cannot be resolved or loops.
  const json* resolve(const json& node) const {
    const json* at = &node;
    for (int depth = 0; at->is_object() && at->contains("$ref"); ++depth) {
      const json& ref = (*at)["$ref"];
      if (depth > kMaxDepth || !ref.is_string()) return nullptr;
      const std::string text = ref.get<std::string>();
      if (text.rfind("#/", 0) != 0) return nullptr;
      try {
        const json::json_pointer pointer(text.substr(1));
        if (!root.contains(pointer)) return nullptr;
        at = &root.at(pointer);
      } catch (const json::exception&) {
        return nullptr;
      }
    }
    return at;
  }
};

namespace {

// Builds the matcher of one path template.
std::optional<std::regex> segment_pattern(const std::string& segment,
                                          std::vector<std::string>& names) {
  std::string re;
  std::size_t i = 0;
  while (i < segment.size()) {
    const auto open = segment.find('{', i);
    const std::string text = segment.substr(i, open == std::string::npos ? open : open - i);
    for (const char c : text) {
      if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) re += '\\';
      re += c;
    }
    if (open == std::string::npos) break;
    const auto close = segment.find('}', open);
    if (close == std::string::npos) return std::nullopt;
    names.push_back(segment.substr(open + 1, close - open - 1));
    re += "(.+?)";
    i = close + 1;
  }
  try {
    return std::regex(re);
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
}

}  // namespace

Result<OpenApiSpec> OpenApiSpec::load(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return local_io_error(
        "cannot read GitHub's OpenAPI description: run scripts/install-deps.sh (it installs "
        "@octokit/openapi into .deps/openapi)",
        file);
  json document = json::parse(in, nullptr, false);
  if (document.is_discarded())
    return bad_input("GitHub's OpenAPI description " + file +
                     " is not JSON: run scripts/install-deps.sh again");
  return from_json(std::move(document));
}

Result<OpenApiSpec> OpenApiSpec::from_json(json document) {
  if (!document.is_object() || !document.contains("paths") || !document["paths"].is_object())
    return bad_input("not an OpenAPI description: no `paths` object");
  auto doc = std::make_shared<Document>();
  doc->root = std::move(document);
  for (const auto& [text, item] : doc->root["paths"].items()) {
    Template t;
    t.text = text;
    const auto parts = split(text, '/');
    for (std::size_t k = 1; k < parts.size(); ++k) {  // parts[0] is "" (leading '/')
      Template::Segment seg;
      const std::string& part = parts[k];
      if (part.size() > 2 && part.front() == '{' && part.back() == '}' &&
          part.find('{', 1) == std::string::npos) {
        seg.parameters.push_back(part.substr(1, part.size() - 2));
      } else if (part.find('{') != std::string::npos) {
        seg.pattern = segment_pattern(part, seg.parameters);
        if (!seg.pattern) seg.parameters.clear();
        if (!seg.pattern) seg.literal = part;
      } else {
        seg.literal = part;
      }
      t.segments.push_back(std::move(seg));
    }
    // Whether the last segment's parameter is declared x-multi-segment by any operation.
    if (!t.segments.empty() && t.segments.back().is_parameter() && !t.segments.back().pattern) {
      const std::string& name = t.segments.back().parameters.front();
      const auto scan = [&](const json& params) {
        if (!params.is_array()) return;
        for (const json& p : params) {
          const json* r = doc->resolve(p);
          if (r && r->is_object() && r->value("name", "") == name &&
              r->value("x-multi-segment", false))
            t.last_is_multi_segment = true;
        }
      };
      if (item.is_object()) {
        if (item.contains("parameters")) scan(item["parameters"]);
        for (const auto& [method, op] : item.items())
          if (op.is_object() && op.contains("parameters")) scan(op["parameters"]);
      }
    }
    doc->templates.push_back(std::move(t));
  }
  return OpenApiSpec(std::move(doc));
}

const json& OpenApiSpec::document() const {
  return doc_->root;
}

std::string OpenApiSpec::version() const {
  const json& info = doc_->root.contains("info") ? doc_->root["info"] : json();
  return info.is_object() ? info.value("version", "") : "";
}

namespace {

// How well a template fits: per segment 0 (literal) or 1 (parameter); lower is better, compared
// lexicographically, so a literal wins at the first segment where two templates differ.
using Rank = std::vector<int>;

}  // namespace

std::optional<std::string> OpenApiSpec::match_path(std::string_view path) const {
  if (path.empty() || path.front() != '/') return std::nullopt;
  const auto parts = split(path.substr(1), '/');
  const Template* best = nullptr;
  Rank best_rank;
  for (const Template& t : doc_->templates) {
    const std::size_t n = t.segments.size();
    if (n == 0) continue;
    if (parts.size() != n && !(t.last_is_multi_segment && parts.size() > n)) continue;
    Rank rank;
    bool fits = true;
    for (std::size_t k = 0; k < n && fits; ++k) {
      const auto& seg = t.segments[k];
      const std::string& part = parts[k];
      if (part.empty()) {
        fits = false;
      } else if (!seg.is_parameter()) {
        fits = part == seg.literal;
        rank.push_back(0);
      } else if (seg.pattern) {
        fits = std::regex_match(part, *seg.pattern);
        rank.push_back(1);
      } else {
        rank.push_back(1);
      }
    }
    for (std::size_t k = n; k < parts.size() && fits; ++k) fits = !parts[k].empty();
    if (!fits) continue;
    if (best == nullptr || rank < best_rank) {
      best = &t;
      best_rank = std::move(rank);
    }
  }
  if (best == nullptr) return std::nullopt;
  return best->text;
}

// ---- schemas ----

namespace {

class SchemaChecker {
 public:
  SchemaChecker(const std::function<const json*(const json&)>& resolve,
                std::vector<std::string>& out)
      : resolve_(resolve), out_(out) {}

  void check(const json& value, const json& schema_node, const std::string& where,
             const std::set<std::string>& inherited, int depth) {
    if (depth > kMaxDepth) return fail(where, "nesting too deep to check");
    const json* resolved = resolve_(schema_node);
    if (resolved == nullptr) return fail(where, "the description has an unresolvable $ref");
    const json& schema = *resolved;
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) fail(where, "no value is allowed here");
      return;
    }
    if (!schema.is_object()) return;

    if (value.is_null()) {
      if (schema.value("nullable", false) || type_allows_null(schema) || !schema.contains("type"))
        return;
      return fail(where, "null is not allowed (expected " + type_names(schema) + ")");
    }
    if (schema.contains("type") && !type_matches(value, schema["type"]))
      return fail(
          where, "expected " + type_names(schema) + ", got " + type_of(value) + " " + shown(value));
    if (schema.contains("enum") && schema["enum"].is_array()) {
      const json& allowed = schema["enum"];
      if (std::find(allowed.begin(), allowed.end(), value) == allowed.end())
        return fail(where, shown(value) + " is not one of " + shown(allowed));
    }
    if (value.is_number()) check_number(value.get<double>(), schema, where);
    if (value.is_string()) check_string(value.get<std::string>(), schema, where);
    if (value.is_array()) check_array(value, schema, where, depth);

    // Names an object may carry at this level: its own properties, those of allOf branches and
    // of the schemas around it (an allOf sibling), then those of the oneOf/anyOf branch that
    // matched.
    std::set<std::string> allowed = inherited;
    declared_names(schema, allowed, depth);
    if (schema.contains("allOf") && schema["allOf"].is_array())
      for (const json& branch : schema["allOf"]) check(value, branch, where, allowed, depth + 1);
    std::set<std::string> matched_names;  // of the oneOf/anyOf branches that matched
    for (const char* keyword : {"oneOf", "anyOf"}) {
      if (!schema.contains(keyword) || !schema[keyword].is_array()) continue;
      const json& branches = schema[keyword];
      std::vector<std::vector<std::string>> failures;
      std::size_t passing = 0;
      for (const json& branch : branches) {
        std::vector<std::string> tmp;
        SchemaChecker(resolve_, tmp).check(value, branch, where, allowed, depth + 1);
        if (tmp.empty()) {
          ++passing;
          declared_names_of(branch, matched_names, depth + 1);
        }
        failures.push_back(std::move(tmp));
      }
      if (passing == 0) {
        const auto closest =
            std::min_element(failures.begin(), failures.end(),
                             [](const auto& a, const auto& b) { return a.size() < b.size(); });
        std::string why = closest == failures.end() || closest->empty() ? "" : closest->front();
        fail(where, "matches none of the " + std::to_string(branches.size()) + " " + keyword +
                        " alternatives" + (why.empty() ? "" : " (closest: " + why + ")"));
      } else if (passing > 1 && std::string_view(keyword) == "oneOf") {
        fail(where, "matches " + std::to_string(passing) +
                        " oneOf alternatives, exactly one is allowed: " + shown(value));
      }
    }
    allowed.insert(matched_names.begin(), matched_names.end());
    if (value.is_object()) check_object(value, schema, where, allowed, depth);
  }

 private:
  void fail(const std::string& where, const std::string& what) {
    const std::string text = where + ": " + what;
    if (std::find(out_.begin(), out_.end(), text) == out_.end()) out_.push_back(text);
  }

  static bool type_allows_null(const json& schema) {
    const json& t = schema["type"];
    if (t.is_string()) return t == "null";
    return t.is_array() && std::find(t.begin(), t.end(), "null") != t.end();
  }

  static bool one_type_matches(const json& value, const std::string& type) {
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "boolean") return value.is_boolean();
    if (type == "null") return value.is_null();
    if (type == "number") return value.is_number();
    if (type == "integer") {
      if (value.is_number_integer()) return true;
      if (!value.is_number_float()) return false;
      const double d = value.get<double>();
      return std::isfinite(d) && std::floor(d) == d;
    }
    return true;  // a type this checker does not know: not the request's fault
  }

  static bool type_matches(const json& value, const json& type) {
    if (type.is_string()) return one_type_matches(value, type.get<std::string>());
    if (type.is_array()) {
      for (const json& t : type)
        if (t.is_string() && one_type_matches(value, t.get<std::string>())) return true;
      return false;
    }
    return true;
  }

  static std::string type_names(const json& schema) {
    if (!schema.contains("type")) return "a value";
    const json& t = schema["type"];
    if (t.is_string()) return t.get<std::string>();
    std::string out;
    for (const json& e : t) out += (out.empty() ? "" : " or ") + e.dump();
    return out;
  }

  void check_number(double v, const json& schema, const std::string& where) {
    if (schema.contains("minimum") && schema["minimum"].is_number()) {
      const double min = schema["minimum"].get<double>();
      const bool exclusive = schema.value("exclusiveMinimum", false);
      if (v < min || (exclusive && v == min))
        fail(where, shown(v) + " is below the minimum " + shown(schema["minimum"]));
    }
    if (schema.contains("maximum") && schema["maximum"].is_number()) {
      const double max = schema["maximum"].get<double>();
      const bool exclusive = schema.value("exclusiveMaximum", false);
      if (v > max || (exclusive && v == max))
        fail(where, shown(v) + " is above the maximum " + shown(schema["maximum"]));
    }
  }

  void check_string(const std::string& v, const json& schema, const std::string& where) {
    const std::size_t length = utf8::code_point_count(v);
    if (schema.contains("minLength") && schema["minLength"].is_number_unsigned() &&
        length < schema["minLength"].get<std::size_t>())
      fail(where, "shorter than " + schema["minLength"].dump() + " characters");
    if (schema.contains("maxLength") && schema["maxLength"].is_number_unsigned() &&
        length > schema["maxLength"].get<std::size_t>())
      fail(where, "longer than " + schema["maxLength"].dump() + " characters");
    if (schema.contains("pattern") && schema["pattern"].is_string()) {
      try {
        const std::regex re(schema["pattern"].get<std::string>(), std::regex::ECMAScript);
        if (!std::regex_search(v, re))
          fail(where, shown(json(v)) + " does not match the pattern " + schema["pattern"].dump());
      } catch (const std::regex_error&) {
        // A pattern std::regex cannot compile is not the request's fault.
      }
    }
  }

  void check_array(const json& v, const json& schema, const std::string& where, int depth) {
    if (schema.contains("minItems") && schema["minItems"].is_number_unsigned() &&
        v.size() < schema["minItems"].get<std::size_t>())
      fail(where, "fewer than " + schema["minItems"].dump() + " items");
    if (schema.contains("maxItems") && schema["maxItems"].is_number_unsigned() &&
        v.size() > schema["maxItems"].get<std::size_t>())
      fail(where, "more than " + schema["maxItems"].dump() + " items");
    if (schema.value("uniqueItems", false)) {
      for (std::size_t i = 0; i < v.size(); ++i)
        for (std::size_t j = i + 1; j < v.size(); ++j)
          if (v[i] == v[j]) fail(where, "items must be unique, " + shown(v[i]) + " repeats");
    }
    if (schema.contains("items"))
      for (std::size_t i = 0; i < v.size(); ++i)
        check(v[i], schema["items"], where + "[" + std::to_string(i) + "]", {}, depth + 1);
  }

  void check_object(const json& v, const json& schema, const std::string& where,
                    const std::set<std::string>& allowed, int depth) {
    const json* properties = schema.contains("properties") && schema["properties"].is_object()
                                 ? &schema["properties"]
                                 : nullptr;
    if (properties != nullptr)
      for (const auto& [name, sub] : properties->items())
        if (v.contains(name)) check(v[name], sub, where + "." + name, {}, depth + 1);
    if (schema.contains("required") && schema["required"].is_array())
      for (const json& name : schema["required"])
        if (name.is_string() && !v.contains(name.get<std::string>()))
          fail(where, "the required field `" + name.get<std::string>() + "` is missing");
    if (schema.contains("minProperties") && schema["minProperties"].is_number_unsigned() &&
        v.size() < schema["minProperties"].get<std::size_t>())
      fail(where, "fewer than " + schema["minProperties"].dump() + " fields");
    if (schema.contains("maxProperties") && schema["maxProperties"].is_number_unsigned() &&
        v.size() > schema["maxProperties"].get<std::size_t>())
      fail(where, "more than " + schema["maxProperties"].dump() + " fields");

    // Fields the description does not declare.
    const json* extra =
        schema.contains("additionalProperties") ? &schema["additionalProperties"] : nullptr;
    if (extra != nullptr && extra->is_boolean() && extra->get<bool>()) return;
    const bool strict = properties != nullptr || (extra != nullptr && extra->is_boolean());
    const bool extra_schema = extra != nullptr && extra->is_object();
    if (!strict && !extra_schema) return;  // a free-form object
    for (const auto& [name, sub] : v.items()) {
      if ((properties != nullptr && properties->contains(name)) || allowed.contains(name)) continue;
      if (extra_schema)
        check(sub, *extra, where + "." + name, {}, depth + 1);
      else
        fail(where,
             "`" + name + "` is not a documented field (GitHub ignores unknown fields silently)");
    }
  }

  // Property names declared by `schema` itself and by its allOf branches (recursively).
  void declared_names(const json& schema, std::set<std::string>& names, int depth) {
    if (depth > kMaxDepth || !schema.is_object()) return;
    if (schema.contains("properties") && schema["properties"].is_object())
      for (const auto& [name, sub] : schema["properties"].items()) names.insert(name);
    if (schema.contains("allOf") && schema["allOf"].is_array())
      for (const json& branch : schema["allOf"]) declared_names_of(branch, names, depth + 1);
  }
  void declared_names_of(const json& node, std::set<std::string>& names, int depth) {
    if (const json* r = resolve_(node)) declared_names(*r, names, depth);
  }

  const std::function<const json*(const json&)>& resolve_;
  std::vector<std::string>& out_;
};

}  // namespace

std::vector<std::string> OpenApiSpec::check_schema(const json& value, const json& schema,
                                                   const std::string& where) const {
  std::vector<std::string> out;
  const std::function<const json*(const json&)> resolve = [this](const json& node) {
    return doc_->resolve(node);
  };
  SchemaChecker(resolve, out).check(value, schema, where, {}, 0);
  return out;
}

// ---- requests ----

namespace {

// Checks a path or query parameter's text against its schema (scalars, comma lists).
void check_parameter_text(const std::string& text, const json& schema_node,
                          const std::function<const json*(const json&)>& resolve,
                          const std::string& where, std::vector<std::string>& out, int depth = 0) {
  const json* schema = resolve(schema_node);
  if (schema == nullptr || !schema->is_object() || depth > kMaxDepth) return;
  const std::string type = schema->contains("type") && (*schema)["type"].is_string()
                               ? (*schema)["type"].get<std::string>()
                               : "";
  json value = text;
  if (type == "integer") {
    if (!is_integer_text(text)) {
      out.push_back(where + " = '" + text + "' is not an integer");
      return;
    }
    value = std::stoll(text);
  } else if (type == "number") {
    const auto d = number_text(text);
    if (!d) {
      out.push_back(where + " = '" + text + "' is not a number");
      return;
    }
    value = *d;
  } else if (type == "boolean") {
    if (text != "true" && text != "false") {
      out.push_back(where + " = '" + text + "' is not true or false");
      return;
    }
    value = text == "true";
  } else if (type == "array") {
    if (schema->contains("items"))
      for (const auto& item : split(text, ','))
        check_parameter_text(item, (*schema)["items"], resolve, where, out, depth + 1);
    return;
  }
  if (schema->contains("oneOf") || schema->contains("anyOf")) {
    const char* keyword = schema->contains("oneOf") ? "oneOf" : "anyOf";
    bool any = false;
    for (const json& branch : (*schema)[keyword]) {
      std::vector<std::string> tmp;
      check_parameter_text(text, branch, resolve, where, tmp, depth + 1);
      any = any || tmp.empty();
    }
    if (!any) out.push_back(where + " = '" + text + "' matches none of its alternatives");
    return;
  }
  if (schema->contains("enum") && (*schema)["enum"].is_array()) {
    const json& allowed = (*schema)["enum"];
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end())
      out.push_back(where + " = '" + text + "' is not one of " + shown(allowed));
  }
  if (value.is_number()) {
    const double v = value.get<double>();
    if (schema->contains("minimum") && (*schema)["minimum"].is_number() &&
        v < (*schema)["minimum"].get<double>())
      out.push_back(where + " = '" + text + "' is below the minimum " +
                    (*schema)["minimum"].dump());
    if (schema->contains("maximum") && (*schema)["maximum"].is_number() &&
        v > (*schema)["maximum"].get<double>())
      out.push_back(where + " = '" + text + "' is above the maximum " +
                    (*schema)["maximum"].dump());
  }
}

}  // namespace

Validation OpenApiSpec::validate(const RecordedCall& call) const {
  Validation result;
  auto& out = result.violations;
  const std::function<const json*(const json&)> resolve = [this](const json& node) {
    return doc_->resolve(node);
  };
  const std::string method = upper(call.method);
  const auto matched = match_path(call.path);
  if (!matched) {
    out.push_back("no path of GitHub's description matches " + call.path);
    return result;
  }
  const json& item = doc_->root["paths"][*matched];
  const std::string key = ascii::to_lower(method);
  if (!item.is_object() || !item.contains(key) || !item[key].is_object()) {
    std::string documented;
    if (item.is_object())
      for (const auto& [m, op] : item.items())
        if (m != "parameters" && m != "summary" && m != "description" && m != "servers")
          documented += (documented.empty() ? "" : ", ") + upper(m);
    out.push_back(method + " is not documented for " + *matched +
                  " (documented: " + (documented.empty() ? "none" : documented) + ")");
    return result;
  }
  const json& op = item[key];
  result.operation = OperationRef{method, *matched, op.value("operationId", "")};
  if (op.value("deprecated", false))
    out.push_back(method + " " + *matched + " is deprecated in GitHub's description");

  // Parameters: path-level first, operation-level override (same name and location).
  std::vector<const json*> parameters;
  const auto collect = [&](const json& list) {
    if (!list.is_array()) return;
    for (const json& p : list) {
      const json* r = resolve(p);
      if (r == nullptr || !r->is_object()) {
        out.push_back("the description has an unresolvable parameter in " + *matched);
        continue;
      }
      const std::string name = r->value("name", "");
      const std::string in = r->value("in", "");
      std::erase_if(parameters, [&](const json* q) {
        return q->value("name", "") == name && q->value("in", "") == in;
      });
      parameters.push_back(r);
    }
  };
  if (item.contains("parameters")) collect(item["parameters"]);
  if (op.contains("parameters")) collect(op["parameters"]);
  const auto find_parameter = [&](const std::string& name, const std::string& in) -> const json* {
    for (const json* p : parameters)
      if (p->value("name", "") == name && p->value("in", "") == in) return p;
    return nullptr;
  };
  const auto schema_of = [](const json* p) {
    return p->contains("schema") ? (*p)["schema"] : json::object();
  };

  // Path parameters: the values the template's parameters took.
  {
    const Template* t = nullptr;
    for (const Template& candidate : doc_->templates)
      if (candidate.text == *matched) t = &candidate;
    const auto parts = split(std::string_view(call.path).substr(1), '/');
    for (std::size_t k = 0; t != nullptr && k < t->segments.size(); ++k) {
      const auto& seg = t->segments[k];
      if (!seg.is_parameter()) continue;
      std::vector<std::string> values;
      if (seg.pattern) {
        std::smatch m;
        if (std::regex_match(parts[k], m, *seg.pattern))
          for (std::size_t g = 1; g < m.size(); ++g) values.push_back(m[g].str());
      } else if (k + 1 == t->segments.size() && t->last_is_multi_segment) {
        std::string joined;
        for (std::size_t j = k; j < parts.size(); ++j) joined += (j > k ? "/" : "") + parts[j];
        values.push_back(joined);
      } else {
        values.push_back(parts[k]);
      }
      for (std::size_t v = 0; v < values.size() && v < seg.parameters.size(); ++v) {
        const std::string& name = seg.parameters[v];
        const json* p = find_parameter(name, "path");
        if (p == nullptr) {
          out.push_back("path parameter " + name + " of " + *matched +
                        " is not declared by the description");
          continue;
        }
        check_parameter_text(net::percent_decode(values[v]), schema_of(p), resolve,
                             "path parameter " + name, out);
      }
    }
  }

  // Query parameters: each one declared, valid, not repeated; the required ones present.
  std::map<std::string, int> seen;
  if (!call.query.empty()) {
    for (const auto& part : split(call.query, '&')) {
      if (part.empty()) continue;
      const auto eq = part.find('=');
      const std::string name = decode_query_part(part.substr(0, eq));
      const std::string value =
          eq == std::string::npos ? "" : decode_query_part(part.substr(eq + 1));
      const json* p = find_parameter(name, "query");
      if (p == nullptr) {
        out.push_back("query parameter '" + name + "' is not documented for " + method + " " +
                      *matched);
        continue;
      }
      const json schema = schema_of(p);
      const json* resolved = resolve(schema);
      const bool is_array =
          resolved && resolved->is_object() && resolved->value("type", "") == "array";
      if (++seen[name] == 2 && !is_array)
        out.push_back("query parameter '" + name + "' is given more than once");
      check_parameter_text(value, schema, resolve, "query parameter " + name, out);
    }
  }
  for (const json* p : parameters)
    if (p->value("in", "") == "query" && p->value("required", false) &&
        !seen.contains(p->value("name", "")))
      out.push_back("the required query parameter '" + p->value("name", "") + "' is missing");

  // Body.
  const json* request_body = op.contains("requestBody") ? resolve(op["requestBody"]) : nullptr;
  if (call.body.empty()) {
    if (request_body != nullptr && request_body->value("required", false))
      out.push_back(method + " " + *matched + " requires a body and none was sent");
    return result;
  }
  if (request_body == nullptr || !request_body->is_object()) {
    out.push_back(method + " " + *matched + " takes no body, yet one was sent");
    return result;
  }
  const std::string type =
      media_type(call.content_type.empty() ? "application/json" : call.content_type);
  const json& content = request_body->contains("content") ? (*request_body)["content"] : json();
  if (!content.is_object() || !content.contains(type)) {
    std::string declared;
    if (content.is_object())
      for (const auto& [t, v] : content.items()) declared += (declared.empty() ? "" : ", ") + t;
    out.push_back("content type " + type + " is not documented for " + method + " " + *matched +
                  " (documented: " + (declared.empty() ? "none" : declared) + ")");
    return result;
  }
  if (!is_json_media_type(type)) return result;
  const json body = json::parse(call.body, nullptr, false);
  if (body.is_discarded()) {
    out.push_back("the body is not JSON");
    return result;
  }
  const json& media = content[type];
  if (media.is_object() && media.contains("schema")) {
    auto body_violations = check_schema(body, media["schema"], "body");
    out.insert(out.end(), body_violations.begin(), body_violations.end());
  }
  return result;
}

}  // namespace risksync::testing
