// ASCII-only string helpers (protocol tokens: header names, schemes, hosts). Locale-free.
// For French/English words use normalize_text (model/analysis.h) instead.
#pragma once

#include <string>
#include <string_view>

namespace risksync::ascii {

char lower(char c);
std::string to_lower(std::string_view s);
std::string_view trim(std::string_view s);  // drops leading/trailing spaces, tabs, CR, LF
bool iequals(std::string_view a, std::string_view b);

}  // namespace risksync::ascii
