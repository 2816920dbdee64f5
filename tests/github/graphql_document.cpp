#include "github/graphql_document.h"

#include <cctype>
#include <optional>

namespace risksync::testing {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  Result<GqlOperation> operation() {
    skip();
    GqlOperation op;
    if (peek() == '{') {
      op.kind = "query";
    } else {
      const std::string keyword = name();
      if (keyword == "fragment") return fail("fragments are not supported");
      if (keyword != "query" && keyword != "mutation" && keyword != "subscription")
        return fail("expected query, mutation or '{', got '" + keyword + "'");
      op.kind = keyword;
      skip();
      if (is_name_start(peek())) op.name = name();
      skip();
      if (peek() == '(') {
        ++pos_;
        for (;;) {
          skip();
          if (peek() == ')') {
            ++pos_;
            break;
          }
          if (!expect('$')) return fail("expected a variable definition");
          GqlVariable v;
          v.name = name();
          if (v.name.empty()) return fail("expected a variable name");
          skip();
          if (!expect(':')) return fail("expected ':' after $" + v.name);
          auto t = type();
          if (!t) return fail("expected a type for $" + v.name);
          v.type = *t;
          skip();
          if (peek() == '=') {
            ++pos_;
            auto d = value(true);
            if (!d) return error_;
            v.has_default = true;
            v.default_value = std::move(*d);
          }
          op.variables.push_back(std::move(v));
        }
      }
    }
    skip();
    if (peek() == '@') return fail("directives are not supported");
    auto sel = selection_set();
    if (!sel) return error_;
    op.selections = std::move(*sel);
    skip();
    if (pos_ != text_.size()) return fail("only one operation per document is supported");
    return op;
  }

 private:
  static bool is_name_start(char c) {
    return c == '_' || std::isalpha(static_cast<unsigned char>(c));
  }
  static bool is_name_char(char c) {
    return c == '_' || std::isalnum(static_cast<unsigned char>(c));
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  // Whitespace, commas (insignificant in GraphQL) and # comments.
  void skip() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }
  bool expect(char c) {
    skip();
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  std::string name() {
    skip();
    std::string out;
    if (!is_name_start(peek())) return out;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) out += text_[pos_++];
    return out;
  }
  std::optional<std::string> type() {
    skip();
    std::string out;
    if (peek() == '[') {
      ++pos_;
      auto inner = type();
      if (!inner || !expect(']')) return std::nullopt;
      out = "[" + *inner + "]";
    } else {
      out = name();
      if (out.empty()) return std::nullopt;
    }
    skip();
    if (peek() == '!') {
      ++pos_;
      out += "!";
    }
    return out;
  }
  Error fail(const std::string& why) {
    error_ = bad_input("GraphQL document, at byte " + std::to_string(pos_) + ": " + why);
    return error_;
  }

  std::optional<std::vector<GqlField>> selection_set() {
    if (!expect('{')) {
      fail("expected '{'");
      return std::nullopt;
    }
    std::vector<GqlField> out;
    for (;;) {
      skip();
      if (peek() == '}') {
        ++pos_;
        break;
      }
      if (peek() == '.') {
        fail("fragment spreads and inline fragments are not supported");
        return std::nullopt;
      }
      GqlField f;
      f.name = name();
      if (f.name.empty()) {
        fail("expected a field name");
        return std::nullopt;
      }
      skip();
      if (peek() == ':') {
        ++pos_;
        f.alias = f.name;
        f.name = name();
        if (f.name.empty()) {
          fail("expected a field name after the alias " + f.alias);
          return std::nullopt;
        }
        skip();
      }
      if (peek() == '(') {
        ++pos_;
        for (;;) {
          skip();
          if (peek() == ')') {
            ++pos_;
            break;
          }
          const std::string arg = name();
          if (arg.empty() || !expect(':')) {
            fail("expected an argument of " + f.name);
            return std::nullopt;
          }
          auto v = value(false);
          if (!v) return std::nullopt;
          f.arguments.emplace_back(arg, std::move(*v));
        }
        skip();
      }
      if (peek() == '@') {
        fail("directives are not supported");
        return std::nullopt;
      }
      if (peek() == '{') {
        auto sub = selection_set();
        if (!sub) return std::nullopt;
        f.selections = std::move(*sub);
      }
      out.push_back(std::move(f));
    }
    if (out.empty()) {
      fail("an empty selection set");
      return std::nullopt;
    }
    return out;
  }

  std::optional<GqlValue> value(bool constant) {
    skip();
    GqlValue v;
    const char c = peek();
    if (c == '$') {
      if (constant) {
        fail("a variable in a constant value");
        return std::nullopt;
      }
      ++pos_;
      v.kind = GqlValue::Kind::variable;
      v.text = name();
      if (v.text.empty()) {
        fail("expected a variable name after '$'");
        return std::nullopt;
      }
      return v;
    }
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      v.kind = GqlValue::Kind::integer;
      if (c == '-') v.text += text_[pos_++];
      while (pos_ < text_.size() &&
             (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.' ||
              text_[pos_] == 'e' || text_[pos_] == 'E' || text_[pos_] == '+' ||
              text_[pos_] == '-')) {
        if (!std::isdigit(static_cast<unsigned char>(text_[pos_])))
          v.kind = GqlValue::Kind::floating;
        v.text += text_[pos_++];
      }
      return v;
    }
    if (c == '"') {
      v.kind = GqlValue::Kind::string;
      if (text_.substr(pos_, 3) == "\"\"\"") {
        const auto end = text_.find("\"\"\"", pos_ + 3);
        if (end == std::string_view::npos) {
          fail("an unterminated block string");
          return std::nullopt;
        }
        v.text = std::string(text_.substr(pos_ + 3, end - pos_ - 3));
        pos_ = end + 3;
        return v;
      }
      ++pos_;
      while (pos_ < text_.size() && text_[pos_] != '"') {
        if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
          const char e = text_[++pos_];
          v.text += e == 'n' ? '\n' : e == 't' ? '\t' : e;
          ++pos_;
          continue;
        }
        v.text += text_[pos_++];
      }
      if (!expect('"')) {
        fail("an unterminated string");
        return std::nullopt;
      }
      return v;
    }
    if (c == '[') {
      ++pos_;
      v.kind = GqlValue::Kind::list;
      for (;;) {
        skip();
        if (peek() == ']') {
          ++pos_;
          return v;
        }
        auto item = value(constant);
        if (!item) return std::nullopt;
        v.items.push_back(std::move(*item));
      }
    }
    if (c == '{') {
      ++pos_;
      v.kind = GqlValue::Kind::object;
      for (;;) {
        skip();
        if (peek() == '}') {
          ++pos_;
          return v;
        }
        const std::string field = name();
        if (field.empty() || !expect(':')) {
          fail("expected a field of an input object");
          return std::nullopt;
        }
        auto item = value(constant);
        if (!item) return std::nullopt;
        v.fields.emplace_back(field, std::move(*item));
      }
    }
    const std::string word = name();
    if (word.empty()) {
      fail("expected a value");
      return std::nullopt;
    }
    v.text = word;
    v.kind = word == "true" || word == "false" ? GqlValue::Kind::boolean
             : word == "null"                  ? GqlValue::Kind::null
                                               : GqlValue::Kind::enumeration;
    return v;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  Error error_ = bad_input("GraphQL document: unreadable");
};

}  // namespace

Result<GqlOperation> parse_graphql_operation(std::string_view document) {
  return Reader(document).operation();
}

}  // namespace risksync::testing
