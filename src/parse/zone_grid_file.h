// The editable zone grid file (config/zones.toml), parsed with toml++.
//
//   blocking = ["unacceptable"]
//   [grid]                       # one row per gravity, columns = likelihood 1..4
//   critical    = ["watch", "watch", "unacceptable", "unacceptable"]
//   important   = [...]
//   significant = [...]
//   minor       = [...]
//
// Contract: pure; unknown keys, wrong types, a missing row or a row of the wrong length are
// bad_input errors naming file, line and key.
#pragma once

#include <string_view>

#include "model/zones.h"
#include "util/result.h"

namespace risksync {

Result<ZoneGrid> parse_zone_grid(std::string_view toml_text, std::string_view file_name);

}  // namespace risksync
