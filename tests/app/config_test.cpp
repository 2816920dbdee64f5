#include "app/config.h"

#include <gtest/gtest.h>

namespace risksync {
namespace {

TEST(Config, FullExampleContract) {
  const auto cfg = parse_config(R"(
analysis = "docs/analyse-de-risques.md"
lang = "en"
zones = "config/zones.toml"

[tracker]
kind = "github"
repository = "owner/name"
api_url = "https://api.github.com"
token_env = "GITHUB_TOKEN"

[wiki]
kind = "github-wiki"
page = "Cartographie des risques"
git_url = "https://github.com/owner/name.wiki.git"
)",
                                "risksync.toml", "/repo");
  ASSERT_TRUE(cfg.ok()) << cfg.error().to_string();
  EXPECT_EQ(cfg->analysis, "/repo/docs/analyse-de-risques.md");
  EXPECT_EQ(cfg->lang, Lang::en);
  EXPECT_EQ(cfg->zones, "/repo/config/zones.toml");
  EXPECT_EQ(cfg->tracker.kind, "github");
  EXPECT_EQ(cfg->tracker.repository, "owner/name");
  EXPECT_EQ(cfg->tracker.token_env, "GITHUB_TOKEN");
  EXPECT_EQ(cfg->wiki.kind, "github-wiki");
  EXPECT_EQ(cfg->wiki.git_url, "https://github.com/owner/name.wiki.git");
}

// The registry (app/registry.h): a key the chosen kind does not own is refused at its line,
// naming the keys that kind accepts; a kind this version does not build is refused at its line.
TEST(Config, KeyNotOwnedByTheKindIsAnErrorAtItsLine) {
  const auto cfg = parse_config("[wiki]\nkind = \"folder\"\ngit_url = \"https://x/y.git\"\n",
                                "risksync.toml", ".");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().where.line, 3);
  EXPECT_EQ(cfg.error().field, "wiki.git_url");
  EXPECT_NE(cfg.error().message.find("does not apply to wiki kind \"folder\""), std::string::npos)
      << cfg.error().message;
  EXPECT_NE(cfg.error().message.find("page, path"), std::string::npos) << cfg.error().message;

  const auto none =
      parse_config("[tracker]\nkind = \"none\"\nrepository = \"o/r\"\n", "risksync.toml", ".");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().field, "tracker.repository");
}

TEST(Config, KindNotBuiltInThisVersionIsRefusedAtItsLine) {
  const auto cfg =
      parse_config("\n[tracker]\nkind = \"redmine\"\nrepository = \"SEC\"\n", "risksync.toml", ".");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().where.line, 3);
  EXPECT_EQ(cfg.error().field, "tracker.kind");
  EXPECT_NE(cfg.error().message.find("expected one of: github, gitlab, jira, none"),
            std::string::npos)
      << cfg.error().message;
}

TEST(Config, JiraTrackerKeysAndStaticFields) {
  const auto cfg = parse_config(R"(
[tracker]
kind = "jira"
flavor = "data-center"
repository = "SEC"
api_url = "https://jira.example"
story_type = "Risque"
subtask_type = "Sous-tâche"
link_type = "Relates"
drop_resolutions = ["Abandonné"]

[tracker.fields.Risque]
customfield_10042 = { value = "Production" }
customfield_10050 = 3
)",
                                "risksync.toml", "/repo");
  ASSERT_TRUE(cfg.ok()) << cfg.error().to_string();
  EXPECT_EQ(cfg->tracker.flavor, "data-center");
  EXPECT_EQ(cfg->tracker.story_type, "Risque");
  EXPECT_EQ(cfg->tracker.subtask_type, "Sous-tâche");
  EXPECT_EQ(cfg->tracker.drop_resolutions, std::vector<std::string>{"Abandonné"});
  EXPECT_EQ(cfg->tracker.fields.at("Risque").at("customfield_10042"), "{\"value\":\"Production\"}");
  EXPECT_EQ(cfg->tracker.fields.at("Risque").at("customfield_10050"), "3");
}

