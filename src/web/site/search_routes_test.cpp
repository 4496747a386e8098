// The search page and the search API over a real SQLite store and a real index: sample-content/
// imported with the Importer, a hostile asset and a dozen small ones for paging, caught up into
// a Xapian index in a temporary folder.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <thread>

#include "content/instant.h"
#include "importers/importer.h"
#include "search/index_follower.h"
#include "search/search_index.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "web/app.h"

namespace assetpub::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

constexpr const char* kHostileTitle = "<b>\"Quoted\" & 'apostrophes'</b>";
constexpr const char* kHostileText =
    "The zebra said <script>alert(\"x\")</script> & walked on, \"quoted\" and 'single'.";

Config TestConfig() {
  Config config;
  config.resources_dir = ASSETPUB_SOURCE_DIR;
  config.base_url = "https://mid.example";
  return config;
}

content::Asset SimpleAsset(std::string title, std::string slug, std::string text,
                           content::Instant at, content::Kind kind = content::Kind::kStatement) {
  content::Asset asset;
  asset.kind = kind;
  asset.status = content::Status::kPublished;
  asset.published_at = at;
  asset.time_zone = "Europe/Moscow";
  asset.languages = {"en-GB"};
  content::Translation translation;
  translation.language = "en-GB";
  translation.title = std::move(title);
  translation.slug = std::move(slug);
  translation.blocks = {content::Block::Paragraph(std::move(text))};
  asset.translations["en-GB"] = translation;
  return asset;
}

int64_t Put(store::Store& store, content::Asset asset) {
  auto transaction = store.Begin();
  const int64_t id = transaction->Put(asset);
  transaction->Commit();
  return id;
}

class SearchRoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_.emplace("assetpub-search-http-");
    config_ = TestConfig();
    store_ = store::OpenStore("sqlite:" + (temp_->path() / "assetpub.db").string());
    importers::Importer importer(*store_, config_);
    const auto results =
        importer.ImportPaths({std::filesystem::path(ASSETPUB_SOURCE_DIR) / "sample-content"});
    for (const auto& result : results) {
      ASSERT_NE(result.outcome, importers::Outcome::kRejected) << result.message;
    }
    // The seed transcript's English page sorts first; the eight-language statement follows.
    seed_id_ = results.at(0).asset_ids.at(0);
    const content::Instant day{1'400'000'000};
    hostile_id_ = Put(*store_, SimpleAsset(kHostileTitle, "hostile", kHostileText, day));
    for (int i = 0; i < 12; ++i) {
      Put(*store_,
          SimpleAsset("Quokka statement " + std::to_string(i), "quokka-" + std::to_string(i),
                      "The quokka is a small marsupial, note " + std::to_string(i) + ".",
                      {day.seconds + i * 86400}));
    }
    index_ = std::make_unique<search::SearchIndex>(temp_->path() / "index");
    index_->CatchUp(*store_);
    app_ = std::make_unique<App>(config_, *store_, index_.get());
  }
  static void TearDownTestSuite() {
    app_.reset();
    index_.reset();
    store_.reset();
    temp_.reset();
  }

  static Response Get(const std::string& target) { return app_->Handle("GET", target); }
  static nlohmann::json Json(const Response& response) {
    return nlohmann::json::parse(response.body);
  }

  static inline std::optional<assetpub::testing::TempDir> temp_;
  static inline Config config_;
  static inline std::unique_ptr<store::Store> store_;
  static inline std::unique_ptr<search::SearchIndex> index_;
  static inline std::unique_ptr<App> app_;
  static inline int64_t seed_id_ = 0;
  static inline int64_t hostile_id_ = 0;
};

