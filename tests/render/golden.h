// Golden-file comparison for the render tests.
//
// The expected outputs live in tests/data/render/*.golden. To regenerate them after an
// intended change of a page, run the tests with RISKSYNC_UPDATE_GOLDEN=1:
//
//   RISKSYNC_UPDATE_GOLDEN=1 ./build/test_render --gtest_filter='Golden*'
//
// then read every changed file (git diff tests/data/render) before committing: a golden file
// is only as good as its review. Without the variable, a mismatch fails with the first
// differing line of each side.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace risksync::test {

::testing::AssertionResult matches_golden(std::string_view file_name, const std::string& actual);

}  // namespace risksync::test
