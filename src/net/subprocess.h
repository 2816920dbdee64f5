// Running an external program (git, for the GitHub wiki) as a value-returning call.
//
// Only net/ and the connectors may use this: it is a network-facing side effect (the program
// talks to a remote), kept behind one small function so that callers can be tested against
// local fixtures.
//
// Contract:
//  - The program runs with argv exactly as given: no shell, no word splitting, no globbing.
//    argv[0] is looked up in the PATH of the child's environment (below) when it contains no
//    '/' ("/usr/local/bin:/usr/bin:/bin" when that environment has no PATH).
//  - Environment: `base_environment` ("NAME=value" entries, as the caller's Env gave them:
//    app/env.h), minus `unset_env`, plus `env` (which overrides). net/ never reads the process
//    environment on its own: an unset base means an empty one (nothing inherited).
//    Secrets meant for the child belong in `env`, never in argv (argv is world-readable
//    through /proc and `ps`).
//  - stdin is /dev/null (the child reads EOF at once and can never wait for input); stdout and
//    stderr are captured (up to `max_output_bytes` each; the rest is read and dropped, so the
//    child never blocks on a full pipe).
//  - The child runs in a new session (setsid): it has no controlling terminal, so nothing it
//    starts (ssh, credential helpers) can prompt on the user's terminal, and the whole process
//    group is killed (SIGKILL) when `timeout` expires — helpers the program started included.
//    Signals ignored by this process (SIGPIPE...) are reset to their default in the child.
//  - Returns a SubprocessResult whenever the program was started, whatever its exit status,
//    including a timeout (`timed_out`) — the caller interprets it. Returns an Error only when
//    the program could not be started or the pipes could not be created:
//      * local_io "program 'git' was not found (searched PATH)" when the program is missing;
//      * local_io with the system's reason otherwise.
//    Never throws (std::bad_alloc aside). Every Error message passes `redactor`.
//  - Requires that SIGCHLD is not set to SIG_IGN in this process (the exit status is reaped
//    with waitpid).
// Thread safety: reentrant; concurrent calls from several threads are safe (pipes are
// created close-on-exec, so no child inherits another call's pipes).
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "net/redact.h"
#include "util/result.h"

namespace risksync::net {

struct SubprocessOptions {
  std::vector<std::string> argv;              // argv[0] is the program; must not be empty
  std::vector<std::string> base_environment;  // "NAME=value": what the child starts from
  std::vector<std::pair<std::string, std::string>> env;  // set in the child (overrides)
  std::vector<std::string> unset_env;                    // removed from the child's environment
  std::filesystem::path working_dir;                     // empty: this process's current directory
  std::chrono::milliseconds timeout{std::chrono::minutes(2)};
  std::size_t max_output_bytes = std::size_t{32} << 20;  // per stream
};

struct SubprocessResult {
  int exit_code = -1;      // the exit status when the program exited, else -1
  int term_signal = 0;     // the signal that ended it, else 0 (SIGKILL after a timeout)
  bool timed_out = false;  // killed because `timeout` expired
  std::string out;         // captured stdout
  std::string err;         // captured stderr
  bool out_truncated = false;
  bool err_truncated = false;

  bool success() const { return !timed_out && term_signal == 0 && exit_code == 0; }
};

Result<SubprocessResult> run_subprocess(const SubprocessOptions& options, const Redactor& redactor);

// True when `error` (from run_subprocess) says the program does not exist, so that callers can
// say what to install.
bool is_program_not_found(const Error& error);

}  // namespace risksync::net