TEST_F(SearchRoutesTest, EnglishResultLinksTheParagraphAndNamesTheSpeaker) {
  const Response response = Get("/en/search?q=internalisation");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(response.Header("Content-Type"), Optional(std::string("text/html; charset=utf-8")));
  const std::regex hit_link("<a href=\"/en/assets/" + std::to_string(seed_id_) +
                            "-speech-of-and-answers[a-z-]*#p[0-9]+\" hreflang=\"en-GB\"");
  EXPECT_TRUE(std::regex_search(response.body, hit_link)) << response.body;
  EXPECT_THAT(response.body, HasSubstr("<span class=\"search-speaker\">Sergey Lavrov:</span>"));
  EXPECT_THAT(response.body, HasSubstr("<mark>"));
  EXPECT_THAT(
      response.body,
      HasSubstr("<p class=\"search-count\" id=\"search-count\" role=\"status\">1 result</p>"));
  EXPECT_THAT(response.body, HasSubstr("<time datetime=\"2013-06-07T16:29:00+04:00\">"));
}

TEST_F(SearchRoutesTest, RussianSearchIsStemmedAndSpeaksRussian) {
  const Response response =
      Get("/ru/search?q=%D0%BF%D0%B5%D1%80%D0%B5%D0%B3%D0%BE%D0%B2%D0%BE%D1%80"
          "%D1%8B");  // переговоры
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(response.body, HasSubstr("<html lang=\"ru-RU\" dir=\"ltr\">"));
  EXPECT_THAT(response.body, HasSubstr("role=\"status\">1 результат</p>"));
  EXPECT_THAT(response.body, HasSubstr("Расширенные настройки"));
  EXPECT_THAT(response.body, HasSubstr("<a href=\"/ru/assets/" + std::to_string(seed_id_) + "-"));
  EXPECT_THAT(response.body, HasSubstr("<p class=\"search-snippet\" lang=\"ru-RU\" dir=\"ltr\">"));
  EXPECT_THAT(response.body, HasSubstr("<mark>переговор"));
}

// The count is a sentence in the page's language, its plural form chosen by ICU's rules.
TEST_F(SearchRoutesTest, RussianCountTakesTheRussianPluralForm) {
  const Response many = Get("/ru/search?q=quokka&lang=en");
  ASSERT_EQ(many.status, 200) << many.body;
  EXPECT_THAT(many.body, HasSubstr("role=\"status\">12 результатов</p>"));
  const Response one = Get("/ru/search?q=zebra&lang=en");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_THAT(one.body, HasSubstr("role=\"status\">1 результат</p>"));
}

TEST_F(SearchRoutesTest, FacetsCountKindYearLanguageAndPersonAsNarrowingLinks) {
  const Response response = Get("/en/search?q=internalisation");
  ASSERT_EQ(response.status, 200);
  for (const char* facet : {"kind", "year", "language", "person"}) {
    EXPECT_THAT(response.body, HasSubstr(std::string("search-facet-") + facet)) << facet;
  }
  EXPECT_THAT(response.body,
              HasSubstr("<a href=\"/en/search?q=internalisation&amp;kind=transcript\">"));
  EXPECT_THAT(
      response.body,
      HasSubstr("<a href=\"/en/search?q=internalisation&amp;from=2013-01-01&amp;to=2013-12-31\">"));
  EXPECT_THAT(response.body,
              HasSubstr("<a href=\"/en/search?q=internalisation&amp;person=Sergey%20Lavrov\">"));

  // Following a facet narrows the search, shows the value as applied and opens the panel.
  const Response narrowed = Get("/en/search?q=internalisation&kind=transcript");
  ASSERT_EQ(narrowed.status, 200);
  EXPECT_THAT(narrowed.body, HasSubstr("<strong aria-current=\"true\">Transcript</strong>"));
  EXPECT_THAT(narrowed.body, HasSubstr("<details class=\"search-advanced\" open>"));
  EXPECT_THAT(narrowed.body, HasSubstr("<input type=\"checkbox\" name=\"kind\" "
                                       "value=\"transcript\" checked>"));
}

