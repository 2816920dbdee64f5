// Resource guards run on the raw bytes BEFORE cmark-gfm (private to src/parse/).
//
// Why: Debian 12 ships cmark-gfm 0.29.0.gfm.6, without the upstream fixes of 2023 for inputs
// that make it super-linear in time or memory (GHSA advisories of 0.29.0.gfm.7 to .13, e.g.
// CVE-2023-37463, CVE-2023-24824). Measured on that version with 64 KiB to 4 MiB inputs:
//  - a table header with C columns pads EVERY following row to C cells: 64 KiB of one-letter
//    rows under a 128-column header took 958 MiB of memory;
//  - rows holding thousands of '|' take seconds each;
//  - a paragraph nested 16 000 blocks deep took 6 s for 64 KiB (each inline node walks its
//    ancestors);
//  - many unclosed image openers "![" followed by links: 12 s for 256 KiB.
// The limits below are far above what any analysis holds (AudioConf: 7 columns, depth 3, no
// image) and keep the worst 4 MiB input near 3 s. These scans count characters; they never
// decide what the document means (that is the AST's job).
//
// Contract: pure, linear time, no allocation beyond the result.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace risksync::parse_detail {

constexpr int kMaxPipesPerLine = 64;
constexpr long kMaxTableCells = 100000;  // columns × rows, summed over the document's tables
constexpr int kMaxBlockNesting = 100;    // '>' and list markers, plus indentation / 2
constexpr int kMaxImages = 256;          // "![" openers

struct LimitViolation {
  int line = 0;  // 1-based
  std::string message;
};

std::optional<LimitViolation> check_input_limits(std::string_view text);

}  // namespace risksync::parse_detail
