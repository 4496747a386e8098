#include "render/sitemap.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "content/instant.h"
#include "core/error.h"
#include "render/testing/seed_asset.h"
#include "render/testing/site.h"
#include "render/testing/xml_doc.h"
#include "support/temp_dir.h"

namespace assetpub::render {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::Pair;
using testing::XmlDoc;

const std::vector<std::string> kSiteLanguages = {"en-GB", "ru-RU"};

XmlDoc Sitemap(const std::string& text) {
  return XmlDoc(text, {{"s", kSitemapNamespace}, {"x", kXhtmlNamespace}});
}

store::UrlEntry Entry(int64_t id, std::vector<std::pair<std::string, std::string>> translations) {
  store::UrlEntry entry;
  entry.id = id;
  entry.published_at = content::ParseIso8601("2013-06-07T16:29:00+04:00");
  entry.translations = std::move(translations);
  return entry;
}

TEST(UrlSetXml, HasTheSitemapElementsAndTheAlternates) {
  SitemapUrl url;
  url.loc = "https://mid.example/en/assets/1-a";
  url.lastmod = content::ParseIso8601("2013-06-07T16:29:00+04:00");
  url.alternates = {{"en-GB", "https://mid.example/en/assets/1-a"},
                    {"ru-RU", "https://mid.example/ru/assets/1-b"},
                    {"x-default", "https://mid.example/en/assets/1-a"}};
  SitemapUrl plain;
  plain.loc = "https://mid.example/en/";
  const std::string text = UrlSetXml({url, plain});
  const XmlDoc xml = Sitemap(text);
  ASSERT_TRUE(xml.ok()) << text;
  EXPECT_THAT(xml.All("/s:urlset/s:url/s:loc"),
              ElementsAre("https://mid.example/en/assets/1-a", "https://mid.example/en/"));
  EXPECT_EQ(xml.One("/s:urlset/s:url[1]/s:lastmod"), "2013-06-07T12:29:00Z");
  EXPECT_EQ(content::ParseIso8601(xml.One("/s:urlset/s:url[1]/s:lastmod")), *url.lastmod);
  EXPECT_EQ(xml.Count("/s:urlset/s:url[2]/s:lastmod"), 0u);
  EXPECT_THAT(xml.All("/s:urlset/s:url[1]/x:link[@rel='alternate']/@hreflang"),
              ElementsAre("en-GB", "ru-RU", "x-default"));
  EXPECT_EQ(xml.One("/s:urlset/s:url[1]/x:link[@hreflang='ru-RU']/@href"),
            "https://mid.example/ru/assets/1-b");
}

TEST(UrlSetXml, EscapesWhatItIsGiven) {
  SitemapUrl url;
  url.loc = "https://mid.example/?a=1&b=<2>";
  url.alternates = {{"en-GB", "https://mid.example/\"q\"&'s'"}};
  const std::string text = UrlSetXml({url});
  const XmlDoc xml = Sitemap(text);
  ASSERT_TRUE(xml.ok()) << text;
  EXPECT_EQ(xml.One("//s:loc"), url.loc);
  EXPECT_EQ(xml.One("//x:link/@href"), url.alternates[0].href);
  EXPECT_THAT(text, HasSubstr("a=1&amp;b=&lt;2&gt;"));
}

TEST(SitemapIndexXml, ListsTheParts) {
  const std::string text = SitemapIndexXml(
      {"https://mid.example/sitemaps/en-1.xml", "https://mid.example/sitemaps/ru-1.xml"});
  const XmlDoc xml = Sitemap(text);
  ASSERT_TRUE(xml.ok()) << text;
  EXPECT_THAT(xml.All("/s:sitemapindex/s:sitemap/s:loc"),
              ElementsAre("https://mid.example/sitemaps/en-1.xml",
                          "https://mid.example/sitemaps/ru-1.xml"));
}

TEST(ItemSitemapUrl, LinksEveryTranslationAndTheDefaultLanguagesAsXDefault) {
  store::UrlEntry entry = Entry(1, {{"en-GB", "speech"}, {"ru-RU", "rech"}});
  entry.modified_at = content::ParseIso8601("2014-01-01T00:00:00Z");
  const std::optional<SitemapUrl> en =
      ItemSitemapUrl(entry, "en-GB", kSiteLanguages, "https://mid.example");
  ASSERT_TRUE(en);
  EXPECT_EQ(en->loc, "https://mid.example/en/assets/1-speech");
  EXPECT_EQ(en->lastmod, entry.modified_at);
  EXPECT_THAT(
      en->alternates,
      ElementsAre(SitemapUrl::Alternate{"en-GB", "https://mid.example/en/assets/1-speech"},
                  SitemapUrl::Alternate{"ru-RU", "https://mid.example/ru/assets/1-rech"},
                  SitemapUrl::Alternate{"x-default", "https://mid.example/en/assets/1-speech"}));
  const std::optional<SitemapUrl> ru =
      ItemSitemapUrl(entry, "ru-RU", kSiteLanguages, "https://mid.example");
  ASSERT_TRUE(ru);
  EXPECT_EQ(ru->loc, "https://mid.example/ru/assets/1-rech");
  EXPECT_EQ(ru->alternates, en->alternates);
}

TEST(ItemSitemapUrl, WithoutTheDefaultLanguageTheFirstVersionIsXDefault) {
  const store::UrlEntry entry = Entry(3, {{"ru-RU", "tolko"}});
  EXPECT_FALSE(ItemSitemapUrl(entry, "en-GB", kSiteLanguages, "https://mid.example"));
  const std::optional<SitemapUrl> ru =
      ItemSitemapUrl(entry, "ru-RU", kSiteLanguages, "https://mid.example");
  ASSERT_TRUE(ru);
  EXPECT_EQ(ru->lastmod, entry.published_at);
  EXPECT_THAT(
      ru->alternates,
      ElementsAre(SitemapUrl::Alternate{"ru-RU", "https://mid.example/ru/assets/3-tolko"},
                  SitemapUrl::Alternate{"x-default", "https://mid.example/ru/assets/3-tolko"}));
}

TEST(ItemSitemapUrl, ATranslationOfAnotherRegionIsShownUnderTheSiteLanguage) {
  const store::UrlEntry entry = Entry(4, {{"en-US", "us"}, {"fr-FR", "fr"}});
  const std::optional<SitemapUrl> en =
      ItemSitemapUrl(entry, "en-GB", kSiteLanguages, "https://mid.example");
  ASSERT_TRUE(en);
  EXPECT_EQ(en->loc, "https://mid.example/en/assets/4-us");
  // hreflang names the translation's own tag; French is not a site language: not linked.
  EXPECT_THAT(
      en->alternates,
      ElementsAre(SitemapUrl::Alternate{"en-US", "https://mid.example/en/assets/4-us"},
                  SitemapUrl::Alternate{"x-default", "https://mid.example/en/assets/4-us"}));
}

TEST(RobotsTxt, KeepsCrawlersOutOfTheApiAdminAndSearchAndNamesTheSitemap) {
  const std::string robots = RobotsTxt("https://mid.example");
  EXPECT_THAT(robots, HasSubstr("User-agent: *\n"));
  EXPECT_THAT(robots, HasSubstr("Allow: /\n"));
  EXPECT_THAT(robots, HasSubstr("Disallow: /api/\n"));
  EXPECT_THAT(robots, HasSubstr("Disallow: /admin/\n"));
  EXPECT_THAT(robots, HasSubstr("Disallow: /*/search$\n"));
  EXPECT_THAT(robots, HasSubstr("Disallow: /*/search?\n"));
  EXPECT_THAT(robots, HasSubstr("Sitemap: https://mid.example/sitemap.xml\n"));
}

Config TestConfig() { return testing::SiteConfig(); }

TEST(Sitemaps, NamesItsPartsByPrimarySubtagAndNumber) {
  const Config config = TestConfig();
  const publish::Publishers publishers = publish::Publishers::Defaults(config);
  const Sitemaps sitemaps(config, publishers);
  EXPECT_EQ(Sitemaps::PartPath("en-GB", 1), "/sitemaps/en-1.xml");
  EXPECT_EQ(Sitemaps::PartPath("ru-RU", 12), "/sitemaps/ru-12.xml");
  EXPECT_THAT(sitemaps.ParsePartName("en-1.xml"), Optional(Pair("en-GB", 1)));
  EXPECT_THAT(sitemaps.ParsePartName("ru-12.xml"), Optional(Pair("ru-RU", 12)));
  for (const char* bad :
       {"en-0.xml", "en-01.xml", "en-.xml", "-1.xml", "fr-1.xml", "en-1.xm", "en-1", "en-+1.xml",
        "en--1.xml", "en-1x.xml", "en-9999999999.xml", "EN-1.xml", "en-GB-1.xml", ""}) {
    EXPECT_EQ(sitemaps.ParsePartName(bad), std::nullopt) << bad;
  }
}

// A real SQLite store with items in English, Russian or both, and a set of publishers of our
// own: the home and "transcripts" in every language, "russian" only in Russian.
class SitemapsTest : public ::testing::Test {
 protected:
  static constexpr const char* kPublishers = R"(
[[publishers]]
id = "home"
title = { en = "Latest", ru = "Новости" }
path = ""

[[publishers]]
id = "transcripts"
title = { en = "Transcripts", ru = "Стенограммы" }
kinds = ["transcript"]

[[publishers]]
id = "russian"
title = { en = "Russian", ru = "По-русски" }
languages = ["ru"]
)";