TEST_F(SearchRoutesTest, AdvancedPanelIsOpenOnlyWhenAnAdvancedFieldIsSet) {
  const Response plain = Get("/en/search?q=Syria&all=&sort=relevance&per_page=10");
  ASSERT_EQ(plain.status, 200);
  EXPECT_THAT(plain.body, HasSubstr("<details class=\"search-advanced\">"));
  EXPECT_THAT(plain.body, Not(HasSubstr("<details class=\"search-advanced\" open>")));
  for (const std::string advanced :
       {"all=Syria", "phrase=Syrian%20crisis", "any=Syria", "none=x", "from=2013-01-01",
        "to=2014-01-01", "kind=speech", "person=Sergey%20Lavrov", "tag=x", "lang=en", "sort=newest",
        "per_page=20"}) {
    const Response response = Get("/en/search?" + advanced);
    ASSERT_EQ(response.status, 200) << advanced;
    EXPECT_THAT(response.body, HasSubstr("<details class=\"search-advanced\" open>")) << advanced;
  }
}

TEST_F(SearchRoutesTest, PanelIsPrefilledFromTheQuery) {
  const Response response =
      Get("/en/search?q=Syria&phrase=Syrian+crisis&from=2013-01-01&sort=oldest&per_page=20");
  ASSERT_EQ(response.status, 200);
  EXPECT_THAT(response.body, HasSubstr("name=\"q\" value=\"Syria\""));
  EXPECT_THAT(response.body, HasSubstr("name=\"phrase\" value=\"Syrian crisis\""));
  EXPECT_THAT(response.body, HasSubstr("name=\"from\" value=\"2013-01-01\""));
  EXPECT_THAT(response.body, HasSubstr("<option value=\"oldest\" selected>"));
  EXPECT_THAT(response.body, HasSubstr("<option value=\"20\" selected>"));
}

TEST_F(SearchRoutesTest, PagerKeepsEveryParameter) {
  const Response first = Get("/en/search?q=quokka&kind=statement&sort=newest");
  ASSERT_EQ(first.status, 200);
  EXPECT_THAT(first.body, HasSubstr(">12 results</p>"));
  EXPECT_THAT(
      first.body,
      HasSubstr("href=\"/en/search?q=quokka&amp;kind=statement&amp;sort=newest&amp;page=2\""));
  const Response second = Get("/en/search?q=quokka&kind=statement&sort=newest&page=2");
  ASSERT_EQ(second.status, 200);
  EXPECT_THAT(second.body, HasSubstr("<ol class=\"search-hits\" start=\"11\">"));
  EXPECT_THAT(second.body,
              HasSubstr("href=\"/en/search?q=quokka&amp;kind=statement&amp;sort=newest\""
                        " rel=\"prev\""));
}

TEST_F(SearchRoutesTest, NothingFoundSaysSoAndLinksTheSpellingSuggestion) {
  const Response nothing = Get("/en/search?q=xylophoneqq");
  ASSERT_EQ(nothing.status, 200);
  EXPECT_THAT(nothing.body, HasSubstr("Nothing was found"));

  const Response misspelt = Get("/en/search?q=conferense");
  ASSERT_EQ(misspelt.status, 200);
  EXPECT_THAT(misspelt.body, HasSubstr("Nothing was found"));
  EXPECT_THAT(misspelt.body,
              HasSubstr("Did you mean <a href=\"/en/search?q=conference\">conference</a>?"));
}

