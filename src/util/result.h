// Errors as values across module boundaries (DESIGN.md §7, leveldb's Status).
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

// Whether an error stops only its item (the run goes on with the others) or the whole run
// (e.g. a TLS certificate or protocol failure: every further request would fail the same way).
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

  // "file:line: field: message", omitting the parts that are empty.
  std::string to_string() const;
};

Error bad_input(std::string message, SourceLocation where = {}, std::string field = {});
Error remote_error(std::string message);
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
