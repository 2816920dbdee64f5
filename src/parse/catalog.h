// A référentiel: a list of controls that measures may cite, e.g. the Ségur pentest control
// points C-1…C-22, W-1…W-27, T-1…T-10, M-1…M-23 (config/catalogs/segur.tsv).
//
// File format: UTF-8, tab-separated, one control per line: id, category, title, description.
// Lines starting with '#' and empty lines are ignored.
//
// Contract: pure parsing of the given text; errors name file, line and field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace risksync {

struct CatalogEntry {
  std::string id;  // "C-4"
  std::string category;
  std::string title;
  std::string description;
};

struct Catalog {
  std::string name;
  std::vector<CatalogEntry> entries;
  const CatalogEntry* find(std::string_view id) const;  // exact, case-insensitive
};

Result<Catalog> parse_catalog(std::string_view text, std::string_view file_name);

}  // namespace risksync
