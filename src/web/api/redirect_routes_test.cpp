// The redirects API through the whole App (router, renderer, the site's routes that answer old
// addresses) on a real SQLite store and real accounts and tokens: an editor adds, lists,
// replaces and removes an item's old addresses, the site follows at once, every write is audited,
// and bad input is refused with problem+json and nothing written.
#include "web/api/redirect_routes.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/authenticator.h"
#include "render/testing/site.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "web/app.h"
#include "web/testing/accounts.h"

namespace assetpub::web {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class RedirectApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app_ = std::make_unique<App>(render::testing::SiteConfig(), *site_.store, nullptr, nullptr,
                                 site_.auth.get());
    token_ = site_.Token("editor1", auth::Role::kEditor);
    // A published item in English and Russian, and a draft.
    content::Asset talks = render::testing::OneLanguageItem(
        0, "en-GB", "Talks", "talks", content::ParseIso8601("2014-03-12T14:05:00Z"));
    content::Translation ru = talks.translations.at("en-GB");
    ru.language = "ru-RU";
    ru.title = "Переговоры";
    ru.slug = "peregovory";
    talks.translations["ru-RU"] = ru;
    talks.languages.push_back("ru-RU");
    talks_ = Put(talks);
    content::Asset draft = render::testing::OneLanguageItem(
        0, "en-GB", "Draft", "draft", content::ParseIso8601("2014-03-13T14:05:00Z"));
    draft.status = content::Status::kDraft;
    draft_ = Put(draft);
  }

  int64_t Put(content::Asset asset) {
    auto tx = store_->Begin();
    const int64_t id = tx->Put(asset);
    tx->Commit();
    return id;
  }

  Response Call(const std::string& method, const std::string& target, const std::string& body = {},
                bool with_token = true) {
    HeaderList headers;
    if (with_token) headers.emplace_back("Authorization", "Bearer " + token_);
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return app_->Handle(method, target, headers, body, "192.0.2.7");
  }
  Response Site(const std::string& target) { return app_->Handle("GET", target); }

  // The pointers of a problem+json answer's `errors`.
  static std::vector<std::string> Pointers(const Response& response) {
    std::vector<std::string> pointers;
    const json problem = json::parse(response.body);
    for (const json& e : problem.value("errors", json::array())) {
      pointers.push_back(e.at("pointer").get<std::string>());
    }
    return pointers;
  }

  assetpub::testing::TempDir temp_{"redirect-api-"};
  web::testing::StoreWithAccounts site_{temp_.path()};
  std::unique_ptr<store::Store>& store_ = site_.store;
  std::unique_ptr<App> app_;
  std::string token_;
  int64_t talks_ = 0;
  int64_t draft_ = 0;
};

