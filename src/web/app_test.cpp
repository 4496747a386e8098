#include "web/app.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "render/testing/seed_asset.h"
#include "render/testing/site.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "web/testing/failing_reads.h"

namespace assetpub::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

using render::testing::kSeedEnSlug;
using render::testing::kSeedRuSlug;
using render::testing::OneLanguageItem;
using render::testing::PutAsset;
using web::testing::FailingReads;

Config TestConfig() { return render::testing::SiteConfig(/*page_size=*/2); }

// A real SQLite store in `dir`.
std::unique_ptr<store::Store> OpenSqliteStore(const std::filesystem::path& dir) {
  return store::OpenStore("sqlite:" + (dir / "assetpub.db").string());
}

// The handlers on a real SQLite store in a folder of the test's own.
class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenSqliteStore(dir_);
    app_.emplace(TestConfig(), *store_);
    const content::Instant seed_time = render::testing::SeedAsset().published_at;
    PutAsset(*store_, render::testing::SeedAsset(1));
    content::Asset draft = render::testing::SeedAsset(2);
    draft.status = content::Status::kDraft;
    draft.translations["en-GB"].slug = "draft-slug";
    draft.translations["ru-RU"].slug = "draft-slug-ru";
    PutAsset(*store_, draft);
    PutAsset(*store_, OneLanguageItem(3, "ru-RU", "Только по-русски", "tolko-po-russki",
                                      {seed_time.seconds - 86400}));
    PutAsset(*store_, OneLanguageItem(4, "en-GB", "<script>alert(1)</script>", "script-alert-1",
                                      {seed_time.seconds - 2 * 86400}));
    content::Asset with_related =
        OneLanguageItem(5, "en-GB", "Follow-up", "follow-up", {seed_time.seconds - 3 * 86400});
    with_related.related = {{1, ""}, {2, ""}, {0, "Photo gallery"}};
    with_related.tags = {"Syria"};
    PutAsset(*store_, with_related);
  }
  void TearDown() override {
    app_.reset();    // it holds a reference to the store
    store_.reset();  // closes the database before its folder goes
  }

  Response Get(const std::string& target, HeaderList headers = {}) {
    return app_->Handle(Request::Make("GET", target, std::move(headers)));
  }
  static nlohmann::json Json(const Response& response) {
    return nlohmann::json::parse(response.body);
  }

  const assetpub::testing::TempDir temp_{"assetpub-http-"};
  const std::filesystem::path dir_ = temp_.path();
  std::unique_ptr<store::Store> store_;
  std::optional<App> app_;
};

TEST_F(AppTest, RootRedirectsToTheDefaultLanguagesHome) {
  const Response response = Get("/");
  EXPECT_EQ(response.status, 302);
  EXPECT_THAT(response.Header("Location"), Optional(std::string("/en/")));
}

TEST_F(AppTest, HealthzSaysOk) {
  const Response response = Get("/healthz");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "ok");
  EXPECT_THAT(response.Header("Content-Type"), Optional(std::string("text/plain; charset=utf-8")));
}

TEST_F(AppTest, ReadyzReportsTheStoreAndTheFollowersLagAsJson) {
  const Response response = Get("/readyz");
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.Header("Cache-Control"), Optional(std::string("no-store")));
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["ready"], true);
  EXPECT_EQ(body["store"]["reachable"], true);
  EXPECT_GE(body["store"]["last_change"].get<int64_t>(), 1);
  EXPECT_TRUE(body.contains("cache"));
  EXPECT_TRUE(body.contains("search"));
}

