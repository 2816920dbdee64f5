#include "app/sync_job.h"

#include <spdlog/spdlog.h>

#include <cstdint>
#include <string_view>
#include <utility>

#include "app/connect.h"
#include "app/dashboard.h"
#include "app/exit_codes.h"
#include "app/file_listing_cache.h"
#include "net/redact.h"
#include "util/hash.h"

namespace risksync {
namespace {

void redact(Error& e, const net::Redactor& redactor) {
  e.message = redactor.redact(e.message);
}

// Stands for the date in the one build of the dashboard (publish_report): letters and digits
// only, so that every emitter copies it unchanged; drawn from `env` (never in an analysis).
std::string date_placeholder(const Env& env) {
  const auto draw = [&] { return std::to_string(static_cast<std::uint64_t>(env.random() * 1e15)); };
  return "RISKSYNCDATE" + fnv1a64_hex(draw() + "." + draw());
}

// A date the emitters copy unchanged in the middle of a sentence (markdown and HTML escape
// none of these characters there): substituting it for the placeholder gives the bytes a
// build with that date gives. Any other date is built for.
bool copied_unchanged(std::string_view date) {
  for (const char c : date)
    if (!(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && c != ' ' &&
        c != ':' && c != '-' && c != '/')
      return false;
  return true;
}

std::string replace_all(std::string_view text, std::string_view token, std::string_view with) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0;;) {
    const auto found = text.find(token, pos);
    out.append(text.substr(pos, found - pos));
    if (found == std::string_view::npos) return out;
    out.append(with);
    pos = found + token.size();
  }
}

// Feeds `text` with every `token` left out, as one field: the hash of the same text built
// with an empty date.
void feed_without(Fnv1a64& h, std::string_view text, std::string_view token) {
  for (std::size_t pos = 0;;) {
    const auto found = text.find(token, pos);
    h.feed(text.substr(pos, found - pos));
    if (found == std::string_view::npos) break;
    pos = found + token.size();
  }
  h.feed_field("");
}

// FNV-1a over a page and its attachments (not the derived ones: WikiAttachment::derived), the
// date left out: the page is built with the placeholder where the date goes, and the hash is
// the one of the page built with an empty date (so the stamps already published keep matching).
std::string content_fingerprint(const WikiPage& page, std::string_view placeholder) {
  Fnv1a64 h;
  h.feed_field(page.title);
  feed_without(h, page.content, placeholder);
  for (const auto& a : page.attachments) {
    if (a.derived) continue;
    h.feed_field(a.file_name);
    feed_without(h, a.content, placeholder);
  }
  return h.hex();
}

// The page built with the placeholder, dated: every text with the placeholder replaced.
void date_page(WikiPage& page, std::string_view placeholder, std::string_view date) {
  page.content = replace_all(page.content, placeholder, date);
  for (auto& a : page.attachments) a.content = replace_all(a.content, placeholder, date);
  page.commit_message = replace_all(page.commit_message, placeholder, date);
}

}  // namespace

Result<PublishResult> publish_report(const Inputs& in, const SyncReport& report, Wiki& wiki,
                                     const Env& env, bool with_html) {
  PageContext ctx;
  ctx.lang = in.config.lang;
  ctx.source_file = in.config.analysis_as_written;
  ctx.status_source = report.status_source;
  for (const auto& [key, r] : report.matching.story) ctx.item_urls[key] = report.remote[r].url;
  for (const auto& [key, r] : report.matching.measure) ctx.item_urls[key] = report.remote[r].url;
  const DashboardOptions dash{in.config.wiki.page, with_html, wiki.page_format()};
  auto build = [&](const std::string& generated_at, const Wiki&) {
    PageContext c = ctx;
    c.generated_at = generated_at;
    // The statuses shown were read when the page was made: the page keeps that date while
    // its content (statuses included) is unchanged, and the fingerprint leaves it out.
    if (c.status_source.from_tracker()) c.status_source.read_at = generated_at;
    return build_dashboard(in.analysis, report.assessment, in.grid, std::move(c), dash);
  };
  // Built once, with a placeholder for the date: the fingerprint leaves it out, and the page
  // published gets the date it keeps (or now) in its place.
  const std::string placeholder = date_placeholder(env);
  WikiPage built = build(placeholder, wiki);
  bool dated = false;
  PageDraft draft;
  draft.title = in.config.wiki.page;
  draft.fingerprint = content_fingerprint(built, placeholder);
  draft.now = env.timestamp();
  draft.build = [&](const std::string& generated_at, const Wiki& target) {
    if (dated || !copied_unchanged(generated_at)) return build(generated_at, target);
    dated = true;
    date_page(built, placeholder, generated_at);
    return std::move(built);
  };
  return publish_dashboard(wiki, draft);
}