TEST_F(RedirectApiTest, AnEditorAddsListsReplacesAndRemovesAndTheSiteFollows) {
  EXPECT_EQ(Site("/2014/03/12/talks/").status, 404);

  const Response added =
      Call("POST", "/api/v1/redirects",
           json{{"path", "/2014/03/12/talks/"}, {"asset_id", talks_}, {"language", "ru"}}.dump());
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.Header("Cache-Control"), "no-store");
  EXPECT_EQ(json::parse(added.body),
            (json{{"path", "/2014/03/12/talks/"},
                  {"asset_id", talks_},
                  {"language", "ru-RU"},  // the translation's own tag
                  {"title", "Переговоры"},
                  {"status", "published"},
                  {"target", fmt::format("/ru/assets/{}-peregovory", talks_)}}));
  Response moved = Site("/2014/03/12/talks/");
  EXPECT_EQ(moved.status, 301);
  EXPECT_EQ(moved.Header("Location"), fmt::format("/ru/assets/{}-peregovory", talks_));

  // Without a language: the site's default language's version. PUT adds alike.
  const Response by_id =
      Call("PUT", "/api/v1/redirects", json{{"path", "/?p=12"}, {"asset_id", talks_}}.dump());
  ASSERT_EQ(by_id.status, 201) << by_id.body;
  EXPECT_EQ(json::parse(by_id.body).at("language"), "en-GB");
  const Response to_draft =
      Call("POST", "/api/v1/redirects", json{{"path", "/draft/"}, {"asset_id", draft_}}.dump());
  ASSERT_EQ(to_draft.status, 201) << to_draft.body;
  EXPECT_EQ(Site("/draft/").status, 404);  // a draft has no public page

  // The list: by path, bytewise; one item's alone; paged.
  const Response list = Call("GET", "/api/v1/redirects");
  ASSERT_EQ(list.status, 200) << list.body;
  const json listed = json::parse(list.body);
  EXPECT_EQ(listed.at("total"), 3);
  EXPECT_EQ(listed.at("page"), 1);
  EXPECT_EQ(listed.at("pages"), 1);
  std::vector<std::string> paths;
  for (const json& r : listed.at("redirects")) paths.push_back(r.at("path"));
  EXPECT_EQ(paths, (std::vector<std::string>{"/2014/03/12/talks/", "/?p=12", "/draft/"}));
  EXPECT_EQ(listed.at("redirects")[2].at("status"), "draft");
  const json one_item =
      json::parse(Call("GET", fmt::format("/api/v1/redirects?asset={}", draft_)).body);
  EXPECT_EQ(one_item.at("total"), 1);
  EXPECT_EQ(one_item.at("redirects")[0].at("path"), "/draft/");
  EXPECT_EQ(json::parse(Call("GET", "/api/v1/redirects?page=2").body).at("redirects"),
            json::array());

  // The same path again replaces it (200); the site follows.
  const Response replaced = Call(
      "PUT", "/api/v1/redirects",
      json{{"path", "/2014/03/12/talks/"}, {"asset_id", talks_}, {"language", "en-GB"}}.dump());
  EXPECT_EQ(replaced.status, 200) << replaced.body;
  moved = Site("/2014/03/12/talks/");
  EXPECT_EQ(moved.Header("Location"), fmt::format("/en/assets/{}-talks", talks_));

  // Removed: by the exact path, percent-encoded in the query.
  const Response removed = Call("DELETE", "/api/v1/redirects?path=%2F%3Fp%3D12");
  EXPECT_EQ(removed.status, 204) << removed.body;
  EXPECT_EQ(store_->FindRedirect("/?p=12"), std::nullopt);
  EXPECT_EQ(Call("DELETE", "/api/v1/redirects?path=%2F%3Fp%3D12").status, 404);
  EXPECT_EQ(Site("/2014/03/12/talks/").status, 301);  // the others stay

  // Every write is in the audit log.
  const store::AuditPage audit = site_.auth->ReadAudit(auth::Authenticator::Operator(), {});
  std::vector<std::string> actions;
  for (const store::AuditEntry& e : audit.entries) {
    if (e.action.starts_with("redirect.")) actions.push_back(e.action + " " + e.target);
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{
                "redirect.delete redirect:/?p=12", "redirect.put redirect:/2014/03/12/talks/",
                "redirect.put redirect:/draft/", "redirect.put redirect:/?p=12",
                "redirect.put redirect:/2014/03/12/talks/"}));
  EXPECT_EQ(audit.entries[1].actor, "editor1");
  EXPECT_EQ(audit.entries[1].detail,
            fmt::format("to item {} in en-GB (was item {} in ru-RU)", talks_, talks_));
}

// An old address in another script is kept as browsers send it, percent-encoded.
TEST_F(RedirectApiTest, BytesBeyondAsciiAreStoredPercentEncoded) {
  const Response added =
      Call("POST", "/api/v1/redirects",
           json{{"path", "/ru/переговоры/"}, {"asset_id", talks_}, {"language", "ru-RU"}}.dump());
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string encoded = "/ru/%D0%BF%D0%B5%D1%80%D0%B5%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%D1%8B/";
  EXPECT_EQ(json::parse(added.body).at("path"), encoded);
  EXPECT_EQ(Site(encoded).status, 301);
}

