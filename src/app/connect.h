// Builds the Tracker and the Wiki a configuration names: HTTP clients, tokens, proxy, caches.
// The only place that reads the environment for them (docs/DESIGN.md §6).
//
// Contract:
//  - Tokens come from tracker.token_file, else the variable tracker.token_env, else GH_TOKEN
//    then GITHUB_TOKEN (github) or GITLAB_TOKEN (gitlab). A missing token or an unreadable/empty
//    token file is bad configuration: an Error (kind bad_input, field tracker.token_env or
//    tracker.token_file) that says how to give one; the token is never part of any message.
//  - Wikis: folder (wiki.path, default "out"); github-wiki (wiki.git_url, else the tracker's
//    repository wiki; wiki.cache_dir; wiki.branch); github-contents (files of the github
//    tracker's repository through the Contents API, with its own HttpClient in wiki_http and
//    the tracker's token: wiki.path is the page's file, required; wiki.branch, default the
//    repository's default branch; a missing github tracker repository is an Error naming
//    tracker.repository).
//  - confluence: its own HttpClient in wiki_http (api_url, wiki.ca_bundle), the token from
//    wiki.token_file, else wiki.token_env, else CONFLUENCE_TOKEN, and on Cloud the e-mail from
//    wiki.email_env, else CONFLUENCE_EMAIL (Basic e-mail:token; Data Center: Bearer).
//  - Nothing is sent over the network here: connections are opened by the first request.
//  - The returned objects own each other's dependencies; keep the Connections alive while
//    the Tracker and Wiki are used.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/config.h"
#include "app/env.h"
#include "net/listing_cache.h"
#include "sync/tracker.h"
#include "sync/wiki.h"

namespace risksync {

namespace net {
class HttpClient;
}

struct Connections {
  std::unique_ptr<net::HttpClient> tracker_http;
  std::unique_ptr<net::ListingCache> listing_cache;
  std::unique_ptr<Tracker> tracker;  // null when tracker.kind = none
  std::unique_ptr<net::HttpClient> wiki_http;
  std::unique_ptr<Wiki> wiki;
  std::string secret;       // the token, to redact from any text printed; never print it
  std::string wiki_secret;  // the wiki's own token (confluence), likewise
  Connections();
  ~Connections();
  Connections(Connections&&) noexcept;
  Connections& operator=(Connections&&) noexcept;
};

Result<Connections> connect(const Config& config, const Env& env);

// Checks, without sending anything, that every credential the configuration needs can be
// read: the token variable is set, the token file is readable and not empty. An Error of kind
// bad_input (exit 2) naming the configuration key otherwise. `validate` and the sync job call
// it before anything is written.
Status check_credentials(const Config& config, const Env& env);

// Folder for caches (listing ETags, wiki clone): config.state_dir, else
// $XDG_CACHE_HOME/risksync or ~/.cache/risksync, with a sub-folder per repository.
std::filesystem::path state_dir_for(const Config& config, const Env& env);

}  // namespace risksync
