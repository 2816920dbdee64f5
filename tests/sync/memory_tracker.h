// An in-memory Tracker that follows the Tracker contract (sync/tracker.h): it stores items
// as a platform would (bodies as sent, labels, state, parent, related), reports them through
// its codec like a connector, counts writes, and fails on demand — before the write (the
// request was refused) or after it (the write landed, the answer was lost), with an item or a
// run scope. Used by the engine tests, the contract suite and the property test.
#pragma once

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "sync/tracker.h"
#include "util/ascii.h"

namespace risksync::testing {

class MemoryTracker : public Tracker {
 public:
  std::string describe() const override { return "memory"; }
  TrackerCapabilities capabilities() const override { return caps; }
  const BodyCodec& codec() const override { return codec_; }

  Status ensure_labels(const std::vector<LabelSpec>& labels) override {
    if (auto e = maybe_fail("labels")) return *e;
    for (const auto& l : labels) known_labels[l.name] = l.color;
    return ok_status();
  }

  Result<std::vector<RemoteItem>> list_managed() override {
    if (auto e = maybe_fail("list")) return *e;
    ++lists;
    std::vector<RemoteItem> out;
    for (const auto& item : items) {
      if (!has_label(item, "risksync")) continue;
      auto shown = shown_item(item);
      if (!shown.marker.key.empty()) out.push_back(std::move(shown));
    }
    if (newest_first) std::reverse(out.begin(), out.end());
    return out;
  }

  Result<RemoteItem> create(const ItemSpec& spec) override {
    if (auto e = maybe_fail("create")) return *e;
    ++writes;
    RemoteItem item;
    ++sequence_;
    item.id = std::to_string(1000 + sequence_);
    item.number = std::to_string(sequence_);
    item.url = "https://tracker.test/issues/" + item.number;
    char ts[40];
    std::snprintf(ts, sizeof ts, "2026-01-01T00:00:00.%09dZ", sequence_);
    item.created_at = ts;
    item.title = spec.title;
    item.body = spec.body;
    item.labels = spec.labels;
    item.parent =
        caps.create_with_parent && spec.parent ? ParentRef::of(spec.parent->id) : ParentRef::none();
    items.push_back(item);
    if (auto e = maybe_fail("after-create")) return *e;
    return shown_item(items.back());
  }

  Result<RemoteItem> update(const RemoteItem& current, const ItemChange& change) override {
    const bool state_change = change.state != ItemChange::State::keep;
    if (auto e = maybe_fail(state_change ? "state" : "update")) return *e;
    RemoteItem& item = find(current.id);
    ++writes;
    if (change.title) item.title = *change.title;
    if (change.body) item.body = *change.body;
    for (const auto& l : change.remove_labels)
      item.labels.erase(std::remove_if(item.labels.begin(), item.labels.end(),
                                       [&](const std::string& x) { return ascii::iequals(x, l); }),
                        item.labels.end());
    for (const auto& l : change.add_labels)
      if (!has_label(item, l)) item.labels.push_back(l);
    if (change.state == ItemChange::State::close && !is_closed(item.state))
      item.state = change.close_reason == CloseReason::completed ? RemoteState::closed_completed
                                                                 : RemoteState::closed_not_planned;
    if (change.state == ItemChange::State::reopen) item.state = RemoteState::open;
    if (!change.comment.empty()) {
      if (auto e = maybe_fail("comment")) return *e;
      ++writes;
      comments[item.id].push_back(change.comment);
    }
    if (auto e = maybe_fail(state_change ? "after-state" : "after-update")) return *e;
    return shown_item(item);
  }

  Status link_parent(const RemoteItem& child, const RemoteItem& parent) override {
    if (auto e = maybe_fail("link")) return *e;
    ++writes;
    find(child.id).parent = ParentRef::of(parent.id);
    if (auto e = maybe_fail("after-link")) return *e;
    return ok_status();
  }

