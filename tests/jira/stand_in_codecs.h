// Stand-in body codecs for the Jira tests, used until connectors/jira/jira_body_codec.h (branch
// jira-codec: JiraAdfCodec, JiraWikiMarkupCodec) is merged. They follow the BodyCodec contract
// (sync/body_codec.h) in the simplest way: the block is delimited by two marker paragraphs
// (ADF) or two anchor lines (wiki markup); the identity marker is NOT written (the Jira tracker
// keeps it in the `risksync` issue property). Test code only.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "sync/body_codec.h"

namespace risksync::testing {

class StandInAdfCodec final : public BodyCodec {
 public:
  static constexpr std::string_view kBegin = "⟦risksync⟧";
  static constexpr std::string_view kEnd = "⟦/risksync⟧";

  BodyFormat format() const override { return BodyFormat::adf; }

  ShownBlock read(std::string_view body) const override {
    ShownBlock out;
    const nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
    if (!doc.is_object() || !doc.contains("content") || !doc["content"].is_array()) return out;
    const auto& content = doc["content"];
    const auto [begin, end] = bounds(content);
    if (begin < 0 || end < 0) return out;
    for (int i = begin + 1; i < end; ++i) {
      if (!out.content.empty()) out.content += "\n";
      out.content += text_of(content[static_cast<std::size_t>(i)]);
    }
    return out;
  }

  std::string write(std::string_view current_body, const Marker&,
                    const ManagedContent& content) const override {
    nlohmann::json doc = nlohmann::json::parse(current_body, nullptr, false);
    if (!doc.is_object() || !doc.contains("content") || !doc["content"].is_array())
      doc = {{"version", 1}, {"type", "doc"}, {"content", nlohmann::json::array()}};
    nlohmann::json block = nlohmann::json::array();
    block.push_back(paragraph(kBegin));
    std::size_t start = 0;
    const std::string& md = content.markdown;
    while (start <= md.size()) {
      const auto nl = md.find('\n', start);
      const std::string line = md.substr(start, nl == std::string::npos ? nl : nl - start);
      if (!line.empty()) block.push_back(paragraph(line));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    block.push_back(paragraph(kEnd));
    nlohmann::json& items = doc["content"];
    const auto [begin, end] = bounds(items);
    nlohmann::json out = nlohmann::json::array();
    if (begin >= 0 && end >= 0) {
      for (int i = 0; i < begin; ++i) out.push_back(items[static_cast<std::size_t>(i)]);
      for (auto& b : block) out.push_back(b);
      for (std::size_t i = static_cast<std::size_t>(end) + 1; i < items.size(); ++i)
        out.push_back(items[i]);
    } else {
      out = block;
      for (auto& i : items) out.push_back(i);
    }
    items = out;
    return doc.dump();
  }

  bool same_content(std::string_view shown, const ManagedContent& content) const override {
    return markdown_comparison_form(shown) == markdown_comparison_form(content.markdown);
  }

 private:
  static nlohmann::json paragraph(std::string_view text) {
    return {{"type", "paragraph"},
            {"content", nlohmann::json::array({{{"type", "text"}, {"text", std::string(text)}}})}};
  }
  static std::string text_of(const nlohmann::json& node) {
    std::string out;
    if (node.is_object() && node.value("type", "") == "text") out += node.value("text", "");
    if (node.is_object() && node.contains("content") && node["content"].is_array())
      for (const auto& c : node["content"]) out += text_of(c);
    return out;
  }
  static std::pair<int, int> bounds(const nlohmann::json& items) {
    int begin = -1;
    int end = -1;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string t = text_of(items[i]);
      if (t == kBegin && begin < 0) begin = static_cast<int>(i);
      if (t == kEnd && begin >= 0 && end < 0) end = static_cast<int>(i);
    }
    return {begin, end};
  }
};

class StandInWikiCodec final : public BodyCodec {
 public:
  static constexpr std::string_view kBegin = "{anchor:risksync-begin}";
  static constexpr std::string_view kEnd = "{anchor:risksync-end}";

  BodyFormat format() const override { return BodyFormat::jira_wiki; }

  ShownBlock read(std::string_view body) const override {
    ShownBlock out;
    const auto b = body.find(kBegin);
    const auto e = b == std::string_view::npos ? b : body.find(kEnd, b);
    if (e == std::string_view::npos) return out;
    out.content = std::string(body.substr(b + kBegin.size(), e - b - kBegin.size()));
    return out;
  }

  std::string write(std::string_view current, const Marker&,
                    const ManagedContent& content) const override {
    const std::string block =
        std::string(kBegin) + "\n" + content.markdown + "\n" + std::string(kEnd);
    const auto b = current.find(kBegin);
    const auto e = b == std::string_view::npos ? b : current.find(kEnd, b);
    if (e == std::string_view::npos)
      return current.empty() ? block : block + "\n\n" + std::string(current);
    return std::string(current.substr(0, b)) + block + std::string(current.substr(e + kEnd.size()));
  }

  bool same_content(std::string_view shown, const ManagedContent& content) const override {
    return markdown_comparison_form(shown) == markdown_comparison_form(content.markdown);
  }
};

}  // namespace risksync::testing
