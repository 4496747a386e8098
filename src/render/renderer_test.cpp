#include "render/renderer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "core/error.h"
#include "render/testing/seed_asset.h"
#include "support/temp_dir.h"

namespace assetpub::render {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kEnSlug =
    "speech-of-and-answers-to-questions-of-mass-media-by-russian-foreign-minister";
constexpr const char* kRuSlug =
    "vystupleniye-i-otvety-na-voprosy-smi-ministra-inostrannykh-del-rossii-s-v-lavrova";

Config TestConfig() {
  Config config;
  config.resources_dir = ASSETPUB_SOURCE_DIR;
  config.base_url = "https://mid.example";
  config.site_name = "Ministry of Foreign Affairs";
  return config;
}

class RendererTest : public ::testing::Test {
 protected:
  Renderer renderer_{TestConfig()};
  content::Asset asset_ = testing::SeedAsset(1);
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
  EXPECT_THAT(renderer_.ItemPage(asset_, "ru-RU", {}),
              HasSubstr("<time datetime=\"2013-06-07T16:29:00+04:00\">7 июня 2013 16:29</time>"));
}

TEST_F(RendererTest, ItemPageHasTitleHeadingPlaceAndDocumentLanguage) {
  const std::string html = renderer_.ItemPage(asset_, "ru-RU", {});
  EXPECT_THAT(html, HasSubstr("<html lang=\"ru-RU\">"));
  EXPECT_THAT(html, HasSubstr("<h1>Выступление и ответы на вопросы СМИ"));
  EXPECT_THAT(html, HasSubstr("<title>Выступление и ответы"));
  EXPECT_THAT(html, HasSubstr("— Ministry of Foreign Affairs</title>"));
  EXPECT_THAT(html, HasSubstr("<p class=\"asset-place\">Москва</p>"));
  EXPECT_THAT(html, HasSubstr("Стенограмма"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
}

TEST_F(RendererTest, LanguageSwitcherLinksTheOtherTranslationAndMarksTheCurrentOne) {
  const std::string en = renderer_.ItemPage(asset_, "en-GB", {});
  EXPECT_THAT(en, HasSubstr(std::string("<a href=\"/ru/assets/1-") + kRuSlug +
                            "\" hreflang=\"ru-RU\" lang=\"ru-RU\">Русский</a>"));
  EXPECT_THAT(en,
              HasSubstr(std::string("<a href=\"/en/assets/1-") + kEnSlug +
                        "\" hreflang=\"en-GB\" lang=\"en-GB\" aria-current=\"page\">English</a>"));
  const std::string ru = renderer_.ItemPage(asset_, "ru-RU", {});
  EXPECT_THAT(ru, HasSubstr(std::string("<a href=\"/en/assets/1-") + kEnSlug +
                            "\" hreflang=\"en-GB\" lang=\"en-GB\">English</a>"));
}

TEST_F(RendererTest, DeclaredButMissingVersionIsShownAsUnavailableText) {
  asset_.translations.erase("ru-RU");
  asset_.languages.push_back("fr-FR");  // declared, and not a language of this site either
  const std::string html = renderer_.ItemPage(asset_, "en-GB", {});
  EXPECT_THAT(html, HasSubstr("<span class=\"unavailable\"><span lang=\"ru-RU\">Русский</span> "
                              "(not available)</span>"));
  EXPECT_THAT(html, HasSubstr("<span lang=\"fr-FR\">Français</span> (not available)"));
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
  const std::string en_url = std::string("https://mid.example/en/assets/1-") + kEnSlug;
  const std::string ru_url = std::string("https://mid.example/ru/assets/1-") + kRuSlug;
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
  EXPECT_THAT(html, HasSubstr("<li><a href=\"/en/assets/7-press-release-on-the-talks\" "
                              "hreflang=\"en-GB\">Press release on the talks</a></li>"));
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
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<b>Moscow")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, Not(HasSubstr("<u>")));
  EXPECT_THAT(html, HasSubstr("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
  EXPECT_THAT(html, HasSubstr("<title>&lt;script&gt;alert(1)&lt;/script&gt; — "));
  EXPECT_THAT(html, HasSubstr("content=\"&quot;quoted&quot; &amp; &lt;i&gt;\""));

  store::ListPage list{{asset_}, 1};
  const std::string home = renderer_.HomePage("en-GB", list, 1, 20);
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
  store::ListPage list{{asset_}, 1};
  const std::string html = renderer_.HomePage("en-GB", list, 1, 20);
  EXPECT_THAT(html, HasSubstr("<h1 class=\"page-title\">Latest publications</h1>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"asset-kind\">Transcript</span> <time "
                              "datetime=\"2013-06-07T16:29:00+04:00\">7 June 2013 16:29</time>"));
  EXPECT_THAT(html, HasSubstr(std::string("<a href=\"/en/assets/1-") + kEnSlug +
                              "\">Speech of and answers"));
  EXPECT_THAT(html, HasSubstr("<p class=\"asset-place\">Moscow</p>"));
  EXPECT_THAT(html, HasSubstr("<p class=\"asset-summary\">Russia and the OIC agreed"));
  EXPECT_THAT(html, Not(HasSubstr("class=\"pager\"")));  // one page: no pager
  EXPECT_THAT(html, HasSubstr("<link rel=\"canonical\" href=\"https://mid.example/en/\">"));
  EXPECT_THAT(html, HasSubstr("hreflang=\"x-default\" href=\"https://mid.example/en/\""));
}

TEST_F(RendererTest, HomePageWithNothingSaysSo) {
  const std::string html = renderer_.HomePage("ru-RU", store::ListPage{}, 1, 20);
  EXPECT_THAT(html, HasSubstr("На русском языке пока ничего не опубликовано."));
  EXPECT_THAT(html, Not(HasSubstr("<ol")));
}

TEST_F(RendererTest, PagerIsNumberedWithPreviousNextAndGaps) {
  store::ListPage list{{asset_}, 200};  // 20 pages of 10
  const std::string html = renderer_.HomePage("en-GB", list, 10, 10);
  EXPECT_THAT(html, HasSubstr("<nav class=\"pager\" aria-label=\"Pages\">"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/?page=9\" rel=\"prev\">← Previous page</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/?page=11\" rel=\"next\">Next page →</a>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"current\" aria-current=\"page\">10</span>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/\" aria-label=\"Page 1\">1</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/?page=20\" aria-label=\"Page 20\">20</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/en/?page=8\" aria-label=\"Page 8\">8</a>"));
  EXPECT_THAT(html, Not(HasSubstr("?page=7\"")));
  EXPECT_THAT(html, HasSubstr("<span class=\"gap\" aria-hidden=\"true\">…</span>"));
  EXPECT_THAT(html, HasSubstr("<link rel=\"canonical\" href=\"https://mid.example/en/?page=10\">"));

  const std::string first = renderer_.HomePage("en-GB", list, 1, 10);
  EXPECT_THAT(first, Not(HasSubstr("rel=\"prev\"")));
  const std::string last = renderer_.HomePage("en-GB", list, 20, 10);
  EXPECT_THAT(last, Not(HasSubstr("rel=\"next\"")));
}

TEST_F(RendererTest, ErrorPagesAreLocalisedAndNotIndexed) {
  const std::string ru = renderer_.ErrorPage("ru-RU", 404);
  EXPECT_THAT(ru, HasSubstr("<html lang=\"ru-RU\">"));
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
  EXPECT_THAT(html, HasSubstr(std::string("<a href=\"/ru/assets/1-") + kRuSlug +
                              "\" hreflang=\"ru-RU\" lang=\"ru-RU\">"));
  // The header's language switch leads to the Russian item, not just the Russian home.
  EXPECT_THAT(html, HasSubstr(std::string("<a href=\"/ru/assets/1-") + kRuSlug +
                              "\" hreflang=\"ru-RU\" lang=\"ru-RU\">Русский</a>"));
}

TEST_F(RendererTest, HeaderLanguageSwitchLeadsToTheSamePageInTheOtherLanguage) {
  const std::string html = renderer_.ItemPage(asset_, "en-GB", {});
  EXPECT_THAT(html, HasSubstr("<span class=\"current\" lang=\"en-GB\" aria-current=\"true\">"
                              "English</span>"));
  const std::string home = renderer_.HomePage("en-GB", store::ListPage{}, 1, 20);
  EXPECT_THAT(home, HasSubstr("<a href=\"/ru/\" hreflang=\"ru-RU\" lang=\"ru-RU\">Русский</a>"));
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

TEST_F(BrokenResourcesTest, SiteLanguageWithoutALocaleIsRefused) {
  config_.languages = {"en-GB", "fr-FR"};
  EXPECT_THAT(LoadError(), AllOf(HasSubstr("fr.toml"), HasSubstr("missing")));
}

TEST_F(BrokenResourcesTest, TemplateThatDoesNotParseIsRefused) {
  Write("templates/item.mustache", "{{#blocks}}unclosed");
  EXPECT_THAT(LoadError(), HasSubstr("item.mustache"));
}

TEST_F(BrokenResourcesTest, MissingTemplateIsRefused) {
  std::filesystem::remove(dir_ / "templates/home.mustache");
  EXPECT_THAT(LoadError(), HasSubstr("home.mustache"));
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