TEST_F(SearchRoutesTest, MalformedQueryIsA400PageThatKeepsTheForm) {
  const Response quotes = Get("/en/search?q=%22Syrian+crisis");
  EXPECT_EQ(quotes.status, 400);
  EXPECT_THAT(quotes.Header("Content-Type"), Optional(std::string("text/html; charset=utf-8")));
  EXPECT_THAT(quotes.body, HasSubstr("A quotation mark in “Search for” is not closed"));
  EXPECT_THAT(quotes.body, HasSubstr("name=\"q\" value=\"&quot;Syrian crisis\""));

  const Response date = Get("/ru/search?q=Syria&from=2013-02-30");
  EXPECT_EQ(date.status, 400);
  EXPECT_THAT(date.body, HasSubstr("В поле «Опубликовано с» должна быть дата"));
  EXPECT_THAT(date.body, HasSubstr("name=\"q\" value=\"Syria\""));
  EXPECT_THAT(date.body, HasSubstr("name=\"from\" value=\"2013-02-30\" placeholder=\"ГГГГ-ММ-ДД\" "
                                   "aria-invalid=\"true\""));
  EXPECT_THAT(date.body, HasSubstr("<details class=\"search-advanced\" open>"));
}

TEST_F(SearchRoutesTest, HostileQueryStringsAre400NeverA500) {
  for (const std::string& target : std::vector<std::string>{
           "/en/search?q=%FF%FE", "/en/search?q=a%00b", "/en/search?q=%1B%5B31m",
           "/en/search?q=" + std::string(5000, 'a'), "/en/search?person=%C0%AF",
           "/en/search?kind=poem", "/en/search?sort=%00", "/en/search?page=999999999999999999999",
           "/en/search?q=a&q=b"}) {
    const Response response = Get(target);
    EXPECT_EQ(response.status, 400) << target;
    EXPECT_THAT(response.body, HasSubstr("class=\"search-problem\"")) << target;
    EXPECT_THAT(response.body, Not(HasSubstr("\xFF"))) << target;
  }
  for (const std::string& target :
       std::vector<std::string>{"/api/v1/search?q=%FF", "/api/v1/search?q=%01",
                                "/api/v1/search?q=" + std::string(5000, 'a')}) {
    const Response response = Get(target);
    EXPECT_EQ(response.status, 400) << target;
    EXPECT_THAT(response.Header("Content-Type"),
                Optional(std::string("application/problem+json; charset=utf-8")));
    EXPECT_THAT(Json(response)["detail"].get<std::string>(), HasSubstr("'q'")) << target;
  }
}

TEST_F(SearchRoutesTest, ApiRefusesBadParametersNamingThem) {
  for (const auto& [target, name] : std::vector<std::pair<std::string, std::string>>{
           {"/api/v1/search?from=2013-13-01", "from"},
           {"/api/v1/search?to=tomorrow", "to"},
           {"/api/v1/search?kind=poem", "kind"},
           {"/api/v1/search?lang=xx", "lang"},
           {"/api/v1/search?sort=best", "sort"},
           {"/api/v1/search?per_page=1000", "per_page"},
           {"/api/v1/search?page=0", "page"}}) {
    const Response response = Get(target);
    EXPECT_EQ(response.status, 400) << target;
    EXPECT_THAT(Json(response)["detail"].get<std::string>(), HasSubstr("'" + name + "'")) << target;
  }
}

