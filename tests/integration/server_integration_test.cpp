// End to end over real HTTP: imports sample-content/ plus a hostile page with the `assetpub`
// binary, starts `assetpub serve --listen 127.0.0.1:0` as a child process, reads the port it
// prints, and checks the site and the API with a small Beast client. Needs ASSETPUB_BINARY and
// ASSETPUB_SOURCE_DIR (compile definitions).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <utility>  // before Asio: Asio 1.74 with g++ 12 needs std::exchange (DEPENDENCIES.md)
#include <vector>

#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace {

namespace bhttp = boost::beast::http;
using assetpub::testing::HttpClient;
using assetpub::testing::Reply;
using assetpub::testing::RunCommand;
using assetpub::testing::ServerProcess;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kHostileTitle = "<script>alert(1)</script>";

// How many "<script" tags `html` has that are not the item page's JSON-LD data block (which
// carries no executable script and escapes '<' inside as \u003c).
size_t ExecutableScripts(const std::string& html) {
  size_t count = 0;
  for (size_t at = html.find("<script"); at != std::string::npos;
       at = html.find("<script", at + 1)) {
    if (html.compare(at, 35, "<script type=\"application/ld+json\">") != 0) ++count;
  }
  return count;
}

// A page in the seed's scraped format, with a hostile title and another date.
constexpr const char* kHostilePage =
    "Asset Publisher\n\n"
    "12 March 201410:15\n\n"
    "<script>alert(1)</script>\n\n\n"
    "  \xE2\x80\xA2 en-GB1\n\n"
    "An ordinary first paragraph.\n\n"
    "Question: <b>bold</b> question?\n\n"
    "Sergey Lavrov: An answer.\n\n"
    "Additional materials\n\n\n\n"
    "Advanced settings";

class ServerIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_.emplace("assetpub-it-");
    data_dir_ = temp_->path();
    std::filesystem::create_directories(*data_dir_ / "pages");
    const std::filesystem::path hostile = *data_dir_ / "pages" / "hostile_2014-03-12.txt";
    std::ofstream(hostile) << kHostilePage;
    auto [code, output] =
        RunCommand({ASSETPUB_BINARY, "--data", data_dir_->string(), "import", "--wait-index",
                    std::string(ASSETPUB_SOURCE_DIR) + "/sample-content", hostile.string()});
    import_output_ = output;
    import_code_ = code;
    if (code == 0) server_ = std::make_unique<ServerProcess>(*data_dir_);
  }
  static void TearDownTestSuite() {
    if (server_ != nullptr) {
      const std::optional<int> code = server_->Terminate(std::chrono::seconds(15));
      EXPECT_EQ(code, 0) << "the server did not exit cleanly on SIGTERM";
      server_.reset();
    }
    temp_.reset();
  }

  void SetUp() override {
    ASSERT_EQ(import_code_, 0) << import_output_;
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(server_->port(), 0) << "no 'listening on' line; output:\n"
                                  << server_->startup_output();
  }

  static Reply Fetch(const std::string& target, bhttp::verb method = bhttp::verb::get) {
    HttpClient client(server_->port());
    return client.Fetch(target, {}, method);
  }
  static nlohmann::json FetchJson(const std::string& target) {
    return nlohmann::json::parse(Fetch(target).body);
  }

  // The published asset whose English (or only) title starts with `prefix`, from the API.
  static nlohmann::json FindAsset(const std::string& prefix) {
    const nlohmann::json list = FetchJson("/api/v1/assets?page_size=100");
    for (const auto& item : list["items"]) {
      for (const auto& [tag, translation] : item["translations"].items()) {
        if (translation["title"].get<std::string>().rfind(prefix, 0) == 0) return item;
      }
    }
    ADD_FAILURE() << "no asset titled '" << prefix << "…' in " << list.dump();
    return nlohmann::json::object();
  }
  static nlohmann::json Seed() { return FindAsset("Speech of and answers to questions"); }
  static std::string ItemPath(const nlohmann::json& asset, const std::string& tag) {
    return "/" + tag.substr(0, 2) + "/assets/" + std::to_string(asset["id"].get<int64_t>()) + "-" +
           asset["translations"][tag]["slug"].get<std::string>();
  }

  static inline std::optional<assetpub::testing::TempDir> temp_;
  static inline std::optional<std::filesystem::path> data_dir_;
  static inline std::string import_output_;
  static inline int import_code_ = -1;
  static inline std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServerIntegrationTest, ApiServesTheSeedInTheDesignShape) {
  const nlohmann::json seed = Seed();
  ASSERT_TRUE(seed.contains("id"));
  EXPECT_EQ(seed["published_at"], "2013-06-07T16:29:00+04:00");
  EXPECT_EQ(seed["languages"], nlohmann::json({"en-GB", "ru-RU"}));
  EXPECT_TRUE(seed["translations"].contains("en-GB"));
  EXPECT_TRUE(seed["translations"].contains("ru-RU"));

  const Reply one = Fetch("/api/v1/assets/" + std::to_string(seed["id"].get<int64_t>()));
  EXPECT_EQ(one.status, 200);
  EXPECT_EQ(one.Header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(nlohmann::json::parse(one.body), seed);
}

TEST_F(ServerIntegrationTest, ApiListHasItsShape) {
  const nlohmann::json list = FetchJson("/api/v1/assets?page=1&page_size=1");
  EXPECT_TRUE(list["items"].is_array());
  EXPECT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["page"], 1);
  EXPECT_EQ(list["page_size"], 1);
  EXPECT_GE(list["total"].get<int>(), 2);
  EXPECT_EQ(list["pages"], list["total"]);
  const Reply bad = Fetch("/api/v1/assets?page_size=0");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Header("content-type"), "application/problem+json; charset=utf-8");
  EXPECT_THAT(nlohmann::json::parse(bad.body)["detail"].get<std::string>(), HasSubstr("page_size"));
}

