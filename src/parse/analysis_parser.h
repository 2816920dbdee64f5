// Reads the markdown analysis document that a team writes after the workshop.
//
// Built on the CommonMark AST of cmark-gfm (with its table and tasklist extensions), never on
// line regexes over the raw file: headings, lists and table rows are found structurally and
// every message carries the source line of the node it is about.
//
// Contract:
//  - Pure: works on the bytes given, reads no file, no environment, no clock.
//  - On success `analysis` is set, valid and indexed (see model/analysis.h) and `errors` is empty;
//    `warnings` may hold soft problems (story without possible measure, unknown label,
//    unknown catalog citation).
//  - On any error `analysis` is empty and `errors` lists every hard problem found, each with
//    file, line and field: callers must write nothing anywhere.
//  - Never throws; never crashes on any byte sequence (fuzzed: fuzz/parse_analysis_fuzzer.cpp).
//    Inputs beyond options.max_bytes, not valid UTF-8, or beyond the safety limits of the
//    markdown library (parse/input_limits.h: table size, nesting depth, images) are refused
//    with one error before any markdown parsing.
//  - Thread safety: may be called concurrently; the markdown library itself runs one document
//    at a time (see parse/markdown_ast.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/analysis.h"
#include "parse/catalog.h"
#include "util/result.h"

namespace risksync {

struct ParseOptions {
  std::size_t max_bytes = 4 * 1024 * 1024;  // larger inputs are refused (error)
  const Catalog* catalog = nullptr;         // when set, unknown citations are warnings
};

struct ParseOutcome {
  std::optional<Analysis> analysis;
  std::vector<Error> errors;    // kind bad_input, with where.file / where.line / field
  std::vector<Error> warnings;  // same shape; never block
  bool ok() const { return analysis.has_value(); }
};

// `file_name` is used in messages and stored as Analysis::source_file.
ParseOutcome parse_analysis(std::string_view markdown, std::string_view file_name,
                            const ParseOptions& options = {});

}  // namespace risksync
