// The write API through the whole App (router, page cache, renderer) on a real SQLite store, real
// accounts and tokens, and a real search index kept up by the App's ChangeNotifier: who may call
// what (the authorisation matrix), and that nothing unpublished ever reaches a public URL.
#include "web/api/write_routes.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/authenticator.h"
#include "content/validate.h"
#include "core/config.h"
#include "publish/publisher.h"
#include "render/testing/site.h"
#include "search/search_index.h"
#include "store/accounts.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "web/app.h"

namespace assetpub::web {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

Config TestConfig() { return render::testing::SiteConfig(); }

// An asset as an author would send it, every text carrying `word`.
json AuthoredAsset(const std::string& word) {
  return json{{"kind", "statement"},
              {"people", {"Sergey Lavrov", "Person " + word}},
              {"tags", {"Tag " + word}},
              {"translations",
               {{"en-GB",
                 {{"title", "Statement " + word},
                  {"place", "Moscow"},
                  {"summary", "Summary " + word},
                  {"blocks", {{{"type", "paragraph"}, {"text", "Paragraph " + word}}}}}},
                {"ru-RU",
                 {{"title", "Заявление " + word},
                  {"blocks", {{{"type", "paragraph"}, {"text", "Абзац " + word}}}}}}}}};
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

class WriteApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string url = "sqlite:" + (temp_.path() / "assetpub.db").string();
    store_ = store::OpenStore(url);
    accounts_ = store::OpenAccounts(url);
    auth::AuthOptions options;
    options.password = auth::PasswordLimits::ForTestsOnly();
    auth_ = std::make_unique<auth::Authenticator>(*accounts_, options);
    index_ = std::make_unique<search::SearchIndex>(temp_.path() / "index");
    app_ = std::make_unique<App>(TestConfig(), *store_, index_.get(), nullptr, auth_.get());
    // As the server does: the index follows the writes of this process before they answer.
    app_->changes().Subscribe([this] { index_->CatchUp(*store_); });
    const auth::Principal root = auth::Authenticator::Operator();
    for (auth::Role role : auth::AllRoles()) {
      const std::string name = std::string(auth::RoleName(role)) + "1";
      auth_->AddUser(root, name, role, "a long enough pass phrase 42", "local");
      tokens_[role] = auth_->CreateToken(root, name, "tests", "local").secret;
    }
  }

  Response Call(const std::string& method, const std::string& target,
                std::optional<auth::Role> role, const std::string& body = {},
                HeaderList headers = {}) {
    if (role) headers.emplace_back("Authorization", "Bearer " + tokens_.at(*role));
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return app_->Handle(method, target, headers, body, "127.0.0.1");
  }
  Response Anonymous(const std::string& target) { return Call("GET", target, std::nullopt); }
  // A write to an existing item that starts from `revision` (If-Match: "N").
  Response Write(const std::string& method, const std::string& target, auth::Role role,
                 int64_t revision, const std::string& body = {}) {
    return Call(method, target, role, body, {{"If-Match", fmt::format("\"{}\"", revision)}});
  }

  // Creates a draft as `role`; returns its id.
  int64_t CreateDraft(const std::string& word, auth::Role role = auth::Role::kAdmin) {
    const Response r = Call("POST", "/api/v1/assets", role, AuthoredAsset(word).dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).at("id").get<int64_t>();
  }
  json Draft(int64_t id) {
    const Response r = Call("GET", fmt::format("/api/v1/assets/{}/draft", id), auth::Role::kEditor);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }

  // Every public URL an item or a trace of it could appear at.
  std::vector<std::string> PublicUrls(int64_t id, const std::string& word) {
    const std::string lower = Lower(word);
    std::vector<std::string> urls = {
        "/en/",
        "/ru/",
        "/api/v1/assets",
        "/api/v1/assets?lang=ru",
        fmt::format("/api/v1/assets/{}", id),
        fmt::format("/en/assets/{}", id),
        fmt::format("/en/assets/{}-statement-{}", id, lower),
        fmt::format("/ru/assets/{}", id),
        "/sitemap.xml",
        "/en/feed.rss",
        "/en/feed.atom",
        "/en/people/sergey-lavrov/",
        fmt::format("/en/people/person-{}/", lower),
        fmt::format("/en/tags/tag-{}/", lower),
        fmt::format("/api/v1/search?q={}", lower),
        fmt::format("/en/search?q={}", lower),
        fmt::format("/ru/search?q={}", lower),
    };
    const publish::Publishers publishers = publish::Publishers::Defaults(TestConfig());
    for (const publish::Publisher& p : publishers.all()) {
      urls.push_back(fmt::format("/api/v1/publishers/{}?lang=en", p.id));
      if (!p.path.empty()) {
        urls.push_back(fmt::format("/en/{}/", p.path));
        urls.push_back(fmt::format("/en/{}/feed.rss", p.path));
      }
    }
    return urls;
  }

