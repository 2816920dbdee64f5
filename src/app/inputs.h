// Loads and validates every local input of a run before anything is written anywhere:
// configuration, analysis document, zone grid, catalogs (docs/DESIGN.md §5, §8).
//
// Contract: reads files only; no network. On failure returns every error found (each with
// file, line, field); the caller exits with kExitBadInput (or kExitLocalIo) and writes nothing.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/config.h"
#include "model/analysis.h"
#include "model/zones.h"
#include "parse/catalog.h"

namespace risksync {

struct InputRequest {
  std::optional<std::filesystem::path> config_file;  // --config; default ./risksync.toml if any
  std::optional<std::filesystem::path> analysis;     // positional FILE overrides the config
  std::optional<std::filesystem::path> zones;        // --zones overrides the config
  std::optional<Lang> lang;                          // --lang overrides the config
};

struct Inputs {
  Config config;
  Analysis analysis;
  ZoneGrid grid = ZoneGrid::default_grid();
  std::vector<Catalog> catalogs;
  std::vector<Error> warnings;
};

struct InputsOutcome {
  std::optional<Inputs> inputs;
  std::vector<Error> errors;
};

InputsOutcome load_inputs(const InputRequest& request);
// The same from a configuration already read (the daemon re-reads the documents every cycle,
// and its configurations only on SIGHUP).
InputsOutcome load_inputs(const Config& config);

// Reads and parses one configuration file (paths relative to its folder).
Result<Config> load_config_file(const std::filesystem::path& path);

// Reads a whole file; a missing or unreadable file is bad_input (the user named it).
Result<std::string> read_text_file(const std::filesystem::path& path);

}  // namespace risksync
