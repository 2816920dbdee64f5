#include "net/response_framing.h"

#include <cstdint>
#include <optional>
#include <vector>

#include "util/ascii.h"

namespace risksync::net {

ByteSource::~ByteSource() = default;

namespace {

constexpr std::size_t kMaxHead = 64 * 1024;
constexpr std::size_t kMaxChunkLine = 4 * 1024;
constexpr int kMaxInterim = 32;

using ascii::iequals;
using ascii::to_lower;
using ascii::trim;

// Buffered reads from a ByteSource, with the failure recorded as a FramingError.
class Reader {
 public:
  explicit Reader(ByteSource& source) : source_(source) {}

  // One line without its terminator (CRLF or LF); nullopt on failure (see error()).
  std::optional<std::string> line(std::size_t max, std::size_t& budget) {
    std::string out;
    for (;;) {
      if (pos_ == buf_.size() && !fill()) return std::nullopt;
      const char c = buf_[pos_++];
      if (c == '\n') {
        if (!out.empty() && out.back() == '\r') out.pop_back();
        return out;
      }
      out.push_back(c);
      if (out.size() > max || out.size() > budget) {
        fail(FramingError::Kind::malformed,
             "a response line is longer than " + std::to_string(std::min(max, budget)) + " bytes");
        return std::nullopt;
      }
    }
  }

  // Exactly n bytes appended to out.
  bool exact(std::uint64_t n, std::string& out) {
    while (n > 0) {
      if (pos_ == buf_.size() && !fill()) return false;
      const std::size_t take =
          static_cast<std::size_t>(std::min<std::uint64_t>(n, buf_.size() - pos_));
      out.append(buf_, pos_, take);
      pos_ += take;
      n -= take;
    }
    return true;
  }

  // Everything up to the end of the stream.
  bool to_end(std::string& out) {
    out.append(buf_, pos_, std::string::npos);
    pos_ = buf_.size();
    for (;;) {
      char tmp[16384];
      const ssize_t n = source_.read(tmp, sizeof tmp);
      if (n == 0) return true;
      if (n < 0) {
        fail(source_.timed_out() ? FramingError::Kind::timeout : FramingError::Kind::closed,
             source_.timed_out() ? "timed out reading the body"
                                 : "read failed before the end of the body");
        return false;
      }
      out.append(tmp, static_cast<std::size_t>(n));
    }
  }

  bool leftover() const { return pos_ < buf_.size(); }
  const FramingError& error() const { return error_; }
  void fail(FramingError::Kind kind, std::string message) {
    error_ = FramingError{kind, std::move(message)};
  }

 private:
  bool fill() {
    char tmp[16384];
    const ssize_t n = source_.read(tmp, sizeof tmp);
    if (n > 0) {
      buf_.erase(0, pos_);
      pos_ = 0;
      buf_.append(tmp, static_cast<std::size_t>(n));
      return true;
    }
    if (n < 0 && source_.timed_out())
      fail(FramingError::Kind::timeout, "timed out waiting for the response");
    else
      fail(FramingError::Kind::closed, "the connection ended before a complete response");
    return false;
  }

