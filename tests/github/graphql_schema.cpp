#include "github/graphql_schema.h"

#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "github/graphql_document.h"

namespace risksync::testing {

using nlohmann::json;

struct GraphQLSchema::Types {
  std::map<std::string, json> by_name;
  std::string query_type;
  std::string mutation_type;
};

namespace {

// "CreateIssueInput!", "[ID!]" from an introspection type reference.
std::string type_text(const json& ref) {
  if (!ref.is_object()) return "?";
  const std::string kind = ref.value("kind", "");
  if (kind == "NON_NULL") return type_text(ref["ofType"]) + "!";
  if (kind == "LIST") return "[" + type_text(ref["ofType"]) + "]";
  return ref.value("name", "?");
}

std::string named_type(const json& ref) {
  const json* r = &ref;
  while (r->is_object() && r->contains("ofType") && !(*r)["ofType"].is_null()) r = &(*r)["ofType"];
  return r->is_object() ? r->value("name", "") : "";
}

const json* find_by_name(const json& list, const std::string& name) {
  if (!list.is_array()) return nullptr;
  for (const json& item : list)
    if (item.value("name", "") == name) return &item;
  return nullptr;
}

// A variable of type `variable` may be given where `argument` is expected: the same type, or
// a non-null variable for a nullable argument (GraphQL "IsVariableUsageAllowed").
bool fits(std::string variable, const std::string& argument) {
  if (variable == argument) return true;
  if (!variable.empty() && variable.back() == '!' && (argument.empty() || argument.back() != '!'))
    variable.pop_back();
  return variable == argument;
}

class Checker {
 public:
  Checker(const std::map<std::string, json>& types, std::vector<std::string>& out)
      : types_(types), out_(out) {}

  const json* type(const std::string& name) const {
    const auto it = types_.find(name);
    return it == types_.end() ? nullptr : &it->second;
  }

  // A JSON value against a type reference.
  void value(const json& v, const json& ref, const std::string& where) {
    const std::string kind = ref.value("kind", "");
    if (kind == "NON_NULL") {
      if (v.is_null()) {
        out_.push_back(where + ": required (" + type_text(ref) + ") but null or missing");
        return;
      }
      value(v, ref["ofType"], where);
      return;
    }
    if (v.is_null()) return;
    if (kind == "LIST") {
      if (!v.is_array()) {
        value(v, ref["ofType"], where);  // input coercion: a single value is a list of one
        return;
      }
      for (std::size_t i = 0; i < v.size(); ++i)
        value(v[i], ref["ofType"], where + "[" + std::to_string(i) + "]");
      return;
    }
    const std::string name = ref.value("name", "");
    const json* t = type(name);
    if (t == nullptr) {
      out_.push_back(where + ": type " + name + " is not in the schema");
      return;
    }
    const std::string tkind = t->value("kind", "");
    if (tkind == "SCALAR") {
      bool ok = true;
      if (name == "String")
        ok = v.is_string();
      else if (name == "ID")
        ok = v.is_string() || v.is_number_integer();
      else if (name == "Int")
        ok = v.is_number_integer();
      else if (name == "Float")
        ok = v.is_number();
      else if (name == "Boolean")
        ok = v.is_boolean();
      if (!ok) out_.push_back(where + ": " + v.dump() + " is not a " + name);
    } else if (tkind == "ENUM") {
      if (!v.is_string() || find_by_name((*t)["enumValues"], v.get<std::string>()) == nullptr)
        out_.push_back(where + ": " + v.dump() + " is not a value of " + name);
    } else if (tkind == "INPUT_OBJECT") {
      if (!v.is_object()) {
        out_.push_back(where + ": " + name + " expects an object, got " + v.dump());
        return;
      }
      const json& fields = (*t)["inputFields"];
      for (const auto& [k, item] : v.items()) {
        const json* f = find_by_name(fields, k);
        if (f == nullptr) {
          out_.push_back(where + "." + k + ": " + name + " has no field '" + k + "'");
          continue;
        }
        value(item, (*f)["type"], where + "." + k);
      }
      for (const json& f : fields) {
        const std::string fname = f.value("name", "");
        const bool required = f["type"].value("kind", "") == "NON_NULL" &&
                              (!f.contains("defaultValue") || f["defaultValue"].is_null());
        if (required && !v.contains(fname))
          out_.push_back(where + "." + fname + ": required by " + name + " (" +
                         type_text(f["type"]) + ") but missing");
      }
    } else {
      out_.push_back(where + ": " + name + " is not an input type");
    }
  }

