#include "support/fault_plan.h"

#include <utility>

namespace risksync::testing {

bool method_matches(std::string_view pattern, std::string_view method) {
  if (pattern == "*") return true;
  if (pattern == "WRITE") return method != "GET" && method != "HEAD";
  return pattern == method;
}

void FaultPlan::add(std::string method, const std::string& path_regex,
                    std::optional<FakeResponse> response, std::chrono::milliseconds delay,
                    int times) {
  faults_.push_back(
      Fault{std::move(method), std::regex(path_regex), std::move(response), delay, times});
}

std::optional<FaultPlan::Fired> FaultPlan::take(std::string_view method, const std::string& path) {
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!method_matches(it->method, method) || !std::regex_match(path, it->path)) continue;
    Fired fired{it->response, it->delay};
    if (--it->remaining <= 0) faults_.erase(it);
    return fired;
  }
  return std::nullopt;
}

}  // namespace risksync::testing
