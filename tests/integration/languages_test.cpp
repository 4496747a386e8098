// A site in every language assetpub ships (en, ru, fr, es, de, pt, ar, zh) plus one it has no
// locale file for (it), over real HTTP: the `assetpub` binary imports sample-content/ (whose
// statement has all eight versions) and a file of 21 counting items, then serves on a free port.
// Each language's search finds a word from the middle of its sentence, counts are in the page's
// plural forms, the Advanced settings list every site language, and numbers, month headings and
// the fallback language's chrome read right.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <utility>  // before Asio: Asio 1.74 with g++ 12 needs std::exchange (DEPENDENCIES.md)
#include <vector>

#include "support/admin_browser.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace {

using assetpub::testing::Fetch;
using assetpub::testing::Reply;
using assetpub::testing::RunCommand;
using assetpub::testing::ServerProcess;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kConfig =
    R"(languages = ["en-GB", "ru-RU", "fr-FR", "es-ES", "de-DE", "pt-PT", "ar-SA", "zh-CN", "it-IT"]
time_zone = "Europe/Moscow"
page_size = 10
site_name.en = "Ministry of Foreign Affairs"
site_name.ru = "Министерство иностранных дел"
site_name.ar = "وزارة الخارجية"
site_name.zh = "外交部"
)";

// Items 1..21, each in Russian and Arabic: every one has the word "zqall", the first five
// "zqfive", the first two "zqtwo", the first "zqone"; so a search gives 1, 2, 5 or 21 results.
nlohmann::json CountingItems() {
  nlohmann::json items = nlohmann::json::array();
  for (int i = 1; i <= 21; ++i) {
    std::string words = "zqall";
    if (i <= 5) words += " zqfive";
    if (i <= 2) words += " zqtwo";
    if (i == 1) words += " zqone";
    const std::string n = std::to_string(i);
    nlohmann::json item = {
        {"kind", "article"},
        {"status", "published"},
        {"published_at", "2015-03-" + std::string(i < 10 ? "0" : "") + n + "T10:00:00+03:00"},
        {"time_zone", "Europe/Moscow"},
        {"languages", {"ru-RU", "ar-SA"}}};
    item["translations"]["ru-RU"] = {
        {"title", "Комментарий номер " + n},
        {"slug", "kommentariy-" + n},
        {"blocks", {{{"type", "paragraph"}, {"text", "Текст комментария: " + words + "."}}}}};
    item["translations"]["ar-SA"] = {
        {"title", "تعليق رقم " + n},
        {"slug", "tlyq-" + n},
        {"blocks", {{{"type", "paragraph"}, {"text", "نص التعليق: " + words + "."}}}}};
    items.push_back(item);
  }
  return items;
}

class LanguagesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_.emplace("assetpub-it-languages-");
    const std::filesystem::path data = temp_->path() / "data";
    std::filesystem::create_directories(data);
    std::ofstream(data / "config.toml") << kConfig;
    const std::filesystem::path counting = temp_->path() / "counting.json";
    std::ofstream(counting) << CountingItems().dump(2);
    auto [code, output] =
        RunCommand({ASSETPUB_BINARY, "--data", data.string(), "import", "--wait-index",
                    std::string(ASSETPUB_SOURCE_DIR) + "/sample-content", counting.string()});
    import_code_ = code;
    import_output_ = output;
    if (code == 0) server_ = std::make_unique<ServerProcess>(data);
  }
  static void TearDownTestSuite() {
    if (server_ != nullptr) {
      EXPECT_EQ(server_->Terminate(std::chrono::seconds(15)), 0);
      server_.reset();
    }
    temp_.reset();
  }
  void SetUp() override {
    ASSERT_EQ(import_code_, 0) << import_output_;
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(server_->port(), 0) << server_->startup_output();
  }

  static Reply Get(const std::string& target) { return Fetch(server_->port(), target); }

  // The statement of sample-content/ (the one item in eight languages), from the API.
  static nlohmann::json Statement() {
    const nlohmann::json list = nlohmann::json::parse(Get("/api/v1/assets?page_size=100").body);
    for (const nlohmann::json& item : list["items"]) {
      if (item["translations"].size() == 8) return item;
    }
    ADD_FAILURE() << "no item with eight versions in " << list.dump();
    return nlohmann::json::object();
  }

  // The text of the search page's count ("5 результатов").
  static std::string Count(const std::string& body) {
    static const std::regex count(
        R"(<p class="search-count" id="search-count" role="status">([^<]*)</p>)");
    std::smatch match;
    return std::regex_search(body, match, count) ? match[1].str() : "(no count in the page)";
  }

  static inline std::optional<assetpub::testing::TempDir> temp_;
  static inline int import_code_ = -1;
  static inline std::string import_output_;
  static inline std::unique_ptr<ServerProcess> server_;
};