  // Fails the test for every public URL whose answer mentions `word`; returns how many URLs
  // answered 200 (so a caller can tell that the probes reach real pages).
  int ExpectNowhere(int64_t id, const std::string& word) {
    int ok = 0;
    for (const std::string& url : PublicUrls(id, word)) {
      const Response r = Anonymous(url);
      EXPECT_LT(r.status, 500) << url;
      if (url.find("search?q=") != std::string::npos) {
        // The search form echoes the query: what must not come back is the item itself.
        for (const std::string& text :
             {"Statement " + word, "Paragraph " + word, "Summary " + word, "Заявление " + word}) {
          EXPECT_EQ(r.body.find(text), std::string::npos)
              << "'" << text << "' leaked at " << url << " (" << r.status << ")";
        }
        continue;
      }
      EXPECT_EQ(Lower(r.body).find(Lower(word)), std::string::npos)
          << "'" << word << "' leaked at " << url << " (" << r.status << ")";
      if (r.status == 200) ++ok;
    }
    return ok;
  }

  const assetpub::testing::TempDir temp_{"assetpub-write-api-"};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::Accounts> accounts_;
  std::unique_ptr<auth::Authenticator> auth_;
  std::unique_ptr<search::SearchIndex> index_;
  std::unique_ptr<App> app_;
  std::map<auth::Role, std::string> tokens_;
};

TEST_F(WriteApiTest, EveryWriteRouteNeedsAValidToken) {
  const int64_t id = CreateDraft("Tokenless");
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST", "/api/v1/assets"},
      {"PUT", fmt::format("/api/v1/assets/{}", id)},
      {"DELETE", fmt::format("/api/v1/assets/{}", id)},
      {"GET", fmt::format("/api/v1/assets/{}/draft", id)},
      {"POST", fmt::format("/api/v1/assets/{}/publish", id)},
      {"POST", fmt::format("/api/v1/assets/{}/schedule", id)},
      {"POST", fmt::format("/api/v1/assets/{}/unschedule", id)},
      {"POST", fmt::format("/api/v1/assets/{}/archive", id)},
      {"GET", fmt::format("/api/v1/assets/{}/revisions", id)},
      {"GET", fmt::format("/api/v1/assets/{}/revisions/1", id)},
      {"PATCH", fmt::format("/api/v1/assets/{}", id)},
      {"PUT", fmt::format("/api/v1/assets/{}/translations/fr-FR", id)},
      {"DELETE", fmt::format("/api/v1/assets/{}/translations/ru-RU", id)},
      {"PUT", fmt::format("/api/v1/assets/{}/related", id)},
      {"POST", fmt::format("/api/v1/assets/{}/revisions/1/restore", id)},
      {"GET", fmt::format("/api/v1/assets/{}/diff?from=1&to=1", id)},
  };
  // The admin's token, revoked: as good as none.
  const std::string revoked = tokens_.at(auth::Role::kAdmin);
  auth_->RevokeToken(auth::Authenticator::Operator(),
                     auth_->ListTokens(auth::Authenticator::Operator()).back().token.id, "local");
  const int64_t changes = store_->LastChange();
  for (const auto& [method, path] : routes) {
    for (const std::string& authorization :
         {std::string(), std::string("Bearer ap_not-a-token"), "Bearer " + revoked,
          "Basic " + tokens_.at(auth::Role::kEditor)}) {
      HeaderList headers;
      if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
      const Response r = app_->Handle(method, path, headers, "{}", "127.0.0.1");
      EXPECT_EQ(r.status, 401) << method << " " << path << " with '" << authorization << "'";
      EXPECT_EQ(r.Header("WWW-Authenticate").value_or(""), "Bearer realm=\"assetpub\"");
      EXPECT_THAT(r.Header("Content-Type").value_or(""), HasSubstr("application/problem+json"));
      EXPECT_EQ(r.Header("Cache-Control").value_or(""), "no-store");
      EXPECT_EQ(r.body.find("Tokenless"), std::string::npos);
    }
  }
  EXPECT_EQ(store_->LastChange(), changes);
}

