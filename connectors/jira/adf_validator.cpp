// is_valid_adf_document (connectors/jira/jira_body_codec.h): the structural rules of the ADF
// schema (@atlaskit/adf-schema, "full" schema) that Jira Cloud enforces on descriptions and
// comments, for the nodes and marks a description can hold.
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "connectors/jira/jira_body_codec.h"

namespace risksync::jira {
namespace {

using nlohmann::json;
using Names = std::set<std::string, std::less<>>;

const Names& inline_nodes() {
  static const Names n{"text", "hardBreak", "emoji",       "mention",     "inlineCard",
                       "date", "status",    "mediaInline", "placeholder", "inlineExtension"};
  return n;
}

const Names& top_blocks() {
  static const Names n{"paragraph",     "heading",      "bulletList",     "orderedList",
                       "taskList",      "decisionList", "blockquote",     "codeBlock",
                       "rule",          "panel",        "table",          "expand",
                       "mediaSingle",   "mediaGroup",   "blockCard",      "embedCard",
                       "layoutSection", "extension",    "bodiedExtension"};
  return n;
}

struct Rule {
  Names children;                // allowed child types; empty with leaf: no content at all
  bool leaf = false;             // no content allowed
  bool non_empty = false;        // content must hold at least one node
  Names first;                   // when non-empty: allowed types of the first child
  bool inline_children = false;  // children are the inline nodes
};

Names without(Names n, std::initializer_list<const char*> drop) {
  for (const char* d : drop) n.erase(d);
  return n;
}

const std::map<std::string, Rule, std::less<>>& rules() {
  static const std::map<std::string, Rule, std::less<>> r = [] {
    std::map<std::string, Rule, std::less<>> m;
    const Names cell_blocks{"paragraph",  "panel",       "blockquote",   "orderedList",
                            "bulletList", "rule",        "heading",      "codeBlock",
                            "mediaGroup", "mediaSingle", "decisionList", "taskList",
                            "blockCard",  "embedCard",   "extension",    "nestedExpand"};
    m["doc"] = Rule{top_blocks(), false, false, {}, false};
    m["paragraph"] = Rule{{}, false, false, {}, true};
    m["heading"] = Rule{{}, false, false, {}, true};
    m["taskItem"] = Rule{{}, false, false, {}, true};
    m["decisionItem"] = Rule{{}, false, false, {}, true};
    m["bulletList"] = Rule{{"listItem"}, false, true, {}, false};
    m["orderedList"] = Rule{{"listItem"}, false, true, {}, false};
    m["listItem"] =
        Rule{{"paragraph", "bulletList", "orderedList", "codeBlock", "mediaSingle", "taskList"},
             false,
             true,
             {"paragraph", "mediaSingle", "codeBlock"},
             false};
    m["taskList"] = Rule{{"taskItem", "taskList"}, false, true, {"taskItem"}, false};
    m["decisionList"] = Rule{{"decisionItem"}, false, true, {}, false};
    m["blockquote"] =
        Rule{{"paragraph", "bulletList", "orderedList", "codeBlock", "mediaSingle", "mediaGroup"},
             false,
             true,
             {},
             false};
    m["codeBlock"] = Rule{{"text"}, false, false, {}, false};
    m["panel"] =
        Rule{{"paragraph", "heading", "bulletList", "orderedList", "blockCard", "mediaGroup",
              "mediaSingle", "codeBlock", "taskList", "rule", "decisionList", "extension"},
             false,
             true,
             {},
             false};
    m["table"] = Rule{{"tableRow"}, false, true, {}, false};
    m["tableRow"] = Rule{{"tableHeader", "tableCell"}, false, true, {}, false};
    m["tableHeader"] = Rule{cell_blocks, false, true, {}, false};
    m["tableCell"] = Rule{cell_blocks, false, true, {}, false};
    m["expand"] = Rule{without(top_blocks(), {"expand", "layoutSection", "bodiedExtension"}),
                       false,
                       true,
                       {},
                       false};
    m["expand"].children.insert("nestedExpand");
    m["nestedExpand"] =
        Rule{{"paragraph", "heading", "mediaGroup", "mediaSingle", "codeBlock", "bulletList",
              "orderedList", "taskList", "decisionList", "rule", "panel", "blockquote"},
             false,
             true,
             {},
             false};
    m["mediaSingle"] = Rule{{"media", "caption"}, false, true, {"media"}, false};
    m["mediaGroup"] = Rule{{"media"}, false, true, {}, false};
    m["caption"] = Rule{{}, false, false, {}, true};
    m["layoutSection"] = Rule{{"layoutColumn"}, false, true, {}, false};
    m["layoutColumn"] = Rule{without(top_blocks(), {"layoutSection"}), false, true, {}, false};
    m["bodiedExtension"] =
        Rule{without(top_blocks(), {"bodiedExtension", "layoutSection"}), false, true, {}, false};
    for (const char* leaf :
         {"rule", "hardBreak", "emoji", "mention", "inlineCard", "date", "status", "media",
          "blockCard", "embedCard", "extension", "mediaInline", "placeholder", "inlineExtension"}) {
      m[leaf] = Rule{{}, true, false, {}, false};
    }
    return m;
  }();
  return r;
}

const Names& text_marks() {
  static const Names n{"strong",          "em",        "code",   "link",
                       "strike",          "underline", "subsup", "textColor",
                       "backgroundColor", "annotation"};
  return n;
}

const Names& block_marks() {
  static const Names n{"alignment", "indentation", "breakout",     "link",
                       "border",    "annotation",  "dataConsumer", "fragment"};
  return n;
}

class Validator {
 public:
  explicit Validator(std::string* why) : why_(why) {}

