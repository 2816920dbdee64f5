// An in-memory Tracker for engine tests: behaves like a tracker that stores items, counts
// writes, and fails on demand.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sync/tracker.h"

namespace risksync::testing {

class MemoryTracker : public Tracker {
 public:
  std::string describe() const override { return "memory"; }
  Status ensure_labels(const std::vector<LabelSpec>& labels) override {
    for (const auto& l : labels) known_labels[l.name] = l.color;
    return ok_status();
  }
  Result<std::vector<RemoteItem>> list_managed() override {
    ++lists;
    std::vector<RemoteItem> out;
    for (const auto& item : items) {
      auto marker = parse_marker(item.body);
      if (!marker) continue;
      RemoteItem copy = item;
      copy.marker = *marker;
      out.push_back(copy);
    }
    return out;
  }
  Result<RemoteItem> create(const ItemSpec& spec, const RemoteItem* parent) override {
    if (auto e = maybe_fail("create")) return *e;
    ++writes;
    RemoteItem item;
    item.id = std::to_string(1000 + items.size() + 1);
    item.number = std::to_string(items.size() + 1);
    item.url = "https://tracker.test/issues/" + item.number;
    item.title = spec.title;
    item.body = spec.body;
    item.labels = spec.labels;
    if (parent) item.parent_id = parent->id;
    item.marker = parse_marker(item.body).value_or(Marker{});
    items.push_back(item);
    if (auto e = maybe_fail("after-create")) return *e;
    return item;
  }
  Result<RemoteItem> update(const RemoteItem& current, const ItemSpec& spec) override {
    if (auto e = maybe_fail("update")) return *e;
    RemoteItem& item = find(current.id);
    ++writes;
    item.title = spec.title;
    item.body = spec.body;
    item.labels = spec.labels;
    item.marker = parse_marker(item.body).value_or(Marker{});
    return item;
  }
  Result<RemoteItem> close(const RemoteItem& current, CloseReason reason,
                           const std::string& comment) override {
    if (auto e = maybe_fail("close")) return *e;
    RemoteItem& item = find(current.id);
    ++writes;
    item.state = reason == CloseReason::completed ? RemoteState::closed_completed
                                                  : RemoteState::closed_not_planned;
    comments[item.id].push_back(comment);
    return item;
  }
  Result<RemoteItem> reopen(const RemoteItem& current, const std::string& comment) override {
    if (auto e = maybe_fail("reopen")) return *e;
    RemoteItem& item = find(current.id);
    ++writes;
    item.state = RemoteState::open;
    comments[item.id].push_back(comment);
    return item;
  }
  Status link_parent(const RemoteItem& child, const RemoteItem& parent) override {
    if (auto e = maybe_fail("link")) return *e;
    ++writes;
    find(child.id).parent_id = parent.id;
    return ok_status();
  }

  RemoteItem& find(const std::string& id) {
    for (auto& i : items)
      if (i.id == id) return i;
    throw std::runtime_error("no item " + id);
  }
  RemoteItem* find_key(const std::string& key) {
    for (auto& i : items)
      if (parse_marker(i.body) && parse_marker(i.body)->key == key) return &i;
    return nullptr;
  }

  // Fails the next operation named `op` ("create", "after-create", "update", ...).
  void fail_next(std::string op) { failures_.push_back(std::move(op)); }

  std::vector<RemoteItem> items;
  std::map<std::string, std::vector<std::string>> comments;
  std::map<std::string, std::string> known_labels;
  int writes = 0;
  int lists = 0;

 private:
  std::optional<Error> maybe_fail(const std::string& op) {
    for (auto it = failures_.begin(); it != failures_.end(); ++it) {
      if (*it == op) {
        failures_.erase(it);
        return remote_error("injected failure on " + op);
      }
    }
    return std::nullopt;
  }
  std::vector<std::string> failures_;
};

}  // namespace risksync::testing
