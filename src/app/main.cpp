#include "app/cli.h"

int main(int argc, char** argv) {
  return risksync::run_cli(argc, argv);
}
