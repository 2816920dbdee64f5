#include "net/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <thread>

#include <spdlog/spdlog.h>

namespace risksync::net {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kNotFoundPrefix = "program '";
constexpr std::string_view kNotFoundSuffix = "' was not found";

// Closes the descriptor it holds (once).
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int* out() { return &fd_; }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read;
  Fd write;
};

bool make_pipe(Pipe& p) {
  std::array<int, 2> fds{-1, -1};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) return false;
  *p.read.out() = fds[0];
  *p.write.out() = fds[1];
  return true;
}

std::string system_reason(int err) {
  return std::string(std::strerror(err));  // NOLINT(concurrency-mt-unsafe): message only
}

std::string quoted_command(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) {
    if (!out.empty()) out += ' ';
    out += a;
  }
  return out;
}

// The child's environment: the caller's base minus `unset_env` and minus the names `env` overrides,
// then `env`.
std::vector<std::string> child_environment(const SubprocessOptions& options) {
  const auto removed = [&](std::string_view entry) {
    const std::string_view name = entry.substr(0, entry.find('='));
    for (const std::string& u : options.unset_env)
      if (name == u) return true;
    for (const auto& [k, v] : options.env)
      if (name == k) return true;
    return false;
  };
  std::vector<std::string> out;
  for (const std::string& entry : options.base_environment) {
    if (!removed(entry)) out.push_back(entry);
  }
  for (const auto& [k, v] : options.env) out.push_back(k + "=" + v);
  return out;
}

// The program to start: `program` itself when it names a path, else the first executable
// file called `program` in the PATH of the child's environment (POSIX's default search path
// when it has none); "" when there is none.
std::string resolve_program(const std::string& program,
                            const std::vector<std::string>& environment) {
  if (program.find('/') != std::string::npos) return program;
  std::string_view path = "/usr/local/bin:/usr/bin:/bin";
  for (const std::string& entry : environment) {
    if (entry.starts_with("PATH=")) path = std::string_view(entry).substr(5);
  }
  while (true) {
    const auto colon = path.find(':');
    std::string dir(path.substr(0, colon));
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate))
      return candidate;
    if (colon == std::string_view::npos) return {};
    path.remove_prefix(colon + 1);
  }
}

// Appends up to the cap; says whether something was dropped.
void append_capped(std::string& into, const char* data, std::size_t n, std::size_t cap,
                   bool& truncated) {
  const std::size_t room = into.size() < cap ? cap - into.size() : 0;
  const std::size_t take = n < room ? n : room;
  into.append(data, take);
  if (take < n) truncated = true;
}

// Reads whatever is available on `fd`; returns false at end of file (or a read error).
bool drain_once(int fd, std::string& into, std::size_t cap, bool& truncated) {
  std::array<char, 65536> buffer{};
  while (true) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n > 0) {
      append_capped(into, buffer.data(), static_cast<std::size_t>(n), cap, truncated);
      return true;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    if (errno == EAGAIN) return true;
    return false;
  }
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return 0;
  if (left.count() > 60000) return 60000;
  return static_cast<int>(left.count());
}

void kill_group(pid_t pid) {
  // The child leads its own session and process group (POSIX_SPAWN_SETSID).
  if (::kill(-pid, SIGKILL) != 0) ::kill(pid, SIGKILL);
}

}  // namespace

