// Process exit codes: a contract with scripts and CI jobs (documented in README.md).
#pragma once

#include "util/result.h"

namespace risksync {

enum ExitCode : int {
  kExitOk = 0,           // success
  kExitCheckFailed = 1,  // `check`: a residual risk lies in a blocking zone
  kExitBadInput = 2,     // the analysis, configuration, zone grid or catalog is wrong
  kExitRemote = 3,       // a tracker or wiki failed, refused the token, or answered nonsense
  kExitLocalIo = 4,      // a local file or folder could not be read or written
  kExitInternal = 70,    // a bug in risksync (EX_SOFTWARE)
  kExitUsage = 64,       // wrong command line (EX_USAGE)
};

inline int exit_code_for(const Error& e) {
  switch (e.kind) {
    case ErrorKind::bad_input:
      return kExitBadInput;
    case ErrorKind::remote:
      return kExitRemote;
    case ErrorKind::local_io:
      return kExitLocalIo;
    case ErrorKind::internal:
      return kExitInternal;
  }
  return kExitInternal;
}

}  // namespace risksync