  Status link_related(const RemoteItem& a, const RemoteItem& b) override {
    if (!caps.related_links) return Tracker::link_related(a, b);
    if (auto e = maybe_fail("relate")) return *e;
    RemoteItem& item = find(a.id);
    if (std::find(item.related.begin(), item.related.end(), b.id) == item.related.end()) {
      ++writes;
      item.related.push_back(b.id);
    }
    return ok_status();
  }

  // ---- for tests ----
  RemoteItem& find(const std::string& id) {
    for (auto& i : items)
      if (i.id == id) return i;
    throw std::runtime_error("no item " + id);
  }
  // The (first) stored item whose block says `key`.
  RemoteItem* find_key(const std::string& key) {
    for (auto& i : items) {
      const auto shown = codec_.read(i.body);
      if (shown.marker && shown.marker->key == key) return &i;
    }
    return nullptr;
  }
  std::size_t count_key(const std::string& key) {
    std::size_t n = 0;
    for (auto& i : items) {
      const auto shown = codec_.read(i.body);
      n += shown.marker && shown.marker->key == key;
    }
    return n;
  }
  static bool has_label(const RemoteItem& item, std::string_view label) {
    return std::any_of(item.labels.begin(), item.labels.end(),
                       [&](const std::string& l) { return ascii::iequals(l, label); });
  }

  // Fails the next operation named `op`: "list", "labels", "create", "update", "state",
  // "comment", "link", "relate" fail before writing; "after-create", "after-update",
  // "after-state", "after-link" write and then lose the answer; "write" and "after-write"
  // stand for any of them.
  void fail_next(std::string op, ErrorScope scope = ErrorScope::item) {
    failures_.push_back({std::move(op), scope});
  }
  // Fails every operation named `op` from now on.
  void fail_always(std::string op, ErrorScope scope = ErrorScope::item) {
    always_.push_back({std::move(op), scope});
  }
  void clear_failures() {
    failures_.clear();
    always_.clear();
  }

  std::vector<RemoteItem> items;  // as stored: marker fields are not used
  std::map<std::string, std::vector<std::string>> comments;
  std::map<std::string, std::string> known_labels;
  int writes = 0;
  int lists = 0;
  int refused = 0;  // operations refused by an injected failure
  // When >= 0: once this many writes have landed, every operation fails with a run-scoped
  // error, as if the process had been killed (used to interrupt a sync between two writes).
  int crash_after_writes = -1;
  TrackerCapabilities caps;
  bool newest_first = true;  // list like GitHub does (sort=created, direction=desc)

 private:
  struct Failure {
    std::string op;
    ErrorScope scope;
  };
  RemoteItem shown_item(const RemoteItem& stored) const {
    RemoteItem out = stored;
    const ShownBlock shown = codec_.read(stored.body);
    out.marker = shown.marker.value_or(Marker{});
    out.shown_block = shown.content;
    out.stray_markers = shown.stray_markers;
    return out;
  }
  // "write" stands for any write refused before it lands, "after-write" for any lost answer.
  static bool matches(std::string_view pattern, std::string_view op) {
    if (pattern == op) return true;
    if (pattern == "write")
      return op == "create" || op == "update" || op == "state" || op == "link" || op == "relate";
    if (pattern == "after-write") return op.starts_with("after-");
    return false;
  }
  std::optional<Error> maybe_fail(const std::string& op) {
    if (crash_after_writes >= 0 && writes >= crash_after_writes) {
      ++refused;  // the process is gone: nothing more reaches the platform
      return run_stopping_error("simulated crash before " + op);
    }
    for (const auto& f : always_) {
      if (matches(f.op, op)) {
        ++refused;
        Error e = remote_error("injected failure on " + op);
        e.scope = f.scope;
        return e;
      }
    }
    for (auto it = failures_.begin(); it != failures_.end(); ++it) {
      if (matches(it->op, op)) {
        Error e = remote_error("injected failure on " + op);
        e.scope = it->scope;
        failures_.erase(it);
        ++refused;
        return e;
      }
    }
    return std::nullopt;
  }
  MarkdownBodyCodec codec_;
  int sequence_ = 0;
  std::vector<Failure> failures_;
  std::vector<Failure> always_;
};

}  // namespace risksync::testing