int SyncJobOutcome::exit_code() const {
  if (error) return exit_code_for(*error);
  if (publish_error) return exit_code_for(*publish_error);
  return report.failures() > 0 || report.not_attempted() > 0 ? kExitRemote : kExitOk;
}

SyncJobOutcome run_sync_job(const Inputs& in, const SyncJobOptions& options, const Env& env) {
  SyncJobOutcome out;
  if (Status st = check_credentials(in.config, env); !st) {
    out.error = st.error();
    return out;
  }
  auto conn = connect(in.config, env);
  if (!conn) {
    out.error = conn.error();
    return out;
  }
  // Last line of defence for every text handed back (net/ already redacts what it builds).
  net::Redactor redactor;
  if (!conn->secret.empty()) redactor.add_secret(conn->secret);
  if (!conn->wiki_secret.empty()) redactor.add_secret(conn->wiki_secret);

  // The wiki is read before the tracker is touched: a wiki that does not exist, is not
  // initialised, is disabled or refuses the token stops the job with nothing written anywhere
  // (plan says so too), instead of failing after the tracker writes.
  if (options.publish && conn->wiki) {
    if (auto stamp = conn->wiki->published_stamp(in.config.wiki.page); !stamp) {
      out.error = stamp.error();
      redact(*out.error, redactor);
      if (conn->tracker) {
        out.has_tracker = true;
        out.tracker = conn->tracker->describe();
      }
      return out;
    }
  }

  if (conn->tracker) {
    out.has_tracker = true;
    out.tracker = conn->tracker->describe();
    SyncOptions sync_options;
    sync_options.lang = in.config.lang;
    sync_options.source_file = in.config.analysis_as_written;
    sync_options.rules.in_progress_label = in.config.tracker.in_progress_label;
    sync_options.rules.done_label = in.config.tracker.done_label;
    sync_options.stop_requested = env.stop_requested;
    auto r = run_sync(in.analysis, in.grid, *conn->tracker, sync_options, options.apply,
                      options.progress);
    // The tracker may have chosen a mode while listing (GitLab: parents as relates_to links).
    out.tracker = conn->tracker->describe();
    if (auto* cache = dynamic_cast<FileListingCache*>(conn->listing_cache.get())) {
      if (auto st = cache->save(); !st) spdlog::warn("{}", st.error().to_string());
    }
    if (!r) {
      out.error = r.error();
      redact(*out.error, redactor);
      return out;
    }
    out.report = std::move(*r);
    out.report.status_source = {out.tracker, env.timestamp(), false};
    // The checkboxes do not count with a tracker: one that disagrees with it is a warning.
    for (auto& w : checkbox_disagreements(in.analysis, out.report.statuses, out.tracker))
      out.report.warnings.push_back(std::move(w));
    for (auto& res : out.report.results)
      if (res.error) redact(*res.error, redactor);
    for (auto& w : out.report.warnings) redact(w, redactor);
    if (out.report.stopped_by) redact(*out.report.stopped_by, redactor);
  } else {
    out.report.statuses = statuses_from_checkboxes(in.analysis);
    out.report.assessment = assess(in.analysis, out.report.statuses, in.grid);
  }

  // Asked to stop (the daemon's SIGTERM): no page either; the next run publishes.
  const bool stopping = env.stop_requested && env.stop_requested();
  if (options.apply && options.publish && !stopping) {
    auto pub = publish_report(in, out.report, *conn->wiki, env, in.config.wiki.kind == "folder");
    if (pub) {
      out.published = *pub;
    } else {
      out.publish_error = pub.error();
      redact(*out.publish_error, redactor);
    }
  }
  return out;
}

}  // namespace risksync