  ByteSource& source_;
  std::string buf_;
  std::size_t pos_ = 0;
  FramingError error_;
};

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Header lines until the empty line. False on failure (error set in `reader`).
bool read_fields(Reader& reader, std::size_t& budget, Headers& out) {
  std::string name;
  std::string value;
  bool have = false;
  const auto flush = [&] {
    if (have) out.emplace(name, std::string(trim(value)));
    have = false;
  };
  for (;;) {
    auto line = reader.line(kMaxHead, budget);
    if (!line) return false;
    budget -= std::min(budget, line->size() + 2);
    if (line->empty()) {
      flush();
      return true;
    }
    if ((*line)[0] == ' ' || (*line)[0] == '\t') {  // obs-fold: replace by a space
      if (!have) {
        reader.fail(FramingError::Kind::malformed, "a header line starts with white space");
        return false;
      }
      value += ' ';
      value += trim(*line);
      continue;
    }
    flush();
    const auto colon = line->find(':');
    if (colon == std::string::npos || colon == 0) {
      reader.fail(FramingError::Kind::malformed, "a header line has no field name");
      return false;
    }
    for (std::size_t i = 0; i < colon; ++i) {
      if (!is_token_char((*line)[i])) {
        reader.fail(FramingError::Kind::malformed, "a header field name is not a token");
        return false;
      }
    }
    name = line->substr(0, colon);
    value = line->substr(colon + 1);
    have = true;
  }
}

// Comma-separated list elements of every value of `name`, trimmed and lower-cased.
std::vector<std::string> list_values(const Headers& headers, std::string_view name) {
  std::vector<std::string> out;
  const auto range = headers.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) {
    std::string_view rest = it->second;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string_view item = trim(rest.substr(0, comma));
      if (!item.empty()) out.push_back(to_lower(item));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return out;
}

std::optional<std::uint64_t> parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

bool read_chunked(Reader& reader, std::string& body) {
  for (;;) {
    std::size_t budget = kMaxChunkLine;
    auto line = reader.line(kMaxChunkLine, budget);
    if (!line) return false;
    std::string_view size_text = *line;
    size_text = trim(size_text.substr(0, size_text.find(';')));  // chunk extensions ignored
    if (size_text.empty() || size_text.size() > 15) {
      reader.fail(FramingError::Kind::malformed, "invalid chunk size");
      return false;
    }
    std::uint64_t size = 0;
    for (char c : size_text) {
      int d = -1;
      if (c >= '0' && c <= '9') d = c - '0';
      if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
      if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
      if (d < 0) {
        reader.fail(FramingError::Kind::malformed, "invalid chunk size");
        return false;
      }
      size = size * 16 + static_cast<std::uint64_t>(d);
    }
    if (size == 0) break;
    if (!reader.exact(size, body)) return false;
    budget = 2;
    auto end = reader.line(2, budget);
    if (!end) return false;
    if (!end->empty()) {
      reader.fail(FramingError::Kind::malformed, "a chunk is longer than its size");
      return false;
    }
  }
  // trailer-section, then the final empty line: read and discarded.
  Headers trailers;
  std::size_t budget = kMaxHead;
  return read_fields(reader, budget, trailers);
}

bool has_token(const Headers& headers, std::string_view name, std::string_view token) {
  for (const auto& v : list_values(headers, name))
    if (v == token) return true;
  return false;
}

}  // namespace

bool response_has_content(std::string_view method, int status) {
  if (method == "HEAD") return false;
  if (status >= 100 && status < 200) return false;
  return status != 204 && status != 304;
}

FramingResult read_framed_response(ByteSource& source, std::string_view method) {
  Reader reader(source);
  FramedResponse out;
  for (;;) {
    std::size_t budget = kMaxHead;
    auto status_line = reader.line(kMaxHead, budget);
    if (!status_line) return reader.error();
    budget -= std::min(budget, status_line->size() + 2);
    // HTTP-version SP 3DIGIT SP [reason-phrase]; a missing SP before an empty reason is
    // tolerated.
    const std::string& s = *status_line;
    if (s.size() < 12 || s.compare(0, 7, "HTTP/1.") != 0 || s[7] < '0' || s[7] > '9' ||
        s[8] != ' ' || s[9] < '1' || s[9] > '5' || s[10] < '0' || s[10] > '9' || s[11] < '0' ||
        s[11] > '9' || (s.size() > 12 && s[12] != ' ')) {
      return FramingError{FramingError::Kind::malformed, "invalid status line"};
    }
    out.version = s.substr(0, 8);
    out.status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
    out.reason = s.size() > 13 ? s.substr(13) : std::string();
    out.headers.clear();
    if (!read_fields(reader, budget, out.headers)) return reader.error();
    if (out.status >= 100 && out.status < 200 && out.status != 101) {
      if (++out.interim_responses > kMaxInterim)
        return FramingError{FramingError::Kind::malformed, "too many interim (1xx) responses"};
      continue;
    }
    break;
  }

  const bool http10 = out.version == "HTTP/1.0";
  const auto connection = list_values(out.headers, "Connection");
  bool keep_alive = true;
  for (const auto& token : connection)
    if (token == "close") keep_alive = false;
  if (http10 && !has_token(out.headers, "Connection", "keep-alive")) keep_alive = false;
  if (out.status == 101) keep_alive = false;

  if (!response_has_content(method, out.status)) {
    out.keep_alive = keep_alive && !reader.leftover();
    return out;
  }

  const auto codings = list_values(out.headers, "Transfer-Encoding");
  const bool has_length = out.headers.count("Content-Length") > 0;
  if (!codings.empty()) {
    if (has_length) keep_alive = false;  // RFC 9112 §6.3 rule 3: possible smuggling
    for (std::size_t i = 0; i + 1 < codings.size(); ++i) {
      if (codings[i] == "chunked")
        return FramingError{FramingError::Kind::malformed, "chunked is not the last coding"};
    }
    if (codings.back() == "chunked") {
      if (codings.size() > 1)
        return FramingError{FramingError::Kind::malformed,
                            "unsupported transfer coding '" + codings.front() + "'"};
      if (!read_chunked(reader, out.body)) return reader.error();
    } else {
      if (!reader.to_end(out.body)) return reader.error();
      keep_alive = false;
    }
  } else if (has_length) {
    std::optional<std::uint64_t> length;
    const auto values = list_values(out.headers, "Content-Length");
    if (values.empty())
      return FramingError{FramingError::Kind::malformed, "Content-Length is empty"};
    for (const auto& v : values) {
      const auto n = parse_decimal(v);
      if (!n) return FramingError{FramingError::Kind::malformed, "Content-Length is not a number"};
      if (length && *length != *n)
        return FramingError{FramingError::Kind::malformed, "conflicting Content-Length values"};
      length = n;
    }
    if (!reader.exact(*length, out.body)) return reader.error();
  } else {
    if (!reader.to_end(out.body)) return reader.error();
    keep_alive = false;
  }
  out.keep_alive = keep_alive && !reader.leftover();
  return out;
}

std::string canonical_message(const FramedResponse& response) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " ";
  for (char c : response.reason)
    if (c != '\r' && c != '\n') out += c;
  out += "\r\n";
  if (!response.body.empty()) {
    const auto encoding = find_header(response.headers, "Content-Encoding");
    if (encoding) {
      out += "Content-Encoding: ";
      for (char c : *encoding)
        if (c != '\r' && c != '\n') out += c;
      out += "\r\n";
    }
  }
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  if (!response.keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  out += response.body;
  return out;
}

}  // namespace risksync::net