// Each route against each role, with the exact status expected: written out here (not derived
// from auth::Allows) so that a change of who may do what is made on purpose in both places.
TEST_F(WriteApiTest, AuthorisationMatrix) {
  using auth::Role;
  struct Cell {
    std::string method;
    std::string path;  // "{id}" is a fresh draft's id
    std::string body;
    std::map<Role, int> status;
    std::string content_type = "application/json";
  };
  const std::string future = content::ToIso8601Utc(content::Instant{content::Now().seconds + 3600});
  const std::vector<Cell> cells = {
      {"POST",
       "/api/v1/assets",
       AuthoredAsset("Matrix").dump(),
       {{Role::kEditor, 201}, {Role::kPublisher, 201}, {Role::kAdmin, 201}}},
      {"GET",
       "/api/v1/assets/{id}/draft",
       "",
       {{Role::kEditor, 200}, {Role::kPublisher, 200}, {Role::kAdmin, 200}}},
      {"GET",
       "/api/v1/assets/{id}/revisions",
       "",
       {{Role::kEditor, 200}, {Role::kPublisher, 200}, {Role::kAdmin, 200}}},
      {"GET",
       "/api/v1/assets/{id}/revisions/1",
       "",
       {{Role::kEditor, 200}, {Role::kPublisher, 200}, {Role::kAdmin, 200}}},
      {"PUT",
       "/api/v1/assets/{id}",
       json{{"revision", 1}, {"asset", AuthoredAsset("Edited")}}.dump(),
       {{Role::kEditor, 200}, {Role::kPublisher, 200}, {Role::kAdmin, 200}}},
      {"POST",
       "/api/v1/assets/{id}/publish",
       "",
       {{Role::kEditor, 403}, {Role::kPublisher, 200}, {Role::kAdmin, 200}}},
      {"POST",
       "/api/v1/assets/{id}/schedule",
       json{{"at", future}}.dump(),
       {{Role::kEditor, 403}, {Role::kPublisher, 200}, {Role::kAdmin, 200}}},
      // Allowed, but a draft is not scheduled: the permission is checked first.
      {"POST",
       "/api/v1/assets/{id}/unschedule",
       "",
       {{Role::kEditor, 403}, {Role::kPublisher, 409}, {Role::kAdmin, 409}}},
      {"POST",
       "/api/v1/assets/{id}/archive",
       "",
       {{Role::kEditor, 403}, {Role::kPublisher, 200}, {Role::kAdmin, 200}}},
      {"DELETE",
       "/api/v1/assets/{id}",
       "",
       {{Role::kEditor, 403}, {Role::kPublisher, 403}, {Role::kAdmin, 204}}},
      {"PATCH",
       "/api/v1/assets/{id}",
       json{{"tags", {"patched"}}}.dump(),
       {{Role::kEditor, 200}, {Role::kPublisher, 200}, {Role::kAdmin, 200}},
       "application/merge-patch+json"},
      {"PUT",
       "/api/v1/assets/{id}/translations/fr-FR",
       json{{"title", "Déclaration"}, {"blocks", {{{"type", "paragraph"}, {"text", "Texte."}}}}}
           .dump(),
       {{Role::kEditor, 200}, {Role::kPublisher, 200}, {Role::kAdmin, 200}}},
      {"DELETE",
       "/api/v1/assets/{id}/translations/ru-RU",
       "",
       {{Role::kEditor, 200}, {Role::kPublisher, 200}, {Role::kAdmin, 200}}},
      {"PUT",
       "/api/v1/assets/{id}/related",
       json::array({json{{"title", "Photo gallery"}}}).dump(),
       {{Role::kEditor, 200}, {Role::kPublisher, 200}, {Role::kAdmin, 200}}},
      {"POST",
       "/api/v1/assets/{id}/revisions/1/restore",
       "",
       {{Role::kEditor, 200}, {Role::kPublisher, 200}, {Role::kAdmin, 200}}},
      {"GET",
       "/api/v1/assets/{id}/diff?from=1&to=1",
       "",
       {{Role::kEditor, 200}, {Role::kPublisher, 200}, {Role::kAdmin, 200}}},
  };
  int counted = 0;
  for (const Cell& cell : cells) {
    for (Role role : auth::AllRoles()) {
      const int64_t id = CreateDraft(fmt::format("Cell{}", counted++));
      std::string path = cell.path;
      if (const size_t at = path.find("{id}"); at != std::string::npos) {
        path.replace(at, 4, std::to_string(id));
      }
      const int64_t changes = store_->LastChange();
      // Every write starts from the fresh draft's revision 1 (If-Match; GETs ignore it).
      HeaderList headers = {{"If-Match", "\"1\""}, {"Authorization", "Bearer " + tokens_.at(role)}};
      if (!cell.body.empty()) headers.emplace_back("Content-Type", cell.content_type);
      const Response r = app_->Handle(cell.method, path, headers, cell.body, "127.0.0.1");
      EXPECT_EQ(r.status, cell.status.at(role))
          << cell.method << " " << path << " as " << auth::RoleName(role) << ": " << r.body;
      EXPECT_EQ(r.Header("Cache-Control").value_or(""), "no-store") << path;
      if (r.status == 403) {
        EXPECT_THAT(r.Header("Content-Type").value_or(""), HasSubstr("application/problem+json"));
        EXPECT_EQ(store_->LastChange(), changes) << "a refused " << cell.method << " " << path;
      }
    }
  }
  EXPECT_EQ(counted, static_cast<int>(cells.size() * auth::AllRoles().size()));
}

