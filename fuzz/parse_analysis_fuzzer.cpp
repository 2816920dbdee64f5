// libFuzzer entry point for the markdown analysis parser (src/parse/analysis_parser.h).
//
// Checks more than "no crash": every outcome must honour the parser's contract (an analysis
// xor errors, levels within 1..4, target ≤ current, every measure key and story id resolves).
// A violation traps, so libFuzzer records the input as a crash. See fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parse/analysis_parser.h"
#include "parse/catalog.h"

namespace {

void require(bool condition) {
  if (!condition) __builtin_trap();
}

const risksync::Catalog& small_catalog() {
  static const risksync::Catalog catalog = [] {
    auto parsed = risksync::parse_catalog(
        "C-4\tAuthentification\tBlocage compte\tBlocage après échecs\n"
        "W-7\tSessions\tCSRF\tProtections contre les CSRF\n",
        "fuzz.tsv");
    return parsed.ok() ? *parsed : risksync::Catalog{};
  }();
  return catalog;
}

void check_contract(const risksync::ParseOutcome& out) {
  using namespace risksync;
  require(out.ok() == out.errors.empty());
  for (const Error& e : out.errors) require(e.where.line >= 0 && !e.message.empty());
  if (!out.analysis) return;
  const Analysis& a = *out.analysis;
  for (const AbuserStory& s : a.stories) {
    require(to_int(s.gravity) >= kMinLevel && to_int(s.gravity) <= kMaxLevel);
    require(to_int(s.current_likelihood) >= kMinLevel && to_int(s.current_likelihood) <= 4);
    require(to_int(s.target_likelihood) >= kMinLevel);
    require(to_int(s.target_likelihood) <= to_int(s.current_likelihood));
    for (const auto& key : s.possible_measures) require(a.find_measure(key) != nullptr);
  }
  for (const Measure& m : a.measures) {
    require(m.weight >= 1);
    require(!m.stories.empty());
    for (const auto& id : m.stories) require(a.find_story(id) != nullptr);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view markdown(reinterpret_cast<const char*>(data), size);
  risksync::ParseOptions options;
  options.catalog = size % 2 == 0 ? &small_catalog() : nullptr;
  check_contract(risksync::parse_analysis(markdown, "fuzz.md", options));
  return 0;
}