Result<SubprocessResult> run_subprocess(const SubprocessOptions& options,
                                        const Redactor& redactor) {
  if (options.argv.empty() || options.argv.front().empty())
    return Error{ErrorKind::internal, "run_subprocess: empty argv", {}, {}};
  const std::string& program = options.argv.front();
  const auto fail = [&](const std::string& what, int err) -> Error {
    return local_io_error(redactor.redact("could not run '" + quoted_command(options.argv) +
                                          "': " + what + ": " + system_reason(err)));
  };

  Pipe out_pipe;
  Pipe err_pipe;
  if (!make_pipe(out_pipe) || !make_pipe(err_pipe)) return fail("pipe", errno);

  posix_spawn_file_actions_t actions;
  if (const int rc = posix_spawn_file_actions_init(&actions); rc != 0)
    return fail("posix_spawn_file_actions_init", rc);
  posix_spawnattr_t attr;
  if (const int rc = posix_spawnattr_init(&attr); rc != 0) {
    posix_spawn_file_actions_destroy(&actions);
    return fail("posix_spawnattr_init", rc);
  }
  struct Cleanup {
    posix_spawn_file_actions_t* a;
    posix_spawnattr_t* t;
    ~Cleanup() {
      posix_spawn_file_actions_destroy(a);
      posix_spawnattr_destroy(t);
    }
  } cleanup{&actions, &attr};

  int rc = posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, out_pipe.write.get(), STDOUT_FILENO);
  if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, err_pipe.write.get(), STDERR_FILENO);
  if (rc == 0 && !options.working_dir.empty())
    rc = posix_spawn_file_actions_addchdir_np(&actions, options.working_dir.c_str());
  if (rc != 0) return fail("posix_spawn_file_actions", rc);

  sigset_t empty_mask;
  sigemptyset(&empty_mask);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (const int sig : {SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGALRM, SIGUSR1,
                        SIGUSR2, SIGXFSZ, SIGTTIN, SIGTTOU, SIGTSTP})
    sigaddset(&defaults, sig);
  rc = posix_spawnattr_setsigmask(&attr, &empty_mask);
  if (rc == 0) rc = posix_spawnattr_setsigdefault(&attr, &defaults);
  if (rc == 0)
    rc = posix_spawnattr_setflags(
        &attr,
        static_cast<short>(POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));
  if (rc != 0) return fail("posix_spawnattr", rc);

  std::vector<std::string> env_strings = child_environment(options);
  std::vector<char*> envp;
  envp.reserve(env_strings.size() + 1);
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_strings = options.argv;
  std::vector<char*> argv;
  argv.reserve(argv_strings.size() + 1);
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  const std::string executable = resolve_program(program, env_strings);
  const auto started = Clock::now();
  pid_t pid = -1;
  rc = executable.empty()
           ? ENOENT
           : posix_spawn(&pid, executable.c_str(), &actions, &attr, argv.data(), envp.data());
  if (rc != 0) {
    if (rc == ENOENT) {
      if (!options.working_dir.empty() && !std::filesystem::is_directory(options.working_dir))
        return local_io_error(redactor.redact(
            "could not run '" + program +
            "': working directory does not exist: " + options.working_dir.string()));
      return local_io_error(
          redactor.redact("program '" + program + "' was not found" +
                          (program.find('/') == std::string::npos ? " (searched PATH)" : "")));
    }
    return fail("posix_spawn", rc);
  }
  out_pipe.write.reset();
  err_pipe.write.reset();

  SubprocessResult result;
  const auto deadline = started + options.timeout;
  std::array<pollfd, 2> fds{pollfd{out_pipe.read.get(), POLLIN, 0},
                            pollfd{err_pipe.read.get(), POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  std::array<bool*, 2> truncated{&result.out_truncated, &result.err_truncated};
  int open_fds = 2;
  // After a kill, the pipes close as soon as the killed group is gone; this bounds the wait
  // for a helper that escaped the group and still holds them.
  Clock::time_point drain_deadline = Clock::time_point::max();

  while (open_fds > 0) {
    const Clock::time_point until = result.timed_out ? drain_deadline : deadline;
    const int wait_ms = remaining_ms(until);
    if (wait_ms == 0) {
      if (result.timed_out) break;
      result.timed_out = true;
      kill_group(pid);
      drain_deadline = Clock::now() + std::chrono::seconds(2);
      continue;
    }
    const int n = ::poll(fds.data(), fds.size(), wait_ms);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      if (!drain_once(fds[i].fd, *sinks[i], options.max_output_bytes, *truncated[i])) {
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  out_pipe.read.reset();
  err_pipe.read.reset();

  // The pipes are closed; the child may still be running (it closed them itself).
  int status = 0;
  while (true) {
    const pid_t w = ::waitpid(pid, &status, result.timed_out ? 0 : WNOHANG);
    if (w == pid) break;
    if (w < 0) {
      if (errno == EINTR) continue;
      return local_io_error(
          redactor.redact("could not wait for '" + program + "': " + system_reason(errno)));
    }
    if (Clock::now() >= deadline) {
      result.timed_out = true;
      kill_group(pid);
      continue;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);

  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  spdlog::debug("{} -> exit {}{}{} in {} ms", redactor.redact(quoted_command(options.argv)),
                result.exit_code, result.term_signal != 0 ? ", signal " : "",
                result.term_signal != 0 ? std::to_string(result.term_signal) : "", elapsed.count());
  if (result.timed_out)
    spdlog::warn("{} killed after {} ms (timeout)", redactor.redact(program),
                 options.timeout.count());
  return result;
}

bool is_program_not_found(const Error& error) {
  return error.kind == ErrorKind::local_io && error.message.rfind(kNotFoundPrefix, 0) == 0 &&
         error.message.find(kNotFoundSuffix) != std::string::npos;
}

}  // namespace risksync::net
