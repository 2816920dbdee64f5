#include "parse/zone_grid_file.h"

#include <toml++/toml.h>

#include <array>
#include <exception>
#include <string>

namespace risksync {
namespace {

int line_of(const toml::node& node) {
  return static_cast<int>(node.source().begin.line);
}

int line_of(const toml::key& key) {
  return static_cast<int>(key.source().begin.line);
}

std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    default:
      return "a date or time";
  }
}

constexpr std::string_view kZoneNames = "acceptable, watch, important, unacceptable";

class GridReader {
 public:
  explicit GridReader(std::string file) : file_(std::move(file)) {}

  Result<ZoneGrid> read(const toml::table& root) {
    ZoneGrid grid = ZoneGrid::default_grid();
    const toml::table* grid_table = nullptr;
    for (auto&& [key, node] : root) {
      if (key.str() == "blocking") {
        auto blocking = read_blocking(node);
        if (!blocking) return blocking.error();
        grid.set_blocking(std::move(*blocking));
      } else if (key.str() == "grid") {
        grid_table = node.as_table();
        if (!grid_table) return wrong_type(node, "grid", "a table ([grid])");
      } else {
        return bad_input("unknown key '" + std::string(key.str()) +
                             "' (expected 'blocking' and the [grid] table)",
                         {file_, line_of(key)}, std::string(key.str()));
      }
    }
    if (!grid_table) return bad_input("missing [grid] table", {file_, 0}, "grid");
    if (Status s = read_rows(*grid_table, grid); !s) return s.error();
    return grid;
  }

 private:
  Error wrong_type(const toml::node& node, std::string key, std::string_view expected) const {
    return bad_input(
        key + " must be " + std::string(expected) + ", not " + std::string(type_name(node)),
        {file_, line_of(node)}, std::move(key));
  }

  Result<Zone> zone_of(const toml::node& node, const std::string& key) const {
    const auto* s = node.as_string();
    if (!s) return wrong_type(node, key, "a zone name (a string)");
    const auto zone = zone_from_string(s->get());
    if (!zone)
      return bad_input("unknown zone '" + s->get() + "' (expected " + std::string(kZoneNames) + ")",
                       {file_, line_of(node)}, key);
    return *zone;
  }

  Result<std::set<Zone>> read_blocking(const toml::node& node) const {
    const auto* arr = node.as_array();
    if (!arr) return wrong_type(node, "blocking", "an array of zone names");
    std::set<Zone> zones;
    for (const toml::node& item : *arr) {
      auto z = zone_of(item, "blocking");
      if (!z) return z.error();
      zones.insert(*z);
    }
    return zones;
  }

  Status read_rows(const toml::table& table, ZoneGrid& grid) const {
    std::array<bool, 4> seen{};
    for (auto&& [key, node] : table) {
      const std::string name = "grid." + std::string(key.str());
      const auto gravity = gravity_from_name(key.str());
      if (!gravity)
        return bad_input("unknown gravity '" + std::string(key.str()) +
                             "' (expected critical, important, significant, minor)",
                         {file_, line_of(key)}, name);
      const auto g = static_cast<std::size_t>(to_int(*gravity) - 1);
      if (seen[g])
        return bad_input("second row for gravity " + std::to_string(g + 1), {file_, line_of(key)},
                         name);
      seen[g] = true;
      const auto* row = node.as_array();
      if (!row) return wrong_type(node, name, "an array of 4 zone names");
      if (row->size() != 4)
        return bad_input(
            name + " has " + std::to_string(row->size()) + " zones, expected 4 (likelihood 1 to 4)",
            {file_, line_of(node)}, name);
      for (std::size_t l = 0; l < 4; ++l) {
        const toml::node* cell = row->get(l);
        if (!cell) return bad_input(name + ": missing zone", {file_, line_of(node)}, name);
        auto z = zone_of(*cell, name);
        if (!z) return z.error();
        grid.set(*gravity, static_cast<Likelihood>(l + 1), *z);
      }
    }
    static constexpr std::array<std::string_view, 4> kRows{"minor", "significant", "important",
                                                           "critical"};
    for (std::size_t g = 0; g < 4; ++g)
      if (!seen[g])
        return bad_input("[grid] has no row '" + std::string(kRows[g]) + "'",
                         {file_, line_of(table)}, "grid." + std::string(kRows[g]));
    return ok_status();
  }

  std::string file_;
};

}  // namespace

Result<ZoneGrid> parse_zone_grid(std::string_view toml_text, std::string_view file_name) {
  const std::string file(file_name);
  try {
    toml::table root;
#if TOML_EXCEPTIONS
    try {
      root = toml::parse(toml_text, file_name);
    } catch (const toml::parse_error& e) {
      return bad_input(std::string(e.description()),
                       {file, static_cast<int>(e.source().begin.line)});
    }
#else
    toml::parse_result parsed = toml::parse(toml_text, file_name);
    if (!parsed) {
      const auto& e = parsed.error();
      return bad_input(std::string(e.description()),
                       {file, static_cast<int>(e.source().begin.line)});
    }
    root = std::move(parsed).table();
#endif
    return GridReader(file).read(root);
  } catch (const std::exception& e) {
    return Error{
        ErrorKind::internal, std::string("reading the zone grid: ") + e.what(), {file, 0}, {}};
  }
}

}  // namespace risksync