TEST_F(SearchRoutesTest, SnippetsAndTitlesOfAHostileAssetAreEscaped) {
  const Response response = Get("/en/search?q=zebra");
  ASSERT_EQ(response.status, 200);
  EXPECT_THAT(response.body, HasSubstr("<mark>zebra</mark>"));
  EXPECT_THAT(response.body, Not(HasSubstr("<script")));
  EXPECT_THAT(response.body, Not(HasSubstr("<b>")));
  EXPECT_THAT(response.body, HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(response.body, HasSubstr("&lt;b&gt;&quot;Quoted&quot; &amp; &apos;apostrophes&apos;"
                                       "&lt;/b&gt;</a>"));
  const Response api = Get("/api/v1/search?q=zebra");
  ASSERT_EQ(api.status, 200);
  EXPECT_THAT(api.body, Not(HasSubstr("<")));
  EXPECT_EQ(Json(api)["hits"][0]["title"], kHostileTitle);
}

TEST_F(SearchRoutesTest, ApiAnswersHitsFacetsAndTotal) {
  const Response response = Get("/api/v1/search?q=internalisation&lang=en");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(response.Header("Content-Type"),
              Optional(std::string("application/json; charset=utf-8")));
  const nlohmann::json json = Json(response);
  EXPECT_GE(json["total"].get<int64_t>(), 1);
  EXPECT_EQ(json["page"], 1);
  EXPECT_EQ(json["per_page"], 10);
  ASSERT_FALSE(json["hits"].empty());
  const nlohmann::json& hit = json["hits"][0];
  EXPECT_EQ(hit["id"], seed_id_);
  EXPECT_EQ(hit["language"], "en-GB");
  EXPECT_EQ(hit["kind"], "transcript");
  EXPECT_THAT(hit["title"].get<std::string>(), HasSubstr("Speech of and answers"));
  EXPECT_TRUE(
      std::regex_match(hit["url"].get<std::string>(),
                       std::regex("https://mid\\.example/en/assets/[0-9]+-[a-z-]+#p[0-9]+")))
      << hit["url"];
  EXPECT_THAT(hit["snippet"].get<std::string>(), HasSubstr("<mark>"));
  EXPECT_EQ(hit["speaker"], "Sergey Lavrov");
  EXPECT_EQ("#" + hit["anchor"].get<std::string>(),
            hit["url"].get<std::string>().substr(hit["url"].get<std::string>().find('#')));
  EXPECT_EQ(hit["published_at"], "2013-06-07T16:29:00+04:00");
  for (const char* facet : {"kind", "year", "language", "person"}) {
    EXPECT_TRUE(json["facets"][facet].is_array()) << facet;
  }
  EXPECT_EQ(json["facets"]["year"][0]["value"], "2013");
  EXPECT_TRUE(json["suggestion"].is_null());
}

// `date:` in the box filters by whole days in the site's zone, on the page and in the API.
TEST_F(SearchRoutesTest, DateRangeInTheBoxFiltersByDate) {
  EXPECT_EQ(Json(Get("/api/v1/search?q=quokka"))["total"], 12);
  EXPECT_EQ(Json(Get("/api/v1/search?q=quokka+date:2014-05-13..2014-05-15"))["total"], 3);
  EXPECT_EQ(Json(Get("/api/v1/search?q=quokka+date:..2014-05-13"))["total"], 1);
  EXPECT_EQ(Json(Get("/api/v1/search?q=quokka+date:2015"))["total"], 0);
  const Response page = Get("/en/search?q=quokka+date%3A2014-05-20..");
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("value=\"quokka date:2014-05-20..\""));  // kept as typed
  // The Advanced settings panel names the syntax, the date: filter among it.
  EXPECT_THAT(page.body, HasSubstr("<code dir=\"ltr\">date:2014-01-01..2014-06-30</code>"));
  const Response bad = Get("/api/v1/search?q=quokka+date:2014-02-30");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("date:2014-02-30"));
}

