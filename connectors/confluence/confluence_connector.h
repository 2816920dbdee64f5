// What the Confluence connector owns of the configuration (docs/DESIGN.md §9) and its
// defaults. app/registry.cpp lists its entry; app/config.cpp refuses a key kind "confluence"
// does not own, and app/connect.cpp builds the wiki from them. Same file shape as
// connectors/gitlab/gitlab_connector.h.
#pragma once

#include <string_view>
#include <vector>

namespace risksync::confluence {

// Keys of [wiki] for kind = "confluence", beyond `kind`.
//   flavor       cloud (pages through REST v2 under /wiki, Basic email:token) | data-center
//                (REST v1 /rest/api/content, Bearer personal access token); default cloud
//   api_url      Cloud https://acme.atlassian.net/wiki (/wiki added when missing);
//                Data Center https://confluence.example (its context path included)
//   space        the space key (required); parent_page: title of the page to publish under
//   email_env    cloud only: the variable holding the account's e-mail
//   token_env / token_file   API token (cloud) or personal access token (data-center)
//   ca_bundle    PEM bundle for a Data Center behind a private CA
inline const std::vector<std::string_view> kWikiKeys = {"flavor",      "api_url",    "space",
                                                        "parent_page", "page",       "email_env",
                                                        "token_env",   "token_file", "ca_bundle"};

inline const std::vector<std::string_view> kFlavors = {"cloud", "data-center"};

// Read when the configuration names no variable.
inline const std::vector<std::string_view> kTokenVariables = {"CONFLUENCE_TOKEN"};
inline const std::vector<std::string_view> kEmailVariables = {"CONFLUENCE_EMAIL"};

}  // namespace risksync::confluence
