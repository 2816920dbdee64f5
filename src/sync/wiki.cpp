#include "sync/wiki.h"

#include "sync/page_stamp.h"

namespace risksync {

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