// A word from the middle of a sentence of each version, searched on the site in that language.
TEST_F(LanguagesTest, EachLanguagesSearchFindsAWordFromTheMiddleOfItsText) {
  const nlohmann::json statement = Statement();
  ASSERT_TRUE(statement.contains("id"));
  const std::string id = std::to_string(statement["id"].get<int64_t>());
  const std::vector<std::pair<std::string, std::string>> words = {
      {"en-GB", "delegation"}, {"ru-RU", "делегация"},  {"fr-FR", "délégation"},
      {"es-ES", "delegación"}, {"de-DE", "Delegation"}, {"pt-PT", "delegação"},
      {"ar-SA", "وفد"},        {"zh-CN", "代表团"},
  };
  for (const auto& [tag, word] : words) {
    const std::string lang = tag.substr(0, 2);
    const std::string slug = statement["translations"][tag]["slug"].get<std::string>();
    const Reply page = Get("/" + lang + "/search?q=" + assetpub::testing::PercentEncode(word));
    ASSERT_EQ(page.status, 200) << tag;
    EXPECT_THAT(page.body, HasSubstr("<a href=\"/" + lang + "/assets/" + id + "-" + slug + "#p2\""))
        << tag << ": '" << word << "' does not find the statement's second paragraph";
    EXPECT_THAT(page.body, HasSubstr("<mark>")) << tag;
  }
}

TEST_F(LanguagesTest, RussianCountsTakeTheirPluralForm) {
  const std::vector<std::pair<std::string, std::string>> counts = {
      {"zqone", "1 результат"},
      {"zqtwo", "2 результата"},
      {"zqfive", "5 результатов"},
      {"zqall", "21 результат"},
  };
  for (const auto& [word, expected] : counts) {
    const Reply page = Get("/ru/search?q=" + word + "&lang=ru");
    ASSERT_EQ(page.status, 200) << word;
    EXPECT_EQ(Count(page.body), expected) << word;
  }
}

// Arabic has six plural forms (zero, one, two, few 3-10, many 11-99, other), and ar-SA writes
// numbers in Arabic-Indic digits.
TEST_F(LanguagesTest, ArabicCountsTakeTheirPluralForm) {
  const std::vector<std::pair<std::string, std::string>> counts = {
      {"zqnothing", "لا توجد نتائج"}, {"zqone", "نتيجة واحدة"}, {"zqtwo", "نتيجتان"},
      {"zqfive", "٥ نتائج"},          {"zqall", "٢١ نتيجة"},
  };
  for (const auto& [word, expected] : counts) {
    const Reply page = Get("/ar/search?q=" + word + "&lang=ar");
    ASSERT_EQ(page.status, 200) << word;
    EXPECT_EQ(Count(page.body), expected) << word;
  }
}

TEST_F(LanguagesTest, AdvancedSettingsListEverySiteLanguage) {
  for (const std::string lang : {"en", "ru", "fr", "es", "de", "pt", "ar", "zh", "it"}) {
    const Reply page = Get("/" + lang + "/search");
    ASSERT_EQ(page.status, 200) << lang;
    const size_t select = page.body.find("<select id=\"search-lang\" name=\"lang\">");
    ASSERT_NE(select, std::string::npos) << lang;
    const std::string options =
        page.body.substr(select, page.body.find("</select>", select) - select);
    for (const std::string option :
         {"<option value=\"en\" lang=\"en-GB\" dir=\"ltr\">English</option>",
          "<option value=\"ru\" lang=\"ru-RU\" dir=\"ltr\">Русский</option>",
          "<option value=\"fr\" lang=\"fr-FR\" dir=\"ltr\">Français</option>",
          "<option value=\"es\" lang=\"es-ES\" dir=\"ltr\">Español</option>",
          "<option value=\"de\" lang=\"de-DE\" dir=\"ltr\">Deutsch</option>",
          "<option value=\"pt\" lang=\"pt-PT\" dir=\"ltr\">Português</option>",
          "<option value=\"ar\" lang=\"ar-SA\" dir=\"rtl\">العربية</option>",
          "<option value=\"zh\" lang=\"zh-CN\" dir=\"ltr\">中文</option>",
          "<option value=\"it\" lang=\"it-IT\" dir=\"ltr\">Italiano</option>"}) {
      EXPECT_THAT(options, HasSubstr(option)) << "on /" << lang << "/search";
    }
  }
  // And the filter works: Arabic results only.
  const Reply arabic = Get("/en/search?q=zqone&lang=ar");
  EXPECT_THAT(arabic.body, HasSubstr("<option value=\"ar\" lang=\"ar-SA\" dir=\"rtl\" selected>"));
  EXPECT_EQ(Count(arabic.body), "1 result");
}

