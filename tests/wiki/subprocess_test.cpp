#include "net/subprocess.h"

#include <chrono>

#include <gtest/gtest.h>

#include "wiki/wiki_test_support.h"

namespace risksync::net {
namespace {

using namespace std::chrono_literals;

Result<SubprocessResult> sh(const std::string& script, std::chrono::milliseconds timeout = 5s) {
  SubprocessOptions o;
  o.argv = {"/bin/sh", "-c", script};
  o.base_environment = testing::process_environment();
  o.timeout = timeout;
  return run_subprocess(o, Redactor());
}

TEST(Subprocess, ReportsExitCodeAndCapturesBothStreams) {
  auto r = sh("echo out; echo err >&2; exit 3");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->term_signal, 0);
  EXPECT_FALSE(r->timed_out);
  EXPECT_FALSE(r->success());
  EXPECT_EQ(r->out, "out\n");
  EXPECT_EQ(r->err, "err\n");

  auto ok = sh("true");
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->success());
  EXPECT_EQ(ok->exit_code, 0);
}

TEST(Subprocess, ArgvIsPassedVerbatimWithoutAShell) {
  SubprocessOptions o;
  o.argv = {"printf", "%s|", "a b", "$HOME", "*", "'q'"};
  o.base_environment = testing::process_environment();
  auto r = run_subprocess(o, Redactor());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->out, "a b|$HOME|*|'q'|");
}

TEST(Subprocess, SetsAndUnsetsEnvironmentAndWorkingDirectory) {
  testing::TempDir dir;
  SubprocessOptions o;
  o.base_environment = {"RISKSYNC_TEST_TO_UNSET=present", "RISKSYNC_TEST_TO_OVERRIDE=old",
                        "RISKSYNC_TEST_KEPT=kept"};
  o.argv = {"/bin/sh", "-c",
            "echo \"${RISKSYNC_TEST_TO_UNSET-unset} $RISKSYNC_TEST_TO_OVERRIDE $EXTRA "
            "$RISKSYNC_TEST_KEPT\"; pwd"};
  o.env = {{"RISKSYNC_TEST_TO_OVERRIDE", "new"}, {"EXTRA", "x=y"}};
  o.unset_env = {"RISKSYNC_TEST_TO_UNSET"};
  o.working_dir = dir.path();
  auto r = run_subprocess(o, Redactor());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->out,
            "unset new x=y kept\n" + std::filesystem::canonical(dir.path()).string() + "\n");
}

// net/ reads no environment on its own (issue 6, Env): what the child sees and where its
// program is looked up come from base_environment only.
TEST(Subprocess, InheritsNothingFromThisProcessAndSearchesTheGivenPath) {
  ::setenv("RISKSYNC_TEST_LEAK", "leaked", 1);
  SubprocessOptions o;
  o.argv = {"sh", "-c", "echo \"${RISKSYNC_TEST_LEAK-absent} $PATH\""};
  o.base_environment = {"PATH=/nonexistent-dir:/bin:/usr/bin"};
  auto r = run_subprocess(o, Redactor());
  ::unsetenv("RISKSYNC_TEST_LEAK");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->out, "absent /nonexistent-dir:/bin:/usr/bin\n");

  o.base_environment = {"PATH=/nonexistent-dir"};
  auto missing = run_subprocess(o, Redactor());
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(is_program_not_found(missing.error())) << missing.error().message;
}

TEST(Subprocess, StdinIsEmptySoReadersDoNotWait) {
  const auto start = std::chrono::steady_clock::now();
  auto r = sh("cat; echo done", 3s);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->out, "done\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(Subprocess, TimeoutKillsTheProgramAndItsChildren) {
  const auto start = std::chrono::steady_clock::now();
  // The background sleep inherits the pipes: killing only the shell would leave them open.
  auto r = sh("echo started; sleep 30 & sleep 30", 300ms);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->timed_out);
  EXPECT_FALSE(r->success());
  EXPECT_EQ(r->term_signal, SIGKILL);
  EXPECT_EQ(r->out, "started\n");
  EXPECT_LT(elapsed, 3s);
}

TEST(Subprocess, LargeOutputOnBothStreamsDoesNotDeadlock) {
  // 4 MiB on each stream, interleaved in chunks: far beyond the 64 KiB pipe buffers.
  auto r =
      sh("i=0; while [ $i -lt 16 ]; do head -c 262144 /dev/zero; head -c 262144 /dev/zero >&2; "
         "i=$((i+1)); done",
         10s);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->success());
  EXPECT_EQ(r->out.size(), 4u << 20);
  EXPECT_EQ(r->err.size(), 4u << 20);
  EXPECT_FALSE(r->out_truncated);
}

TEST(Subprocess, OutputBeyondTheCapIsDroppedButDrained) {
  SubprocessOptions o;
  o.argv = {"/bin/sh", "-c", "head -c 1000000 /dev/zero; echo end >&2"};
  o.max_output_bytes = 1000;
  auto r = run_subprocess(o, Redactor());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->success());
  EXPECT_EQ(r->out.size(), 1000u);
  EXPECT_TRUE(r->out_truncated);
  EXPECT_EQ(r->err, "end\n");
}

TEST(Subprocess, ReportsSignals) {
  auto r = sh("kill -TERM $$");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->term_signal, SIGTERM);
  EXPECT_EQ(r->exit_code, -1);
  EXPECT_FALSE(r->timed_out);
}

TEST(Subprocess, MissingProgramIsAnErrorValueWithRedactedText) {
  Redactor redactor;
  redactor.add_secret("s3cr3t-value");
  SubprocessOptions o;
  o.argv = {"/nonexistent/s3cr3t-value/tool", "--flag"};
  auto r = run_subprocess(o, redactor);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::local_io);
  EXPECT_TRUE(is_program_not_found(r.error())) << r.error().message;
  EXPECT_EQ(r.error().message.find("s3cr3t-value"), std::string::npos) << r.error().message;

  o.argv = {"risksync-no-such-program-xyz"};
  auto r2 = run_subprocess(o, redactor);
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.error().message.find("searched PATH"), std::string::npos) << r2.error().message;
}

TEST(Subprocess, MissingWorkingDirectoryIsAnError) {
  SubprocessOptions o;
  o.argv = {"true"};
  o.working_dir = "/nonexistent/risksync-dir";
  auto r = run_subprocess(o, Redactor());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::local_io);
  EXPECT_NE(r.error().message.find("working directory"), std::string::npos) << r.error().message;
  EXPECT_FALSE(is_program_not_found(r.error()));
}

TEST(Subprocess, EmptyArgvIsAnError) {
  auto r = run_subprocess(SubprocessOptions{}, Redactor());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::internal);
}

}  // namespace
}  // namespace risksync::net
