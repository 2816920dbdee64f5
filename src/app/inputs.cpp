#include "app/inputs.h"

#include <fstream>
#include <sstream>

#include "parse/analysis_parser.h"
#include "parse/zone_grid_file.h"

namespace risksync {

namespace fs = std::filesystem;

Result<std::string> read_text_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return bad_input("no such file", SourceLocation{path.string(), 0});
  if (fs::is_directory(path, ec))
    return bad_input("is a folder, expected a file", SourceLocation{path.string(), 0});
  std::ifstream in(path, std::ios::binary);
  if (!in) return bad_input("cannot be read", SourceLocation{path.string(), 0});
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return bad_input("read error", SourceLocation{path.string(), 0});
  return buf.str();
}

Result<Config> load_config_file(const fs::path& path) {
  auto text = read_text_file(path);
  if (!text) return text.error();
  fs::path base = path.parent_path();
  if (base.empty()) base = ".";
  return parse_config(*text, path.string(), base);
}

InputsOutcome load_inputs(const InputRequest& request) {
  InputsOutcome out;
  Config config;

  // 1. Configuration: explicit --config, else ./risksync.toml when present, else defaults.
  std::optional<fs::path> config_path = request.config_file;
  if (!config_path && fs::exists("risksync.toml")) config_path = fs::path("risksync.toml");
  if (config_path) {
    auto cfg = load_config_file(*config_path);
    if (!cfg) {
      out.errors.push_back(cfg.error());
      return out;
    }
    config = std::move(*cfg);
  }
  if (request.analysis) {
    config.analysis = *request.analysis;
    config.analysis_as_written = request.analysis->string();
  }
  if (request.zones) config.zones = *request.zones;
  if (request.lang) config.lang = *request.lang;
  return load_inputs(config);
}

InputsOutcome load_inputs(const Config& config) {
  InputsOutcome out;
  Inputs in;
  in.config = config;
  if (in.config.analysis.empty()) {
    out.errors.push_back(
        bad_input("no analysis document: give FILE on the command line or `analysis = \"…\"` in "
                  "risksync.toml",
                  {}, "analysis"));
    return out;
  }

  // 2. Zone grid.
  if (!in.config.zones.empty()) {
    auto text = read_text_file(in.config.zones);
    if (!text) {
      out.errors.push_back(text.error());
    } else if (auto grid = parse_zone_grid(*text, in.config.zones.string()); !grid) {
      out.errors.push_back(grid.error());
    } else {
      in.grid = *grid;
    }
  }

  // 3. Catalogs (référentiels).
  for (const auto& path : in.config.catalogs) {
    auto text = read_text_file(path);
    if (!text) {
      out.errors.push_back(text.error());
      continue;
    }
    auto cat = parse_catalog(*text, path.string());
    if (!cat) {
      out.errors.push_back(cat.error());
      continue;
    }
    in.catalogs.push_back(std::move(*cat));
  }

  // 4. The analysis document.
  auto text = read_text_file(in.config.analysis);
  if (!text) {
    out.errors.push_back(text.error());
    return out;
  }
  Catalog merged;
  for (const auto& c : in.catalogs) {
    merged.name += (merged.name.empty() ? "" : "+") + c.name;
    merged.entries.insert(merged.entries.end(), c.entries.begin(), c.entries.end());
  }
  ParseOptions options;
  if (!in.catalogs.empty()) options.catalog = &merged;
  ParseOutcome parsed = parse_analysis(*text, in.config.analysis.string(), options);
  in.warnings = std::move(parsed.warnings);
  for (auto& e : parsed.errors) out.errors.push_back(std::move(e));
  if (!out.errors.empty() || !parsed.analysis) {
    if (out.errors.empty())
      out.errors.push_back(bad_input("the document could not be read",
                                     SourceLocation{in.config.analysis.string(), 0}));
    return out;
  }
  in.analysis = std::move(*parsed.analysis);
  out.inputs = std::move(in);
  return out;
}

}  // namespace risksync