  // A literal of the document, as JSON (variables resolved from `vars` for the value check).
  json literal(const GqlValue& v, const json& vars) {
    switch (v.kind) {
      case GqlValue::Kind::variable:
        return vars.contains(v.text) ? vars[v.text] : json();
      case GqlValue::Kind::integer:
        return std::stoll(v.text);
      case GqlValue::Kind::floating:
        return std::stod(v.text);
      case GqlValue::Kind::string:
      case GqlValue::Kind::enumeration:
        return v.text;
      case GqlValue::Kind::boolean:
        return v.text == "true";
      case GqlValue::Kind::null:
        return nullptr;
      case GqlValue::Kind::list: {
        json out = json::array();
        for (const auto& i : v.items) out.push_back(literal(i, vars));
        return out;
      }
      case GqlValue::Kind::object: {
        json out = json::object();
        for (const auto& [k, i] : v.fields) out[k] = literal(i, vars);
        return out;
      }
    }
    return nullptr;
  }

  void selections(const std::vector<GqlField>& fields, const std::string& parent,
                  const std::string& where, const std::map<std::string, std::string>& var_types,
                  std::set<std::string>& used) {
    const json* t = type(parent);
    if (t == nullptr) {
      out_.push_back(where + ": type " + parent + " is not in the schema");
      return;
    }
    for (const auto& f : fields) {
      const std::string at = where + "." + f.response_key();
      if (f.name == "__typename") continue;
      const json* def = find_by_name((*t)["fields"], f.name);
      if (def == nullptr) {
        out_.push_back(at + ": " + parent + " has no field '" + f.name + "'");
        continue;
      }
      if (def->value("isDeprecated", false))
        out_.push_back(at + ": " + parent + "." + f.name + " is deprecated (" +
                       def->value("deprecationReason", std::string("no reason given")) + ")");
      for (const auto& [arg, v] : f.arguments) {
        const json* a = find_by_name((*def)["args"], arg);
        if (a == nullptr) {
          out_.push_back(at + ": " + parent + "." + f.name + " takes no argument '" + arg + "'");
          continue;
        }
        if (v.kind == GqlValue::Kind::variable) {
          used.insert(v.text);
          const auto it = var_types.find(v.text);
          if (it == var_types.end())
            out_.push_back(at + ": $" + v.text + " is used but not declared");
          else if (!fits(it->second, type_text((*a)["type"])))
            out_.push_back(at + ": $" + v.text + " of type " + it->second + " given to '" + arg +
                           "' of type " + type_text((*a)["type"]));
        } else {
          value(literal(v, json::object()), (*a)["type"], at + "(" + arg + ")");
        }
      }
      for (const json& a : (*def)["args"]) {
        const bool required = a["type"].value("kind", "") == "NON_NULL" &&
                              (!a.contains("defaultValue") || a["defaultValue"].is_null());
        const std::string aname = a.value("name", "");
        bool given = false;
        for (const auto& [arg, v] : f.arguments) given = given || arg == aname;
        if (required && !given)
          out_.push_back(at + ": required argument '" + aname + "' (" + type_text(a["type"]) +
                         ") missing");
      }
      const std::string result = named_type((*def)["type"]);
      const json* rt = type(result);
      const std::string rkind = rt ? rt->value("kind", "") : "";
      const bool composite = rkind == "OBJECT" || rkind == "INTERFACE" || rkind == "UNION";
      if (composite && f.selections.empty())
        out_.push_back(at + ": " + result + " is an object: select its fields");
      if (!composite && !f.selections.empty())
        out_.push_back(at + ": " + result + " is a leaf: it has no fields to select");
      if (composite && rkind != "UNION" && !f.selections.empty())
        selections(f.selections, result, at, var_types, used);
    }
  }