TEST_F(RedirectApiTest, BadInputIsRefusedWithProblemJsonAndNothingWritten) {
  const struct {
    json body;
    int status;
    std::string pointer;
    std::string detail;
  } cases[] = {
      {{{"path", "old/"}, {"asset_id", talks_}}, 400, "/path", "must be a path starting with '/'"},
      {{{"path", "https://old.example/x/"}, {"asset_id", talks_}}, 400, "/path", "starting with"},
      {{{"path", "/" + std::string(store::kMaxRedirectPath, 'x')}, {"asset_id", talks_}},
       400,
       "/path",
       "at most 2000"},
      {{{"path", "/a#b"}, {"asset_id", talks_}}, 400, "/path", "'#'"},
      {{{"path", "/a\tb"}, {"asset_id", talks_}}, 400, "/path", "control character"},
      {{{"path", "/old/"}, {"asset_id", talks_ + 100}}, 422, "/asset_id", "no item"},
      {{{"path", "/old/"}, {"asset_id", "1"}}, 400, "/asset_id", "whole number"},
      {{{"path", "/old/"}, {"asset_id", 0}}, 400, "/asset_id", "whole number"},
      {{{"asset_id", talks_}}, 400, "/path", "is required"},
      {{{"path", "/old/"}}, 400, "/asset_id", "is required"},
      {{{"path", 5}, {"asset_id", talks_}}, 400, "/path", "must be text"},
      {{{"path", "/old/"}, {"asset_id", talks_}, {"language", "not a tag!"}},
       400,
       "/language",
       "not a language tag"},
      {{{"path", "/old/"}, {"asset_id", talks_}, {"language", "fr"}},
       422,
       "/language",
       "has no translation in fr (it has en-GB, ru-RU)"},
  };
  for (const auto& c : cases) {
    const Response r = Call("POST", "/api/v1/redirects", c.body.dump());
    EXPECT_EQ(r.status, c.status) << c.body.dump().substr(0, 200) << "\n" << r.body;
    EXPECT_THAT(r.Header("Content-Type").value_or(""),
                ::testing::StartsWith("application/problem+json"))
        << c.body.dump(0);
    EXPECT_EQ(Pointers(r), std::vector<std::string>{c.pointer}) << r.body.substr(0, 300);
    EXPECT_THAT(r.body, HasSubstr(c.detail)) << r.body.substr(0, 300);
  }
  // Bodies that are not a JSON object, and JSON nested past the guard every write route runs.
  for (const std::string& body : {std::string("not json"), std::string("[1]"),
                                  std::string(100, '[') + std::string(100, ']'), std::string()}) {
    const Response r = Call("PUT", "/api/v1/redirects", body);
    EXPECT_EQ(r.status, 400) << body.substr(0, 20);
    EXPECT_THAT(r.Header("Content-Type").value_or(""),
                ::testing::StartsWith("application/problem+json"));
  }
  EXPECT_THAT(Call("PUT", "/api/v1/redirects", std::string(100, '[') + std::string(100, ']')).body,
              HasSubstr("nested more than 64 deep"));
  // Deleting needs a path; listing a page number.
  EXPECT_EQ(Call("DELETE", "/api/v1/redirects").status, 400);
  EXPECT_EQ(Call("DELETE", "/api/v1/redirects?path=").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/redirects?page=0").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/redirects?asset=x").status, 400);
  EXPECT_EQ(store_->ListRedirects({}).total, 0);
}

TEST_F(RedirectApiTest, EveryRouteNeedsAToken) {
  ASSERT_EQ(Call("POST", "/api/v1/redirects", json{{"path", "/kept/"}, {"asset_id", talks_}}.dump())
                .status,
            201);
  for (const char* method : {"GET", "POST", "PUT", "DELETE"}) {
    const Response r =
        Call(method, "/api/v1/redirects?path=%2Fkept%2F",
             json{{"path", "/new/"}, {"asset_id", talks_}}.dump(), /*with_token=*/false);
    EXPECT_EQ(r.status, 401) << method;
    EXPECT_EQ(r.Header("WWW-Authenticate"), "Bearer realm=\"assetpub\"") << method;
    EXPECT_EQ(r.Header("Cache-Control"), "no-store") << method;
  }
  const std::vector<store::Redirect> left = store_->ListRedirects({}).redirects;
  EXPECT_EQ(left, (std::vector<store::Redirect>{{"/kept/", talks_, "en-GB"}}));
}

}  // namespace
}  // namespace assetpub::web
