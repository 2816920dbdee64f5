// Runs the built `risksync` binary as a user would, capturing exit code, stdout and stderr.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

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

// A fresh empty folder under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  void write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);

}  // namespace risksync::testing