TEST_F(AppTest, ItemPageIsServedInEachLanguage) {
  const Response en = Get(std::string("/en/assets/1-") + kSeedEnSlug);
  EXPECT_EQ(en.status, 200);
  EXPECT_THAT(en.Header("Content-Type"), Optional(std::string("text/html; charset=utf-8")));
  EXPECT_THAT(en.Header("Content-Language"), Optional(std::string("en-GB")));
  EXPECT_THAT(en.body, HasSubstr("7 June 2013 16:29"));
  const Response ru = Get(std::string("/ru/assets/1-") + kSeedRuSlug);
  EXPECT_EQ(ru.status, 200);
  EXPECT_THAT(ru.body, HasSubstr("7 июня 2013\u202fг. 16:29"));
}

TEST_F(AppTest, WrongOrMissingSlugRedirectsToTheCanonicalUrl) {
  const std::string canonical = std::string("/en/assets/1-") + kSeedEnSlug;
  for (const std::string target :
       {"/en/assets/1-wrong", "/en/assets/1", "/en/assets/1-", "/en/assets/1-wrong?utm=x"}) {
    const Response response = Get(target);
    EXPECT_EQ(response.status, 301) << target;
    EXPECT_THAT(response.Header("Location"), Optional(canonical)) << target;
  }
  // The other language's slug under /ru/ leads to the Russian slug.
  const Response ru = Get(std::string("/ru/assets/1-") + kSeedEnSlug);
  EXPECT_EQ(ru.status, 301);
  EXPECT_THAT(ru.Header("Location"), Optional(std::string("/ru/assets/1-") + kSeedRuSlug));
}

TEST_F(AppTest, RelatedItemsAreLinkedThroughTheStoresHeadlines) {
  const Response response = Get("/en/assets/5-follow-up");
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.body, HasSubstr(std::string("<a href=\"/en/assets/1-") + kSeedEnSlug));
  EXPECT_THAT(response.body, HasSubstr("<li>Photo gallery</li>"));
  EXPECT_THAT(response.body, Not(HasSubstr("draft-slug")));
}

TEST_F(AppTest, OnlyPublishedAssetsAreVisible) {
  EXPECT_EQ(Get("/en/assets/2-draft-slug").status, 404);
  EXPECT_EQ(Get("/api/v1/assets/2").status, 404);
  const auto list = Json(Get("/api/v1/assets?page_size=100"));
  for (const auto& item : list["items"]) EXPECT_NE(item["id"], 2);
  EXPECT_EQ(list["total"], 4);
}

