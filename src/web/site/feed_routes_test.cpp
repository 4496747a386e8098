#include "web/site/feed_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "publish/publisher.h"
#include "render/testing/seed_asset.h"
#include "render/testing/site.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "web/app.h"

namespace assetpub::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

constexpr const char* kSeedUrl =
    "https://mid.example/en/assets/1-speech-of-and-answers-to-questions-of-mass-media-by-russian-"
    "foreign-minister";
constexpr const char* kRss = "application/rss+xml; charset=utf-8";
constexpr const char* kAtom = "application/atom+xml; charset=utf-8";
constexpr const char* kXml = "application/xml; charset=utf-8";

// The home, a list of transcripts, one without feeds and one only in Russian.
constexpr const char* kPublishers = R"(
[[publishers]]
id = "home"
title = { en = "Latest", ru = "Новости" }
path = ""

[[publishers]]
id = "transcripts"
title = { en = "Transcripts", ru = "Стенограммы" }
kinds = ["transcript"]

[[publishers]]
id = "quiet"
title = "No feeds here"
feeds = false

[[publishers]]
id = "russian"
title = { en = "Russian", ru = "По-русски" }
languages = ["ru"]
)";

Config TestConfig() { return render::testing::SiteConfig(); }

// Item `id`, published `id` days before the seed.
content::Asset Statement(int64_t id, const std::string& language, std::string title,
                         std::string slug) {
  return render::testing::OneLanguageItem(
      id, language, std::move(title), std::move(slug),
      {render::testing::SeedAsset().published_at.seconds - id * 86400});
}

// The App on a real SQLite store with the publishers above.
class FeedRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(temp_.path() / "config.toml") << kPublishers;
    publishers_.emplace(publish::Publishers::Load(temp_.path() / "config.toml", config_));
    store_ = store::OpenStore("sqlite:" + (temp_.path() / "assetpub.db").string());
    Put(render::testing::SeedAsset(1));
    Put(Statement(2, "en-GB", "<script>alert(1)</script> & more", "script"));
    Put(Statement(3, "ru-RU", "Только по-русски", "tolko"));
    content::Asset draft = Statement(4, "en-GB", "A draft", "draft");
    draft.status = content::Status::kDraft;
    Put(draft);
    app_.emplace(config_, *store_, nullptr, &*publishers_);
  }
  void TearDown() override {
    app_.reset();
    store_.reset();
  }

  void Put(content::Asset asset) { render::testing::PutAsset(*store_, std::move(asset)); }
  Response Get(const std::string& target) { return app_->Handle(Request::Make("GET", target)); }

  const assetpub::testing::TempDir temp_{"assetpub-feeds-"};
  const Config config_ = TestConfig();
  std::optional<publish::Publishers> publishers_;
  std::unique_ptr<store::Store> store_;
  std::optional<App> app_;
};

