// The include rules of ARCHITECTURE.md as code: which folder may include which header.
//
// Contract:
//  - `parse_includes` reads the `#include` lines of one file (quoted and angled), with their
//    1-based line numbers; it does not run the preprocessor (an include inside `#if 0` counts).
//  - `check_includes` applies the rule table to files given by their path relative to the
//    repository root ("src/net/http.cpp", "connectors/github/git_wiki.h") and returns every
//    violation, in file order. Files outside src/ and connectors/ are not checked.
//  - `load_source_tree` reads every .h/.hpp/.cpp file under src/ and connectors/ of a root.
// Thread safety: pure functions (load_source_tree reads the file system).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace risksync::architecture {

struct Include {
  std::string header;  // as written between the delimiters
  bool angled = false;
  int line = 0;
};

struct SourceFile {
  std::string path;  // relative to the repository root, '/' separators
  std::string text;
};

struct Violation {
  std::string file;
  int line = 0;
  std::string header;
  std::string rule;  // which rule of the table, in words

  std::string to_string() const;  // "file:line: #include header: rule"
};

std::vector<Include> parse_includes(std::string_view text);

std::vector<Violation> check_includes(const std::vector<SourceFile>& files);

std::vector<SourceFile> load_source_tree(const std::filesystem::path& root);

}  // namespace risksync::architecture
