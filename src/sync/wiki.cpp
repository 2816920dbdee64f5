#include "sync/wiki.h"

#include "sync/page_stamp.h"
#include "util/ascii.h"
#include "util/utf8.h"

namespace risksync {

Status check_page_title(std::string_view title) {
  const auto refuse = [](const std::string& why) {
    return bad_input("the page title " + why +
                         "; choose a title without control characters, '/', '\\' or \"..\"",
                     {}, "wiki.page");
  };
  if (ascii::trim(title).empty()) return refuse("is empty");
  std::size_t i = 0;
  while (i < title.size()) {
    const char32_t c = utf8::next_code_point(title, i);
    if (c == 0) return refuse("contains a NUL character");
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return refuse("contains a control character");
  }
  if (title.find_first_of("/\\") != std::string_view::npos)
    return refuse("contains a path separator ('/' or '\\')");
  if (title.find("..") != std::string_view::npos) return refuse("contains \"..\"");
  return ok_status();
}

Result<PublishResult> publish_dashboard(Wiki& wiki, const PageDraft& draft) {
  auto shown = wiki.published_stamp(draft.title);
  if (!shown) return shown.error();
  const bool same =
      *shown && (*shown)->fingerprint == draft.fingerprint && !(*shown)->generated_at.empty();
  PublicationStamp stamp{draft.fingerprint, same ? (*shown)->generated_at : draft.now};
  WikiPage page = draft.build(stamp.generated_at, wiki);
  page.content = with_page_stamp(page.content, stamp, wiki.page_format());
  return wiki.publish(page);
}

}  // namespace risksync