TEST_F(WriteApiTest, ADraftIsVisibleToEditorsOnly) {
  const int64_t id = CreateDraft("Qzxdraftonly", auth::Role::kEditor);
  const json draft = Draft(id);
  EXPECT_EQ(draft["status"], "draft");
  EXPECT_EQ(draft["revision"], 1);
  EXPECT_EQ(draft["asset"]["translations"]["en-GB"]["title"], "Statement Qzxdraftonly");
  // A token does not open the public read to drafts.
  EXPECT_EQ(Call("GET", fmt::format("/api/v1/assets/{}", id), auth::Role::kAdmin).status, 404);
  // An editor's GET of the draft is not cached for the next anonymous caller.
  EXPECT_EQ(Anonymous(fmt::format("/api/v1/assets/{}/draft", id)).status, 401);
  EXPECT_GT(ExpectNowhere(id, "Qzxdraftonly"), 10);
  // A published item that lists the draft among its "Additional materials" does not show the
  // draft's title either.
  json referrer = AuthoredAsset("Referrer");
  referrer["related"] = json::array({json{{"id", id}}});
  const Response made = Call("POST", "/api/v1/assets", auth::Role::kEditor, referrer.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  const int64_t other = json::parse(made.body)["id"];
  ASSERT_EQ(
      Write("POST", fmt::format("/api/v1/assets/{}/publish", other), auth::Role::kPublisher, 1)
          .status,
      200);
  for (const std::string& url :
       {fmt::format("/en/assets/{}", other), fmt::format("/en/assets/{}-statement-referrer", other),
        fmt::format("/api/v1/assets/{}", other), std::string("/en/")}) {
    const Response r = Anonymous(url);
    EXPECT_THAT(r.body, Not(HasSubstr("Qzxdraftonly"))) << url << " (" << r.status << ")";
  }
  EXPECT_THAT(Anonymous(fmt::format("/en/assets/{}-statement-referrer", other)).body,
              HasSubstr("Statement Referrer"));
}

TEST_F(WriteApiTest, PendingEditsOfAPublishedItemDoNotLeak) {
  const int64_t id = CreateDraft("Qzxfirst");
  // Warm the public pages (and the page cache) while it is a draft.
  ExpectNowhere(id, "Qzxfirst");
  Response r = Call("POST", fmt::format("/api/v1/assets/{}/publish", id), auth::Role::kPublisher,
                    R"({"revision": 1})");
  ASSERT_EQ(r.status, 200) << r.body;
  // Published: on the home page, its item page and in search, at once.
  EXPECT_THAT(Anonymous("/en/").body, HasSubstr("Qzxfirst"));
  EXPECT_EQ(Anonymous(fmt::format("/api/v1/assets/{}", id)).status, 200);
  EXPECT_THAT(Anonymous("/api/v1/search?q=qzxfirst").body, HasSubstr("Qzxfirst"));

  r = Call(
      "PUT", fmt::format("/api/v1/assets/{}", id), auth::Role::kEditor,
      json{{"revision", 2}, {"note", "embargoed figures"}, {"asset", AuthoredAsset("Qzxsecond")}}
          .dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const json saved = json::parse(r.body);
  EXPECT_EQ(saved["pending"], true);
  EXPECT_EQ(saved["revision"], 3);
  EXPECT_EQ(saved["live_revision"], 2);
  EXPECT_GT(ExpectNowhere(id, "Qzxsecond"), 10);
  EXPECT_THAT(Anonymous(fmt::format("/api/v1/assets/{}", id)).body, HasSubstr("Qzxfirst"));

  r = Write("POST", fmt::format("/api/v1/assets/{}/publish", id), auth::Role::kPublisher, 3);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(Anonymous(fmt::format("/api/v1/assets/{}", id)).body, HasSubstr("Qzxsecond"));
  EXPECT_THAT(Anonymous("/en/").body, HasSubstr("Qzxsecond"));
  EXPECT_THAT(Anonymous("/api/v1/search?q=qzxsecond").body, HasSubstr("Qzxsecond"));
}

TEST_F(WriteApiTest, ScheduledAndArchivedItemsDoNotLeak) {
  const int64_t scheduled = CreateDraft("Qzxlater");
  const std::string at = content::ToIso8601Utc(content::Instant{content::Now().seconds + 3600});
  Response r = Write("POST", fmt::format("/api/v1/assets/{}/schedule", scheduled),
                     auth::Role::kPublisher, 1, json{{"at", at}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["status"], "scheduled");
  EXPECT_EQ(content::ParseIso8601(json::parse(r.body)["asset"]["published_at"].get<std::string>()),
            content::ParseIso8601(at));
  EXPECT_GT(ExpectNowhere(scheduled, "Qzxlater"), 10);

  const int64_t archived = CreateDraft("Qzxgone");
  ASSERT_EQ(Write("POST", fmt::format("/api/v1/assets/{}/publish", archived), auth::Role::kAdmin, 1)
                .status,
            200);
  EXPECT_THAT(Anonymous("/en/").body, HasSubstr("Qzxgone"));
  ASSERT_EQ(
      Write("POST", fmt::format("/api/v1/assets/{}/archive", archived), auth::Role::kPublisher, 2)
          .status,
      200);
  EXPECT_GT(ExpectNowhere(archived, "Qzxgone"), 10);
}

TEST_F(WriteApiTest, ConcurrentEditsAreRefusedWithTheCurrentRevision) {
  const int64_t id = CreateDraft("Shared");
  const std::string path = fmt::format("/api/v1/assets/{}", id);
  ASSERT_EQ(Call("PUT", path, auth::Role::kEditor,
                 json{{"revision", 1}, {"asset", AuthoredAsset("Alice")}}.dump())
                .status,
            200);
  const Response late = Call("PUT", path, auth::Role::kPublisher,
                             json{{"revision", 1}, {"asset", AuthoredAsset("Bob")}}.dump());
  EXPECT_EQ(late.status, 412);
  EXPECT_THAT(late.body, HasSubstr("revision 2"));
  EXPECT_EQ(json::parse(late.body)["current_revision"], 2);
  EXPECT_EQ(Draft(id)["asset"]["translations"]["en-GB"]["title"], "Statement Alice");
  const json history =
      json::parse(Call("GET", path + "/revisions", auth::Role::kEditor).body)["revisions"];
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0]["author"], "editor1");
  EXPECT_EQ(history[0]["number"], 2);
  const json first = json::parse(Call("GET", path + "/revisions/1", auth::Role::kEditor).body);
  EXPECT_EQ(first["asset"]["translations"]["en-GB"]["title"], "Statement Shared");
  EXPECT_EQ(Call("GET", path + "/revisions/9", auth::Role::kEditor).status, 404);
}

TEST_F(WriteApiTest, BadBodiesAre400WithTheReason) {
  const int64_t id = CreateDraft("Body");
  const std::string path = fmt::format("/api/v1/assets/{}", id);
  struct Case {
    std::string method, target, body, says;
  };
  json untitled = AuthoredAsset("x");
  untitled["translations"]["en-GB"]["title"] = "";
  json published = AuthoredAsset("x");
  published["status"] = "published";
  json with_id = AuthoredAsset("x");
  with_id["id"] = 5;
  const std::vector<Case> cases = {
      {"POST", "/api/v1/assets", "not json", "not JSON"},
      {"POST", "/api/v1/assets", "[1]", "JSON object"},
      {"POST", "/api/v1/assets", untitled.dump(), "title"},
      {"POST", "/api/v1/assets", published.dump(), "status"},
      {"POST", "/api/v1/assets", with_id.dump(), "id"},
      {"PUT", path, json{{"revision", 1}}.dump(), "asset"},
      {"PUT", path, json{{"revision", "one"}, {"asset", AuthoredAsset("x")}}.dump(), "revision"},
      {"POST", path + "/schedule", json{{"revision", 1}}.dump(), "at"},
      {"POST", path + "/schedule", json{{"at", "tomorrow"}, {"revision", 1}}.dump(), "at"},
      {"POST", path + "/schedule", json{{"at", "2001-01-01T00:00:00Z"}, {"revision", 1}}.dump(),
       "future"},
      {"POST", path + "/publish", json{{"published_at", 5}, {"revision", 1}}.dump(),
       "published_at"},
      {"PUT", "/api/v1/assets/abc", json{{"revision", 1}, {"asset", AuthoredAsset("x")}}.dump(),
       "id"},
  };
  const int64_t changes = store_->LastChange();
  for (const Case& c : cases) {
    const Response r = Call(c.method, c.target, auth::Role::kAdmin, c.body);
    EXPECT_EQ(r.status, 400) << c.method << " " << c.target << " " << c.body << ": " << r.body;
    EXPECT_THAT(r.body, HasSubstr(c.says)) << c.body;
    EXPECT_THAT(r.Header("Content-Type").value_or(""), HasSubstr("application/problem+json"));
  }
  EXPECT_EQ(store_->LastChange(), changes);
  EXPECT_EQ(Call("GET", "/api/v1/assets/999/draft", auth::Role::kEditor).status, 404);
}

TEST_F(WriteApiTest, UntrustedTextComesBackEscaped) {
  json asset = AuthoredAsset("x");
  asset["translations"]["en-GB"]["title"] = "<script>alert(1)</script>";
  const Response created = Call("POST", "/api/v1/assets", auth::Role::kEditor, asset.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body.find("<script>"), std::string::npos);
  const int64_t id = json::parse(created.body)["id"];
  EXPECT_EQ(Draft(id)["asset"]["translations"]["en-GB"]["title"], "<script>alert(1)</script>");
  ASSERT_EQ(
      Write("POST", fmt::format("/api/v1/assets/{}/publish", id), auth::Role::kAdmin, 1).status,
      200);
  const Response page = Anonymous(fmt::format("/en/assets/{}", id));
  EXPECT_EQ(page.body.find("<script>alert(1)"), std::string::npos);
}

TEST_F(WriteApiTest, CreateAnswersWithTheDraftsLocationAndAudits) {
  const Response r =
      Call("POST", "/api/v1/assets", auth::Role::kEditor, AuthoredAsset("Loc").dump());
  ASSERT_EQ(r.status, 201);
  const int64_t id = json::parse(r.body)["id"];
  EXPECT_EQ(r.Header("Location").value_or(""), fmt::format("/api/v1/assets/{}/draft", id));
  EXPECT_EQ(r.Header("ETag").value_or(""), "\"1\"");
  const auto audit = auth_->ReadAudit(auth::Authenticator::Operator(), {0, 10}).entries;
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.front().action, "asset.create");
  EXPECT_EQ(audit.front().actor, "editor1");
  EXPECT_EQ(audit.front().target, fmt::format("asset:{}", id));
  EXPECT_EQ(audit.front().address, "127.0.0.1");
  ASSERT_EQ(Write("DELETE", fmt::format("/api/v1/assets/{}", id), auth::Role::kAdmin, 1).status,
            204);
  EXPECT_EQ(Call("GET", fmt::format("/api/v1/assets/{}/draft", id), auth::Role::kAdmin).status,
            404);
}

