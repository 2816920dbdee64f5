// Helpers shared by the tests of src/parse/.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "parse/analysis_parser.h"

namespace risksync::testing {

inline constexpr std::string_view kFile = "analyse.md";

inline ParseOutcome parse(std::string_view md, const ParseOptions& options = {}) {
  return parse_analysis(md, kFile, options);
}

// Parses and asserts success without error; returns the analysis.
inline Analysis parse_ok(std::string_view md, const ParseOptions& options = {}) {
  ParseOutcome out = parse(md, options);
  for (const auto& e : out.errors) ADD_FAILURE() << "unexpected error: " << e.to_string();
  if (!out.analysis) return Analysis{};
  return *out.analysis;
}

// Parses and asserts success with neither error nor warning.
inline Analysis parse_clean(std::string_view md, const ParseOptions& options = {}) {
  ParseOutcome out = parse(md, options);
  for (const auto& e : out.errors) ADD_FAILURE() << "unexpected error: " << e.to_string();
  for (const auto& w : out.warnings) ADD_FAILURE() << "unexpected warning: " << w.to_string();
  if (!out.analysis) return Analysis{};
  return *out.analysis;
}

inline std::string dump(const std::vector<Error>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.to_string() + "\n";
  return out;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string data_path(std::string_view relative) {
  return std::string(RISKSYNC_TEST_DATA) + "/" + std::string(relative);
}

inline std::string example_path(std::string_view name) {
  return std::string(RISKSYNC_TEST_DATA) + "/../../examples/" + std::string(name);
}

inline std::string config_path(std::string_view relative) {
  return std::string(RISKSYNC_TEST_DATA) + "/../../config/" + std::string(relative);
}

// A minimal valid story body, to embed after a story header.
inline constexpr std::string_view kFields = R"(
- Gravité : 3
- Vraisemblance actuelle : 2
- Mesures possibles :
  - [Tech] Activer la double authentification
- Vraisemblance cible : 1
)";

}  // namespace risksync::testing
