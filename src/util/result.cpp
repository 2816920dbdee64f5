#include "util/result.h"

namespace risksync {

std::string Error::to_string() const {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.line > 0) out += ":" + std::to_string(where.line);
    out += ": ";
  } else if (where.line > 0) {
    out += "line " + std::to_string(where.line) + ": ";
  }
  if (!field.empty()) out += field + ": ";
  out += message;
  return out;
}

Error bad_input(std::string message, SourceLocation where, std::string field) {
  return Error{ErrorKind::bad_input, std::move(message), std::move(where), std::move(field)};
}

Error remote_error(std::string message) {
  return Error{ErrorKind::remote, std::move(message), {}, {}};
}

Error run_stopping_error(std::string message, std::string field) {
  Error e{ErrorKind::remote, std::move(message), {}, std::move(field)};
  e.scope = ErrorScope::run;
  return e;
}

Error local_io_error(std::string message, std::string file) {
  return Error{ErrorKind::local_io, std::move(message), SourceLocation{std::move(file), 0}, {}};
}

}  // namespace risksync
