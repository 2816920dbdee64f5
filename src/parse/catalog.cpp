#include "parse/catalog.h"

#include <map>

#include "parse/text_util.h"

namespace risksync {
namespace {

using namespace parse_detail;

std::string stem_of(std::string_view file_name) {
  const std::size_t slash = file_name.find_last_of("/\\");
  std::string_view base = slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
  const std::size_t dot = base.rfind('.');
  if (dot != std::string_view::npos && dot > 0) base = base.substr(0, dot);
  return std::string(base);
}

bool is_header_row(const std::vector<std::string_view>& cols) {
  return !cols.empty() && iequals(trim(cols[0]), "id");
}

}  // namespace

const CatalogEntry* Catalog::find(std::string_view id) const {
  const std::string_view wanted = trim(id);
  for (const auto& e : entries)
    if (iequals(e.id, wanted)) return &e;
  return nullptr;
}

Result<Catalog> parse_catalog(std::string_view text, std::string_view file_name) {
  const std::string file(file_name);
  if (const auto bad = first_invalid_utf8(text))
    return bad_input("invalid UTF-8 at offset " + std::to_string(*bad) + ": save it as UTF-8",
                     {file, line_of_offset(text, *bad)});
  Catalog catalog;
  catalog.name = stem_of(file_name);
  std::map<std::string, int> first_line;  // upper-case id -> line
  int line_no = 0;
  for (std::string_view line : split(text, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || trim(line).starts_with('#')) continue;
    const std::vector<std::string_view> cols = split(line, '\t');
    if (cols.size() != 4)
      return bad_input(
          "expected 4 tab-separated columns (id, category, title, description), "
          "found " +
              std::to_string(cols.size()),
          {file, line_no});
    if (is_header_row(cols)) continue;
    CatalogEntry e{std::string(trim(cols[0])), std::string(trim(cols[1])),
                   std::string(trim(cols[2])), std::string(trim(cols[3]))};
    if (e.id.empty()) return bad_input("empty id", {file, line_no}, "id");
    if (e.title.empty()) return bad_input("empty title for " + e.id, {file, line_no}, "title");
    const auto [it, inserted] = first_line.emplace(ascii_upper(e.id), line_no);
    if (!inserted)
      return bad_input(
          "duplicate id " + e.id + " (first at line " + std::to_string(it->second) + ")",
          {file, line_no}, "id");
    catalog.entries.push_back(std::move(e));
  }
  if (catalog.entries.empty()) return bad_input("catalog has no entry", {file, 0});
  return catalog;
}

}  // namespace risksync
