#include "app/cli.h"

#include <cstdio>

#include "app/exit_codes.h"

namespace risksync {

int run_cli(int, char**) {
  std::fputs("risksync: not built yet\n", stderr);
  return kExitUsage;
}

}  // namespace risksync