  void SetUp() override {
    std::ofstream(temp_.path() / "config.toml") << kPublishers;
    publishers_ = publish::Publishers::Load(temp_.path() / "config.toml", config_);
    store_ = store::OpenStore("sqlite:" + (temp_.path() / "assetpub.db").string());
    // ids 1..9: both languages for 1, 4, 7; English only for 2, 5, 8; Russian only for 3, 6, 9;
    // 10 is a draft.
    for (int64_t id = 1; id <= 10; ++id) {
      content::Asset asset = testing::SeedAsset(id);
      asset.published_at.seconds += id * 86400;
      asset.translations["en-GB"].slug = "en-" + std::to_string(id);
      asset.translations["ru-RU"].slug = "ru-" + std::to_string(id);
      if (id % 3 == 2) asset.translations.erase("ru-RU");
      if (id % 3 == 0) asset.translations.erase("en-GB");
      asset.languages.clear();
      for (const auto& [language, translation] : asset.translations) {
        asset.languages.push_back(language);
      }
      if (id == 4) asset.modified_at = content::ParseIso8601("2020-01-01T00:00:00Z");
      if (id == 10) asset.status = content::Status::kDraft;
      auto transaction = store_->Begin();
      transaction->Put(asset);
      transaction->Commit();
    }
  }
  void TearDown() override { store_.reset(); }

