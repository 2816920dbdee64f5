#include "architecture/include_rules.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace risksync::architecture {
namespace {

// The folder a file belongs to, as the rule table names it: "util", "model", "parse",
// "render", "sync", "net", "raster", "app" for src/<folder>/, "connectors/<name>" for a connector.
std::optional<std::string> folder_of(std::string_view path) {
  auto first_two = [](std::string_view p) -> std::optional<std::pair<std::string, std::string>> {
    const auto a = p.find('/');
    if (a == std::string_view::npos) return std::nullopt;
    const auto b = p.find('/', a + 1);
    if (b == std::string_view::npos) return std::nullopt;
    return std::pair{std::string(p.substr(0, a)), std::string(p.substr(a + 1, b - a - 1))};
  };
  const auto parts = first_two(path);
  if (!parts) return std::nullopt;
  if (parts->first == "src") return parts->second;
  if (parts->first == "connectors") return "connectors/" + parts->second;
  return std::nullopt;
}

bool is_connector(std::string_view folder) {
  return folder.substr(0, 11) == "connectors/";
}

bool is_core(std::string_view folder) {
  return folder == "util" || folder == "model" || folder == "parse" || folder == "render" ||
         folder == "sync";
}

// Project folders each folder may include (its own folder is always allowed). app/ may include
// every folder. This is the target graph of CMakeLists.txt: a folder includes only what it links.
const std::map<std::string, std::set<std::string>>& allowed_folders() {
  static const std::map<std::string, std::set<std::string>> table = {
      {"util", {}},
      {"model", {"util"}},
      {"parse", {"model", "util"}},
      {"render", {"model", "util"}},
      {"sync", {"render", "model", "util"}},
      {"net", {"util"}},
      {"raster", {"util"}},
  };
  return table;
}
const std::set<std::string> kConnectorMayUse = {"sync", "net", "render", "model", "util"};

// The project folder a quoted include names ("net/http.h" -> "net",
// "connectors/github/x.h" -> "connectors/github"), or nullopt when it names none.
std::optional<std::string> included_folder(std::string_view header) {
  const auto slash = header.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string top(header.substr(0, slash));
  if (top == "connectors") {
    const auto next = header.find('/', slash + 1);
    if (next == std::string_view::npos) return std::nullopt;
    return std::string(header.substr(0, next));
  }
  static const std::set<std::string> kFolders = {"util", "model", "parse",  "render",
                                                 "sync", "net",   "raster", "app"};
  if (kFolders.count(top)) return top;
  return std::nullopt;
}

std::string_view basename(std::string_view header) {
  const auto slash = header.rfind('/');
  return slash == std::string_view::npos ? header : header.substr(slash + 1);
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// A header of the C++ standard library (or its C compatibility headers): no extension, no folder.
bool is_standard_header(std::string_view header) {
  return header.find('.') == std::string_view::npos && header.find('/') == std::string_view::npos;
}

void check_one(const SourceFile& file, const std::string& folder, std::vector<Violation>& out) {
  for (const Include& inc : parse_includes(file.text)) {
    auto flag = [&](std::string rule) {
      out.push_back({file.path, inc.line, inc.header, std::move(rule)});
    };
    const std::string_view name = basename(inc.header);

    // Third-party libraries with one owner, whatever the delimiters.
    if (name == "httplib.h" && folder != "net") {
      flag("only src/net includes httplib.h (cpp-httplib)");
      continue;
    }
    if (starts_with(name, "cmark") && folder != "parse") {
      flag("only src/parse includes cmark-gfm");
      continue;
    }
    if (starts_with(name, "cxxopts") && folder != "app") {
      flag("only src/app includes cxxopts");
      continue;
    }
    if ((starts_with(inc.header, "librsvg/") || name == "cairo.h") && folder != "raster") {
      flag("only src/raster includes librsvg and cairo");
      continue;
    }
    if (starts_with(inc.header, "openssl/") && folder != "net" && !is_connector(folder)) {
      flag("only src/net and connectors include OpenSSL");
      continue;
    }

    if (inc.angled) {
      if ((folder == "util" || folder == "model") && !is_standard_header(inc.header))
        flag("src/" + folder + " includes only itself, src/util and the standard library");
      continue;
    }

    // Project headers.
    if (inc.header.find("..") != std::string::npos || starts_with(inc.header, "./")) {
      flag("include project headers by their path from src/ or the root, never relatively");
      continue;
    }
    if (inc.header.find('/') == std::string::npos) {
      flag("include project headers by their folder (\"" + folder + "/...\")");
      continue;
    }
    const auto target = included_folder(inc.header);
    if (!target) {
      flag("not a header of src/ or connectors/");
      continue;
    }
    if (*target == folder || folder == "app") continue;
    if (is_connector(folder)) {
      if (is_connector(*target))
        flag("a connector never includes another connector");
      else if (!kConnectorMayUse.count(*target))
        flag("a connector uses only sync/, net/, render/, model/ and util/ (never app/)");
      continue;
    }
    const auto& table = allowed_folders();
    const auto rule = table.find(folder);
    if (rule == table.end()) {
      flag("src/" + folder + " is not in the rule table of ARCHITECTURE.md");
      continue;
    }
    if (rule->second.count(*target)) continue;
    std::string allowed = "src/" + folder;
    for (const auto& f : rule->second) allowed += ", src/" + f;
    if (is_core(folder) && (*target == "net" || *target == "app" || is_connector(*target)))
      flag("the core (src/" + folder + ") never includes net/, app/ or a connector");
    else
      flag("src/" + folder + " may include only " + allowed);
  }
}

}  // namespace

std::string Violation::to_string() const {
  return file + ":" + std::to_string(line) + ": #include " + header + ": " + rule;
}

std::vector<Include> parse_includes(std::string_view text) {
  std::vector<Include> out;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto end = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() + 1 : end + 1;
    ++line_no;
    auto skip_blanks = [&] {
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    };
    skip_blanks();
    if (line.empty() || line.front() != '#') continue;
    line.remove_prefix(1);
    skip_blanks();
    if (!starts_with(line, "include")) continue;
    line.remove_prefix(7);
    skip_blanks();
    if (line.empty() || (line.front() != '"' && line.front() != '<')) continue;
    const char close = line.front() == '"' ? '"' : '>';
    const auto stop = line.find(close, 1);
    if (stop == std::string_view::npos) continue;
    out.push_back({std::string(line.substr(1, stop - 1)), close == '>', line_no});
  }
  return out;
}

std::vector<Violation> check_includes(const std::vector<SourceFile>& files) {
  std::vector<Violation> out;
  for (const SourceFile& file : files) {
    const auto folder = folder_of(file.path);
    if (folder) check_one(file, *folder, out);
  }
  return out;
}

std::vector<SourceFile> load_source_tree(const std::filesystem::path& root) {
  std::vector<SourceFile> out;
  for (const char* top : {"src", "connectors"}) {
    const auto dir = root / top;
    if (!std::filesystem::is_directory(dir)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      const auto ext = entry.path().extension().string();
      if (ext != ".h" && ext != ".hpp" && ext != ".cpp") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      out.push_back(
          {std::filesystem::relative(entry.path(), root).generic_string(), std::move(text).str()});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
  return out;
}

}  // namespace risksync::architecture
