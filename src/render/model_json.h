// The computed model as JSON (docs/DESIGN.md §10), printed by `export`, `plan` and `sync` with
// `--format json`. A contract with pipelines: fields are added, never renamed.
//
//   {"source": "...", "product": "...",
//    "stories": [{"id": "AS1", "text": "...", "gravity": 4,
//                 "likelihood": {"current": 3, "residual": 2, "target": 1, "written": 3},
//                 "zone": "important", "zones": {"current":…, "residual":…, "target":…},
//                 "needs_review": true, "measures_done": 1, "measures_total": 2,
//                 "measures": [{"key": "M3", "kind": "tech", "status": "done"}]}],
//    "measures": [{"key": "M3", "text": "...", "kind": "tech", "weight": 1, "status": "done",
//                  "stories": ["AS1"], "catalog_refs": ["C-4"], "explicit_key": true}],
//    "statuses_source": {"from": "tracker", "tracker": "github (octo/risks)",
//                        "read_at": "2026-12-03 10:00 UTC"}}
//   ("from": "checkboxes" without a tracker; "offline": true and the tracker not read with
//   --offline).
//
// Contract: pure; deterministic key order (nlohmann::json sorts object keys).
#pragma once

#include <nlohmann/json.hpp>

#include "model/analysis.h"
#include "model/assessment.h"

namespace risksync {

nlohmann::json model_to_json(const Analysis& analysis, const Assessment& assessment,
                             const StatusSource& source);

}  // namespace risksync