  // Every <loc> of every part of `language`, in order, checking each part on the way.
  std::vector<std::string> AllLocs(const Sitemaps& sitemaps, const std::string& language,
                                   int64_t max_urls) {
    std::vector<std::string> locs;
    const int64_t parts = sitemaps.PartCount(*store_, language);
    for (int64_t number = 1; number <= parts; ++number) {
      const std::string text = sitemaps.Part(*store_, language, number, now_);
      const XmlDoc xml = Sitemap(text);
      EXPECT_TRUE(xml.ok()) << text;
      const std::vector<std::string> part = xml.All("/s:urlset/s:url/s:loc");
      EXPECT_LE(static_cast<int64_t>(part.size()), max_urls);
      EXPECT_GE(part.size(), 1u);
      EXPECT_EQ(xml.Count("/s:urlset/s:url/s:lastmod"), part.size());
      locs.insert(locs.end(), part.begin(), part.end());
    }
    return locs;
  }

  const assetpub::testing::TempDir temp_{"assetpub-sitemap-"};
  const Config config_ = TestConfig();
  std::optional<publish::Publishers> publishers_;
  std::unique_ptr<store::Store> store_;
  const content::Instant now_ = content::ParseIso8601("2024-01-01T00:00:00Z");
};

TEST_F(SitemapsTest, OnePartALanguageUpToFiftyThousandUrls) {
  EXPECT_EQ(Sitemaps::kMaxUrlsPerPart, 50'000);
  const Sitemaps sitemaps(config_, *publishers_);
  const std::string text = sitemaps.Index(*store_);
  const XmlDoc index = Sitemap(text);
  ASSERT_TRUE(index.ok()) << text;
  EXPECT_THAT(index.All("/s:sitemapindex/s:sitemap/s:loc"),
              ElementsAre("https://mid.example/sitemaps/en-1.xml",
                          "https://mid.example/sitemaps/ru-1.xml"));
  EXPECT_THAT(
      AllLocs(sitemaps, "en-GB", Sitemaps::kMaxUrlsPerPart),
      ElementsAre("https://mid.example/en/", "https://mid.example/en/transcripts/",
                  "https://mid.example/en/assets/1-en-1", "https://mid.example/en/assets/2-en-2",
                  "https://mid.example/en/assets/4-en-4", "https://mid.example/en/assets/5-en-5",
                  "https://mid.example/en/assets/7-en-7", "https://mid.example/en/assets/8-en-8"));
  EXPECT_THROW(sitemaps.Part(*store_, "en-GB", 2, now_), Error);
}

TEST_F(SitemapsTest, SplitsALanguageIntoPartsOfAtMostMaxUrls) {
  const Sitemaps sitemaps(config_, *publishers_, 3);
  // ru: 3 lists and 6 items -> 3 parts; en: 2 lists and 6 items -> 3 parts.
  EXPECT_EQ(sitemaps.PartCount(*store_, "ru-RU"), 3);
  EXPECT_EQ(sitemaps.PartCount(*store_, "en-GB"), 3);
  const XmlDoc index = Sitemap(sitemaps.Index(*store_));
  EXPECT_THAT(
      index.All("//s:loc"),
      ElementsAre("https://mid.example/sitemaps/en-1.xml", "https://mid.example/sitemaps/en-2.xml",
                  "https://mid.example/sitemaps/en-3.xml", "https://mid.example/sitemaps/ru-1.xml",
                  "https://mid.example/sitemaps/ru-2.xml",
                  "https://mid.example/sitemaps/ru-3.xml"));
  EXPECT_THAT(
      AllLocs(sitemaps, "ru-RU", 3),
      ElementsAre("https://mid.example/ru/", "https://mid.example/ru/transcripts/",
                  "https://mid.example/ru/russian/", "https://mid.example/ru/assets/1-ru-1",
                  "https://mid.example/ru/assets/3-ru-3", "https://mid.example/ru/assets/4-ru-4",
                  "https://mid.example/ru/assets/6-ru-6", "https://mid.example/ru/assets/7-ru-7",
                  "https://mid.example/ru/assets/9-ru-9"));
  // The parts cut across the lists and the items and repeat nothing.
  const std::vector<std::string> en = AllLocs(sitemaps, "en-GB", 3);
  EXPECT_EQ(en.size(), 8u);
  EXPECT_EQ(std::set<std::string>(en.begin(), en.end()).size(), en.size());
  for (const int64_t past : {0, 4, 100}) {
    try {
      sitemaps.Part(*store_, "ru-RU", past, now_);
      ADD_FAILURE() << "part " << past << " exists";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    }
  }
}

TEST_F(SitemapsTest, ListPagesHaveTheirLanguagesAndTheNewestChangeTheySelect) {
  const Sitemaps sitemaps(config_, *publishers_);
  const XmlDoc ru = Sitemap(sitemaps.Part(*store_, "ru-RU", 1, now_));
  ASSERT_TRUE(ru.ok());
  const std::string home = "/s:urlset/s:url[s:loc='https://mid.example/ru/']/";
  EXPECT_THAT(ru.All(home + "x:link/@hreflang"), ElementsAre("en-GB", "ru-RU", "x-default"));
  EXPECT_EQ(ru.One(home + "x:link[@hreflang='x-default']/@href"), "https://mid.example/en/");
  // Item 4 was modified last.
  EXPECT_EQ(ru.One(home + "s:lastmod"), "2020-01-01T00:00:00Z");
  // A list only in Russian: its only version is the default.
  const std::string russian = "/s:urlset/s:url[s:loc='https://mid.example/ru/russian/']/";
  EXPECT_THAT(ru.All(russian + "x:link/@hreflang"), ElementsAre("ru-RU", "x-default"));
  EXPECT_EQ(ru.One(russian + "x:link[@hreflang='x-default']/@href"),
            "https://mid.example/ru/russian/");
  // Items: each version and x-default (English when there is one).
  const std::string both = "/s:urlset/s:url[s:loc='https://mid.example/ru/assets/7-ru-7']/";
  EXPECT_THAT(ru.All(both + "x:link/@href"), ElementsAre("https://mid.example/en/assets/7-en-7",
                                                         "https://mid.example/ru/assets/7-ru-7",
                                                         "https://mid.example/en/assets/7-en-7"));
  EXPECT_EQ(
      ru.One(both + "s:lastmod"),
      content::ToIso8601Utc({testing::SeedAsset().published_at.seconds + int64_t{7} * 86400}));
  EXPECT_EQ(ru.Count("//s:loc[contains(., '/10-')]"), 0u);  // the draft
}

}  // namespace
}  // namespace assetpub::render
