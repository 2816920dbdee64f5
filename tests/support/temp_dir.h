// Temporary folders and file helpers shared by every test suite.
#pragma once

#include <filesystem>
#include <string>

namespace risksync::testing {

// A fresh empty folder under the system temp dir, removed with its content by the
// destructor. path() is empty if it could not be created.
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
