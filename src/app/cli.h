// Command line of risksync (cxxopts): validate, render, check, export, plan, sync.
//
// Contract: returns the process exit code (app/exit_codes.h); prints the result on stdout and
// logs/diagnostics on stderr. The only module that reads the environment and the clock.
#pragma once

namespace risksync {

int run_cli(int argc, char** argv);

}  // namespace risksync
