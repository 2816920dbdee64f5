// README.md "Exit codes" is a contract with scripts and CI jobs: its table lists exactly the
// codes of app/exit_codes.h, and the man page (docs/man/risksync.1) lists the same.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "app/exit_codes.h"
#include "support/temp_dir.h"

namespace risksync {
namespace {

using testing::read_file;

const std::string kRoot = std::string(RISKSYNC_TEST_DATA) + "/../../";
const std::set<int> kCodes{kExitOk,      kExitCheckFailed, kExitBadInput, kExitRemote,
                           kExitLocalIo, kExitUsage,       kExitInternal};

// The codes in the first column of the table under "### Exit codes".
std::set<int> readme_table_codes(const std::string& readme) {
  std::set<int> codes;
  const auto section = readme.find("\n### Exit codes\n");
  if (section == std::string::npos) return codes;
  const auto end = readme.find("\n#", section + 1);
  const std::string text = readme.substr(section, end - section);
  const std::regex row(R"(\n\| (\d+) \|)");
  for (std::sregex_iterator it(text.begin(), text.end(), row), last; it != last; ++it)
    codes.insert(std::stoi((*it)[1]));
  return codes;
}

TEST(ReadmeExitCodes, TableListsExactlyTheCodesOfExitCodesH) {
  EXPECT_EQ(readme_table_codes(read_file(kRoot + "README.md")), kCodes);
}

TEST(ReadmeExitCodes, TheCheckerSeesAMissingRow) {
  const std::string readme =
      "intro\n### Exit codes\n\n| code | meaning |\n|---|---|\n| 0 | ok |\n| 3 | remote |\n"
      "\n## Next\n| 9 | not in the section |\n";
  EXPECT_EQ(readme_table_codes(readme), (std::set<int>{0, 3}));
}

TEST(ReadmeExitCodes, ManPageListsTheSameCodes) {
  const std::string man = read_file(kRoot + "docs/man/risksync.1");
  const auto section = man.find(".SH EXIT STATUS");
  ASSERT_NE(section, std::string::npos);
  const std::string text = man.substr(section, man.find(".SH", section + 1) - section);
  std::set<int> codes;
  const std::regex item(R"(\.TP\n\.B (\d+)\n)");
  for (std::sregex_iterator it(text.begin(), text.end(), item), last; it != last; ++it)
    codes.insert(std::stoi((*it)[1]));
  EXPECT_EQ(codes, kCodes);
}

}  // namespace
}  // namespace risksync
