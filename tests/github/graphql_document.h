// A small reader of GraphQL executable documents (the subset a client like risksync sends):
// ONE operation (`query` or `mutation`, optionally named), variable definitions with types and
// default values, fields with aliases, arguments and nested selection sets, literal values
// (variables, integers, floats, strings, block strings, booleans, null, enums, lists, input
// objects). Fragments, inline fragments, directives and several operations per document are
// refused with an Error naming what is not supported: this reader serves the fake GitHub
// (tests/github/fake_github.cpp) and the schema check (tests/github/graphql_schema.h), which
// must notice anything they do not understand rather than skip it.
//
// Errors are values (bad_input, with the byte offset in the message); nothing throws.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace risksync::testing {

struct GqlValue {
  enum class Kind { variable, integer, floating, string, boolean, null, enumeration, list, object };
  Kind kind = Kind::null;
  std::string text;  // variable name (without '$'), the literal's text, the string's value
  std::vector<GqlValue> items;                           // list
  std::vector<std::pair<std::string, GqlValue>> fields;  // object
};

struct GqlField {
  std::string alias;  // empty when none
  std::string name;
  std::vector<std::pair<std::string, GqlValue>> arguments;
  std::vector<GqlField> selections;
  std::string response_key() const { return alias.empty() ? name : alias; }
};

struct GqlVariable {
  std::string name;  // without '$'
  std::string type;  // as written, without spaces: "CreateIssueInput!", "[ID!]"
  bool has_default = false;
  GqlValue default_value;
};

struct GqlOperation {
  std::string kind = "query";  // "query" | "mutation" | "subscription"
  std::string name;            // empty for an anonymous operation
  std::vector<GqlVariable> variables;
  std::vector<GqlField> selections;
};

Result<GqlOperation> parse_graphql_operation(std::string_view document);

}  // namespace risksync::testing