TEST(Config, JiraRefusesAnUnknownFlavorAndARepositoryThatIsNoProjectKey) {
  const auto flavor = parse_config(
      "[tracker]\nkind = \"jira\"\nrepository = \"SEC\"\n"
      "flavor = \"server\"\n",
      "risksync.toml", ".");
  ASSERT_FALSE(flavor.ok());
  EXPECT_EQ(flavor.error().field, "tracker.flavor");
  EXPECT_EQ(flavor.error().where.line, 4);
  const auto key = parse_config("[tracker]\nkind = \"jira\"\nrepository = \"owner/name\"\n",
                                "risksync.toml", ".");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().field, "tracker.repository");
  const auto fields = parse_config(
      "[tracker]\nkind = \"jira\"\nrepository = \"SEC\"\nfields = \"x\"\n", "risksync.toml", ".");
  ASSERT_FALSE(fields.ok());
  EXPECT_EQ(fields.error().field, "tracker.fields");
  const auto not_owned =
      parse_config("[tracker]\nkind = \"gitlab\"\nrepository = \"g/p\"\nstory_type = \"Story\"\n",
                   "risksync.toml", ".");
  ASSERT_FALSE(not_owned.ok());
  EXPECT_EQ(not_owned.error().field, "tracker.story_type");
}

// Each connector's rules on the whole configuration (ConnectorEntry::check) are found by
// parse_config, hence by `validate`, at the line of the key at fault or of its table.
TEST(Config, ConnectorRulesAreFoundAtTheirLine) {
  struct Case {
    const char* toml;
    const char* field;
    int line;
    const char* says;
  };
  const Case cases[] = {
      {"[tracker]\nkind = \"github\"\nrepository = \"just-a-name\"\n", "tracker.repository", 3,
       "expected owner/name"},
      {"[tracker]\nkind = \"github\"\nrepository = \"a/b/c\"\n", "tracker.repository", 3,
       "expected owner/name"},
      {"[wiki]\nkind = \"github-wiki\"\n", "wiki.git_url", 1, "needs git_url"},
      {"[tracker]\nkind = \"none\"\n\n[wiki]\nkind = \"github-contents\"\npath = \"d/r.md\"\n",
       "tracker.repository", 1, "github tracker's repository"},
      {"[tracker]\nkind = \"github\"\nrepository = \"o/r\"\n\n[wiki]\nkind = "
       "\"github-contents\"\n",
       "wiki.path", 5, "needs path"},
  };
  for (const Case& c : cases) {
    const auto cfg = parse_config(c.toml, "risksync.toml", ".");
    ASSERT_FALSE(cfg.ok()) << c.toml;
    EXPECT_EQ(cfg.error().kind, ErrorKind::bad_input) << c.toml;
    EXPECT_EQ(cfg.error().field, c.field) << c.toml;
    EXPECT_EQ(cfg.error().where.line, c.line) << c.toml;
    EXPECT_NE(cfg.error().message.find(c.says), std::string::npos) << cfg.error().message;
  }
  // The same kinds, given what they need, pass.
  EXPECT_TRUE(parse_config("[tracker]\nkind = \"github\"\nrepository = \"o/r\"\n\n[wiki]\nkind "
                           "= \"github-contents\"\npath = \"docs/r.md\"\n",
                           "risksync.toml", ".")
                  .ok());
  EXPECT_TRUE(parse_config("[wiki]\nkind = \"github-wiki\"\ngit_url = \"file:///tmp/w.git\"\n",
                           "risksync.toml", ".")
                  .ok());
}

