// Errors as values across module boundaries (docs/DESIGN.md §7, leveldb's Status).
//
// Contract:
//  - `Error` says what failed, for which input (file, line, field) and of which kind; the kind
//    decides the process exit code in app/ (see ExitCode in app/exit_codes.h).
//  - `Result<T>` holds either a T or an Error, never both. Accessing the wrong side is a
//    programming error (asserted).
//  - Messages never contain secrets: callers redact before building an Error.
// Thread safety: plain values, no shared state.
#pragma once

#include <cassert>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace risksync {

enum class ErrorKind {
  bad_input,  // the user's document, configuration, zone grid or catalog is wrong
  remote,     // a tracker or wiki refused, failed or answered nonsense
  local_io,   // a local file or folder could not be read or written
  internal,   // a bug in risksync
};

// Whether an error ends the whole run or only the item it is about (issue 6, "Errors with a
// scope"). A run-stopping error (refused token, missing permission, rate-limit budget spent,
// platform unreachable or failing, TLS failure) ends the writes at once: the remaining actions
// are reported as not attempted and the next run resumes. Bad input always stops the run
// before anything is written, whatever its scope says.
enum class ErrorScope { item, run };

// Where in a user's input something was found. `line` is 1-based; 0 means "whole file".
struct SourceLocation {
  std::string file;
  int line = 0;
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;
  SourceLocation where;
  std::string field;  // e.g. "Gravité", "tracker.kind"; empty when not about one field
  ErrorScope scope = ErrorScope::item;
  // When the platform said it can be asked again (a rate limit's retry time), for a caller that
  // schedules the next run; the message says it too ("retry after 14:03:27 UTC").
  std::optional<std::chrono::system_clock::time_point> retry_at = std::nullopt;

  bool stops_run() const { return scope == ErrorScope::run; }

  // "file:line: field: message", omitting the parts that are empty.
  std::string to_string() const;
};

Error bad_input(std::string message, SourceLocation where = {}, std::string field = {});
Error remote_error(std::string message);
// A remote error that stops the run (ErrorScope::run).
Error run_stopping_error(std::string message, std::string field = {});
Error local_io_error(std::string message, std::string file = {});

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() {
  return Ok{};
}

}  // namespace risksync