  bool fail(const std::string& where, const std::string& what) {
    if (why_) *why_ = (where.empty() ? std::string("document") : where) + ": " + what;
    return false;
  }

  static std::string string_of(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
  }

  bool check_marks(const json& node, const std::string& where, bool is_text, bool in_code_block) {
    const auto it = node.find("marks");
    if (it == node.end()) return true;
    if (!it->is_array()) return fail(where, "marks is not an array");
    if (in_code_block && !it->empty()) return fail(where, "text in a codeBlock cannot have marks");
    Names seen;
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& mark = (*it)[i];
      const std::string at = where + ".marks[" + std::to_string(i) + "]";
      if (!mark.is_object() || string_of(mark, "type").empty())
        return fail(at, "a mark is an object with a type");
      const std::string type = string_of(mark, "type");
      if (!(is_text ? text_marks() : block_marks()).contains(type))
        return fail(at, "mark '" + type + "' is not allowed here");
      if (!seen.insert(type).second) return fail(at, "mark '" + type + "' repeated");
      const auto attrs = mark.find("attrs");
      if (type == "link") {
        if (attrs == mark.end() || !attrs->is_object() || string_of(*attrs, "href").empty())
          return fail(at, "link mark without a non-empty string href");
      }
      if (type == "subsup") {
        const std::string t =
            attrs != mark.end() && attrs->is_object() ? string_of(*attrs, "type") : std::string{};
        if (t != "sub" && t != "sup") return fail(at, "subsup mark needs type sub or sup");
      }
      if (type == "textColor" || type == "backgroundColor") {
        const std::string c =
            attrs != mark.end() && attrs->is_object() ? string_of(*attrs, "color") : std::string{};
        if (c.size() != 7 || c[0] != '#') return fail(at, type + " mark needs a #rrggbb color");
      }
    }
    if (seen.contains("code")) {
      for (const auto& type : seen) {
        if (type != "code" && type != "link" && type != "annotation")
          return fail(where, "code mark combined with '" + type + "' (only link is allowed)");
      }
    }
    return true;
  }

