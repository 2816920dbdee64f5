#include "render/golden.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace risksync::test {
namespace {

std::string golden_path(std::string_view file_name) {
  return std::string(RISKSYNC_TEST_DATA) + "/render/" + std::string(file_name);
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

bool update_mode() {
  const char* v = std::getenv("RISKSYNC_UPDATE_GOLDEN");
  return v != nullptr && std::string_view(v) == "1";
}

}  // namespace

::testing::AssertionResult matches_golden(std::string_view file_name, const std::string& actual) {
  const std::string path = golden_path(file_name);
  if (update_mode()) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << actual;
    if (!out) return ::testing::AssertionFailure() << "cannot write " << path;
    std::cerr << "[golden] rewrote " << path << " (review it before committing)\n";
    return ::testing::AssertionSuccess();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return ::testing::AssertionFailure()
           << "missing golden file " << path
           << "; create it with RISKSYNC_UPDATE_GOLDEN=1 and review it";
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string expected = buffer.str();
  if (expected == actual) return ::testing::AssertionSuccess();

  const auto exp_lines = split_lines(expected);
  const auto act_lines = split_lines(actual);
  std::size_t i = 0;
  while (i < exp_lines.size() && i < act_lines.size() && exp_lines[i] == act_lines[i]) ++i;
  auto line_or_end = [](const std::vector<std::string>& lines, std::size_t k) {
    return k < lines.size() ? "\"" + lines[k] + "\"" : std::string("<end of output>");
  };
  return ::testing::AssertionFailure()
         << path << " differs from the rendered output.\n"
         << "  first difference at line " << (i + 1) << ":\n"
         << "  expected: " << line_or_end(exp_lines, i) << "\n"
         << "  actual:   " << line_or_end(act_lines, i) << "\n"
         << "  (" << exp_lines.size() << " expected lines, " << act_lines.size()
         << " actual lines; " << expected.size() << " vs " << actual.size() << " bytes)\n"
         << "  If the change is intended: RISKSYNC_UPDATE_GOLDEN=1 ./test_render "
            "--gtest_filter='Golden*', then review the diff.";
}

}  // namespace risksync::test