TEST_F(AppTest, UnknownItemsAndLanguagesAre404Pages) {
  for (const std::string target :
       {"/en/assets/999-x", "/en/assets/abc", "/en/assets/0-x", "/fr/assets/1-x", "/fr/",
        "/en/nothing/here", "/favicon.ico", "/EN/"}) {
    const Response response = Get(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_THAT(response.Header("Content-Type"), Optional(std::string("text/html; charset=utf-8")))
        << target;
    EXPECT_THAT(response.body, HasSubstr("<h1>Page not found</h1>")) << target;
  }
}

TEST_F(AppTest, A404PageSpeaksTheLanguageOfThePathPrefix) {
  const Response response = Get("/ru/nothing");
  EXPECT_EQ(response.status, 404);
  EXPECT_THAT(response.body, HasSubstr("<html lang=\"ru-RU\" dir=\"ltr\">"));
  EXPECT_THAT(response.body, HasSubstr("Страница не найдена"));
}

TEST_F(AppTest, MissingTranslationIs404LinkingTheVersionsThatExist) {
  const Response response = Get("/en/assets/3-tolko-po-russki");
  EXPECT_EQ(response.status, 404);
  EXPECT_THAT(response.body, HasSubstr("This item has no English version"));
  EXPECT_THAT(response.body, HasSubstr("<a href=\"/ru/assets/3-tolko-po-russki\""));
}

TEST_F(AppTest, LanguageWithoutTrailingSlashRedirects) {
  const Response response = Get("/ru");
  EXPECT_EQ(response.status, 301);
  EXPECT_THAT(response.Header("Location"), Optional(std::string("/ru/")));
}

TEST_F(AppTest, HomeListsThatLanguagesPublishedItemsNewestFirstAndPages) {
  const Response first = Get("/en/");  // Config::page_size is 2
  EXPECT_EQ(first.status, 200);
  const size_t seed = first.body.find(kSeedEnSlug);
  const size_t hostile = first.body.find("script-alert-1");
  ASSERT_NE(seed, std::string::npos);
  ASSERT_NE(hostile, std::string::npos);
  EXPECT_LT(seed, hostile);
  EXPECT_THAT(first.body, Not(HasSubstr("tolko-po-russki")));  // no English version
  EXPECT_THAT(first.body, HasSubstr("<a href=\"/en/?page=2\" rel=\"next\">"));

  EXPECT_THAT(first.body, Not(HasSubstr("follow-up")));
  const Response second = Get("/en/?page=2");
  EXPECT_EQ(second.status, 200);
  EXPECT_THAT(second.body, HasSubstr("follow-up"));
  EXPECT_THAT(second.body, Not(HasSubstr(kSeedEnSlug)));

  EXPECT_THAT(Get("/ru/").body, HasSubstr("tolko-po-russki"));
}

TEST_F(AppTest, BadPageNumberIsA400Page) {
  for (const std::string target : {"/en/?page=0", "/en/?page=-1", "/en/?page=abc", "/en/?page=",
                                   "/en/?page=01", "/en/?page=99999999999999999999"}) {
    const Response response = Get(target);
    EXPECT_EQ(response.status, 400) << target;
    EXPECT_THAT(response.body, HasSubstr("<h1>Bad request</h1>")) << target;
  }
  EXPECT_EQ(Get("/en/?page=3").status, 404);  // well-formed, but past the last page
}

TEST_F(AppTest, HostileTitleIsEscapedInHtmlAndJson) {
  const Response page = Get("/en/assets/4-script-alert-1");
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(page.body, Not(HasSubstr("<script>")));
  // The one script element is JSON-LD data, where '<' is written \u003c.
  EXPECT_EQ(page.body.find("<script"), page.body.find("<script type=\"application/ld+json\">"));
  EXPECT_EQ(page.body.find("<script"), page.body.rfind("<script"));
  EXPECT_THAT(Get("/en/").body, Not(HasSubstr("<script")));
  const Response json = Get("/api/v1/assets/4");
  EXPECT_THAT(json.body, Not(HasSubstr("<script")));
  EXPECT_EQ(Json(json)["translations"]["en-GB"]["title"], "<script>alert(1)</script>");
}

TEST_F(AppTest, ConfiguredListsAreServedByTheirPath) {
  const Response transcripts = Get("/en/transcripts/");  // the default lists
  EXPECT_EQ(transcripts.status, 200);
  EXPECT_THAT(transcripts.body,
              HasSubstr("<h1 class=\"page-title\">Transcripts and speeches</h1>"));
  EXPECT_THAT(transcripts.body, HasSubstr(kSeedEnSlug));            // a transcript
  EXPECT_THAT(transcripts.body, Not(HasSubstr("script-alert-1")));  // a statement
  EXPECT_THAT(transcripts.body, HasSubstr("aria-current=\"page\">Transcripts and speeches</a>"));
  EXPECT_THAT(Get("/ru/transcripts/").body, HasSubstr("Стенограммы и выступления"));

  const Response no_slash = Get("/en/transcripts");
  EXPECT_EQ(no_slash.status, 301);
  EXPECT_THAT(no_slash.Header("Location"), Optional(std::string("/en/transcripts/")));
  for (const std::string target : {"/en/nothing/", "/en/nothing", "/en/people/", "/en/assets/",
                                   "/en/transcripts/?page=2", "/fr/transcripts/"}) {
    EXPECT_EQ(Get(target).status, 404) << target;
  }
  EXPECT_EQ(Get("/en/transcripts/?page=x").status, 400);
}

TEST_F(AppTest, PeopleAndTagsHaveListsBySlug) {
  const Response person = Get("/en/people/sergey-lavrov/");
  EXPECT_EQ(person.status, 200);
  EXPECT_THAT(person.body, HasSubstr("Sergey Lavrov"));
  EXPECT_THAT(person.body, HasSubstr(kSeedEnSlug));
  const Response tag = Get("/en/tags/syria/");
  EXPECT_EQ(tag.status, 200);
  EXPECT_THAT(tag.body, HasSubstr("follow-up"));
  EXPECT_THAT(tag.body, Not(HasSubstr(kSeedEnSlug)));
  EXPECT_EQ(Get("/en/people/nobody-at-all/").status, 404);
  EXPECT_EQ(Get("/en/tags/nothing/").status, 404);
  const Response no_slash = Get("/ru/people/sergey-lavrov");
  EXPECT_EQ(no_slash.status, 301);
  EXPECT_THAT(no_slash.Header("Location"), Optional(std::string("/ru/people/sergey-lavrov/")));
  // The item page links them.
  EXPECT_THAT(Get("/en/assets/5-follow-up").body,
              HasSubstr("<a href=\"/en/tags/syria/\">Syria</a>"));
}

TEST_F(AppTest, AdditionalMaterialsAreShownOnBothSides) {
  // Asset 5 lists asset 1; asset 1's page lists asset 5 back.
  const Response seed = Get(std::string("/en/assets/1-") + kSeedEnSlug);
  EXPECT_THAT(seed.body, HasSubstr("Additional materials"));
  EXPECT_THAT(seed.body,
              HasSubstr("<a href=\"/en/assets/5-follow-up\" hreflang=\"en-GB\" lang=\"en-GB\" "
                        "dir=\"ltr\">"
                        "Follow-up</a>"));
}

TEST_F(AppTest, CompareViewShowsBothVersionsAndIs404WithoutTheOther) {
  const std::string item = std::string("/en/assets/1-") + kSeedEnSlug;
  const Response compare = Get(item + "?compare=ru");
  EXPECT_EQ(compare.status, 200);
  EXPECT_THAT(compare.body, HasSubstr("<tr id=\"row-1\""));
  EXPECT_THAT(compare.body, HasSubstr("<td lang=\"ru-RU\" dir=\"ltr\">"));
  EXPECT_THAT(compare.body, HasSubstr("Dear Ladies and Gentlemen,"));
  EXPECT_THAT(compare.body, HasSubstr("Дамы и господа,"));
  for (const std::string& target : std::vector<std::string>{
           item + "?compare=fr", item + "?compare=en",
           item + "?compare=", std::string("/en/assets/5-follow-up?compare=ru")}) {
    const Response response = Get(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_THAT(response.body, HasSubstr("<h1>Page not found</h1>")) << target;
  }
  // A wrong slug keeps the view.
  const Response moved = Get("/en/assets/1-wrong?compare=ru");
  EXPECT_EQ(moved.status, 301);
  EXPECT_THAT(moved.Header("Location"), Optional(item + "?compare=ru"));
}

TEST_F(AppTest, PrintViewIsTheItemForPaper) {
  const std::string item = std::string("/en/assets/1-") + kSeedEnSlug;
  const Response print = Get(item + "?print=1");
  EXPECT_EQ(print.status, 200);
  EXPECT_THAT(print.body, HasSubstr("<body class=\"print-view\">"));
  EXPECT_THAT(print.body, HasSubstr("Dear Ladies and Gentlemen,"));
  EXPECT_EQ(Get(item + "?print=2").status, 400);
}

TEST_F(AppTest, ApiServesAPublishersPage) {
  const Response response = Get("/api/v1/publishers/home?lang=en");
  EXPECT_EQ(response.status, 200);
  const auto json = Json(response);
  EXPECT_EQ(json["id"], "home");
  EXPECT_EQ(json["language"], "en-GB");
  EXPECT_EQ(json["page"], 1);
  EXPECT_EQ(json["total"], 3);  // 1, 4 and 5 have English versions
  EXPECT_EQ(json["pages"], 2);  // Config::page_size is 2
  ASSERT_EQ(json["items"].size(), 2u);
  EXPECT_EQ(json["items"][0]["id"], 1);
  EXPECT_TRUE(json["items"][0]["translations"].contains("en-GB"));
  const auto russian = Json(Get("/api/v1/publishers/transcripts?lang=ru-RU&page=1"));
  EXPECT_EQ(russian["title"], "Стенограммы и выступления");
  EXPECT_EQ(russian["total"], 1);
  EXPECT_EQ(Json(Get("/api/v1/publishers/home?lang=en&page=2"))["items"][0]["id"], 5);

  for (const auto& [target, status] :
       std::vector<std::pair<std::string, int>>{{"/api/v1/publishers/nothing", 404},
                                                {"/api/v1/publishers/home?page=3", 404},
                                                {"/api/v1/publishers/home?page=0", 400},
                                                {"/api/v1/publishers/home?lang=fr", 400}}) {
    const Response problem = Get(target);
    EXPECT_EQ(problem.status, status) << target;
    EXPECT_THAT(problem.Header("Content-Type"),
                Optional(std::string("application/problem+json; charset=utf-8")))
        << target;
  }
}

TEST_F(AppTest, ApiServesAnAssetInTheDesignShape) {
  const Response response = Get("/api/v1/assets/1");
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.Header("Content-Type"),
              Optional(std::string("application/json; charset=utf-8")));
  const auto json = Json(response);
  EXPECT_EQ(json["id"], 1);
  EXPECT_EQ(json["published_at"], "2013-06-07T16:29:00+04:00");
  EXPECT_EQ(json["languages"], nlohmann::json({"en-GB", "ru-RU"}));
  EXPECT_TRUE(json["translations"].contains("en-GB"));
  EXPECT_TRUE(json["translations"].contains("ru-RU"));
}

TEST_F(AppTest, ApiUnknownAssetIsAProblem) {
  const Response response = Get("/api/v1/assets/999999");
  EXPECT_EQ(response.status, 404);
  EXPECT_THAT(response.Header("Content-Type"),
              Optional(std::string("application/problem+json; charset=utf-8")));
  const auto json = Json(response);
  EXPECT_EQ(json["type"], "urn:assetpub:problem:not-found");
  EXPECT_EQ(json["title"], "Not Found");
  EXPECT_EQ(json["status"], 404);
  EXPECT_THAT(json["detail"].get<std::string>(), HasSubstr("999999"));
}

TEST_F(AppTest, ApiUnknownPathIsAProblemToo) {
  for (const std::string target : {"/api/v2/nothing", "/api/", "/api/v1/assets/"}) {
    const Response response = Get(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_THAT(response.Header("Content-Type"),
                Optional(std::string("application/problem+json; charset=utf-8")))
        << target;
  }
}

TEST_F(AppTest, ApiListHasItemsPageSizeTotalAndPages) {
  const auto json = Json(Get("/api/v1/assets?page=2&page_size=3"));
  EXPECT_EQ(json["page"], 2);
  EXPECT_EQ(json["page_size"], 3);
  EXPECT_EQ(json["total"], 4);
  EXPECT_EQ(json["pages"], 2);
  ASSERT_EQ(json["items"].size(), 1u);
  EXPECT_EQ(json["items"][0]["id"], 5);  // the oldest

  const auto defaults = Json(Get("/api/v1/assets"));
  EXPECT_EQ(defaults["page"], 1);
  EXPECT_EQ(defaults["page_size"], 2);  // Config::page_size
  EXPECT_EQ(defaults["items"][0]["id"], 1);

  const auto russian = Json(Get("/api/v1/assets?lang=ru"));
  EXPECT_EQ(russian["total"], 2);
  EXPECT_EQ(Json(Get("/api/v1/assets?lang=ru-RU"))["total"], 2);
}

TEST_F(AppTest, ApiBadParametersAre400ProblemsNamingTheParameter) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/api/v1/assets?page=0", "'page'"},
      {"/api/v1/assets?page=x", "'page'"},
      {"/api/v1/assets?page_size=0", "'page_size'"},
      {"/api/v1/assets?page_size=101", "'page_size'"},
      {"/api/v1/assets?lang=!!", "'lang'"},
      {"/api/v1/assets/abc", "id"},
      {"/api/v1/assets?page=%zz", "%-escape"},
  };
  for (const auto& [target, name] : cases) {
    const Response response = app_->Handle("GET", target);
    EXPECT_EQ(response.status, 400) << target;
    EXPECT_THAT(response.Header("Content-Type"),
                Optional(std::string("application/problem+json; charset=utf-8")))
        << target;
    const auto json = Json(response);
    EXPECT_EQ(json["status"], 400);
    EXPECT_EQ(json["type"], "urn:assetpub:problem:invalid-input");
    EXPECT_THAT(json["detail"].get<std::string>(), HasSubstr(name)) << target;
  }
}

