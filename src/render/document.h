// A page as a small, format-neutral document tree. One builder makes the tree from the model
// (render/dashboard.h); one emitter per format writes it (render/emit.h: markdown, HTML
// and Confluence storage XHTML today, ADF next). No format has a renderer of its own.
//
// Contract:
//  - Every string in the tree is plain text, exactly as a reader should see it: never escaped,
//    never markup, in any language. Escaping is the emitter's job, and so is the safety of link
//    targets (an emitter keeps a Link's url only when it is http(s), see safe_http_url): no
//    text and no url in a tree can change the structure of an output.
//  - Values only: a Document owns all it holds (no pointer into the model), copies are deep,
//    two equal trees give equal bytes in every emitter.
//  - What the page says is in text, headings, cells and links. `style` fields only name a
//    presentation ("note", "z-watch", "num") for emitters with a stylesheet (HTML classes) and
//    may be ignored. `Cell::tooltip` and `Swatch` are extras for formats that can show them; an
//    emitter without them loses nothing else, so nothing may be said only there.
//  - Heading ids are stable, language-independent anchors ("measures"), unique in a document.
#pragma once

#include <string>
#include <variant>
#include <vector>

namespace risksync::doc {

// Inlines: the content of a line, a list item or a table cell.
struct Text {
  std::string text;
};
struct Strong {
  std::string text;
};
struct Code {  // a command or a value, shown literally in a fixed-width font
  std::string text;
};
struct Link {
  std::string text;
  std::string url;  // any text; emitters show `text` without a link unless it is http(s)
};
struct Swatch {  // a small sample of the colour named by `style`; carries no text
  std::string style;
};
using Inline = std::variant<Text, Strong, Code, Link, Swatch>;
using Inlines = std::vector<Inline>;

// Blocks.
struct Heading {
  int level = 2;   // 1 to 6; a Section's heading is level 2, the title level 1
  std::string id;  // stable anchor, e.g. "map-initial"
  std::string text;
};
struct Paragraph {
  Inlines content;
};
struct Note {  // a remark on what is around it (HTML class "note", Confluence info panel)
  Inlines content;
};
struct BulletList {
  std::vector<Inlines> items;
  std::string style;
};

enum class Align { left, center };
struct Column {
  std::string header;
  Align align = Align::left;
};
struct Cell {
  Inlines content;
  std::string style;
  std::string tooltip;      // e.g. the whole text of a shortened cell; may be dropped
  bool row_header = false;  // the row's label (HTML <th scope="row">, bold elsewhere)
};
struct Row {
  std::vector<Cell> cells;  // as many as the table has columns
  std::string style;
};
struct Table {
  std::vector<Column> columns;
  std::vector<Row> rows;
  std::string style;
};

// A picture attached to the page. `id` names it for emitters that embed it (the HTML page
// inlines the SVG it is given for that id); `file_name` is the file published beside the
// page, for emitters that link to it (empty: not published, then those emitters show nothing:
// the page must say what the picture shows elsewhere, e.g. as tables).
struct Image {
  std::string id;
  std::string alt;
  std::string file_name;
  std::string style;
};
struct Preformatted {  // lines kept as they are (a formula, a listing)
  std::string text;
  std::string style;
};

struct Block;
// Content that formats able to fold show folded under `summary` and others show in full.
struct Collapsible {
  std::string summary;
  std::vector<Block> blocks;
};

struct Block {
  std::variant<Heading, Paragraph, Note, BulletList, Table, Image, Preformatted, Collapsible> node;
};

struct Section {
  Heading heading;
  std::vector<Block> blocks;
};

struct Document {
  std::string lang;  // BCP 47 tag of every text: "fr", "en"
  std::string title;
  Inlines byline;  // under the title: when and from what the page was made
  std::vector<Section> sections;
  Inlines footer;
};

}  // namespace risksync::doc
