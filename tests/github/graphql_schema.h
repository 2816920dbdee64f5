// GraphQLSchema: checks a GraphQL request (document + variables) against a schema in
// introspection format ({"__schema": {queryType, mutationType, types: [...]}}) — GitHub's,
// made from @octokit/graphql-schema by scripts/install-deps.sh — so that the fake GitHub
// cannot share the connector's mistakes about field names.
//
// What validate() reports, as sentences (empty: the request is as the schema describes):
//  - a document tests/github/graphql_document.h cannot read (fragments, directives… refused);
//  - the operation's root type missing (a mutation on a schema without Mutation);
//  - a field that does not exist on its parent type, or is deprecated; an argument the field
//    does not take; a required (non-null, no default) argument not given; a leaf field with a
//    selection set, or an object field without one;
//  - a variable of an unknown or non-input type, declared twice, unused, used but not declared,
//    or whose type does not fit the argument it is given to;
//  - variables (JSON): one not declared, a required one missing or null, and each value against
//    its type: input-object fields that do not exist (exact names), required input fields
//    missing or null, scalars of the wrong JSON type (String/ID strings, ID also integers, Int
//    integers, Float numbers, Boolean booleans), enum values not in the enum, lists.
// Not checked: fragments (refused), directives (refused), custom scalar formats.
// Errors are values; nothing throws. Thread safety: immutable after load().
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace risksync::testing {

class GraphQLSchema {
 public:
  static Result<GraphQLSchema> load(const std::string& file);
  static Result<GraphQLSchema> from_json(const nlohmann::json& introspection);

  std::size_t type_count() const;
  std::vector<std::string> validate(std::string_view document,
                                    const nlohmann::json& variables) const;

 private:
  struct Types;
  explicit GraphQLSchema(std::shared_ptr<const Types> types) : types_(std::move(types)) {}
  std::shared_ptr<const Types> types_;
};

}  // namespace risksync::testing
