#include "sync/tracker.h"

namespace risksync {

bool older_than(const RemoteItem& a, const RemoteItem& b) {
  // ISO-8601 UTC timestamps of one platform compare as text.
  if (!a.created_at.empty() && !b.created_at.empty() && a.created_at != b.created_at)
    return a.created_at < b.created_at;
  const bool a_digits = !a.id.empty() && a.id.find_first_not_of("0123456789") == std::string::npos;
  const bool b_digits = !b.id.empty() && b.id.find_first_not_of("0123456789") == std::string::npos;
  if (a_digits && b_digits && a.id.size() != b.id.size()) return a.id.size() < b.id.size();
  return a.id < b.id;
}

std::vector<Result<RemoteItem>> Tracker::create_batch(const std::vector<ItemSpec>& specs) {
  std::vector<Result<RemoteItem>> out;
  out.reserve(specs.size());
  std::optional<Error> stop;
  for (const ItemSpec& spec : specs) {
    if (stop) {
      out.emplace_back(*stop);
      continue;
    }
    auto created = create(spec);
    if (!created && created.error().stops_run()) stop = created.error();
    out.push_back(std::move(created));
  }
  return out;
}

Status Tracker::link_related(const RemoteItem&, const RemoteItem&) {
  return Error{ErrorKind::internal, describe() + " has no related-item links", {}, {}};
}

}  // namespace risksync
