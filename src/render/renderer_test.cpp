#include "render/renderer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/error.h"
#include "publish/publisher.h"
#include "render/month_name.h"
#include "render/testing/seed_asset.h"
#include "render/testing/site.h"
#include "support/temp_dir.h"

namespace assetpub::render {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

using testing::kSeedEnSlug;
using testing::kSeedRuSlug;

Config TestConfig() {
  Config config = testing::SiteConfig();
  config.site_name = "Ministry of Foreign Affairs";
  return config;
}

// True when every <script> element of `html` is JSON-LD data: nothing a browser would run.
bool OnlyJsonLdScripts(const std::string& html) {
  for (size_t at = html.find("<script"); at != std::string::npos;
       at = html.find("<script", at + 1)) {
    if (html.compare(at, 35, "<script type=\"application/ld+json\">") != 0) return false;
  }
  return true;
}

// The page's JSON-LD document, parsed (null when it has none).
nlohmann::json JsonLd(const std::string& html) {
  const std::string open = "<script type=\"application/ld+json\">";
  const size_t start = html.find(open);
  if (start == std::string::npos) return nullptr;
  const size_t end = html.find("</script>", start);
  return nlohmann::json::parse(html.substr(start + open.size(), end - start - open.size()));
}

// A list as config.toml would define one, in both site languages.
publish::Publisher List(std::string id, std::string path) {
  publish::Publisher publisher;
  publisher.id = std::move(id);
  publisher.path = std::move(path);
  publisher.titles = {{"en-GB", "Transcripts and speeches"},
                      {"ru-RU", "Стенограммы и выступления"}};
  return publisher;
}

// One page of `assets`, all in one group (`key`), `total` in all.
publish::PublisherPage PageOf(std::vector<content::Asset> assets, int64_t total, int64_t page = 1,
                              int64_t pages = 1, std::string key = "") {
  publish::PublisherPage result;
  result.page = page;
  result.pages = pages;
  result.groups.push_back({std::move(key), {}});
  for (size_t i = 0; i < assets.size(); ++i) result.groups[0].items.push_back(i);
  result.list.assets = std::move(assets);
  result.list.total = total;
  result.has_next = pages > page;
  return result;
}

class RendererTest : public ::testing::Test {
 protected:
  Renderer renderer_{TestConfig()};
  content::Asset asset_ = testing::SeedAsset(1);
  publish::Publisher home_ = List("home", "");
};

TEST_F(RendererTest, KnowsTheSiteLanguagesByPrefix) {
  EXPECT_EQ(renderer_.default_language(), "en-GB");
  EXPECT_EQ(renderer_.FindLanguage("ru"), "ru-RU");
  EXPECT_EQ(renderer_.FindLanguage("fr"), std::nullopt);
  EXPECT_EQ(renderer_.Strings("ru-RU").Text("item.additional_materials"),
            "Дополнительные материалы");
}

TEST_F(RendererTest, ItemPageShowsTheDateInTheAssetsZonePerLanguage) {
  EXPECT_THAT(renderer_.ItemPage(asset_, "en-GB", {}),
              HasSubstr("<time datetime=\"2013-06-07T16:29:00+04:00\">7 June 2013 16:29</time>"));
  EXPECT_THAT(
      renderer_.ItemPage(asset_, "ru-RU", {}),
      HasSubstr("<time datetime=\"2013-06-07T16:29:00+04:00\">7 июня 2013\u202fг. 16:29</time>"));
}

TEST_F(RendererTest, ItemPageHasTitleHeadingPlaceAndDocumentLanguage) {
  const std::string html = renderer_.ItemPage(asset_, "ru-RU", {});
  EXPECT_THAT(html, HasSubstr("<html lang=\"ru-RU\" dir=\"ltr\">"));
  EXPECT_THAT(html, HasSubstr("<h1>Выступление и ответы на вопросы СМИ"));
  EXPECT_THAT(html, HasSubstr("<title>Выступление и ответы"));
  EXPECT_THAT(html, HasSubstr("— Министерство иностранных дел</title>"));
  EXPECT_THAT(html, HasSubstr("<p class=\"asset-place\">Москва</p>"));
  EXPECT_THAT(html, HasSubstr("Стенограмма"));
  EXPECT_TRUE(OnlyJsonLdScripts(html));
}

TEST_F(RendererTest, TheSiteNameIsShownInThePageLanguage) {
  EXPECT_THAT(renderer_.ErrorPage("en-GB", 404), HasSubstr(">Ministry of Foreign Affairs<"));
  EXPECT_THAT(renderer_.ErrorPage("ru-RU", 404), HasSubstr(">Министерство иностранных дел<"));
  Config config = TestConfig();
  config.site_name = "Embassy of Ruritania";
  config.site_names.clear();  // one name for every language
  const Renderer renderer(config);
  EXPECT_THAT(renderer.ErrorPage("ru-RU", 404), HasSubstr(">Embassy of Ruritania<"));
  EXPECT_THAT(renderer.ErrorPage("ru-RU", 404), Not(HasSubstr("Министерство")));
}

TEST_F(RendererTest, LanguageSwitcherLinksTheOtherTranslationAndMarksTheCurrentOne) {
  const std::string en = renderer_.ItemPage(asset_, "en-GB", {});
  EXPECT_THAT(en, HasSubstr(std::string("<a href=\"/ru/assets/1-") + kSeedRuSlug +
                            "\" hreflang=\"ru-RU\" lang=\"ru-RU\" dir=\"ltr\">Русский</a>"));
  EXPECT_THAT(
      en,
      HasSubstr(
          std::string("<a href=\"/en/assets/1-") + kSeedEnSlug +
          "\" hreflang=\"en-GB\" lang=\"en-GB\" dir=\"ltr\" aria-current=\"page\">English</a>"));
  const std::string ru = renderer_.ItemPage(asset_, "ru-RU", {});
  EXPECT_THAT(ru, HasSubstr(std::string("<a href=\"/en/assets/1-") + kSeedEnSlug +
                            "\" hreflang=\"en-GB\" lang=\"en-GB\" dir=\"ltr\">English</a>"));
}

TEST_F(RendererTest, DeclaredButMissingVersionIsShownAsUnavailableText) {
  asset_.translations.erase("ru-RU");
  asset_.languages.push_back("fr-FR");  // declared, and not a language of this site either
  const std::string html = renderer_.ItemPage(asset_, "en-GB", {});
  EXPECT_THAT(
      html, HasSubstr("<span class=\"unavailable\"><span lang=\"ru-RU\" dir=\"ltr\">Русский</span> "
                      "(not available)</span>"));
  EXPECT_THAT(html, HasSubstr("<span lang=\"fr-FR\" dir=\"ltr\">Français</span> (not available)"));
  EXPECT_THAT(html, Not(HasSubstr("href=\"/ru/assets")));
  EXPECT_THAT(html, Not(HasSubstr("<link rel=\"alternate\" hreflang=\"ru-RU\"")));
}

TEST_F(RendererTest, TurnsMarkTheSpeakerAndTheQuestion) {
  asset_.translations["en-GB"].blocks.push_back(content::Block::Turn(
      content::TurnRole::kAnswer, "Espen Barth Eide", {"Thank you."}, "translated from Norwegian"));
  const std::string en = renderer_.ItemPage(asset_, "en-GB", {});
  EXPECT_THAT(en, HasSubstr("<section class=\"turn turn-question\">\n"
                            "<p class=\"speaker\"><strong>Question</strong></p>"));
  EXPECT_THAT(en, HasSubstr("<section class=\"turn turn-answer\">\n"
                            "<p class=\"speaker\"><strong>Sergey Lavrov</strong></p>"));
  EXPECT_THAT(en, HasSubstr("<strong>Espen Barth Eide</strong> "
                            "<span class=\"note\">(translated from Norwegian)</span>"));
  const std::string ru = renderer_.ItemPage(asset_, "ru-RU", {});
  EXPECT_THAT(ru, HasSubstr("<strong>С.В.Лавров</strong>"));
  EXPECT_THAT(ru, HasSubstr("<strong>Вопрос</strong>"));
}

TEST_F(RendererTest, EveryParagraphHasAnAnchorNumberedInDocumentOrder) {
  const std::string html = renderer_.ItemPage(asset_, "en-GB", {});
  std::vector<std::string> ids;
  const std::regex anchor("<p id=\"(p[0-9]+)\">");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), anchor);
       it != std::sregex_iterator(); ++it) {
    ids.push_back((*it)[1]);
  }
  ASSERT_EQ(ids.size(), 12u);
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], "p" + std::to_string(i + 1));
  EXPECT_THAT(html, HasSubstr("<p id=\"p1\">Dear Ladies and Gentlemen, <a class=\"pilcrow\" "
                              "href=\"#p1\" aria-label=\"Paragraph 1\">¶</a></p>"));
  EXPECT_THAT(html, HasSubstr("<p id=\"p9\">I would like to express some considerations."));
}

