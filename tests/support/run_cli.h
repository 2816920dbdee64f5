// Runs the built `risksync` binary as a user would, capturing exit code, stdout and stderr.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace risksync::testing {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// `env` entries are added to (or override) the test's environment; `cwd` empty = unchanged.
CliRun run_risksync(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env = {},
                    const std::filesystem::path& cwd = {});

}  // namespace risksync::testing
