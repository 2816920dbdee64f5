// The connector registry: every tracker and wiki kind risksync can use, the configuration keys
// each owns, and its policy defaults. Adding a connector = one entry here + its folder under
// connectors/ (with a <platform>_connector.h stating its keys and defaults) + its factory in
// app/connect.cpp.
//
// Contract: static data and pure checks, no side effect. `kind` values are the configuration's
// (docs/DESIGN.md §9); only kinds built into this version are listed, so a configuration
// naming another one is refused at its line, before anything else runs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace risksync {

struct Config;

// What a connector finds wrong in the whole configuration: the key at fault
// ("tracker.repository", "wiki.path") and what to write instead. app/config.cpp adds the file
// and line (of that key when written, else of its table).
struct ConfigProblem {
  std::string key;
  std::string message;
};
// A connector's rule on the configuration once every table is read (pure; nullopt: it holds).
using ConfigCheck = std::optional<ConfigProblem> (*)(const Config&);

enum class ConnectorRole { tracker, wiki };

struct ConnectorEntry {
  std::string_view kind;  // "github", "github-wiki", "folder", "none"
  ConnectorRole role;
  std::vector<std::string_view> keys;             // keys of its table it accepts, beyond `kind`
  std::vector<std::string_view> token_variables;  // read when token_env/token_file are unset
  ConfigCheck check = nullptr;                    // nullptr: nothing beyond its keys
};

const std::vector<ConnectorEntry>& connector_registry();
const ConnectorEntry* find_connector(ConnectorRole role, std::string_view kind);
std::vector<std::string_view> connector_kinds(ConnectorRole role);

}  // namespace risksync