TEST_F(ServerIntegrationTest, BothLanguagePagesOfTheSeedShowTheirDate) {
  const nlohmann::json seed = Seed();
  const Reply en = Fetch(ItemPath(seed, "en-GB"));
  const Reply ru = Fetch(ItemPath(seed, "ru-RU"));
  EXPECT_EQ(en.status, 200);
  EXPECT_EQ(ru.status, 200);
  EXPECT_EQ(en.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_THAT(en.body, HasSubstr("<html lang=\"en-GB\" dir=\"ltr\">"));
  EXPECT_THAT(ru.body, HasSubstr("<html lang=\"ru-RU\" dir=\"ltr\">"));
  EXPECT_THAT(en.body, HasSubstr("<time datetime=\"2013-06-07T16:29:00+04:00\">"
                                 "7 June 2013 16:29</time>"));
  EXPECT_THAT(ru.body, HasSubstr("<time datetime=\"2013-06-07T16:29:00+04:00\">"
                                 "7 июня 2013\u202fг. 16:29</time>"));
  EXPECT_EQ(ExecutableScripts(en.body), 0u);
}

TEST_F(ServerIntegrationTest, LanguageSwitcherLinksTheOtherVersion) {
  const nlohmann::json seed = Seed();
  EXPECT_THAT(Fetch(ItemPath(seed, "en-GB")).body,
              HasSubstr("<a href=\"" + ItemPath(seed, "ru-RU") +
                        "\" hreflang=\"ru-RU\" lang=\"ru-RU\" dir=\"ltr\">Русский</a>"));
  EXPECT_THAT(Fetch(ItemPath(seed, "ru-RU")).body,
              HasSubstr("<a href=\"" + ItemPath(seed, "en-GB") +
                        "\" hreflang=\"en-GB\" lang=\"en-GB\" dir=\"ltr\">English</a>"));
}

TEST_F(ServerIntegrationTest, TurnsMarkSpeakersAndQuestions) {
  const nlohmann::json seed = Seed();
  const std::string en = Fetch(ItemPath(seed, "en-GB")).body;
  const std::string ru = Fetch(ItemPath(seed, "ru-RU")).body;
  EXPECT_THAT(en, HasSubstr("<section class=\"turn turn-question\">"));
  EXPECT_THAT(en, HasSubstr("<p class=\"speaker\"><strong>Question</strong>"));
  EXPECT_THAT(en, HasSubstr("<section class=\"turn turn-answer\">\n"
                            "<p class=\"speaker\"><strong>Sergey Lavrov</strong>"));
  EXPECT_THAT(ru, HasSubstr("<section class=\"turn turn-question\">"));
  EXPECT_THAT(ru, HasSubstr("<p class=\"speaker\"><strong>С.В.Лавров</strong>"));
}

TEST_F(ServerIntegrationTest, EveryParagraphHasAnAnchor) {
  const nlohmann::json seed = Seed();
  for (const std::string tag : {"en-GB", "ru-RU"}) {
    const std::string html = Fetch(ItemPath(seed, tag)).body;
    for (int i = 1; i <= 12; ++i) {
      const std::string id = "p" + std::to_string(i);
      EXPECT_THAT(html, HasSubstr("<p id=\"" + id + "\">")) << tag;
      EXPECT_THAT(html, HasSubstr("<a class=\"pilcrow\" href=\"#" + id + "\"")) << tag;
    }
    EXPECT_THAT(html, Not(HasSubstr("id=\"p13\""))) << tag;
  }
}

TEST_F(ServerIntegrationTest, HeadHasCanonicalAndHreflangAlternates) {
  const nlohmann::json seed = Seed();
  const std::string html = Fetch(ItemPath(seed, "ru-RU")).body;
  const auto has_link = [&](const std::string& attributes, const std::string& path) {
    const std::regex link("<link " + attributes + " href=\"https?://[^\"/]+" + path + "\">");
    return std::regex_search(html, link);
  };
  EXPECT_TRUE(has_link("rel=\"canonical\"", ItemPath(seed, "ru-RU"))) << html;
  EXPECT_TRUE(has_link("rel=\"alternate\" hreflang=\"en-GB\"", ItemPath(seed, "en-GB")));
  EXPECT_TRUE(has_link("rel=\"alternate\" hreflang=\"ru-RU\"", ItemPath(seed, "ru-RU")));
  EXPECT_TRUE(has_link("rel=\"alternate\" hreflang=\"x-default\"", ItemPath(seed, "en-GB")));
}

TEST_F(ServerIntegrationTest, RootRedirectsToTheDefaultLanguage) {
  const Reply reply = Fetch("/");
  EXPECT_EQ(reply.status, 302);
  EXPECT_EQ(reply.Header("location"), "/en/");
}

TEST_F(ServerIntegrationTest, WrongSlugRedirectsToTheCanonicalUrl) {
  const nlohmann::json seed = Seed();
  const Reply reply =
      Fetch("/en/assets/" + std::to_string(seed["id"].get<int64_t>()) + "-not-the-slug");
  EXPECT_EQ(reply.status, 301);
  EXPECT_EQ(reply.Header("location"), ItemPath(seed, "en-GB"));
}

TEST_F(ServerIntegrationTest, UnknownUrlIsA404Page) {
  const Reply reply = Fetch("/en/no/such/page");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_THAT(reply.body, HasSubstr("<h1>Page not found</h1>"));
}

TEST_F(ServerIntegrationTest, UnknownAssetInTheApiIsAProblem) {
  const Reply reply = Fetch("/api/v1/assets/999999");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.Header("content-type"), "application/problem+json; charset=utf-8");
  const nlohmann::json problem = nlohmann::json::parse(reply.body);
  EXPECT_EQ(problem["status"], 404);
  EXPECT_EQ(problem["title"], "Not Found");
  EXPECT_TRUE(problem.contains("type"));
  EXPECT_TRUE(problem.contains("detail"));
}