TEST(Config, ConfluenceWikiKeysAndRules) {
  const auto cfg = parse_config(
      "[wiki]\nkind = \"confluence\"\nflavor = \"data-center\"\napi_url = "
      "\"https://confluence.example\"\nspace = \"SEC\"\nparent_page = \"Sécurité\"\n"
      "token_env = \"CONF_PAT\"\n",
      "risksync.toml", ".");
  ASSERT_TRUE(cfg.ok()) << cfg.error().to_string();
  EXPECT_EQ(cfg->wiki.flavor, "data-center");
  EXPECT_EQ(cfg->wiki.space, "SEC");
  EXPECT_EQ(cfg->wiki.parent_page, "Sécurité");
  EXPECT_EQ(cfg->wiki.token_env, "CONF_PAT");
  struct Case {
    std::string toml;
    std::string field;
  };
  const Case cases[] = {
      {"[wiki]\nkind = \"confluence\"\napi_url = \"https://a.atlassian.net/wiki\"\n", "wiki.space"},
      {"[wiki]\nkind = \"confluence\"\nspace = \"SEC\"\n", "wiki.api_url"},
      {"[wiki]\nkind = \"confluence\"\nflavor = \"server\"\n", "wiki.flavor"},
      {"[wiki]\nkind = \"confluence\"\napi_url = \"http://confluence.example\"\nspace = \"S\"\n",
       "wiki.api_url"},
      {"[wiki]\nkind = \"confluence\"\nflavor = \"data-center\"\napi_url = "
       "\"https://c.example\"\nspace = \"S\"\nemail_env = \"E\"\n",
       "wiki.email_env"},
      {"[wiki]\nkind = \"folder\"\nspace = \"SEC\"\n", "wiki.space"},
  };
  for (const Case& c : cases) {
    const auto bad = parse_config(c.toml, "risksync.toml", ".");
    ASSERT_FALSE(bad.ok()) << c.toml;
    EXPECT_EQ(bad.error().kind, ErrorKind::bad_input) << c.toml;
    EXPECT_EQ(bad.error().field, c.field) << c.toml << bad.error().to_string();
  }
}

TEST(Config, GitLabTrackerWithDropLabels) {
  const auto cfg = parse_config(
      "[tracker]\nkind = \"gitlab\"\nrepository = \"secu/sub/risques\"\n"
      "api_url = \"https://gitlab.example/api/v4\"\ndrop_labels = [\"abandonnée\", \"won't do\"]\n",
      "risksync.toml", ".");
  ASSERT_TRUE(cfg.ok()) << cfg.error().to_string();
  EXPECT_EQ(cfg->tracker.kind, "gitlab");
  EXPECT_EQ(cfg->tracker.drop_labels, (std::vector<std::string>{"abandonnée", "won't do"}));
  const auto github =
      parse_config("[tracker]\nkind = \"github\"\nrepository = \"o/r\"\ndrop_labels = [\"x\"]\n",
                   "risksync.toml", ".");
  ASSERT_FALSE(github.ok());
  EXPECT_EQ(github.error().field, "tracker.drop_labels");
  const auto wrong =
      parse_config("[tracker]\nkind = \"gitlab\"\nrepository = \"g/p\"\ndrop_labels = \"x\"\n",
                   "risksync.toml", ".");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "tracker.drop_labels");
}

TEST(Config, DefaultsWhenEmpty) {
  const auto cfg = parse_config("", "risksync.toml", ".");
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->lang, Lang::fr);
  EXPECT_EQ(cfg->tracker.kind, "none");
  EXPECT_EQ(cfg->wiki.kind, "folder");
  EXPECT_EQ(cfg->wiki.page, "Cartographie des risques");
}

TEST(Config, UnknownTopLevelKeyNamesLineAndKey) {
  const auto cfg = parse_config("analysis = \"a.md\"\nlangue = \"fr\"\n", "r.toml", ".");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(cfg.error().where.file, "r.toml");
  EXPECT_EQ(cfg.error().where.line, 2);
  EXPECT_EQ(cfg.error().field, "langue");
  EXPECT_NE(cfg.error().message.find("unknown key"), std::string::npos);
}

TEST(Config, UnknownKeyInTable) {
  const auto cfg = parse_config("[tracker]\nkind = \"none\"\ntoken = \"x\"\n", "r.toml", ".");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().where.line, 3);
  EXPECT_EQ(cfg.error().field, "tracker.token");
}

TEST(Config, WrongTypeNamesLine) {
  const auto cfg = parse_config("analysis = 3\n", "r.toml", ".");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().where.line, 1);
  EXPECT_EQ(cfg.error().field, "analysis");
  EXPECT_NE(cfg.error().message.find("expected a string"), std::string::npos);
}

TEST(Config, WrongTableType) {
  const auto cfg = parse_config("tracker = \"github\"\n", "r.toml", ".");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().field, "tracker");
}

