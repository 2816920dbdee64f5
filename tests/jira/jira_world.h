// A JiraTracker (both flavours) wired to a FakeJira through the real HttpClient of net/, for the
// Jira connector tests, the contract suite and the property test (loopback only; NetDeps::sleep
// records the waits instead of sleeping).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "connectors/jira/jira_tracker.h"
#include "jira/fake_jira.h"
#include "jira/stand_in_codecs.h"
#include "net/http_client.h"

namespace risksync::testing {

struct JiraWorld {
  explicit JiraWorld(FakeJira::Flavor flavor,
                     std::chrono::milliseconds read_timeout = std::chrono::milliseconds(2000))
      : jira(flavor) {
    if (!jira.ok()) throw std::runtime_error("FakeJira did not start");
    client = make_client(jira.token(), read_timeout);
    remake_tracker();
  }

  bool cloud() const { return jira.flavor() == FakeJira::Flavor::cloud; }
  jira::Flavor flavor() const { return cloud() ? jira::Flavor::cloud : jira::Flavor::data_center; }

  std::unique_ptr<net::HttpClient> make_client(const std::string& token,
                                               std::chrono::milliseconds read_timeout) {
    net::HttpClientOptions o;
    o.base_url = jira.base_url();
    o.default_headers = jira::jira_default_headers(flavor(), jira.email(), token);
    o.min_write_interval = std::chrono::milliseconds(0);
    o.connect_timeout = std::chrono::milliseconds(1000);
    o.read_timeout = read_timeout;
    o.write_timeout = std::chrono::milliseconds(1000);
    o.retry.max_attempts = 2;
    net::NetDeps deps;
    deps.sleep = [this](std::chrono::milliseconds d) { waits.push_back(d); };
    deps.jitter = [] { return 0.0; };
    auto created = net::HttpClient::create(std::move(o), std::move(deps));
    if (!created.ok()) throw std::runtime_error(created.error().to_string());
    return std::move(created).value();
  }

  jira::JiraTrackerOptions options() const {
    jira::JiraTrackerOptions o;
    o.flavor = flavor();
    o.project = jira.project();
    o.site_url = jira.base_url();
    return o;
  }

  const BodyCodec& codec() const {
    return cloud() ? static_cast<const BodyCodec&>(adf) : static_cast<const BodyCodec&>(wiki);
  }

  // A fresh tracker (a new run: nothing remembered), with `o` or the default options.
  void remake_tracker(std::optional<jira::JiraTrackerOptions> o = std::nullopt) {
    tracker = std::make_unique<jira::JiraTracker>(o ? *o : options(), *client, codec(),
                                                  &client->redactor());
  }

  FakeJira jira;
  StandInAdfCodec adf;
  StandInWikiCodec wiki;
  std::vector<std::chrono::milliseconds> waits;
  std::unique_ptr<net::HttpClient> client;
  std::unique_ptr<jira::JiraTracker> tracker;
};

}  // namespace risksync::testing