TEST_F(ServerIntegrationTest, HostileTitleIsTextNeverMarkup) {
  const nlohmann::json hostile = FindAsset(kHostileTitle);
  ASSERT_TRUE(hostile.contains("id"));
  const Reply page = Fetch(ItemPath(hostile, "en-GB"));
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_EQ(ExecutableScripts(page.body), 0u);
  EXPECT_THAT(page.body, Not(HasSubstr("<script>")));
  EXPECT_THAT(page.body, Not(HasSubstr("<b>bold")));
  EXPECT_THAT(Fetch("/en/").body, Not(HasSubstr("<script")));
  const Reply json = Fetch("/api/v1/assets/" + std::to_string(hostile["id"].get<int64_t>()));
  EXPECT_THAT(json.body, Not(HasSubstr("<script")));
  EXPECT_EQ(nlohmann::json::parse(json.body)["translations"]["en-GB"]["title"], kHostileTitle);
  EXPECT_THAT(Fetch("/api/v1/assets?page_size=100").body, Not(HasSubstr("<script")));
}

TEST_F(ServerIntegrationTest, HomeListsTheSeedInEachLanguage) {
  const nlohmann::json seed = Seed();
  const Reply en = Fetch("/en/");
  EXPECT_EQ(en.status, 200);
  EXPECT_THAT(en.body, HasSubstr("<a href=\"" + ItemPath(seed, "en-GB") + "\">"));
  EXPECT_THAT(Fetch("/ru/").body, HasSubstr("<a href=\"" + ItemPath(seed, "ru-RU") + "\">"));
  EXPECT_EQ(Fetch("/en/?page=abc").status, 400);
}