// The concurrency contract of every write to an existing item: If-Match names the version the
// write starts from; a stale one is 412 with the current version, none at all is 428, the right
// one succeeds and answers with the new ETag. Nothing is written by a refused write.
TEST_F(WriteApiTest, WritesTakeTheVersionFromIfMatch) {
  struct Route {
    std::string method;
    std::string suffix;  // after /api/v1/assets/{id}
    std::string body;
    int ok;
    std::string etag;  // after the write; "" when it has no answer body (DELETE)
  };
  const std::string at = content::ToIso8601Utc(content::Instant{content::Now().seconds + 3600});
  const std::vector<Route> routes = {
      {"PUT", "", json{{"asset", AuthoredAsset("Third")}}.dump(), 200, "\"3\""},
      {"POST", "/publish", "", 200, "\"3\""},
      {"POST", "/schedule", json{{"at", at}}.dump(), 200, "\"3\""},
      {"POST", "/unschedule", "", 200, "\"3\""},
      {"POST", "/archive", "", 200, "\"2\""},
      {"DELETE", "", "", 204, ""},
  };
  int n = 0;
  for (const Route& route : routes) {
    const std::string word = fmt::format("Version{}", n++);
    const int64_t id = CreateDraft(word);
    const std::string base = fmt::format("/api/v1/assets/{}", id);
    // Bring it to revision 2, in a state where the route applies.
    Response r;
    if (route.suffix == "/unschedule") {
      r = Write("POST", base + "/schedule", auth::Role::kAdmin, 1, json{{"at", at}}.dump());
    } else if (route.suffix == "/archive") {
      r = Write("POST", base + "/publish", auth::Role::kAdmin, 1);
    } else {
      r = Write("PUT", base, auth::Role::kAdmin, 1,
                json{{"asset", AuthoredAsset(word + "b")}}.dump());
    }
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.Header("ETag").value_or(""), "\"2\"");
    const std::string target = base + route.suffix;
    const std::string what = route.method + " " + target;
    const int64_t changes = store_->LastChange();

    const Response stale = Write(route.method, target, auth::Role::kAdmin, 1, route.body);
    EXPECT_EQ(stale.status, 412) << what << ": " << stale.body;
    EXPECT_THAT(stale.Header("Content-Type").value_or(""), HasSubstr("application/problem+json"));
    EXPECT_EQ(stale.Header("ETag").value_or(""), "\"2\"") << what;
    EXPECT_EQ(stale.Header("Cache-Control").value_or(""), "no-store") << what;
    const json problem = json::parse(stale.body);
    EXPECT_EQ(problem["status"], 412) << what;
    EXPECT_EQ(problem["current_revision"], 2) << what;
    EXPECT_THAT(problem["detail"].get<std::string>(), HasSubstr("revision 2")) << what;

    const Response missing = Call(route.method, target, auth::Role::kAdmin, route.body);
    EXPECT_EQ(missing.status, 428) << what << ": " << missing.body;
    EXPECT_THAT(missing.Header("Content-Type").value_or(""), HasSubstr("application/problem+json"));
    EXPECT_EQ(json::parse(missing.body)["status"], 428) << what;
    EXPECT_THAT(missing.body, HasSubstr("If-Match")) << what;
    EXPECT_EQ(store_->LastChange(), changes) << "a refused " << what;
    EXPECT_EQ(Draft(id)["revision"], 2) << "a refused " << what;

    const Response right = Write(route.method, target, auth::Role::kAdmin, 2, route.body);
    EXPECT_EQ(right.status, route.ok) << what << ": " << right.body;
    if (!route.etag.empty()) {
      EXPECT_EQ(right.Header("ETag").value_or(""), route.etag) << what;
      EXPECT_EQ(fmt::format("\"{}\"", json::parse(right.body)["revision"].get<int64_t>()),
                route.etag)
          << what;
    }
  }
}