  bool check_attrs(const json& node, const std::string& type, const std::string& where) {
    const auto it = node.find("attrs");
    const bool has = it != node.end();
    if (has && !it->is_object()) return fail(where, "attrs is not an object");
    auto need_string = [&](const char* key) {
      if (!has || string_of(*it, key).empty())
        return fail(where, type + " needs a string attrs." + key);
      return true;
    };
    if (type == "heading") {
      if (!has || !it->contains("level") || !(*it)["level"].is_number_integer())
        return fail(where, "heading needs an integer attrs.level");
      const auto level = (*it)["level"].get<long long>();
      if (level < 1 || level > 6) return fail(where, "heading level outside 1–6");
    }
    if (type == "panel") {
      static const Names kTypes{"info", "note", "tip", "warning", "error", "success", "custom"};
      if (!has || !kTypes.contains(string_of(*it, "panelType")))
        return fail(where,
                    "panel needs attrs.panelType (info, note, tip, warning, error, "
                    "success, custom)");
    }
    if (type == "taskList" || type == "taskItem" || type == "decisionList" ||
        type == "decisionItem") {
      if (!need_string("localId")) return false;
    }
    if (type == "taskItem") {
      const std::string state = string_of(*it, "state");
      if (state != "TODO" && state != "DONE") return fail(where, "taskItem state is TODO or DONE");
    }
    if (type == "emoji" && !need_string("shortName")) return false;
    if (type == "mention" && !need_string("id")) return false;
    if (type == "date" && !need_string("timestamp")) return false;
    if (type == "status" && (!need_string("text") || !need_string("color"))) return false;
    if (type == "media" && !need_string("type")) return false;
    if ((type == "blockCard" || type == "inlineCard" || type == "embedCard") &&
        (!has || (!it->contains("url") && !it->contains("data"))))
      return fail(where, type + " needs attrs.url or attrs.data");
    return true;
  }

  bool check_node(const json& node, const std::string& where, const std::string& parent) {
    if (!node.is_object()) return fail(where, "a node is a JSON object");
    const auto type_it = node.find("type");
    if (type_it == node.end() || !type_it->is_string())
      return fail(where, "a node needs a string type");
    const std::string type = type_it->get<std::string>();
    if (type == "text") {
      const auto text = node.find("text");
      if (text == node.end() || !text->is_string()) return fail(where, "text node without text");
      if (text->get_ref<const std::string&>().empty())
        return fail(where, "text node with empty text");
      if (node.contains("content")) return fail(where, "text node with content");
      return check_marks(node, where, true, parent == "codeBlock");
    }
    const auto rule = rules().find(type);
    if (rule == rules().end()) return fail(where, "unknown node type '" + type + "'");
    if (!check_attrs(node, type, where)) return false;
    if (!check_marks(node, where, false, false)) return false;
    const auto content = node.find("content");
    if (content == node.end()) {
      if (type == "doc") return fail(where, "doc needs a content array");
      if (rule->second.non_empty) return fail(where, type + " needs content");
      return true;
    }
    if (!content->is_array()) return fail(where, "content is not an array");
    if (rule->second.leaf && !content->empty()) return fail(where, type + " has no content");
    if (rule->second.non_empty && content->empty()) return fail(where, type + " needs content");
    for (std::size_t i = 0; i < content->size(); ++i) {
      const json& child = (*content)[i];
      const std::string at =
          (where.empty() ? std::string{} : where + ".") + "content[" + std::to_string(i) + "]";
      const std::string child_type = child.is_object() ? string_of(child, "type") : std::string{};
      const bool allowed = rule->second.inline_children
                               ? inline_nodes().contains(child_type)
                               : rule->second.children.contains(child_type);
      if (!child_type.empty() && !allowed)
        return fail(at, "'" + child_type + "' is not allowed in " + type);
      if (i == 0 && !rule->second.first.empty() && !rule->second.first.contains(child_type))
        return fail(at, "'" + child_type + "' cannot be the first node of " + type);
      if (!check_node(child, at, type)) return false;
    }
    return true;
  }

 private:
  std::string* why_;
};

}  // namespace

bool is_valid_adf_document(std::string_view text, std::string* why) {
  Validator v(why);
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return v.fail("", "not JSON");
  if (!j.is_object()) return v.fail("", "not a JSON object (a plain string is not ADF)");
  if (Validator::string_of(j, "type") != "doc") return v.fail("", "type is not \"doc\"");
  const auto version = j.find("version");
  if (version == j.end() || !version->is_number_integer() || version->get<long long>() != 1)
    return v.fail("", "version is not 1");
  return v.check_node(j, "", "");
}

}  // namespace risksync::jira