TEST(Config, GitHubCreateApiIsGraphqlOrRestAtItsLine) {
  const auto ok = parse_config(
      "[tracker]\nkind = \"github\"\nrepository = \"o/r\"\ncreate_api = \"rest\"\n", "r.toml", ".");
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->tracker.create_api, "rest");
  const auto unset =
      parse_config("[tracker]\nkind = \"github\"\nrepository = \"o/r\"\n", "r.toml", ".");
  ASSERT_TRUE(unset.ok());
  EXPECT_EQ(unset->tracker.create_api, "");  // the connector's default: graphql
  const auto bad =
      parse_config("[tracker]\nkind = \"github\"\nrepository = \"o/r\"\n\ncreate_api = \"soap\"\n",
                   "r.toml", ".");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "tracker.create_api");
  EXPECT_EQ(bad.error().where.line, 5);
  EXPECT_NE(bad.error().message.find("expected one of: graphql, rest"), std::string::npos)
      << bad.error().message;
  const auto none =
      parse_config("[tracker]\nkind = \"none\"\ncreate_api = \"rest\"\n", "r.toml", ".");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().field, "tracker.create_api");
  EXPECT_EQ(none.error().where.line, 3);
}

TEST(Config, UnknownEnumValue) {
  const auto cfg = parse_config("lang = \"de\"\n", "r.toml", ".");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().field, "lang");
  const auto kind = parse_config("[tracker]\nkind = \"bitbucket\"\n", "r.toml", ".");
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().field, "tracker.kind");
  EXPECT_EQ(kind.error().where.line, 2);
}

TEST(Config, SyntaxErrorHasLine) {
  const auto cfg = parse_config("analysis = \"a.md\"\n[wiki\n", "r.toml", ".");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().where.line, 2);
}

TEST(Config, PlainHttpOnlyForLoopback) {
  EXPECT_TRUE(parse_config("[tracker]\nkind=\"github\"\nrepository=\"o/r\"\n"
                           "api_url=\"http://127.0.0.1:8080/api\"\n",
                           "r.toml", ".")
                  .ok());
  const auto remote = parse_config(
      "[tracker]\nkind=\"github\"\nrepository=\"o/r\"\napi_url=\"http://github.example\"\n",
      "r.toml", ".");
  ASSERT_FALSE(remote.ok());
  EXPECT_EQ(remote.error().field, "tracker.api_url");
  EXPECT_EQ(remote.error().where.line, 4);
  EXPECT_FALSE(parse_config("[tracker]\nkind=\"github\"\nrepository=\"o/r\"\n"
                            "api_url=\"ftp://x\"\n",
                            "r.toml", ".")
                   .ok());
}

TEST(Config, TrackerNeedsRepository) {
  const auto cfg = parse_config("[tracker]\nkind = \"github\"\n", "r.toml", ".");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().field, "tracker.repository");
}

TEST(Config, IntegerRange) {
  const auto cfg = parse_config("[tracker]\nwrite_interval_ms = -5\n", "r.toml", ".");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().field, "tracker.write_interval_ms");
}

}  // namespace
}  // namespace risksync

namespace risksync {
namespace {

TEST(Config, WikiPageTitleFollowsTheSharedRuleWithFileAndLine) {
  for (const char* bad : {R"(page = "../Home")", R"(page = "a/b")", R"(page = "a\\b")",
                          R"(page = "two\nlines")", R"(page = "nul\u0000")", R"(page = "")"}) {
    const auto cfg =
        parse_config(std::string("[wiki]\nkind = \"folder\"\n") + bad + "\n", "r.toml", ".");
    ASSERT_FALSE(cfg.ok()) << "accepted " << bad;
    EXPECT_EQ(cfg.error().kind, ErrorKind::bad_input);
    EXPECT_EQ(cfg.error().field, "wiki.page");
    EXPECT_EQ(cfg.error().where.file, "r.toml");
    EXPECT_EQ(cfg.error().where.line, 3) << bad;
  }
  EXPECT_TRUE(parse_config("[wiki]\npage = \"Carte des risques\"\n", "r.toml", ".").ok());
}

}  // namespace
}  // namespace risksync