TEST_F(WriteApiTest, IfMatchWinsOverTheBodyAndIsParsedStrictly) {
  const int64_t id = CreateDraft("Strict");
  const std::string path = fmt::format("/api/v1/assets/{}", id);
  // The body's revision is only a fallback: If-Match decides.
  Response r = Write("PUT", path, auth::Role::kEditor, 7,
                     json{{"revision", 1}, {"asset", AuthoredAsset("Strict2")}}.dump());
  EXPECT_EQ(r.status, 412) << r.body;
  EXPECT_EQ(json::parse(r.body)["current_revision"], 1);
  for (const char* tag : {"1", "W/\"1\"", "\"one\"", "\"1\", \"2\""}) {
    r = Call("PUT", path, auth::Role::kEditor, json{{"asset", AuthoredAsset("Strict3")}}.dump(),
             {{"If-Match", tag}});
    EXPECT_EQ(r.status, 400) << tag << ": " << r.body;
    EXPECT_THAT(r.body, HasSubstr("If-Match")) << tag;
  }
  EXPECT_EQ(Draft(id)["revision"], 1);
  // "*": whatever is current.
  r = Call("POST", path + "/publish", auth::Role::kPublisher, "", {{"If-Match", "*"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("ETag").value_or(""), "\"2\"");
  // The ETag of GET …/draft is what If-Match takes.
  const Response draft = Call("GET", path + "/draft", auth::Role::kEditor);
  r = Call("PUT", path, auth::Role::kEditor, json{{"asset", AuthoredAsset("Strict4")}}.dump(),
           {{"If-Match", draft.Header("ETag").value_or("")}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("ETag").value_or(""), "\"3\"");
}

// Validation failures are RFC 9457 problems with one `errors` entry per invalid field, each a
// JSON Pointer into the request body.
// An 80,000-tag draft is one 400 naming the list and its limit, and writes nothing; 100 tags (the
// limit) are accepted.
TEST_F(WriteApiTest, ListsOverTheirLimitAreRefusedNamingTheLimit) {
  json huge = AuthoredAsset("Tags");
  huge["tags"] = json::array();
  for (int i = 0; i < 80'000; ++i) huge["tags"].push_back(fmt::format("t{}", i));
  const int64_t changes = store_->LastChange();
  Response r = Call("POST", "/api/v1/assets", auth::Role::kEditor, huge.dump());
  ASSERT_EQ(r.status, 400) << r.body.substr(0, 500);
  EXPECT_THAT(r.Header("Content-Type").value_or(""), HasSubstr("application/problem+json"));
  json problem = json::parse(r.body);
  ASSERT_EQ(problem["errors"].size(), 1u);
  EXPECT_EQ(problem["errors"][0]["pointer"], "/tags");
  EXPECT_EQ(problem["errors"][0]["detail"], "has 80000 tags; at most 100 are accepted");
  EXPECT_EQ(store_->LastChange(), changes);

  json at_limit = AuthoredAsset("Tags");
  at_limit["tags"] = json::array();
  for (size_t i = 0; i < content::kMaxTags; ++i) at_limit["tags"].push_back(fmt::format("t{}", i));
  r = Call("POST", "/api/v1/assets", auth::Role::kEditor, at_limit.dump());
  ASSERT_EQ(r.status, 201) << r.body.substr(0, 500);
  EXPECT_EQ(json::parse(r.body)["asset"]["tags"].size(), content::kMaxTags);
}

TEST_F(WriteApiTest, InvalidFieldsAreListedOneByOne) {
  json bad = AuthoredAsset("Fields");
  bad["translations"]["en-GB"]["title"] = "";
  bad["translations"]["en-GB"]["slug"] = "fields";
  bad["translations"]["ru-RU"]["blocks"][0]["text"] = "";
  const int64_t changes = store_->LastChange();
  Response r = Call("POST", "/api/v1/assets", auth::Role::kEditor, bad.dump());
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_THAT(r.Header("Content-Type").value_or(""), HasSubstr("application/problem+json"));
  json problem = json::parse(r.body);
  EXPECT_EQ(problem["status"], 400);
  ASSERT_EQ(problem["errors"].size(), 2u) << r.body;
  EXPECT_EQ(problem["errors"][0]["pointer"], "/translations/en-GB/title");
  EXPECT_EQ(problem["errors"][0]["detail"], "must not be empty");
  EXPECT_EQ(problem["errors"][1]["pointer"], "/translations/ru-RU/blocks/0/text");
  EXPECT_EQ(problem["errors"][1]["detail"], "must not be empty");
  EXPECT_EQ(store_->LastChange(), changes);

  // In a PUT the asset is the body's "asset" member.
  const int64_t id = CreateDraft("Fields");
  json languages = AuthoredAsset("Fields");
  languages["languages"] = json::array({"en-GB", "ru-RU", "en-GB"});
  languages["translations"]["en-GB"]["place"] = std::string("a\x01b");
  r = Write("PUT", fmt::format("/api/v1/assets/{}", id), auth::Role::kEditor, 1,
            json{{"asset", languages}}.dump());
  ASSERT_EQ(r.status, 400) << r.body;
  problem = json::parse(r.body);
  ASSERT_EQ(problem["errors"].size(), 2u) << r.body;
  EXPECT_EQ(problem["errors"][0]["pointer"], "/asset/languages/2");
  EXPECT_EQ(problem["errors"][1]["pointer"], "/asset/translations/en-GB/place");
  EXPECT_EQ(Draft(id)["revision"], 1);

  // "/" and "~" in a key are escaped as RFC 6901 says.
  json odd = AuthoredAsset("Fields");
  odd["categories"] = json{{"a/b~c", json::array({"fine", ""})}};
  r = Call("POST", "/api/v1/assets", auth::Role::kEditor, odd.dump());
  ASSERT_EQ(r.status, 400) << r.body;
  problem = json::parse(r.body);
  ASSERT_EQ(problem["errors"].size(), 1u) << r.body;
  EXPECT_EQ(problem["errors"][0]["pointer"], "/categories/a~1b~0c/1");
}

}  // namespace
}  // namespace assetpub::web