TEST_F(AppTest, MalformedTargetsAre400InTheFormThePathCallsFor) {
  const Response page = app_->Handle("GET", "/ru/?page=%zz");
  EXPECT_EQ(page.status, 400);
  EXPECT_THAT(page.body, HasSubstr("Неверный запрос"));
  EXPECT_THAT(page.Header("X-Content-Type-Options"), Optional(std::string("nosniff")));
  const Response absolute = app_->Handle("GET", "http://example.com/");
  EXPECT_EQ(absolute.status, 400);
  EXPECT_THAT(absolute.body, HasSubstr("<h1>Bad request</h1>"));
}

// The server's path: one Request per connection, reused (RespondInPlace parses its target).
TEST_F(AppTest, RespondInPlaceAnswersAReusedRequestLikeHandle) {
  Request request;
  request.method = "GET";
  request.target = "/ru/?page=%zz";
  App::Answer bad = app_->RespondInPlace(request);
  EXPECT_EQ(bad.response.status, 400);
  EXPECT_THAT(bad.response.body, HasSubstr("Неверный запрос"));
  request.target = "/en/?page=2&x=1";
  EXPECT_EQ(app_->RespondInPlace(request).response.status,
            app_->Handle("GET", "/en/?page=2&x=1").status);
  request.target = "/healthz";
  const App::Answer ok = app_->RespondInPlace(request);
  EXPECT_EQ(ok.response.status, 200);
  EXPECT_EQ(ok.body(), "ok");
  EXPECT_TRUE(request.query.empty());
  request.target = "http://example.com/";
  EXPECT_EQ(app_->RespondInPlace(request).response.status, 400);
}

