#include "render/page_common.h"

namespace risksync::render_detail {

namespace {
std::string level_label(int level, std::string_view name) {
  std::string out = std::to_string(level);
  out += " – ";
  out += name;
  return out;
}
}  // namespace

std::string gravity_label(Gravity g, Lang lang) {
  return level_label(to_int(g), gravity_name(g, lang));
}

std::string likelihood_label(Likelihood l, Lang lang) {
  return level_label(to_int(l), likelihood_name(l, lang));
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

}  // namespace risksync::render_detail
