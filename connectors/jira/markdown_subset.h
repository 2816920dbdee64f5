// The markdown risksync emits (sync/issue_body.cpp, comments) read into a small tree, which
// the ADF and wiki-markup writers of connectors/jira/jira_body_codec.h translate. Internal to
// the Jira connector.
//
// Contract: pure, never throws, accepts any byte sequence (what it does not recognise is kept
// as literal text). See jira_body_codec.h for the subset.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace risksync::jira {

// A run of inline text with the same marks.
struct InlineRun {
  std::string text;  // literal text, escapes and entities decoded; empty for a hard break
  bool hard_break = false;
  bool strong = false;
  bool em = false;
  bool code = false;
  std::string href;  // non-empty: the run is (part of) a link
};
using Inlines = std::vector<InlineRun>;

struct ListEntry {
  Inlines text;
  bool task = false;
  bool done = false;
};

struct MdBlock {
  enum class Kind { paragraph, heading, quote, bullet_list, task_list, table, code_block, rule };
  Kind kind = Kind::paragraph;
  int level = 0;                           // heading
  Inlines text;                            // paragraph, heading, quote
  std::vector<ListEntry> items;            // bullet_list, task_list
  std::vector<std::vector<Inlines>> rows;  // table; rows[0] is the header row
  std::string code;                        // code_block (lines joined with '\n')
  std::string language;                    // code_block info string
};

std::vector<MdBlock> parse_markdown_subset(std::string_view md);
Inlines parse_markdown_inlines(std::string_view text);

}  // namespace risksync::jira