TEST_F(AppTest, OtherMethodsAre405WithAllow) {
  for (const std::string target : {"/en/", "/", "/healthz", "/static/css/site.css"}) {
    const Response response = app_->Handle(Request::Make("POST", target));
    EXPECT_EQ(response.status, 405) << target;
    EXPECT_THAT(response.Header("Allow"), Optional(std::string("GET, HEAD"))) << target;
  }
  // PUT, PATCH and DELETE are the write API's (write_routes.h); TRACE is nobody's.
  const Response api = app_->Handle(Request::Make("TRACE", "/api/v1/assets/1"));
  EXPECT_EQ(api.status, 405);
  EXPECT_THAT(api.Header("Content-Type"),
              Optional(std::string("application/problem+json; charset=utf-8")));
  EXPECT_EQ(Json(api)["type"], "urn:assetpub:problem:method-not-allowed");
}

TEST_F(AppTest, HeadIsAnsweredLikeGet) {
  const Response get = Get("/en/");
  const Response head = app_->Handle(Request::Make("HEAD", "/en/"));
  EXPECT_EQ(head.status, get.status);
  EXPECT_EQ(head.headers, get.headers);
  EXPECT_EQ(head.body.size(), get.body.size());  // the server sends only its length
}

TEST_F(AppTest, StaticFilesAreServedWithTypeAndCaching) {
  const Response css = Get("/static/css/site.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_THAT(css.Header("Content-Type"), Optional(std::string("text/css; charset=utf-8")));
  EXPECT_THAT(css.Header("Cache-Control"), Optional(std::string("public, max-age=3600")));
  ASSERT_TRUE(css.Header("ETag"));
  EXPECT_THAT(css.body, HasSubstr(".turn-question"));

  const Response again = Get("/static/css/site.css", {{"If-None-Match", *css.Header("ETag")}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(AppTest, StaticFilesCannotEscapeTheirDirectory) {
  for (const std::string target :
       {"/static/../locales/en.toml", "/static/%2e%2e/locales/en.toml",
        "/static/css/../../locales/en.toml", "/static/..%2flocales%2fen.toml", "/static/",
        "/static/css/nothing.css", "/static//etc/passwd", "/static/%2fetc%2fpasswd"}) {
    const Response response = Get(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_THAT(response.body, Not(HasSubstr("not_available"))) << target;
  }
}

TEST_F(AppTest, EveryResponseCarriesSecurityHeadersAndACharset) {
  for (const std::string& target : std::vector<std::string>{
           "/", "/en/", "/en/assets/1", std::string("/en/assets/1-") + kSeedEnSlug, "/nothing",
           "/api/v1/assets", "/api/v1/assets/1", "/api/v1/assets/999999", "/healthz",
           "/static/css/site.css", "/en/?page=x"}) {
    const Response response = Get(target);
    EXPECT_THAT(response.Header("X-Content-Type-Options"), Optional(std::string("nosniff")))
        << target;
    EXPECT_THAT(response.Header("Referrer-Policy"),
                Optional(std::string("strict-origin-when-cross-origin")))
        << target;
    EXPECT_THAT(response.Header("Content-Security-Policy"),
                Optional(std::string("default-src 'self'; frame-ancestors 'none'")))
        << target;
    // For browsers older than CSP's frame-ancestors.
    EXPECT_THAT(response.Header("X-Frame-Options"), Optional(std::string("DENY"))) << target;
    EXPECT_THAT(response.Header("Content-Type").value_or(""), HasSubstr("charset=utf-8")) << target;
  }
}

// Behind https every answer says so for a year, cached pages (twice: the miss that fills the
// cache, then the hit), errors and the server's own refusals included; over plain http none
// does (it would pin browsers to an https the site does not have).
TEST_F(AppTest, AnHttpsSiteSendsHstsOnEveryResponse) {
  Config config = TestConfig();
  config.base_url = "https://www.example.org";
  App https(config, *store_);
  config.base_url = "http://127.0.0.1:8080";
  App plain(config, *store_);
  const std::string hsts = "max-age=31536000; includeSubDomains";
  for (const std::string& target : std::vector<std::string>{
           "/", "/en/", "/en/", std::string("/en/assets/1-") + kSeedEnSlug,
           std::string("/en/assets/1-") + kSeedEnSlug, "/nothing", "/api/v1/assets",
           "/api/v1/assets/999999", "/healthz", "/static/css/site.css", "/en/?page=x", "/admin/"}) {
    const Response response = https.Handle(Request::Make("GET", target));
    EXPECT_THAT(response.Header("Strict-Transport-Security"), Optional(hsts)) << target;
    EXPECT_THAT(response.Header("X-Frame-Options"), Optional(std::string("DENY"))) << target;
    const Response over_http = plain.Handle(Request::Make("GET", target));
    EXPECT_EQ(over_http.Header("Strict-Transport-Security"), std::nullopt) << target;
    EXPECT_THAT(over_http.Header("X-Frame-Options"), Optional(std::string("DENY"))) << target;
  }
  for (const int status : {413, 431}) {
    const Response refused =
        https.Refuse(status == 413 ? http::Refusal::kBodyTooLarge : http::Refusal::kMalformed,
                     "POST", "/api/v1/assets", status, "too much");
    EXPECT_THAT(refused.Header("Strict-Transport-Security"), Optional(hsts)) << status;
    EXPECT_EQ(plain.Refuse(http::Refusal::kMalformed, "GET", "/", status, "bad")
                  .Header("Strict-Transport-Security"),
              std::nullopt);
  }
}

class AppFailures : public ::testing::Test {
 protected:
  void SetUp() override {
    sqlite_ = OpenSqliteStore(dir_);
    PutAsset(*sqlite_, render::testing::SeedAsset(1));
  }

  const assetpub::testing::TempDir temp_{"assetpub-http-"};
  const std::filesystem::path dir_ = temp_.path();
  std::unique_ptr<store::Store> sqlite_;  // closes before temp_ removes its folder
};

TEST_F(AppFailures, AnUnexpectedExceptionIsA500PageWithoutDetails) {
  FailingReads store(
      *sqlite_, [](std::string_view) { throw std::runtime_error("disk on fire at /var/secret"); });
  const App app(TestConfig(), store);
  const Response page = app.Handle(Request::Make("GET", "/en/assets/1-x"));
  EXPECT_EQ(page.status, 500);
  EXPECT_THAT(page.body, HasSubstr("<h1>Something went wrong</h1>"));
  EXPECT_THAT(page.body, Not(HasSubstr("secret")));
  const Response api = app.Handle(Request::Make("GET", "/api/v1/assets/1"));
  EXPECT_EQ(api.status, 500);
  EXPECT_THAT(api.body, Not(HasSubstr("secret")));
  EXPECT_EQ(nlohmann::json::parse(api.body)["detail"], "internal error");
}

TEST_F(AppFailures, AnUnavailableStoreIsA503) {
  FailingReads store(*sqlite_, [](std::string_view) {
    throw Error(ErrorCode::kUnavailable, "database is locked");
  });
  const App app(TestConfig(), store);
  const Response api = app.Handle(Request::Make("GET", "/api/v1/assets/1"));
  EXPECT_EQ(api.status, 503);
  EXPECT_EQ(nlohmann::json::parse(api.body)["type"], "urn:assetpub:problem:unavailable");
  EXPECT_EQ(app.Handle(Request::Make("GET", "/en/assets/1-x")).status, 503);
  // What an operator's alert watches: failures by cause.
  const std::string metrics = app.metrics().Render(nullptr, 0);
  EXPECT_THAT(metrics, HasSubstr("assetpub_failures_total{code=\"unavailable\"} 2\n"));
  EXPECT_THAT(metrics, HasSubstr("assetpub_failures_total{code=\"internal\"} 0\n"));
}

TEST_F(AppFailures, ReadyzIsA503WhenTheStoreIsAway) {
  FailingReads store(*sqlite_, [](std::string_view) {
    throw Error(ErrorCode::kUnavailable, "database is locked");
  });
  const App app(TestConfig(), store);
  const Response response = app.Handle(Request::Make("GET", "/readyz"));
  EXPECT_EQ(response.status, 503);
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["ready"], false);
  EXPECT_EQ(body["store"]["reachable"], false);
  EXPECT_EQ(app.Handle(Request::Make("GET", "/healthz")).status, 200);
}

TEST_F(AppFailures, BrokenResourcesStopStartUp) {
  Config config = TestConfig();
  config.resources_dir = "/nonexistent/assetpub";
  EXPECT_THROW(App(config, *sqlite_), Error);
}

}  // namespace
}  // namespace assetpub::web
