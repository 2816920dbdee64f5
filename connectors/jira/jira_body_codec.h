// risksync's block in Jira descriptions: Atlassian Document Format (Jira Cloud, REST v3) and wiki
// markup (Jira Data Center, REST v2). Issue 8; the seam is sync/body_codec.h.
//
// The identity marker does NOT live in the body on Jira (neither format can keep an HTML
// comment): the tracker keeps it in the issue entity property `risksync` and puts it into
// RemoteItem::marker itself. So read() always returns ShownBlock::marker = nullopt and says
// whether it found the block with ShownBlock::found; write() takes the marker only to honour the
// BodyCodec interface and never writes it.
//
// How the block is delimited, and why:
//  - ADF has no comments, and its `panel` node cannot hold a table (the story block has one),
//    while `expand` hides the block behind a click. So the block is framed by two top-level
//    paragraphs whose whole text is fixed: kAdfBlockBegin ("risksync ▼") before it, kAdfBlockEnd
//    ("risksync ▲") after it. Jira re-serialises ADF node by node but keeps a paragraph's text;
//    a delimiter is recognised by its text alone (marks, attrs, surrounding spaces ignored).
//    The block is the first begin paragraph followed by an end paragraph with no other begin in
//    between (as sync/marker.h find_block); other delimiter paragraphs count as stray markers.
//  - Wiki markup: a `{panel:title=risksync}` line opens the block and the next `{panel}` line
//    closes it (a visible frame; risksync's own text never holds a '{', it is escaped, so the
//    first `{panel}` after the opening line is risksync's). Extra panel parameters added by an
//    editor (`{panel:title=risksync|borderStyle=solid}`) are tolerated.
//
// Contract (as BodyCodec): pure and deterministic, no I/O, never throws on any input.
//  - write() keeps people's content outside the block: for ADF every node outside the block
//    is kept as it is (key order too); a body that is not an ADF document (empty, null, plain
//    text) has its text kept as paragraphs after the block. For wiki markup every byte outside
//    the block is kept. A body without a block gets it prepended.
//  - read(write(b, m, c)).found is true and same_content(read(...).content, c) is true.
//  - read().content is, for ADF, an ADF document (JSON text) holding the block's nodes; for wiki
//    markup, the lines between the panel lines.
//  - same_content() compares by meaning: the words, numbers, links (text and href) and task
//    states of each text block, in order. It ignores what Jira changes when it re-serialises:
//    marks and their order, attrs (localId, panel parameters), empty paragraphs, whitespace
//    runs, text split into several nodes, emoji written as emoji nodes, a bare URL turned into
//    a link to itself.
//
// The markdown these functions read is the subset risksync emits (sync/issue_body.cpp,
// comments): ATX headings, paragraphs, `> ` quotes, `- ` bullet lists, `- [ ]`/`- [x]` task
// lists, GFM tables, fenced code blocks, thematic breaks; inline **strong**, *em*/_em_, `code`,
// [text](url), backslash escapes, the five XML entities, <br>, and <sub>…</sub> (tags dropped).
// Anything else is kept as literal text.
#pragma once

#include <string>
#include <string_view>

#include "sync/body_codec.h"

namespace risksync::jira {

inline constexpr std::string_view kAdfBlockBegin = "risksync ▼";
inline constexpr std::string_view kAdfBlockEnd = "risksync ▲";
inline constexpr std::string_view kWikiPanelOpen = "{panel:title=risksync}";
inline constexpr std::string_view kWikiPanelClose = "{panel}";

// Jira Cloud: the description is an ADF document ({"type":"doc","version":1,"content":[…]}).
class JiraAdfCodec final : public BodyCodec {
 public:
  BodyFormat format() const override { return BodyFormat::adf; }
  ShownBlock read(std::string_view body) const override;
  std::string write(std::string_view current_body, const Marker& marker,
                    const ManagedContent& content) const override;
  bool same_content(std::string_view shown, const ManagedContent& content) const override;
};

// Jira Data Center: the description is wiki markup.
class JiraWikiMarkupCodec final : public BodyCodec {
 public:
  BodyFormat format() const override { return BodyFormat::jira_wiki; }
  ShownBlock read(std::string_view body) const override;
  std::string write(std::string_view current_body, const Marker& marker,
                    const ManagedContent& content) const override;
  bool same_content(std::string_view shown, const ManagedContent& content) const override;
};

// risksync's markdown as a whole ADF document (comments, and the block's content): valid for
// is_valid_adf_document. Task lists get deterministic localIds ("risksync-task-1", …).
std::string adf_document_from_markdown(std::string_view md);

// risksync's markdown as Jira wiki markup: h3./h4., bq., *strong*, _em_, {{code}}, [text|url],
// * bullets, ☐/☑ for task states (wiki markup has no checkbox), ||h|| |c| tables,
// {noformat} code blocks, ----; text escaped with escape_wiki_text.
std::string wiki_markup_from_markdown(std::string_view md);

// Plain text for wiki markup, rendered literally: a backslash before { } [ ] | ! and before
// * _ - + ^ ~ where they are at a word boundary (where they could open or close an effect,
// start a list or a rule); a backslash itself becomes "&#92;" ("\\" is a line break in wiki
// markup); inside a word ("snake_case", "2026-11-23") they stay as they are.
// "??" (citation) gets a backslash before its first '?', the emoticons "(x)", "(/)", "(!)"…
// before their '(', ":)" ":(" ":P" ":D" ";)" before their second character. Line breaks become
// spaces (one line). Not handled: a text placed at the start of a line that begins with "h1. "…
// "h6. " or "bq. " still starts a heading or a quote there.
std::string escape_wiki_text(std::string_view text);

// The ADF structural rules Jira Cloud enforces on a description or a comment: a JSON object of
// type "doc" with version 1 and a content array; every node a known type in a place its parent
// allows (block nodes in doc/blockquote/list items/table cells/panels, inline nodes in
// paragraphs/headings/task items, listItem only in lists, tableRow only in tables…); heading
// levels 1–6; a text node has non-empty text and no content; marks known, not repeated, `code`
// only combined with `link`, `link` with a non-empty string href; taskList/taskItem with a
// localId and a TODO/DONE state; codeBlock holds unmarked text only. `why` (when given) gets
// the first rule broken and where ("content[2].content[0]: text node with empty text").
bool is_valid_adf_document(std::string_view json, std::string* why = nullptr);

// The comparison forms same_content() uses (exposed for tests): one line per non-empty text
// block, whitespace collapsed, links as "text<href>", task items prefixed "[x] "/"[ ] ".
std::string adf_comparison_form(std::string_view adf_json);
std::string wiki_comparison_form(std::string_view wiki_markup);

}  // namespace risksync::jira
