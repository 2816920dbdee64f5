// FaultPlan: the fault machinery the platform fakes share (FakeGitLab, FakeJira). A test queues
// faults; the fake asks take() for each request before handling it.
//
//  - add(): the next `times` requests matching a method pattern ("*" any, "WRITE" any but GET
//    and HEAD, else the exact method) and a path regex (matched against the whole path the fake
//    passes, e.g. the path after /api/v4) get `response` instead of being handled; or, without
//    a response, are handled normally but answered after `delay` (a lost or slow answer).
//  - take(): the first matching fault, consumed (removed when its count is spent). Faults are
//    checked in the order added.
// Thread safety: none of its own; the fake calls it under its lock.
#pragma once

#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "support/fake_http_server.h"

namespace risksync::testing {

// "*" any method, "WRITE" any but GET and HEAD, else the exact method.
bool method_matches(std::string_view pattern, std::string_view method);

class FaultPlan {
 public:
  struct Fired {
    std::optional<FakeResponse> response;  // answer this instead of handling the request
    std::chrono::milliseconds delay{0};    // else: handle it, answer this late
  };

  void add(std::string method, const std::string& path_regex, std::optional<FakeResponse> response,
           std::chrono::milliseconds delay, int times);
  // The fault for this request, consumed; nullopt when none matches.
  std::optional<Fired> take(std::string_view method, const std::string& path);
  void clear() { faults_.clear(); }

 private:
  struct Fault {
    std::string method;
    std::regex path;
    std::optional<FakeResponse> response;
    std::chrono::milliseconds delay{0};
    int remaining = 1;
  };
  std::vector<Fault> faults_;
};

}  // namespace risksync::testing