TEST_F(FeedRoutesTest, TheHomeFeedsListThePublishedItemsOfTheLanguage) {
  const Response rss = Get("/en/feed.rss");
  EXPECT_EQ(rss.status, 200);
  EXPECT_THAT(rss.Header("Content-Type"), Optional(std::string(kRss)));
  EXPECT_THAT(rss.Header("Content-Language"), Optional(std::string("en-GB")));
  EXPECT_THAT(rss.body, HasSubstr("<rss version=\"2.0\""));
  EXPECT_THAT(rss.body, HasSubstr(std::string("<guid isPermaLink=\"true\">") + kSeedUrl));
  EXPECT_THAT(rss.body, HasSubstr("https://mid.example/en/assets/2-script"));
  EXPECT_THAT(rss.body, Not(HasSubstr("tolko")));  // no English version
  EXPECT_THAT(rss.body, Not(HasSubstr("draft")));

  const Response atom = Get("/ru/feed.atom");
  EXPECT_EQ(atom.status, 200);
  EXPECT_THAT(atom.Header("Content-Type"), Optional(std::string(kAtom)));
  EXPECT_THAT(atom.body, HasSubstr("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
  EXPECT_THAT(atom.body, HasSubstr("https://mid.example/ru/assets/3-tolko"));
  EXPECT_THAT(atom.body, HasSubstr("hreflang=\"en-GB\" href=\"https://mid.example/en/feed.atom\""));
  EXPECT_THAT(atom.body, Not(HasSubstr("/2-script")));
}

TEST_F(FeedRoutesTest, APublishersFeedHasWhatItSelects) {
  const Response rss = Get("/en/transcripts/feed.rss");
  EXPECT_EQ(rss.status, 200);
  EXPECT_THAT(rss.Header("Content-Type"), Optional(std::string(kRss)));
  EXPECT_THAT(rss.body, HasSubstr("<title>Ministry of Foreign Affairs — Transcripts</title>"));
  EXPECT_THAT(rss.body, HasSubstr(kSeedUrl));
  EXPECT_THAT(rss.body, Not(HasSubstr("/2-script")));  // a statement, not a transcript

  const Response atom = Get("/ru/russian/feed.atom");
  EXPECT_EQ(atom.status, 200);
  EXPECT_THAT(atom.body, HasSubstr("По-русски"));
  // No English version of the list: no English feed among the alternates.
  EXPECT_THAT(atom.body, Not(HasSubstr("https://mid.example/en/russian/")));
}

TEST_F(FeedRoutesTest, HostileTitlesStayText) {
  const Response rss = Get("/en/feed.rss");
  EXPECT_THAT(rss.body, Not(HasSubstr("<script>")));
  EXPECT_THAT(rss.body, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
  EXPECT_THAT(Get("/en/feed.atom").body, Not(HasSubstr("<script>")));
}

TEST_F(FeedRoutesTest, FeedsThatDoNotExistAre404) {
  for (const std::string target :
       {"/en/unknown/feed.rss", "/en/quiet/feed.atom", "/en/quiet/feed.rss", "/en/russian/feed.rss",
        "/fr/feed.rss", "/fr/transcripts/feed.atom", "/en/transcripts/feed.json"}) {
    EXPECT_EQ(Get(target).status, 404) << target;
  }
}

TEST_F(FeedRoutesTest, TheSitemapIndexListsAPartPerLanguage) {
  const Response index = Get("/sitemap.xml");
  EXPECT_EQ(index.status, 200);
  EXPECT_THAT(index.Header("Content-Type"), Optional(std::string(kXml)));
  EXPECT_THAT(index.body, HasSubstr("<sitemapindex"));
  EXPECT_THAT(index.body, HasSubstr("<loc>https://mid.example/sitemaps/en-1.xml</loc>"));
  EXPECT_THAT(index.body, HasSubstr("<loc>https://mid.example/sitemaps/ru-1.xml</loc>"));
}

TEST_F(FeedRoutesTest, ASitemapPartListsTheListsAndTheItemsOfItsLanguage) {
  const Response en = Get("/sitemaps/en-1.xml");
  EXPECT_EQ(en.status, 200);
  EXPECT_THAT(en.Header("Content-Type"), Optional(std::string(kXml)));
  EXPECT_THAT(en.body, HasSubstr("<loc>https://mid.example/en/</loc>"));
  EXPECT_THAT(en.body, HasSubstr("<loc>https://mid.example/en/transcripts/</loc>"));
  EXPECT_THAT(en.body, HasSubstr(std::string("<loc>") + kSeedUrl + "</loc>"));
  EXPECT_THAT(en.body, HasSubstr("hreflang=\"x-default\""));
  EXPECT_THAT(en.body, Not(HasSubstr("/en/russian/")));
  EXPECT_THAT(en.body, Not(HasSubstr("draft")));
  const Response ru = Get("/sitemaps/ru-1.xml");
  EXPECT_EQ(ru.status, 200);
  EXPECT_THAT(ru.body, HasSubstr("<loc>https://mid.example/ru/russian/</loc>"));
  EXPECT_THAT(ru.body, HasSubstr("<loc>https://mid.example/ru/assets/3-tolko</loc>"));
}

TEST_F(FeedRoutesTest, SitemapPartsThatDoNotExistAre404) {
  for (const std::string target :
       {"/sitemaps/en-2.xml", "/sitemaps/en-0.xml", "/sitemaps/fr-1.xml", "/sitemaps/en-1",
        "/sitemaps/index.xml", "/sitemaps/en-01.xml"}) {
    EXPECT_EQ(Get(target).status, 404) << target;
  }
}

TEST_F(FeedRoutesTest, RobotsTxtKeepsCrawlersOffTheApiAndSearchAndNamesTheSitemap) {
  const Response robots = Get("/robots.txt");
  EXPECT_EQ(robots.status, 200);
  EXPECT_THAT(robots.Header("Content-Type"), Optional(std::string("text/plain; charset=utf-8")));
  EXPECT_THAT(robots.body, HasSubstr("Disallow: /api/\n"));
  EXPECT_THAT(robots.body, HasSubstr("Disallow: /admin/\n"));
  EXPECT_THAT(robots.body, HasSubstr("Disallow: /*/search"));
  EXPECT_THAT(robots.body, HasSubstr("Sitemap: https://mid.example/sitemap.xml\n"));
}

TEST_F(FeedRoutesTest, HeadIsAnsweredAndSecurityHeadersAreSet) {
  const Response head = app_->Handle(Request::Make("HEAD", "/en/feed.atom"));
  EXPECT_EQ(head.status, 200);
  EXPECT_THAT(head.Header("Content-Type"), Optional(std::string(kAtom)));
  EXPECT_THAT(head.Header("X-Content-Type-Options"), Optional(std::string("nosniff")));
}

}  // namespace
}  // namespace assetpub::web
