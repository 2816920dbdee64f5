// A large analysis document, shared by the benchmark (bench/scale_bench.cpp) and the scale
// tests: the markdown TEXT in the format of examples/plateforme-sante.md, so that parsing is
// part of what is measured.
//
// big_analysis_markdown(n) holds a title, a description, components, user stories, headlines
// and n abuser stories written as headings ("### ASn — En tant que …"). Each story has a
// gravity, two measures in place citing Ségur controls, a current and a target likelihood (a
// written residual on every 7th story) and five possible measures:
//   - three of its own with an explicit id (M1, M2, …), one ticked, one weighted;
//   - one of the socle, shared with other stories: {#socle-k}, k = 1..socle size
//     (n / 10, at least 1), written with the same text under every story that cites it;
//   - one without id, whose key is derived from the story and the text.
// Most measures cite controls of config/catalogs/segur.tsv ([C-4], [W-7] …), all of which
// exist there.
//
// Contract: pure and deterministic (same n, same bytes); n >= 1. The document parses without
// error or warning; big_analysis_shape(n) gives the counts the parser must find.
#pragma once

#include <cstddef>
#include <string>

namespace risksync::testing {

struct BigAnalysisShape {
  std::size_t stories = 0;
  std::size_t measures = 0;         // distinct possible measures (Analysis::measures)
  std::size_t shared_measures = 0;  // measures served by more than one story
  std::size_t socle_size = 0;       // socle measures ({#socle-k})
};

BigAnalysisShape big_analysis_shape(int stories);
std::string big_analysis_markdown(int stories);

}  // namespace risksync::testing