// A node whose index is behind the store (an import it has not caught up with yet, a new node,
// one back from a long stop) answers with what the index holds and says how much that is, on
// the page in its language and in the API; once caught up, it says nothing.
TEST(SearchBehindTheStore, AnswersWhatTheIndexHoldsAndSaysHowMuchIsSearchable) {
  const assetpub::testing::TempDir temp("assetpub-search-http-");
  auto store = store::OpenStore("sqlite:" + (temp.path() / "assetpub.db").string());
  const content::Instant day{1'400'000'000};
  for (int i = 0; i < 3; ++i) {
    Put(*store, SimpleAsset("Quokka statement " + std::to_string(i), "quokka-" + std::to_string(i),
                            "The quokka is a small marsupial.", {day.seconds + i * 86400}));
  }
  search::SearchIndex index(temp.path() / "index");
  index.CatchUp(*store);
  Put(*store, SimpleAsset("Quokka statement 3", "quokka-3", "The quokka again.", day));
  Config config = TestConfig();
  config.languages = {"en-GB", "fr-FR", "ar-SA"};
  const App app(config, *store, &index);

  const Response page = app.Handle("GET", "/en/search?q=quokka");
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("<p class=\"search-incomplete notice\">The search index is "
                                   "being built: 75% of items are searchable.</p>"));
  EXPECT_THAT(page.body, HasSubstr("Quokka statement 2"));
  EXPECT_THAT(page.body, Not(HasSubstr("Quokka statement 3")));
  EXPECT_THAT(app.Handle("GET", "/fr/search?q=quokka").body, HasSubstr("75\u00A0%"));
  EXPECT_THAT(app.Handle("GET", "/ar/search?q=quokka").body, HasSubstr("٧٥"));
  const Response api = app.Handle("GET", "/api/v1/search?q=quokka");
  ASSERT_EQ(api.status, 200);
  const nlohmann::json json = nlohmann::json::parse(api.body);
  EXPECT_EQ(json["index_complete"], false);
  EXPECT_EQ(json["index"], nlohmann::json::parse(
                               R"({"complete": false, "indexed": 3, "total": 4, "percent": 75})"));
  EXPECT_EQ(json["total"], 3);

  index.CatchUp(*store);
  EXPECT_THAT(app.Handle("GET", "/en/search?q=quokka").body, Not(HasSubstr("search-incomplete")));
  const nlohmann::json later =
      nlohmann::json::parse(app.Handle("GET", "/api/v1/search?q=quokka").body);
  EXPECT_EQ(later["index"], nlohmann::json::parse(
                                R"({"complete": true, "indexed": 4, "total": 4, "percent": 100})"));
  EXPECT_EQ(later["total"], 4);
}

TEST_F(SearchRoutesTest, EveryPageHasTheSearchBoxInItsLanguage) {
  EXPECT_THAT(Get("/en/").body,
              HasSubstr("<form class=\"site-search\" action=\"/en/search\" method=\"get\""));
  EXPECT_THAT(Get("/ru/").body,
              HasSubstr("<form class=\"site-search\" action=\"/ru/search\" method=\"get\""));
  EXPECT_THAT(Get("/en/no/such/page").body, HasSubstr("action=\"/en/search\""));
  EXPECT_THAT(Get("/en/search?q=Syria").body,
              HasSubstr("id=\"site-search-q\" name=\"q\" value=\"Syria\""));
}

TEST(SearchWithoutIndex, AnswersServiceUnavailable) {
  const assetpub::testing::TempDir temp("assetpub-search-http-");
  auto store = store::OpenStore("sqlite:" + (temp.path() / "assetpub.db").string());
  {
    const App app(TestConfig(), *store);
    EXPECT_EQ(app.Handle("GET", "/en/search?q=x").status, 503);
    const Response api = app.Handle("GET", "/api/v1/search?q=x");
    EXPECT_EQ(api.status, 503);
    EXPECT_THAT(api.Header("Content-Type"),
                Optional(std::string("application/problem+json; charset=utf-8")));
  }
}

TEST(IndexFollowerTest, WritesToTheStoreBecomeSearchable) {
  const assetpub::testing::TempDir temp("assetpub-search-http-");
  auto store = store::OpenStore("sqlite:" + (temp.path() / "assetpub.db").string());
  search::SearchIndex index(temp.path() / "index");
  search::Query query;
  query.text = "wombat";
  {
    search::IndexFollower follower(*store, index, std::chrono::milliseconds(20));
    Put(*store, SimpleAsset("Wombat statement", "wombat", "A wombat was seen.", {1'400'000'000}));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (index.Search(query).total == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    follower.Stop();
    follower.Stop();  // idempotent
  }
  EXPECT_EQ(index.Search(query).total, 1);
  EXPECT_EQ(index.LastApplied(), store->LastChange());
}

}  // namespace
}  // namespace assetpub::web