 private:
  const std::map<std::string, json>& types_;
  std::vector<std::string>& out_;
};

}  // namespace

Result<GraphQLSchema> GraphQLSchema::load(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return Error{ErrorKind::local_io,
                 "cannot read GitHub's GraphQL schema " + file +
                     ": run scripts/install-deps.sh (it installs @octokit/graphql-schema)",
                 {},
                 {}};
  std::ostringstream text;
  text << in.rdbuf();
  const json j = json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) return bad_input(file + " is not JSON");
  return from_json(j);
}

Result<GraphQLSchema> GraphQLSchema::from_json(const json& introspection) {
  const json* schema = nullptr;
  if (introspection.contains("__schema"))
    schema = &introspection["__schema"];
  else if (introspection.contains("data") && introspection["data"].contains("__schema"))
    schema = &introspection["data"]["__schema"];
  if (schema == nullptr || !schema->contains("types") || !(*schema)["types"].is_array())
    return bad_input("not a GraphQL introspection result (no __schema.types)");
  auto types = std::make_shared<Types>();
  for (const json& t : (*schema)["types"]) types->by_name[t.value("name", "")] = t;
  if (schema->contains("queryType") && (*schema)["queryType"].is_object())
    types->query_type = (*schema)["queryType"].value("name", "");
  if (schema->contains("mutationType") && (*schema)["mutationType"].is_object())
    types->mutation_type = (*schema)["mutationType"].value("name", "");
  return GraphQLSchema(std::move(types));
}

std::size_t GraphQLSchema::type_count() const {
  return types_->by_name.size();
}

std::vector<std::string> GraphQLSchema::validate(std::string_view document,
                                                 const json& variables) const {
  std::vector<std::string> out;
  const auto op = parse_graphql_operation(document);
  if (!op) {
    out.push_back(op.error().message);
    return out;
  }
  Checker check(types_->by_name, out);
  const std::string root = op->kind == "mutation" ? types_->mutation_type
                           : op->kind == "query"  ? types_->query_type
                                                  : std::string();
  if (root.empty()) {
    out.push_back("the schema has no root type for a " + op->kind);
    return out;
  }
  const std::string where = op->kind + (op->name.empty() ? "" : " " + op->name);
  const json vars = variables.is_object() ? variables : json::object();
  std::map<std::string, std::string> var_types;
  for (const auto& v : op->variables) {
    if (!var_types.emplace(v.name, v.type).second)
      out.push_back(where + ": $" + v.name + " is declared twice");
    std::string base = v.type;
    while (!base.empty() && (base.front() == '[')) base.erase(0, 1);
    while (!base.empty() && (base.back() == '!' || base.back() == ']')) base.pop_back();
    const json* t = check.type(base);
    const std::string kind = t ? t->value("kind", "") : "";
    if (t == nullptr || (kind != "SCALAR" && kind != "ENUM" && kind != "INPUT_OBJECT")) {
      out.push_back(
          where + ": $" + v.name + " has type " + v.type +
          (t == nullptr ? ", which is not in the schema" : ", which is not an input type"));
      continue;
    }
    // The value given (or its absence) against the declared type, rebuilt as a reference.
    std::function<json(std::string_view)> ref = [&](std::string_view text) -> json {
      if (!text.empty() && text.back() == '!')
        return json{{"kind", "NON_NULL"}, {"ofType", ref(text.substr(0, text.size() - 1))}};
      if (!text.empty() && text.front() == '[')
        return json{{"kind", "LIST"}, {"ofType", ref(text.substr(1, text.size() - 2))}};
      return json{{"kind", check.type(std::string(text))->value("kind", "")},
                  {"name", std::string(text)}};
    };
    if (vars.contains(v.name))
      check.value(vars[v.name], ref(v.type), "$" + v.name);
    else if (!v.has_default && v.type.back() == '!')
      out.push_back("$" + v.name + ": required (" + v.type + ") but not given");
  }
  for (const auto& [k, value] : vars.items())
    if (!var_types.contains(k)) out.push_back("$" + k + " is given but not declared");
  std::set<std::string> used;
  check.selections(op->selections, root, where, var_types, used);
  for (const auto& v : op->variables)
    if (!used.contains(v.name)) out.push_back(where + ": $" + v.name + " is declared but unused");
  return out;
}

}  // namespace risksync::testing
