// The test process's own environment as "NAME=value" entries, for the components that take
// the environment a child program starts from as a value (net::SubprocessOptions,
// github::GitWikiOptions): production code receives it from app/env.h, tests from here.
#pragma once

#include <string>
#include <vector>

#include <unistd.h>  // environ

namespace risksync::testing {

inline std::vector<std::string> process_environment() {
  std::vector<std::string> entries;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) entries.emplace_back(*e);
  return entries;
}

}  // namespace risksync::testing