TEST_F(RendererTest, HeadHasCanonicalAlternatesAndDescription) {
  const std::string html = renderer_.ItemPage(asset_, "ru-RU", {});
  const std::string en_url = std::string("https://mid.example/en/assets/1-") + kSeedEnSlug;
  const std::string ru_url = std::string("https://mid.example/ru/assets/1-") + kSeedRuSlug;
  EXPECT_THAT(html, HasSubstr("<link rel=\"canonical\" href=\"" + ru_url + "\">"));
  EXPECT_THAT(html,
              HasSubstr("<link rel=\"alternate\" hreflang=\"en-GB\" href=\"" + en_url + "\">"));
  EXPECT_THAT(html,
              HasSubstr("<link rel=\"alternate\" hreflang=\"ru-RU\" href=\"" + ru_url + "\">"));
  EXPECT_THAT(html,
              HasSubstr("<link rel=\"alternate\" hreflang=\"x-default\" href=\"" + en_url + "\">"));
  // No summary in Russian: the description falls back to the first paragraph.
  EXPECT_THAT(html, HasSubstr("<meta name=\"description\" content=\"Дамы и господа,\">"));
  EXPECT_THAT(renderer_.ItemPage(asset_, "en-GB", {}),
              HasSubstr("<meta name=\"description\" content=\"Russia and the OIC agreed"));
}

// Unpublished related items stay invisible: not even their titles reach the public.
TEST_F(RendererTest, RelatedItemsAreLinksWhenPublishedAndTextWhenOnlyATitle) {
  asset_.related = {{7, ""}, {8, ""}, {0, "Photo gallery: talks with the OIC"}};
  std::vector<store::Headline> headlines = {
      {7, "en-GB", "Press release on the talks", "press-release-on-the-talks",
       content::Status::kPublished},
      {8, "en-GB", "A draft not yet out", "a-draft", content::Status::kDraft},
  };
  const std::string html = renderer_.ItemPage(asset_, "en-GB", headlines);
  EXPECT_THAT(html, HasSubstr("<h2 id=\"related-heading\">Additional materials</h2>"));
  EXPECT_THAT(
      html,
      HasSubstr(
          "<li><a href=\"/en/assets/7-press-release-on-the-talks\" "
          "hreflang=\"en-GB\" lang=\"en-GB\" dir=\"ltr\">Press release on the talks</a></li>"));
  EXPECT_THAT(html, Not(HasSubstr("A draft not yet out")));
  EXPECT_THAT(html, HasSubstr("<li>Photo gallery: talks with the OIC</li>"));
}

TEST_F(RendererTest, AdditionalMaterialsAreOmittedWhenEmpty) {
  EXPECT_THAT(renderer_.ItemPage(asset_, "en-GB", {}), Not(HasSubstr("Additional materials")));
}