TEST_F(LanguagesTest, EachLanguageHasItsSiteNameAndItsDirection) {
  const std::vector<std::tuple<std::string, std::string, std::string>> pages = {
      {"/en/", "<html lang=\"en-GB\" dir=\"ltr\">", "Ministry of Foreign Affairs"},
      {"/ru/", "<html lang=\"ru-RU\" dir=\"ltr\">", "Министерство иностранных дел"},
      {"/ar/", "<html lang=\"ar-SA\" dir=\"rtl\">", "وزارة الخارجية"},
      {"/zh/", "<html lang=\"zh-CN\" dir=\"ltr\">", "外交部"},
  };
  for (const auto& [path, html, name] : pages) {
    const Reply page = Get(path);
    ASSERT_EQ(page.status, 200) << path;
    EXPECT_THAT(page.body, HasSubstr(html)) << path;
    EXPECT_THAT(page.body, HasSubstr("<span class=\"site-name-text\">" + name + "<")) << path;
  }
}

// A language without a locale file is served in English chrome; its empty home page must not
// claim that nothing was published "in English".
TEST_F(LanguagesTest, AFallbackLanguagesEmptyHomeReadsRight) {
  const Reply page = Get("/it/");
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("<html lang=\"it-IT\" dir=\"ltr\">"));
  EXPECT_THAT(page.body, HasSubstr("Nothing has been published in this language yet."));
  EXPECT_THAT(page.body, Not(HasSubstr("in English")));
}

// Month headings are Gregorian in the language's own pattern (ar-SA's default calendar is the
// Hijri one; Chinese puts the year first).
TEST_F(LanguagesTest, MonthHeadingsAreGregorianInTheLanguagesPattern) {
  const std::vector<std::pair<std::string, std::string>> headings = {
      {"/en/statements/", ">February 2014</h2>"}, {"/ru/statements/", ">Февраль 2014\u202Fг.</h2>"},
      {"/fr/statements/", ">Février 2014</h2>"},  {"/es/statements/", ">Febrero de 2014</h2>"},
      {"/de/statements/", ">Februar 2014</h2>"},  {"/pt/statements/", ">Fevereiro de 2014</h2>"},
      {"/ar/statements/", ">فبراير ٢٠١٤</h2>"},   {"/zh/statements/", ">2014年2月</h2>"},
  };
  for (const auto& [path, heading] : headings) {
    const Reply page = Get(path);
    ASSERT_EQ(page.status, 200) << path;
    EXPECT_THAT(page.body, HasSubstr(heading)) << path;
  }
}

// Numbers a reader sees are in the locale's digits wherever they appear (FormatNumber): the
// list's count, the pager, paragraph and row labels. Attribute values a browser parses (ids,
// <ol start>) stay ASCII; ordered-list markers follow the digits through a class on <body>.
TEST_F(LanguagesTest, ArabicPagesUseArabicIndicDigitsThroughout) {
  const Reply home = Get("/ar/");
  ASSERT_EQ(home.status, 200);
  EXPECT_THAT(home.body, HasSubstr("١–١٠ من ٢٢"));
  EXPECT_THAT(home.body, HasSubstr("<span class=\"current\" aria-current=\"page\">١</span>"));
  EXPECT_THAT(home.body, HasSubstr(">٢</a>"));
  EXPECT_THAT(home.body, Not(HasSubstr(">2</a>")));
  EXPECT_THAT(home.body, HasSubstr("<body class=\"screen-view digits-arab\">"));

  const Reply search = Get("/ar/search?q=zqall&lang=ar&page=2");
  ASSERT_EQ(search.status, 200);
  EXPECT_THAT(search.body, HasSubstr("<ol class=\"search-hits\" start=\"11\">"));
  EXPECT_THAT(search.body, HasSubstr("<span class=\"current\" aria-current=\"page\">٢</span>"));

  const nlohmann::json statement = Statement();
  const std::string item = "/ar/assets/" + std::to_string(statement.value("id", int64_t{0})) + "-" +
                           statement["translations"]["ar-SA"]["slug"].get<std::string>();
  const Reply page = Get(item);
  ASSERT_EQ(page.status, 200) << item;
  EXPECT_THAT(page.body, HasSubstr("<p id=\"p2\">"));
  EXPECT_THAT(page.body, HasSubstr("aria-label=\"الفقرة ٢\""));
  const Reply compare = Get(item + "?compare=en");
  ASSERT_EQ(compare.status, 200);
  EXPECT_THAT(compare.body, HasSubstr("<a href=\"#row-2\" aria-label=\"السطر ٢\">٢</a>"));

  // English pages keep Western digits and no digits class.
  const Reply english = Get("/en/");
  EXPECT_THAT(english.body, HasSubstr("<body class=\"screen-view\">"));
}

// Labels end as each language punctuates them: French puts a no-break space before the colon,
// Chinese writes a full-width colon.
TEST_F(LanguagesTest, LabelsEndWithTheLanguagesColon) {
  EXPECT_THAT(Get("/en/").body, HasSubstr("<p class=\"list-feeds\">Subscribe: <a "));
  EXPECT_THAT(Get("/fr/").body, HasSubstr("<p class=\"list-feeds\">S&apos;abonner\u00A0: <a "));
  EXPECT_THAT(Get("/zh/").body, HasSubstr("<p class=\"list-feeds\">订阅：<a "));
}

}  // namespace