TEST_F(ServerIntegrationTest, HeadSendsTheLengthWithoutTheBody) {
  const Reply get = Fetch("/en/");
  const Reply head = Fetch("/en/", bhttp::verb::head);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), std::to_string(get.body.size()));
  EXPECT_TRUE(head.body.empty());
}

TEST_F(ServerIntegrationTest, OtherMethodsAre405) {
  const Reply reply = Fetch("/en/", bhttp::verb::post);
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.Header("allow"), "GET, HEAD");
}

TEST_F(ServerIntegrationTest, SecurityHeadersAndStaticFiles) {
  const Reply css = Fetch("/static/css/site.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.Header("content-type"), "text/css; charset=utf-8");
  EXPECT_THAT(css.Header("cache-control"), HasSubstr("max-age="));
  for (const std::string target : {"/en/", "/static/css/site.css", "/nothing", "/healthz"}) {
    const Reply reply = Fetch(target);
    EXPECT_EQ(reply.Header("x-content-type-options"), "nosniff") << target;
    EXPECT_EQ(reply.Header("referrer-policy"), "strict-origin-when-cross-origin") << target;
    EXPECT_EQ(reply.Header("content-security-policy"), "default-src 'self'; frame-ancestors 'none'")
        << target;
  }
  EXPECT_EQ(Fetch("/static/../locales/en.toml").status, 404);
  EXPECT_EQ(Fetch("/healthz").body, "ok");
}

TEST_F(ServerIntegrationTest, OneConnectionServesSeveralRequests) {
  HttpClient client(server_->port());
  EXPECT_EQ(client.Fetch("/healthz").status, 200);
  EXPECT_EQ(client.Fetch("/en/").status, 200);
  EXPECT_EQ(client.Fetch("/api/v1/assets/999999").status, 404);
  EXPECT_EQ(client.Fetch("/healthz").body, "ok");
}

// A server of its own, stopped while a kept-alive connection sits idle: SIGTERM must not wait
// for that connection's timeout.
TEST_F(ServerIntegrationTest, StopsPromptlyOnSigtermWithAnIdleConnectionOpen) {
  ServerProcess server(*data_dir_);
  ASSERT_NE(server.port(), 0) << server.startup_output();
  HttpClient client(server.port());
  EXPECT_EQ(client.Fetch("/healthz").status, 200);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server.Terminate(std::chrono::seconds(8)), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// A page in the seed's scraped format with its own date, title and paragraph.
std::string ScrapedPage(const std::string& date_line, const std::string& title,
                        const std::string& paragraph) {
  return "Asset Publisher\n\n" + date_line + "\n\n" + title + "\n\n\n  \xE2\x80\xA2 en-GB1\n\n" +
         paragraph + "\n\nAdditional materials\n\n\n\nAdvanced settings";
}

// The search results of `target` (an /api/v1/search URL) once they hold `total` hits, polling
// for up to `timeout`; the last answer otherwise.
nlohmann::json AwaitSearch(unsigned short port, const std::string& target, int total,
                           std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  nlohmann::json json;
  do {
    HttpClient client(port);
    json = nlohmann::json::parse(client.Fetch(target).body);
    if (json.value("total", -1) == total) return json;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (std::chrono::steady_clock::now() < deadline);
  return json;
}

// The index is derived data. Writes made while no server runs (here by another data directory's
// `assetpub import` into the same store, so this index is honestly left behind, as after a
// crash between the store's commit and the index's) are found once the server starts; writes
// another process makes while it runs reach it through the follower.
TEST(SearchCatchUp, WritesTheIndexMissedAreFoundOnceTheServerRuns) {
  const assetpub::testing::TempDir temp("assetpub-it-search-");
  const std::filesystem::path data = temp.path() / "data";
  const std::filesystem::path other = temp.path() / "other";
  const std::string store = "sqlite:" + (data / "assetpub.db").string();
  const std::string binary = ASSETPUB_BINARY;

  auto [imported, import_output] =
      RunCommand({binary, "--data", data.string(), "import", "--wait-index",
                  std::string(ASSETPUB_SOURCE_DIR) + "/sample-content"});
  ASSERT_EQ(imported, 0) << import_output;
  EXPECT_THAT(import_output, HasSubstr("search index: 2 asset(s) indexed"));

  const std::filesystem::path wombat = temp.path() / "wombat.txt";
  std::ofstream(wombat) << ScrapedPage("14 May 201512:00", "Statement on the wombat census",
                                       "The wombat census was discussed at length.");
  auto [behind, behind_output] =
      RunCommand({binary, "--data", other.string(), "import", "--store", store, wombat.string()});
  ASSERT_EQ(behind, 0) << behind_output;
  auto [searched, search_output] =
      RunCommand({binary, "--data", data.string(), "search", "wombat"});
  ASSERT_EQ(searched, 0) << search_output;
  ASSERT_THAT(search_output, HasSubstr("Nothing found")) << "the index is not behind the store";

  ServerProcess server(data);
  ASSERT_NE(server.port(), 0) << server.startup_output();
  // The server listens first and catches the index up behind it (search answers 503 with
  // Retry-After meanwhile): the missed write is found as soon as that is done.
  const nlohmann::json found =
      AwaitSearch(server.port(), "/api/v1/search?q=wombat", 1, std::chrono::seconds(30));
  ASSERT_EQ(found["total"], 1) << found.dump();
  EXPECT_EQ(found["hits"][0]["title"], "Statement on the wombat census");
  {
    HttpClient client(server.port());
    const Reply page = client.Fetch("/en/search?q=wombat");
    EXPECT_EQ(page.status, 200);
    EXPECT_THAT(page.body, HasSubstr(">Statement on the wombat census</a>"));
    EXPECT_THAT(page.body, HasSubstr("<mark>wombat</mark>"));
  }

  const std::filesystem::path platypus = temp.path() / "platypus.txt";
  std::ofstream(platypus) << ScrapedPage("15 May 201512:00", "Statement on the platypus",
                                         "The platypus lays eggs.");
  auto [followed, follow_output] =
      RunCommand({binary, "--data", other.string(), "import", "--store", store, platypus.string()});
  ASSERT_EQ(followed, 0) << follow_output;
  const nlohmann::json later =
      AwaitSearch(server.port(), "/api/v1/search?q=platypus", 1, std::chrono::seconds(10));
  EXPECT_EQ(later["total"], 1) << later.dump();

  // The CLI reads the index while the server holds it, and now sees what the server caught up.
  auto [cli, cli_output] = RunCommand({binary, "--data", data.string(), "search", "wombat"});
  EXPECT_EQ(cli, 0);
  EXPECT_THAT(cli_output, HasSubstr("Statement on the wombat census"));
  EXPECT_EQ(server.Terminate(std::chrono::seconds(15)), 0);
}

}  // namespace
