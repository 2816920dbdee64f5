// The publication stamp risksync writes into a published page, so that the next sync reads
// from the WIKI (not from a local file) what content the page shows and since when.
//
//   <!-- risksync:page fp=0123456789abcdef at="2026-12-03 07:05 UTC" -->
//
// An HTML comment, invisible on GitHub/GitLab wikis. Confluence does not keep HTML comments
// in storage format, so there (PageFormat::confluence_storage) the stamp is the name of an
// anchor macro, invisible on the page and kept in storage, with its quotes as &quot;:
//
//   <p><ac:structured-macro ac:name="anchor" ac:schema-version="1"><ac:parameter
//   ac:name="">risksync:page fp=0123456789abcdef at=&quot;2026-12-03 07:05 UTC&quot;
//   </ac:parameter></ac:structured-macro></p>        (one line, no break before </ac:…>)
//
// It is the last line of the page. `read_page_stamp` reads both forms (the macro's text as
// XML text, entities decoded, wherever Confluence re-serialised the macro around it).
//
// Contract: pure string functions. `read_page_stamp` takes the LAST stamp of the content (a
// stamp pasted higher up by a person does not win); a malformed stamp is no stamp.
// `with_page_stamp` replaces any stamp already in the content. Dates containing `"`, `<`,
// `>` or a line break are not representable and are dropped (the stamp then has no date).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sync/wiki.h"

namespace risksync {

std::string page_stamp_line(const PublicationStamp& stamp);
std::optional<PublicationStamp> read_page_stamp(std::string_view content);
std::string with_page_stamp(std::string_view content, const PublicationStamp& stamp,
                            PageFormat format);

}  // namespace risksync