TEST_F(RendererTest, ContentIsEscapedEverywhere) {
  content::Translation& en = asset_.translations["en-GB"];
  en.title = "<script>alert(1)</script>";
  en.place = "<b>Moscow</b>";
  en.summary = "\"quoted\" & <i>";
  en.blocks.push_back(content::Block::Turn(content::TurnRole::kAnswer, "<img src=x onerror=1>",
                                           {"<script>alert(2)</script>"}, "<u>note</u>"));
  asset_.related = {{0, "<script>alert(3)</script>"}};
  const std::string html = renderer_.ItemPage(asset_, "en-GB", {});
  EXPECT_TRUE(OnlyJsonLdScripts(html));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, Not(HasSubstr("<b>Moscow")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, Not(HasSubstr("<u>")));
  EXPECT_THAT(html, HasSubstr("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
  EXPECT_THAT(html, HasSubstr("<title>&lt;script&gt;alert(1)&lt;/script&gt; — "));
  EXPECT_THAT(html, HasSubstr("content=\"&quot;quoted&quot; &amp; &lt;i&gt;\""));

  const std::string home = renderer_.PublisherPage(home_, "en-GB", PageOf({asset_}, 1));
  EXPECT_THAT(home, Not(HasSubstr("<script")));
  EXPECT_THAT(home, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;</a>"));
}

TEST_F(RendererTest, ItemPageWithoutTheLanguagesTranslationThrowsNotFound) {
  asset_.translations.erase("ru-RU");
  try {
    renderer_.ItemPage(asset_, "ru-RU", {});
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

TEST_F(RendererTest, HomePageListsItemsWithDateKindTitlePlaceAndSummary) {
  const std::string html = renderer_.PublisherPage(home_, "en-GB", PageOf({asset_}, 1));
  EXPECT_THAT(html, HasSubstr("<h1 class=\"page-title\">Latest publications</h1>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"asset-kind\">Transcript</span> <time "
                              "datetime=\"2013-06-07T16:29:00+04:00\">7 June 2013 16:29</time>"));
  EXPECT_THAT(html, HasSubstr(std::string("<a href=\"/en/assets/1-") + kSeedEnSlug +
                              "\">Speech of and answers"));
  EXPECT_THAT(html, HasSubstr("<span class=\"asset-meta-place\">Moscow</span>"));
  EXPECT_THAT(html, HasSubstr("<p class=\"asset-summary\">Russia and the OIC agreed"));
  EXPECT_THAT(html, Not(HasSubstr("class=\"pager\"")));  // one page: no pager
  EXPECT_THAT(html, HasSubstr("<link rel=\"canonical\" href=\"https://mid.example/en/\">"));
  EXPECT_THAT(html, HasSubstr("hreflang=\"x-default\" href=\"https://mid.example/en/\""));
}

TEST_F(RendererTest, HomePageWithNothingSaysSo) {
  const std::string html = renderer_.PublisherPage(home_, "ru-RU", PageOf({}, 0, 1, 0));
  EXPECT_THAT(html, HasSubstr("На русском языке пока ничего не опубликовано."));
  EXPECT_THAT(html, Not(HasSubstr("<ol")));
}

// The count's numbers are the locale's (render::FormatNumber): grouping, and ICU's digits.
TEST_F(RendererTest, ListCountGroupsDigitsTheLocalesWay) {
  home_.page_size = 10;
  const std::string english =
      renderer_.PublisherPage(home_, "en-GB", PageOf({asset_}, 12345, 1000, 1235));
  EXPECT_THAT(english, HasSubstr("<p class=\"list-count\">9,991–9,991 of 12,345</p>"));
  const std::string russian =
      renderer_.PublisherPage(home_, "ru-RU", PageOf({asset_}, 12345, 1000, 1235));
  EXPECT_THAT(russian, HasSubstr("9\u00a0991–9\u00a0991 из 12\u00a0345</p>"));
}

TEST_F(RendererTest, PagerIsNumberedWithFirstPreviousAWindowNextLastAndTheCount) {
  home_.page_size = 10;
  const std::string html =
      renderer_.PublisherPage(home_, "en-GB", PageOf({asset_}, 200, 10, 20));  // 20 pages of 10
  EXPECT_THAT(html, HasSubstr("<nav class=\"pager\" aria-label=\"Pages\">"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/\">« First</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/?page=9\" rel=\"prev\"><span class=\"pager-arrow\" "
                              "aria-hidden=\"true\">←</span> Previous page</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/?page=11\" rel=\"next\">Next page <span "
                              "class=\"pager-arrow\" aria-hidden=\"true\">→</span></a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/?page=20\">Last »</a>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"current\" aria-current=\"page\">10</span>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/?page=8\" aria-label=\"Page 8\">8</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/?page=12\" aria-label=\"Page 12\">12</a>"));
  EXPECT_THAT(html, Not(HasSubstr("?page=7\"")));
  EXPECT_THAT(html, Not(HasSubstr("?page=13\"")));
  EXPECT_THAT(html, HasSubstr("<span class=\"gap\" aria-hidden=\"true\">…</span>"));
  EXPECT_THAT(html, HasSubstr("<p class=\"list-count\">91–91 of 200</p>"));
  EXPECT_THAT(html, HasSubstr("<link rel=\"canonical\" href=\"https://mid.example/en/?page=10\">"));
  EXPECT_THAT(html, HasSubstr("<title>Latest publications (Page 10) — "));

  const std::string first = renderer_.PublisherPage(home_, "en-GB", PageOf({asset_}, 200, 1, 20));
  EXPECT_THAT(first, Not(HasSubstr("rel=\"prev\"")));
  EXPECT_THAT(first, Not(HasSubstr("« First")));
  EXPECT_THAT(first, HasSubstr("<a href=\"/en/?page=2\" aria-label=\"Page 2\">2</a>"));
  const std::string last = renderer_.PublisherPage(home_, "en-GB", PageOf({asset_}, 200, 20, 20));
  EXPECT_THAT(last, Not(HasSubstr("rel=\"next\"")));
  EXPECT_THAT(last, Not(HasSubstr("Last »")));
}

TEST_F(RendererTest, ErrorPagesAreLocalisedAndNotIndexed) {
  const std::string ru = renderer_.ErrorPage("ru-RU", 404);
  EXPECT_THAT(ru, HasSubstr("<html lang=\"ru-RU\" dir=\"ltr\">"));
  EXPECT_THAT(ru, HasSubstr("<h1>Страница не найдена</h1>"));
  EXPECT_THAT(ru, HasSubstr("<meta name=\"robots\" content=\"noindex\">"));
  EXPECT_THAT(ru, HasSubstr("<a href=\"/ru/\">Перейти на главную страницу</a>"));
  EXPECT_THAT(renderer_.ErrorPage("en-GB", 400), HasSubstr("<h1>Bad request</h1>"));
  EXPECT_THAT(renderer_.ErrorPage("en-GB", 503), HasSubstr("<h1>The page cannot be shown</h1>"));
}

TEST_F(RendererTest, MissingTranslationPageLinksTheVersionsThatExist) {
  asset_.translations.erase("en-GB");
  const std::string html = renderer_.MissingTranslationPage(asset_, "en-GB");
  EXPECT_THAT(html, HasSubstr("<h1>This item has no English version</h1>"));
  EXPECT_THAT(html, HasSubstr(std::string("<a href=\"/ru/assets/1-") + kSeedRuSlug +
                              "\" hreflang=\"ru-RU\" lang=\"ru-RU\" dir=\"ltr\">"));
  // The header's language switch leads to the Russian item, not just the Russian home.
  EXPECT_THAT(html, HasSubstr(std::string("<a href=\"/ru/assets/1-") + kSeedRuSlug +
                              "\" hreflang=\"ru-RU\" lang=\"ru-RU\" dir=\"ltr\">Русский</a>"));
}

TEST_F(RendererTest, HeaderLanguageSwitchLeadsToTheSamePageInTheOtherLanguage) {
  const std::string html = renderer_.ItemPage(asset_, "en-GB", {});
  EXPECT_THAT(html,
              HasSubstr("<span class=\"current\" lang=\"en-GB\" dir=\"ltr\" aria-current=\"true\">"
                        "English</span>"));
  const std::string home = renderer_.PublisherPage(home_, "en-GB", PageOf({}, 0, 1, 0));
  EXPECT_THAT(
      home,
      HasSubstr("<a href=\"/ru/\" hreflang=\"ru-RU\" lang=\"ru-RU\" dir=\"ltr\">Русский</a>"));
}

TEST(RightToLeft, AnArabicPageIsRightToLeftAndMarksTheTextOfOtherLanguages) {
  Config config = TestConfig();
  config.languages = {"en-GB", "ar-SA"};
  config.site_names.clear();
  const Renderer renderer(config);
  const std::string arabic = renderer.ErrorPage("ar-SA", 404);
  EXPECT_THAT(arabic, HasSubstr("<html lang=\"ar-SA\" dir=\"rtl\">"));
  // The switcher's English entry inside the right-to-left page runs left to right.
  EXPECT_THAT(arabic, HasSubstr("hreflang=\"en-GB\" lang=\"en-GB\" dir=\"ltr\">English</a>"));
  const std::string english = renderer.ErrorPage("en-GB", 404);
  EXPECT_THAT(english, HasSubstr("<html lang=\"en-GB\" dir=\"ltr\">"));
  EXPECT_THAT(english, HasSubstr("lang=\"ar-SA\" dir=\"rtl\">العربية</a>"));

  // An item's versions, and a related item whose title is Arabic, carry their own direction.
  content::Asset asset =
      testing::OneLanguageItem(7, "ar-SA", "بيان", "bayan", content::Instant{1370608140});
  content::Translation english_version = asset.translations["ar-SA"];
  english_version.language = "en-GB";
  english_version.title = "Statement";
  english_version.slug = "statement";
  asset.translations["en-GB"] = english_version;
  asset.languages.push_back("en-GB");
  const std::string item = renderer.ItemPage(asset, "en-GB", {});
  EXPECT_THAT(item, HasSubstr("hreflang=\"ar-SA\" lang=\"ar-SA\" dir=\"rtl\">العربية</a>"));
  EXPECT_THAT(renderer.ItemPage(asset, "ar-SA", {}),
              HasSubstr("<html lang=\"ar-SA\" dir=\"rtl\">"));
}

TEST(ShippedLocales, ASiteInEveryShippedLanguageStartsAndSpeaksEach) {
  Config config = TestConfig();
  config.languages = {"en-GB", "ru-RU", "fr-FR", "es-ES", "de-DE", "pt-PT", "ar-SA", "zh-CN"};
  const Renderer renderer(config);
  for (const std::string& tag : config.languages) {
    const std::string page = renderer.ErrorPage(tag, 404);
    EXPECT_THAT(page, HasSubstr("<html lang=\"" + tag + "\""));
    EXPECT_EQ(page.find("Page not found") != std::string::npos, tag == "en-GB") << tag;
  }
  EXPECT_THAT(renderer.ErrorPage("fr-FR", 404), HasSubstr("Page introuvable"));
  EXPECT_THAT(renderer.ErrorPage("ar-SA", 404), HasSubstr("الصفحة غير موجودة"));
  // No admin keys of its own: the desk's strings are the default language's.
  EXPECT_EQ(renderer.Strings("zh-CN").Text("admin.login.title"),
            renderer.Strings("en-GB").Text("admin.login.title"));
}

// ---- Publisher pages -------------------------------------------------------------------------

TEST_F(RendererTest, PublisherPageHasItsTitleFeedsAndAlternatesInItsLanguages) {
  const publish::Publisher list = List("transcripts", "transcripts");
  const std::string html = renderer_.PublisherPage(list, "ru-RU", PageOf({asset_}, 1));
  EXPECT_THAT(html, HasSubstr("<h1 class=\"page-title\">Стенограммы и выступления</h1>"));
  EXPECT_THAT(html, HasSubstr("<title>Стенограммы и выступления — Министерство иностранных дел"));
  EXPECT_THAT(html, HasSubstr("<link rel=\"alternate\" type=\"application/rss+xml\" "
                              "title=\"Стенограммы и выступления (RSS)\" "
                              "href=\"https://mid.example/ru/transcripts/feed.rss\">"));
  EXPECT_THAT(html, HasSubstr("type=\"application/atom+xml\""));
  EXPECT_THAT(html, HasSubstr("href=\"https://mid.example/ru/transcripts/feed.atom\""));
  EXPECT_THAT(html, HasSubstr("<link rel=\"alternate\" hreflang=\"en-GB\" "
                              "href=\"https://mid.example/en/transcripts/\">"));
  EXPECT_THAT(html, HasSubstr("<link rel=\"alternate\" hreflang=\"x-default\" "
                              "href=\"https://mid.example/en/transcripts/\">"));
  EXPECT_THAT(html,
              HasSubstr("<link rel=\"canonical\" href=\"https://mid.example/ru/transcripts/\">"));
  // The language switch leads to the same list.
  EXPECT_THAT(
      html,
      HasSubstr("<a href=\"/en/transcripts/\" hreflang=\"en-GB\" lang=\"en-GB\" dir=\"ltr\">"));
  EXPECT_TRUE(OnlyJsonLdScripts(html));
}

TEST_F(RendererTest, PublisherPageWithoutFeedsOrOtherLanguagesLinksNeither) {
  publish::Publisher list = List("russian-only", "russian-only");
  list.feeds = false;
  list.languages = {"ru-RU"};
  const std::string html = renderer_.PublisherPage(list, "ru-RU", PageOf({asset_}, 1));
  EXPECT_THAT(html, Not(HasSubstr("application/rss+xml")));
  EXPECT_THAT(html, Not(HasSubstr("feed.atom")));
  EXPECT_THAT(html, Not(HasSubstr("hreflang=\"en-GB\" href=\"https://mid.example/en/russian")));
  EXPECT_THAT(html, Not(HasSubstr("hreflang=\"x-default\"")));
}

TEST_F(RendererTest, AbstractsCutTheSummaryAtTheAbstractLength) {
  publish::Publisher list = List("transcripts", "transcripts");
  list.abstract_length = 20;
  const std::string html = renderer_.PublisherPage(list, "en-GB", PageOf({asset_}, 1));
  EXPECT_THAT(html, HasSubstr("<p class=\"asset-summary\">Russia and the OIC…</p>"));
  EXPECT_THAT(html,
              HasSubstr(std::string("<h2 class=\"asset-item-title\"><a href=\"/en/assets/1-") +
                        kSeedEnSlug + "\">Speech of and answers"));
  EXPECT_THAT(html, HasSubstr("<div class=\"list-page list-abstracts\">"));
}

TEST_F(RendererTest, TitlesDisplayShowsNoSummaryAndOnlyTheMetadataAsked) {
  publish::Publisher list = List("transcripts", "transcripts");
  list.display = publish::Display::kTitles;
  list.metadata = {.date = true, .place = false, .kind = false};
  const std::string html = renderer_.PublisherPage(list, "en-GB", PageOf({asset_}, 1));
  EXPECT_THAT(html, Not(HasSubstr("asset-summary")));
  EXPECT_THAT(html, Not(HasSubstr("asset-meta-place")));
  EXPECT_THAT(html, Not(HasSubstr("<span class=\"asset-kind\">")));
  EXPECT_THAT(html,
              HasSubstr("<p class=\"asset-meta\"><time datetime=\"2013-06-07T16:29:00+04:00\">"
                        "7 June 2013 16:29</time></p>"));
}

TEST_F(RendererTest, FullDisplayShowsTheBodyWithAnchorsUniqueOnThePage) {
  publish::Publisher list = List("transcripts", "transcripts");
  list.display = publish::Display::kFull;
  content::Asset second = testing::SeedAsset(2);
  const std::string html = renderer_.PublisherPage(list, "en-GB", PageOf({asset_, second}, 2));
  EXPECT_THAT(html, HasSubstr("<p id=\"a1-p1\">Dear Ladies and Gentlemen, <a class=\"pilcrow\" "
                              "href=\"#a1-p1\""));
  EXPECT_THAT(html, HasSubstr("<p id=\"a2-p1\">Dear Ladies and Gentlemen,"));
  EXPECT_THAT(html, HasSubstr("<p class=\"speaker\"><strong>Sergey Lavrov</strong></p>"));
  EXPECT_THAT(html, Not(HasSubstr("asset-summary")));
}

TEST_F(RendererTest, TableDisplayHasACaptionAndScopedHeaders) {
  publish::Publisher list = List("transcripts", "transcripts");
  list.display = publish::Display::kTable;
  const std::string html = renderer_.PublisherPage(list, "en-GB", PageOf({asset_}, 1));
  EXPECT_THAT(html, HasSubstr("<caption>Transcripts and speeches</caption>"));
  EXPECT_THAT(html, HasSubstr("<tr><th scope=\"col\">Date</th><th scope=\"col\">Title</th>"
                              "<th scope=\"col\">Type</th><th scope=\"col\">Place</th></tr>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"asset-table-date\"><time datetime=\"2013-06-07T16:29:00"
                              "+04:00\">7 June 2013</time></td><th scope=\"row\"><a href=\"/en/"
                              "assets/1-"));
  EXPECT_THAT(html, HasSubstr("<td>Transcript</td><td>Moscow</td></tr>"));
}

TEST_F(RendererTest, GroupsHaveHeadingsByYearMonthAndKindInThePageLanguage) {
  publish::Publisher list = List("transcripts", "transcripts");
  list.grouping = publish::Grouping::kMonth;
  const std::string en =
      renderer_.PublisherPage(list, "en-GB", PageOf({asset_}, 1, 1, 1, "2013-06"));
  EXPECT_THAT(en, HasSubstr("<h2 class=\"list-group-heading\" id=\"group-1\">June 2013</h2>"));
  EXPECT_THAT(en, HasSubstr("<h3 class=\"asset-item-title\">"));  // items under the heading
  const std::string ru =
      renderer_.PublisherPage(list, "ru-RU", PageOf({asset_}, 1, 1, 1, "2013-06"));
  EXPECT_THAT(ru, HasSubstr(">Июнь 2013\u202Fг.</h2>"));

  list.grouping = publish::Grouping::kYear;
  EXPECT_THAT(renderer_.PublisherPage(list, "en-GB", PageOf({asset_}, 1, 1, 1, "2013")),
              HasSubstr(">2013</h2>"));
  list.grouping = publish::Grouping::kKind;
  EXPECT_THAT(renderer_.PublisherPage(list, "en-GB", PageOf({asset_}, 1, 1, 1, "transcript")),
              HasSubstr(">Transcripts</h2>"));
  EXPECT_THAT(renderer_.PublisherPage(list, "ru-RU", PageOf({asset_}, 1, 1, 1, "transcript")),
              HasSubstr(">Стенограммы</h2>"));
  list.display = publish::Display::kTable;  // a table per group, captioned by its heading
  EXPECT_THAT(renderer_.PublisherPage(list, "en-GB", PageOf({asset_}, 1, 1, 1, "transcript")),
              HasSubstr("<caption>Transcripts</caption>"));
}

TEST_F(RendererTest, SimplePagerHasOnlyPreviousAndNext) {
  publish::Publisher list = List("transcripts", "transcripts");
  list.paging = publish::Paging::kSimple;
  publish::PublisherPage result = PageOf({asset_}, -1, 3, -1);
  result.has_next = true;
  const std::string html = renderer_.PublisherPage(list, "en-GB", result);
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/transcripts/?page=2\" rel=\"prev\">"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/transcripts/?page=4\" rel=\"next\">"));
  EXPECT_THAT(html, Not(HasSubstr("aria-current=\"page\">3")));
  EXPECT_THAT(html, Not(HasSubstr("list-count")));
  result.has_next = false;
  EXPECT_THAT(renderer_.PublisherPage(list, "en-GB", result), Not(HasSubstr("rel=\"next\"")));
}

TEST_F(RendererTest, NoPagingMeansNoPager) {
  publish::Publisher list = List("transcripts", "transcripts");
  list.paging = publish::Paging::kNone;
  EXPECT_THAT(renderer_.PublisherPage(list, "en-GB", PageOf({asset_}, 50, 1, 1)),
              Not(HasSubstr("class=\"pager\"")));
}

TEST_F(RendererTest, PeopleAndTagsAreLinksToTheirLists) {
  publish::Publisher list = List("transcripts", "transcripts");
  list.metadata.people = true;
  list.metadata.tags = true;
  asset_.tags = {"Syria", "OIC"};
  const std::string html = renderer_.PublisherPage(list, "en-GB", PageOf({asset_}, 1));
  EXPECT_THAT(html,
              HasSubstr("<a href=\"/en/people/sergey-lavrov/\">Sergey Lavrov</a>, "
                        "<a href=\"/en/people/ekmeleddin-ihsanoglu/\">Ekmeleddin Ihsanoglu</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/tags/syria/\">Syria</a>"));
  const std::string item = renderer_.ItemPage(asset_, "en-GB", {});
  EXPECT_THAT(item, HasSubstr("<li><a href=\"/en/people/sergey-lavrov/\">Sergey Lavrov</a></li>"));
  EXPECT_THAT(item, HasSubstr("<li><a href=\"/en/tags/oic/\">OIC</a></li>"));
}

TEST_F(RendererTest, PeopleNamedInSeveralScriptsAreShownInThePageLanguagesScript) {
  asset_.people = {"Sergey Lavrov", "Ekmeleddin Ihsanoglu", "Сергей Лавров",
                   "Экмеледдин Ихсаноглу"};
  publish::Publisher list = List("transcripts", "transcripts");
  list.metadata.people = true;
  const std::string ru = renderer_.ItemPage(asset_, "ru-RU", {});
  EXPECT_THAT(ru, HasSubstr("<li><a href=\"/ru/people/sergey-lavrov/\">Сергей Лавров</a></li>"));
  EXPECT_THAT(ru, HasSubstr(">Экмеледдин Ихсаноглу</a></li>"));
  EXPECT_THAT(ru, Not(HasSubstr(">Sergey Lavrov</a>")));
  EXPECT_THAT(renderer_.PublisherPage(list, "ru-RU", PageOf({asset_}, 1)),
              AllOf(HasSubstr(">Сергей Лавров</a>"), Not(HasSubstr(">Ekmeleddin Ihsanoglu</a>"))));
  const std::string en = renderer_.ItemPage(asset_, "en-GB", {});
  EXPECT_THAT(en, HasSubstr("<li><a href=\"/en/people/sergey-lavrov/\">Sergey Lavrov</a></li>"));
  EXPECT_THAT(en, Not(HasSubstr(">Сергей Лавров</a>")));
  // A list with no name in the page's script is shown whole.
  asset_.people = {"С.В.Лавров"};
  EXPECT_THAT(renderer_.ItemPage(asset_, "en-GB", {}), HasSubstr(">С.В.Лавров</a></li>"));
}

TEST_F(RendererTest, HeaderNavigationListsTheListsAndMarksTheCurrentOne) {
  const std::string html =
      renderer_.PublisherPage(List("interviews", "interviews"), "en-GB", PageOf({}, 0, 1, 0));
  EXPECT_THAT(html, HasSubstr("<nav class=\"site-nav\" aria-label=\"Sections\">"));
  EXPECT_THAT(html, HasSubstr("<li><a href=\"/en/\">Home</a></li>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/interviews/\" aria-current=\"page\">Interviews</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/transcripts/\">Transcripts and speeches</a>"));
  EXPECT_THAT(renderer_.ErrorPage("ru-RU", 404),
              HasSubstr("<li><a href=\"/ru/interviews/\">Интервью</a></li>"));
  EXPECT_THAT(html, HasSubstr("<p class=\"empty\">There is nothing in this list yet.</p>"));
}

TEST_F(RendererTest, HostileStringsAreInertInListsAndTables) {
  content::Translation& en = asset_.translations["en-GB"];
  en.title = "<script>alert(1)</script>";
  en.place = "<img src=x onerror=alert(2)>";
  en.summary = "</p><script>alert(3)</script>";
  asset_.people = {"<b>Evil</b>"};
  asset_.tags = {"\"><script>alert(4)</script>"};
  publish::Publisher list = List("transcripts", "transcripts");
  list.titles["en-GB"] = "<script>alert(5)</script>";
  list.metadata.people = true;
  list.metadata.tags = true;
  for (publish::Display display : {publish::Display::kAbstracts, publish::Display::kTitles,
                                   publish::Display::kFull, publish::Display::kTable}) {
    list.display = display;
    const std::string html = renderer_.PublisherPage(list, "en-GB", PageOf({asset_}, 1));
    EXPECT_THAT(html, Not(HasSubstr("<script"))) << publish::DisplayName(display);
    EXPECT_THAT(html, Not(HasSubstr("<img"))) << publish::DisplayName(display);
    EXPECT_THAT(html, Not(HasSubstr("<b>Evil"))) << publish::DisplayName(display);
  }
}

// ---- Item page additions ---------------------------------------------------------------------

TEST_F(RendererTest, AdditionalMaterialsWorkBothWaysOnceEachAndOnlyPublished) {
  asset_.related = {{7, ""}};
  const std::vector<store::Headline> related = {
      {7, "en-GB", "Press release on the talks", "press-release", content::Status::kPublished}};
  const std::vector<store::Headline> referenced_by = {
      {7, "en-GB", "Press release on the talks", "press-release", content::Status::kPublished},
      {9, "en-GB", "Follow-up briefing", "follow-up", content::Status::kPublished},
      {10, "en-GB", "A draft that cites it", "draft", content::Status::kDraft},
  };
  const std::string html = renderer_.ItemPage(asset_, "en-GB", related, referenced_by);
  EXPECT_THAT(
      html,
      HasSubstr(
          "<li><a href=\"/en/assets/7-press-release\" hreflang=\"en-GB\" "
          "lang=\"en-GB\" dir=\"ltr\">"
          "Press release on the talks</a></li>\n"
          "<li><a href=\"/en/assets/9-follow-up\" hreflang=\"en-GB\" lang=\"en-GB\" dir=\"ltr\">"
          "Follow-up briefing</a></li>"));
  EXPECT_EQ(html.find("7-press-release"), html.rfind("7-press-release"));
  EXPECT_THAT(html, Not(HasSubstr("A draft that cites it")));
  // Only referenced: the section exists all the same.
  asset_.related.clear();
  EXPECT_THAT(renderer_.ItemPage(asset_, "ru-RU", {}, {referenced_by[1]}),
              HasSubstr("Дополнительные материалы"));
}

TEST_F(RendererTest, KindLinksToTheListOfExactlyThatKind) {
  // The default lists: "interviews" selects only interviews, transcripts share a list with
  // speeches.
  asset_.kind = content::Kind::kInterview;
  EXPECT_THAT(renderer_.ItemPage(asset_, "en-GB", {}),
              HasSubstr("<a class=\"asset-kind\" href=\"/en/interviews/\">Interview</a>"));
  asset_.kind = content::Kind::kTranscript;
  EXPECT_THAT(renderer_.ItemPage(asset_, "en-GB", {}),
              HasSubstr("<span class=\"asset-kind\">Transcript</span>"));
}

TEST_F(RendererTest, ItemPageLinksThePrintViewAndTheSideBySideView) {
  const std::string html = renderer_.ItemPage(asset_, "en-GB", {});
  const std::string path = std::string("/en/assets/1-") + kSeedEnSlug;
  EXPECT_THAT(html,
              HasSubstr("<a href=\"" + path +
                        "?compare=ru\" rel=\"alternate\" "
                        "hreflang=\"ru-RU\">Side by side with: <span lang=\"ru-RU\" dir=\"ltr\">"
                        "Русский</span></a>"));
  EXPECT_THAT(html,
              HasSubstr("<a href=\"" + path + "?print=1\" rel=\"nofollow\">Print version</a>"));
  EXPECT_THAT(renderer_.ItemPage(asset_, "ru-RU", {}), HasSubstr(">Версия для печати</a>"));
  EXPECT_THAT(html, HasSubstr("<body class=\"screen-view\">"));
}

TEST_F(RendererTest, PrintViewHasNoNavigationAndNamesTheSource) {
  const std::string html = renderer_.ItemPage(asset_, "en-GB", {}, {}, ItemView::kPrint);
  EXPECT_THAT(html, HasSubstr("<body class=\"print-view\">"));
  EXPECT_THAT(html, Not(HasSubstr("site-search")));
  EXPECT_THAT(html, Not(HasSubstr("site-nav")));
  EXPECT_THAT(html, Not(HasSubstr("asset-languages")));
  EXPECT_THAT(html, HasSubstr("<meta name=\"robots\" content=\"noindex\">"));
  EXPECT_THAT(html, HasSubstr(std::string("<p class=\"print-source\">Source: "
                                          "https://mid.example/en/assets/1-") +
                              kSeedEnSlug + "</p>"));
  EXPECT_THAT(html, HasSubstr("<p id=\"p1\">Dear Ladies and Gentlemen,"));
}

TEST_F(RendererTest, JsonLdIsANewsArticleWithLanguageAndTranslationLinks) {
  asset_.tags = {"Syria"};
  const nlohmann::json en = JsonLd(renderer_.ItemPage(asset_, "en-GB", {}));
  ASSERT_TRUE(en.is_object());
  EXPECT_EQ(en["@context"], "https://schema.org");
  EXPECT_EQ(en["@type"], "NewsArticle");
  EXPECT_EQ(en["inLanguage"], "en-GB");
  EXPECT_EQ(en["datePublished"], "2013-06-07T16:29:00+04:00");
  EXPECT_EQ(en["dateModified"], "2013-06-07T16:29:00+04:00");
  EXPECT_EQ(en["url"], std::string("https://mid.example/en/assets/1-") + kSeedEnSlug);
  EXPECT_EQ(en["publisher"]["name"], "Ministry of Foreign Affairs");
  EXPECT_EQ(en["author"]["@type"], "Organization");
  EXPECT_EQ(en["keywords"], nlohmann::json({"Syria", "Sergey Lavrov", "Ekmeleddin Ihsanoglu"}));
  EXPECT_THAT(en["headline"].get<std::string>(), HasSubstr("Speech of and answers"));
  // English is declared first: the original, listing its translation.
  ASSERT_EQ(en["workTranslation"].size(), 1u);
  EXPECT_EQ(en["workTranslation"][0]["inLanguage"], "ru-RU");
  EXPECT_EQ(en["workTranslation"][0]["url"],
            std::string("https://mid.example/ru/assets/1-") + kSeedRuSlug);
  const nlohmann::json ru = JsonLd(renderer_.ItemPage(asset_, "ru-RU", {}));
  EXPECT_EQ(ru["inLanguage"], "ru-RU");
  EXPECT_EQ(ru["translationOfWork"]["inLanguage"], "en-GB");
  EXPECT_FALSE(ru.contains("workTranslation"));
}

TEST_F(RendererTest, OpenGraphDescribesTheArticle) {
  const std::string html = renderer_.ItemPage(asset_, "ru-RU", {});
  EXPECT_THAT(html, HasSubstr("<meta property=\"og:type\" content=\"article\">"));
  EXPECT_THAT(html, HasSubstr("<meta property=\"og:title\" content=\"Выступление и ответы"));
  EXPECT_THAT(html, HasSubstr(std::string("<meta property=\"og:url\" content=\"https://mid.example/"
                                          "ru/assets/1-") +
                              kSeedRuSlug + "\">"));
  EXPECT_THAT(html, HasSubstr("<meta property=\"og:description\" content=\"Дамы и господа,\">"));
  EXPECT_THAT(html, HasSubstr("<meta property=\"og:locale\" content=\"ru_RU\">"));
  EXPECT_THAT(html, HasSubstr("<meta property=\"og:locale:alternate\" content=\"en_GB\">"));
  EXPECT_THAT(html, HasSubstr("<meta property=\"og:site_name\" content=\"Министерство "
                              "иностранных дел\">"));
}

TEST_F(RendererTest, HostileStringsCannotBreakOutOfJsonLdOrOpenGraph) {
  content::Translation& en = asset_.translations["en-GB"];
  en.title = "</script><script>alert(1)</script><!--";
  en.summary = "\"><script>alert(2)</script>";
  en.place = "</script>";
  asset_.tags = {"</SCRIPT><img src=x onerror=alert(3)>"};
  const std::string html = renderer_.ItemPage(asset_, "en-GB", {});
  EXPECT_TRUE(OnlyJsonLdScripts(html));
  EXPECT_EQ(html.find("</script>"), html.rfind("</script>"));  // only the JSON-LD's own end
  EXPECT_THAT(html, Not(HasSubstr("<!--")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  const nlohmann::json json = JsonLd(html);
  EXPECT_EQ(json["headline"], "</script><script>alert(1)</script><!--");
  EXPECT_EQ(json["keywords"][0], "</SCRIPT><img src=x onerror=alert(3)>");
  EXPECT_THAT(html, HasSubstr("<meta property=\"og:title\" content=\"&lt;/script&gt;"));
}

// ---- The side-by-side view -------------------------------------------------------------------

// The rows of a compare page: each row's cells' text, tags stripped.
std::vector<std::vector<std::string>> CompareRows(const std::string& html) {
  std::vector<std::vector<std::string>> rows;
  const std::regex row("<tr id=\"row-([0-9]+)\"[^>]*>([\\s\\S]*?)</tr>");
  const std::regex cell("<td lang=\"([a-zA-Z-]+)\" dir=\"[a-z]+\">([\\s\\S]*?)</td>");
  const std::regex tag("<[^>]*>");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), row); it != std::sregex_iterator();
       ++it) {
    const std::string body = (*it)[2];
    std::vector<std::string> cells;
    for (auto c = std::sregex_iterator(body.begin(), body.end(), cell); c != std::sregex_iterator();
         ++c) {
      cells.push_back(std::string((*c)[1]) + "|" +
                      std::regex_replace(std::string((*c)[2]), tag, ""));
    }
    rows.push_back(cells);
  }
  return rows;
}

TEST_F(RendererTest, CompareViewAlignsTheSeedParagraphByParagraphAndTurnByTurn) {
  const std::string html = renderer_.ComparePage(asset_, "en-GB", "ru-RU");
  const auto rows = CompareRows(html);
  // 7 paragraphs, the question (1 paragraph), the answer (4 paragraphs): 12 rows of 2 cells.
  ASSERT_EQ(rows.size(), 12u);
  for (const auto& row : rows) ASSERT_EQ(row.size(), 2u);
  EXPECT_EQ(rows[0][0], "en-GB|EnglishDear Ladies and Gentlemen,");
  EXPECT_EQ(rows[0][1], "ru-RU|РусскийДамы и господа,");
  EXPECT_THAT(rows[7][0], HasSubstr("Question"));
  EXPECT_THAT(rows[7][1], HasSubstr("Вопрос"));
  // The answer's first row names both speakers; its second paragraphs face each other.
  EXPECT_THAT(rows[8][0], HasSubstr("Sergey LavrovI would like to express"));
  EXPECT_THAT(rows[8][1], HasSubstr("С.В.ЛавровХотел бы высказать"));
  EXPECT_THAT(rows[9][0], HasSubstr("The statements of US representatives"));
  EXPECT_THAT(rows[9][1], HasSubstr("У процитированных Вами заявлений"));
  EXPECT_THAT(rows[9][0], Not(HasSubstr("Sergey Lavrov")));
  // Linkable rows, the page language on the left.
  EXPECT_THAT(html, HasSubstr("<tr id=\"row-12\""));
  EXPECT_THAT(html, HasSubstr("<a href=\"#row-3\" aria-label=\"Row 3\">3</a>"));
  EXPECT_LT(html.find("<th scope=\"col\" lang=\"en-GB\" dir=\"ltr\">"),
            html.find("<th scope=\"col\" lang=\"ru-RU\" dir=\"ltr\">"));
  EXPECT_THAT(html, HasSubstr("<meta name=\"robots\" content=\"noindex\">"));
  // From Russian, Russian is on the left.
  const auto ru = CompareRows(renderer_.ComparePage(asset_, "ru-RU", "en-GB"));
  EXPECT_EQ(ru[0][0], "ru-RU|РусскийДамы и господа,");
}

TEST_F(RendererTest, CompareViewShowsAnEmptyCellWhereACounterpartIsMissing) {
  asset_.translations["ru-RU"].blocks.pop_back();  // no answer in Russian
  asset_.translations["en-GB"].blocks.push_back(content::Block::Paragraph("A closing remark."));
  const auto rows = CompareRows(renderer_.ComparePage(asset_, "en-GB", "ru-RU"));
  // 8 blocks in common, then the English answer (one row) and the closing paragraph.
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_THAT(rows[8][0], HasSubstr("Sergey Lavrov"));
  EXPECT_EQ(rows[8][1], "ru-RU|Русский");
  EXPECT_EQ(rows[9][0], "en-GB|EnglishA closing remark.");
  EXPECT_EQ(rows[9][1], "ru-RU|Русский");
}

TEST_F(RendererTest, CompareViewOfAMissingVersionIsNotFound) {
  asset_.translations.erase("ru-RU");
  for (const char* other : {"ru-RU", "en-GB"}) {
    try {
      renderer_.ComparePage(asset_, "en-GB", other);
      FAIL() << "expected Error for " << other;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    }
  }
}

TEST_F(RendererTest, CompareViewEscapesHostileText) {
  asset_.translations["ru-RU"].blocks.push_back(content::Block::Turn(
      content::TurnRole::kAnswer, "<img src=x onerror=1>", {"<script>alert(1)</script>"}));
  asset_.translations["ru-RU"].title = "<script>alert(2)</script>";
  const std::string html = renderer_.ComparePage(asset_, "en-GB", "ru-RU");
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

TEST(MonthName, NamesTheMonthInTheLanguagesPatternCapitalisedAndGregorian) {
  EXPECT_EQ(MonthNameOfKey("2013-06", "en-GB"), "June 2013");
  // The stand-alone (nominative) month, and ICU's "г." after a narrow no-break space.
  EXPECT_EQ(MonthNameOfKey("2013-06", "ru-RU"), "Июнь 2013\u202Fг.");
  EXPECT_EQ(MonthNameOfKey("2013-12", "ru-RU"), "Декабрь 2013\u202Fг.");
  EXPECT_EQ(MonthNameOfKey("2014-02", "fr-FR"), "Février 2014");
  EXPECT_EQ(MonthNameOfKey("2014-02", "es-ES"), "Febrero de 2014");
  EXPECT_EQ(MonthNameOfKey("2014-02", "de-DE"), "Februar 2014");
  EXPECT_EQ(MonthNameOfKey("2014-02", "pt-PT"), "Fevereiro de 2014");
  // Not the Hijri month ar-SA's calendar would give ("ربيع الآخر ١٤٣٥").
  EXPECT_EQ(MonthNameOfKey("2014-02", "ar-SA"), "فبراير ٢٠١٤");
  EXPECT_EQ(MonthNameOfKey("2014-02", "zh-CN"), "2014年2月");
  EXPECT_EQ(MonthNameOfKey("not-a-key", "en-GB"), "not-a-key");
}

TEST(YearName, WritesTheYearInTheLanguagesDigitsWithoutGrouping) {
  EXPECT_EQ(YearNameOfKey("2013", "en-GB"), "2013");
  EXPECT_EQ(YearNameOfKey("2013", "ar-SA"), "٢٠١٣");
  EXPECT_EQ(YearNameOfKey("2013", "ar-MA"), "2013");
  EXPECT_EQ(YearNameOfKey("20x3", "en-GB"), "20x3");
}

TEST(PageCount, RoundsUpAndIsZeroForNothing) {
  EXPECT_EQ(Renderer::PageCount(0, 20), 0);
  EXPECT_EQ(Renderer::PageCount(1, 20), 1);
  EXPECT_EQ(Renderer::PageCount(20, 20), 1);
  EXPECT_EQ(Renderer::PageCount(21, 20), 2);
}

// A copy of the real resources in a temporary directory, to break on purpose.
class BrokenResourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::filesystem::path source = ASSETPUB_SOURCE_DIR;
    std::filesystem::copy(source / "templates", dir_ / "templates");
    std::filesystem::copy(source / "locales", dir_ / "locales");
    std::filesystem::copy(source / "static", dir_ / "static",
                          std::filesystem::copy_options::recursive);
    config_ = TestConfig();
    config_.resources_dir = dir_;
  }

  void Write(const std::string& relative, const std::string& text) {
    std::ofstream(dir_ / relative, std::ios::trunc) << text;
  }
  std::string LoadError() {
    try {
      Renderer renderer(config_);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
      return e.what();
    }
    return "no error";
  }

  const assetpub::testing::TempDir temp_{"assetpub-render-"};
  const std::filesystem::path dir_ = temp_.path();
  Config config_;
};

TEST_F(BrokenResourcesTest, LocaleLackingAKeyIsRefusedNamingFileAndKey) {
  Write("locales/ru.toml", "[item]\nnot_available = \"недоступно\"\n");
  EXPECT_THAT(LoadError(), AllOf(HasSubstr("ru.toml"), HasSubstr("missing the key")));
}

TEST_F(BrokenResourcesTest, LocaleWithANonStringValueIsRefused) {
  Write("locales/en.toml", "[item]\nnot_available = 3\n");
  EXPECT_THAT(LoadError(), AllOf(HasSubstr("en.toml:2"), HasSubstr("item.not_available")));
}

TEST_F(BrokenResourcesTest, SiteLanguageWithoutALocaleShowsEnglishStrings) {
  std::filesystem::remove(dir_ / "locales/fr.toml");
  config_.languages = {"en-GB", "fr-FR"};
  const Renderer renderer(config_);
  EXPECT_EQ(renderer.Strings("fr-FR").Text("search.title"), "Search");
  const std::string page = renderer.ErrorPage("fr-FR", 404);
  EXPECT_THAT(page,
              AllOf(HasSubstr("<html lang=\"fr-FR\" dir=\"ltr\""), HasSubstr("Page not found")));
}

TEST_F(BrokenResourcesTest, DefaultLanguageWithoutALocaleShowsEnglishStrings) {
  std::filesystem::remove(dir_ / "locales/fr.toml");
  config_.languages = {"fr-FR", "ru-RU"};
  const Renderer renderer(config_);
  EXPECT_THAT(renderer.ErrorPage("fr-FR", 404), HasSubstr("Page not found"));
  EXPECT_THAT(renderer.ErrorPage("ru-RU", 404), Not(HasSubstr("Page not found")));
}

TEST_F(BrokenResourcesTest, LocaleWithoutAdminKeysTakesTheDefaultLanguages) {
  // The public keys of ru.toml alone: cut at its [admin] table.
  std::ifstream in(dir_ / "locales/ru.toml");
  const std::string whole((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Write("locales/ru.toml", whole.substr(0, whole.find("\n[admin]")));
  const Renderer renderer(config_);
  EXPECT_EQ(renderer.Strings("ru-RU").Text("admin.login.title"),
            renderer.Strings("en-GB").Text("admin.login.title"));
  EXPECT_NE(renderer.Strings("ru-RU").Text("search.title"), "Search");
}

TEST_F(BrokenResourcesTest, LocaleFileThatDoesNotParseIsRefused) {
  Write("locales/ru.toml", "[item\n");
  EXPECT_THAT(LoadError(), HasSubstr("ru.toml"));
}

TEST_F(BrokenResourcesTest, TemplateThatDoesNotParseIsRefused) {
  Write("templates/item.mustache", "{{#blocks}}unclosed");
  EXPECT_THAT(LoadError(), HasSubstr("item.mustache"));
}

TEST_F(BrokenResourcesTest, MissingTemplateIsRefused) {
  std::filesystem::remove(dir_ / "templates/publisher.mustache");
  EXPECT_THAT(LoadError(), HasSubstr("publisher.mustache"));
}

TEST_F(BrokenResourcesTest, StylesheetUrlChangesWhenTheStylesheetDoes) {
  auto stylesheet_link = [&] {
    const std::string page = Renderer(config_).ErrorPage("en-GB", 404);
    const size_t at = page.find("/static/css/site.css?v=");
    EXPECT_NE(at, std::string::npos) << page;
    return at == std::string::npos ? std::string() : page.substr(at, page.find('"', at) - at);
  };
  const std::string before = stylesheet_link();
  EXPECT_EQ(before, stylesheet_link());  // stable for the same bytes
  Write("static/css/site.css", "body { color: black; }\n");
  EXPECT_NE(before, stylesheet_link());
}

}  // namespace
}  // namespace assetpub::render
