// Log lines on stderr through spdlog: human text ("risksync: info: …") by default, one JSON
// object per line with `--log-format json` ({"time":"2026-12-03T07:05:00.123Z","level":"info",
// "message":"…"}; the message JSON-escaped, invalid UTF-8 replaced).
//
// Contract: call once, from the main thread, before any other thread logs.
#pragma once

#include <optional>
#include <string_view>

namespace risksync {

enum class LogFormat { text, json };

// "text" | "json" -> the format; nullopt otherwise.
std::optional<LogFormat> log_format_from_string(std::string_view text);

void set_log_format(LogFormat format);
LogFormat log_format();

}  // namespace risksync
