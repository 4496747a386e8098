// The product end to end on PostgreSQL: the `assetpub` binary with `--store postgresql://…` on a
// fresh database of the test process's own PostgreSQL 15 server (support/postgres_server.h).
// What a user does on SQLite works the same: import, the site's pages, feeds, sitemap, search
// and API reads; an export identical to SQLite's; users and tokens made with the CLI; writes
// through the API and the admin UI, found by search through the change log (LISTEN/NOTIFY).
// And when the database goes away: cached pages still answer, everything else answers 503 with
// Retry-After (never 500, the server stays up), and it recovers by itself once the database is
// back. Two servers on one database make two nodes: a session opened on one saves through the
// other, and failed logins on both add up to one limit. Needs ASSETPUB_BINARY and
// ASSETPUB_SOURCE_DIR.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <tuple>
#include <utility>  // before Asio: Asio 1.74 with g++ 12 needs std::exchange (DEPENDENCIES.md)
#include <vector>

#include "support/admin_browser.h"
#include "support/http_client.h"
#include "support/postgres_server.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace {

namespace bhttp = boost::beast::http;
using assetpub::testing::AdminBrowser;
using assetpub::testing::Fetch;
using assetpub::testing::HiddenField;
using assetpub::testing::PercentEncode;
using assetpub::testing::PostgresServer;
using assetpub::testing::Reply;
using assetpub::testing::RequestHeaders;
using assetpub::testing::RunCommand;
using assetpub::testing::ServerProcess;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

constexpr const char* kAdmin = "alice";
constexpr const char* kAdminPassword = "correct horse battery";
constexpr const char* kProblemJson = "application/problem+json";

std::string Samples() { return std::string(ASSETPUB_SOURCE_DIR) + "/sample-content"; }

// Calls `done` every 50 ms until it returns true, at most `timeout` long (and 1,000 times);
// returns whether it did.
bool PollUntil(std::chrono::milliseconds timeout, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// `assetpub --data DATA --store STORE ARGS…` with `input` on standard input: its exit code and
// its standard output (with standard error too when `capture_stderr`).
std::pair<int, std::string> Assetpub(const std::filesystem::path& data, const std::string& store,
                                     const std::vector<std::string>& args,
                                     const std::string& input = {}, bool capture_stderr = true) {
  std::vector<std::string> argv = {ASSETPUB_BINARY, "--data", data.string(), "--store", store};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, input, capture_stderr);
}

// `assetpub export` of `store` (its standard output only), or "" with a failed expectation.
std::string Export(const std::filesystem::path& data, const std::string& store) {
  const auto [code, exported] = Assetpub(data, store, {"export"}, {}, /*capture_stderr=*/false);
  EXPECT_EQ(code, 0) << store;
  return code == 0 ? exported : "";
}

// An export with each "modified_at" value replaced by "…": the one member that records when the
// import ran rather than what was imported.
std::string WithoutImportTimes(const std::string& exported) {
  return std::regex_replace(exported, std::regex("\"modified_at\": \"[^\"]*\""),
                            "\"modified_at\": \"…\"");
}

// A request with the API token (when given), a JSON body (when given) and If-Match (when given).
Reply Send(unsigned short port, bhttp::verb method, const std::string& target,
           const std::string& token, const std::optional<json>& body = std::nullopt,
           const std::string& if_match = {}) {
  RequestHeaders headers;
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  if (!if_match.empty()) headers.emplace_back("If-Match", if_match);
  std::optional<std::string> payload;
  if (body) {
    headers.emplace_back("Content-Type", "application/json");
    payload = body->dump();
  }
  return Fetch(port, target, headers, method, payload);
}

// A draft statement in English.
json Statement(const std::string& title, const std::string& paragraph) {
  return json{{"kind", "statement"},
              {"translations",
               {{"en-GB",
                 {{"title", title}, {"blocks", {{{"type", "paragraph"}, {"text", paragraph}}}}}}}}};
}

// The answer to `target` after following one redirect, if there is one.
Reply FetchFollowing(unsigned short port, const std::string& target) {
  Reply reply = Fetch(port, target);
  if (reply.status == 301 || reply.status == 302) reply = Fetch(port, reply.Header("location"));
  return reply;
}

// The "total" of /api/v1/search?q=`word` once it is `total`, polling for up to `timeout`; the
// last total otherwise (-1 when the answer was not a search result).
int AwaitSearchTotal(unsigned short port, const std::string& word, int total,
                     std::chrono::seconds timeout) {
  int seen = -1;
  PollUntil(timeout, [&] {
    const Reply reply = Fetch(port, "/api/v1/search?q=" + PercentEncode(word));
    const json result = json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
    seen = reply.status == 200 && result.is_object() ? result.value("total", -1) : -1;
    return seen == total;
  });
  return seen;
}

// A value of the server's /metrics, or -1.
int64_t Metric(unsigned short port, const std::string& name) {
  const std::string body = Fetch(port, "/metrics").body;
  const size_t at = body.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stoll(body.substr(at + name.size() + 2));
}

// A site on a fresh database of the shared PostgreSQL server: sample-content/ imported, an admin
// (kAdmin) and an API token of theirs, all with the CLI, then `assetpub serve` on it. When a step
// fails, `failure` says which (and `server` may be null).
struct PostgresSite {
  explicit PostgresSite(const std::string& prefix) : temp(prefix) {
    try {
      url = PostgresServer::Shared().CreateDatabase();
    } catch (const std::exception& e) {
      failure = std::string("no PostgreSQL database: ") + e.what();
      return;
    }
    const auto [imported, import_output] = Cli({"import", "--wait-index", Samples()});
    const auto [added, add_output] =
        Cli({"user", "add", kAdmin, "--role", "admin"}, std::string(kAdminPassword) + "\n");
    if (imported != 0 || added != 0) {
      failure = "import or user add failed:\n" + import_output + add_output;
      return;
    }
    int made = 0;
    std::tie(made, token) = Assetpub(temp.path(), url, {"token", "create", "--user", kAdmin}, {},
                                     /*capture_stderr=*/false);
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    if (made != 0 || !token.starts_with("ap_")) {
      failure = "token create failed: " + token;
      return;
    }
    server = std::make_unique<ServerProcess>(temp.path(), std::vector<std::string>{"--store", url});
    if (server->port() == 0) failure = "the server did not start:\n" + server->startup_output();
  }

  // `assetpub --data DIR --store URL ARGS…` on this site's folder and database.
  std::pair<int, std::string> Cli(const std::vector<std::string>& args,
                                  const std::string& input = {}) const {
    return Assetpub(temp.path(), url, args, input);
  }
  unsigned short port() const { return server->port(); }

  // The seed transcript as the API gives it (sample-content/ has it and, newer, a statement in
  // eight languages: the list is newest first).
  json Sample() const {
    const json list = json::parse(Fetch(port(), "/api/v1/assets").body);
    EXPECT_EQ(list["total"], 2) << list.dump();
    for (const json& item : list.value("items", json::array())) {
      if (item.value("kind", "") == "transcript") return item;
    }
    ADD_FAILURE() << "no transcript in " << list.dump();
    return json::object();
  }

  // Creates `asset` as a draft through the API and publishes it; returns its id (0 on failure,
  // with a failed expectation).
  int64_t Publish(const json& asset) const {
    const Reply created = Send(port(), bhttp::verb::post, "/api/v1/assets", token, asset);
    EXPECT_EQ(created.status, 201) << created.body;
    if (created.status != 201) return 0;
    const int64_t id = json::parse(created.body).at("id").get<int64_t>();
    const Reply published =
        Send(port(), bhttp::verb::post, "/api/v1/assets/" + std::to_string(id) + "/publish", token,
             std::nullopt, created.Header("etag"));
    EXPECT_EQ(published.status, 200) << published.body;
    return published.status == 200 ? id : 0;
  }

  assetpub::testing::TempDir temp;
  std::string url;
  std::string token;
  std::unique_ptr<ServerProcess> server;
  std::string failure;
};

// The path of `asset`'s page in `tag` ("en-GB", …).
std::string ItemPath(const json& asset, const std::string& tag) {
  const json translation = asset.value("translations", json::object()).value(tag, json::object());
  return "/" + tag.substr(0, 2) + "/assets/" + std::to_string(asset.value("id", int64_t{0})) + "-" +
         translation.value("slug", "");
}

// A test suite whose tests share one PostgresSite, made before the first and gone after the last.
// One per `Suite`: the read-only checks see the samples alone whatever the writes do.
template <typename Suite>
class SharedSiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { site_ = std::make_unique<PostgresSite>("assetpub-pg-it-"); }
  static void TearDownTestSuite() { site_.reset(); }
  void SetUp() override { ASSERT_TRUE(site_->failure.empty()) << site_->failure; }

  static Reply Get(const std::string& target) { return Fetch(site_->port(), target); }

  static inline std::unique_ptr<PostgresSite> site_;
};

class PostgresSiteTest : public SharedSiteTest<PostgresSiteTest> {};
class PostgresWriteTest : public SharedSiteTest<PostgresWriteTest> {};

TEST_F(PostgresSiteTest, PagesFeedsSitemapAndSearchServeTheImport) {
  const json sample = site_->Sample();
  const std::string en = ItemPath(sample, "en-GB");
  const std::string ru = ItemPath(sample, "ru-RU");

  const Reply root = Get("/");
  EXPECT_EQ(root.status, 302);
  EXPECT_EQ(root.Header("location"), "/en/");
  const Reply home = Get("/en/");
  EXPECT_EQ(home.status, 200);
  EXPECT_THAT(home.body, HasSubstr("<a href=\"" + en + "\">"));

  const Reply page = Get(en);
  ASSERT_EQ(page.status, 200) << en;
  EXPECT_THAT(page.body, HasSubstr("<html lang=\"en-GB\" dir=\"ltr\">"));
  EXPECT_THAT(page.body, HasSubstr("Speech of and answers to questions"));
  EXPECT_THAT(page.body, HasSubstr("<time datetime=\"2013-06-07T16:29:00+04:00\">"));
  EXPECT_THAT(page.body, HasSubstr("<p class=\"speaker\"><strong>Sergey Lavrov</strong>"));
  const Reply russian = Get(ru);
  EXPECT_EQ(russian.status, 200) << ru;
  EXPECT_THAT(russian.body, HasSubstr("7 июня 2013\u202fг. 16:29</time>"));

  const Reply list = Get("/en/transcripts/");
  EXPECT_EQ(list.status, 200);
  EXPECT_THAT(list.body, HasSubstr("<a href=\"" + en + "\">"));
  const Reply rss = Get("/en/transcripts/feed.rss");
  EXPECT_EQ(rss.status, 200);
  EXPECT_EQ(rss.Header("content-type"), "application/rss+xml; charset=utf-8");
  EXPECT_THAT(rss.body, HasSubstr(en + "</link>"));
  const Reply atom = Get("/ru/feed.atom");
  EXPECT_EQ(atom.status, 200);
  EXPECT_EQ(atom.Header("content-type"), "application/atom+xml; charset=utf-8");
  EXPECT_THAT(atom.body, HasSubstr(ru + "\"/>"));

  const Reply sitemap = Get("/sitemap.xml");
  EXPECT_EQ(sitemap.status, 200);
  EXPECT_THAT(sitemap.body, HasSubstr("/sitemaps/en-1.xml</loc>"));
  const Reply urls = Get("/sitemaps/en-1.xml");
  EXPECT_EQ(urls.status, 200);
  EXPECT_THAT(urls.body, HasSubstr(en + "</loc>"));

  // The index was built by the import (in the data folder) from the PostgreSQL store.
  const Reply search = Get("/en/search?q=internalisation");
  EXPECT_EQ(search.status, 200);
  EXPECT_THAT(search.body, HasSubstr("<mark>internalisation</mark>"));
  EXPECT_THAT(search.body, HasSubstr(en + "#p"));
  const Reply russian_search = Get("/ru/search?q=" + PercentEncode("переговоры"));
  EXPECT_EQ(russian_search.status, 200);
  EXPECT_THAT(russian_search.body, HasSubstr(ru + "#p"));
}

TEST_F(PostgresSiteTest, ApiReadsServeTheImport) {
  const json sample = site_->Sample();
  ASSERT_TRUE(sample.contains("id")) << sample.dump();
  EXPECT_EQ(sample["published_at"], "2013-06-07T16:29:00+04:00");
  EXPECT_EQ(sample["languages"], json({"en-GB", "ru-RU"}));
  EXPECT_EQ(sample["people"], json({"Sergey Lavrov"}));

  const std::string id = std::to_string(sample["id"].get<int64_t>());
  const Reply one = Get("/api/v1/assets/" + id);
  EXPECT_EQ(one.status, 200);
  EXPECT_EQ(one.Header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(json::parse(one.body), sample);

  const Reply publisher = Get("/api/v1/publishers/transcripts");
  ASSERT_EQ(publisher.status, 200);
  const json transcripts = json::parse(publisher.body);
  EXPECT_EQ(transcripts["total"], 1);
  EXPECT_EQ(transcripts["items"][0]["id"], sample["id"]);

  const Reply search = Get("/api/v1/search?q=internalisation");
  ASSERT_EQ(search.status, 200);
  const json hits = json::parse(search.body);
  EXPECT_EQ(hits["total"], 1);
  EXPECT_EQ(hits["hits"][0]["id"], sample["id"]);
  EXPECT_EQ(hits["hits"][0]["speaker"], "Sergey Lavrov");

  // Nothing went to a SQLite file in the data folder instead.
  EXPECT_FALSE(std::filesystem::exists(site_->temp.path() / "assetpub.db"));
  const Reply missing = Get("/api/v1/assets/999999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_THAT(missing.Header("content-type"), StartsWith(kProblemJson));
}

// The same samples imported into the default SQLite store export the same bytes, but for the
// time each import ran; and SQLite's export imported into PostgreSQL comes back byte for byte.
TEST_F(PostgresSiteTest, ExportIsTheSameAsSqlites) {
  const std::filesystem::path sqlite = site_->temp.path() / "sqlite";
  const std::string sqlite_store = "sqlite:" + (sqlite / "assetpub.db").string();
  const auto [imported, import_output] = Assetpub(sqlite, sqlite_store, {"import", Samples()});
  ASSERT_EQ(imported, 0) << import_output;
  const std::string from_sqlite = Export(sqlite, sqlite_store);
  const std::string from_postgres = Export(site_->temp.path(), site_->url);
  ASSERT_THAT(from_postgres, StartsWith("["));
  EXPECT_EQ(WithoutImportTimes(from_postgres), WithoutImportTimes(from_sqlite));

  const std::filesystem::path file = site_->temp.path() / "sqlite-export.json";
  ASSERT_EQ(Assetpub(sqlite, sqlite_store, {"export", "--out", file.string()}).first, 0);
  std::string other;
  try {
    other = PostgresServer::Shared().CreateDatabase();
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  const std::filesystem::path other_data = site_->temp.path() / "other";
  const auto [round_trip, round_trip_output] =
      Assetpub(other_data, other, {"import", file.string()});
  ASSERT_EQ(round_trip, 0) << round_trip_output;
  EXPECT_EQ(Export(other_data, other), from_sqlite);
}

TEST_F(PostgresWriteTest, AnApiWriteIsServedAndFoundBySearch) {
  const int64_t id = site_->Publish(
      Statement("Statement on the quokka census", "The quokka census ended in Perth."));
  ASSERT_NE(id, 0);
  const std::string item = std::to_string(id);
  const Reply page = FetchFollowing(site_->port(), "/en/assets/" + item);
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("Statement on the quokka census"));
  const Reply api = Get("/api/v1/assets/" + item);
  EXPECT_EQ(api.status, 200);
  EXPECT_EQ(json::parse(api.body)["status"], "published");
  // The index follows the store's change log, woken by NOTIFY.
  ASSERT_EQ(AwaitSearchTotal(site_->port(), "quokka", 1, std::chrono::seconds(10)), 1);
  const Reply search = Get("/en/search?q=quokka");
  EXPECT_EQ(search.status, 200);
  EXPECT_THAT(search.body, HasSubstr(">Statement on the quokka census</a>"));
  // What the API wrote is in the database: the CLI reads it from there.
  const auto [exported, output] = site_->Cli({"export"});
  EXPECT_EQ(exported, 0);
  EXPECT_THAT(output, HasSubstr("The quokka census ended in Perth."));
}

TEST_F(PostgresWriteTest, AnEditSavedInTheAdminUiIsPublishedAndServed) {
  const int64_t id =
      site_->Publish(Statement("Statement on the numbat survey", "Numbats were counted."));
  ASSERT_NE(id, 0);
  const std::string item = "/admin/items/" + std::to_string(id);
  AdminBrowser browser(site_->port());
  ASSERT_EQ(browser.LogIn(kAdmin, kAdminPassword).status, 303);

  const Reply form = browser.Get(item + "/edit");
  ASSERT_EQ(form.status, 200) << form.body;
  const Reply saved = browser.Post(item + "/edit", {{"csrf", HiddenField(form.body, "csrf")},
                                                    {"base", HiddenField(form.body, "base")},
                                                    {"kind", "statement"},
                                                    {"title_en", "Statement on the bilby survey"},
                                                    {"body_en", "Bilbies were counted too."},
                                                    {"note", "bilbies"},
                                                    {"do", "save"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.Header("location"), item + "?done=saved");
  // A published item's edit waits for its publication.
  EXPECT_THAT(FetchFollowing(site_->port(), "/en/assets/" + std::to_string(id)).body,
              HasSubstr("Statement on the numbat survey"));

  const Reply view = browser.Get(item);
  ASSERT_EQ(view.status, 200);
  const Reply published = browser.Post(
      item + "/publish",
      {{"csrf", HiddenField(view.body, "csrf")}, {"base", HiddenField(view.body, "base")}});
  ASSERT_EQ(published.status, 303) << published.body;
  const Reply page = FetchFollowing(site_->port(), "/en/assets/" + std::to_string(id));
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("Statement on the bilby survey"));
  EXPECT_THAT(page.body, HasSubstr("Bilbies were counted too."));
  EXPECT_EQ(AwaitSearchTotal(site_->port(), "bilby", 1, std::chrono::seconds(10)), 1);
  EXPECT_EQ(AwaitSearchTotal(site_->port(), "numbat", 0, std::chrono::seconds(10)), 0);
}

// Two nodes as DESIGN.md §3 deploys them: the site's server (node A) and a second `assetpub serve`
// (node B) with a data folder (index, cache) of its own, both on the site's database, which is
// all they share. Both are stopped after the suite's last test, however it ended (their
// destructors: SIGTERM, then SIGKILL).
class PostgresTwoNodesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    site_ = std::make_unique<PostgresSite>("assetpub-pg-nodes-");
    if (!site_->failure.empty()) return;
    const std::filesystem::path data = site_->temp.path() / "node-b";
    std::filesystem::create_directories(data);
    node_b_ =
        std::make_unique<ServerProcess>(data, std::vector<std::string>{"--store", site_->url});
  }
  static void TearDownTestSuite() {
    node_b_.reset();
    site_.reset();
  }
  void SetUp() override {
    ASSERT_TRUE(site_->failure.empty()) << site_->failure;
    ASSERT_NE(node_b_->port(), 0) << "node B did not start:\n" << node_b_->startup_output();
  }

  static unsigned short a() { return site_->port(); }
  static unsigned short b() { return node_b_->port(); }

  static inline std::unique_ptr<PostgresSite> site_;
  static inline std::unique_ptr<ServerProcess> node_b_;
};

// Sessions live in the database and a CSRF token is a MAC of the session's cookie: a form node A
// served is accepted by node B, with A's cookie, and nothing else is.
TEST_F(PostgresTwoNodesTest, AnEditFormFromOneNodeIsSavedThroughTheOther) {
  const int64_t id =
      site_->Publish(Statement("Statement on the wombat census", "Wombats were counted."));
  ASSERT_NE(id, 0);
  const std::string item = "/admin/items/" + std::to_string(id);
  AdminBrowser on_a(a());
  ASSERT_EQ(on_a.LogIn(kAdmin, kAdminPassword).status, 303);
  const Reply form = on_a.Get(item + "/edit");
  ASSERT_EQ(form.status, 200) << form.body;
  const std::string csrf = HiddenField(form.body, "csrf");
  ASSERT_FALSE(csrf.empty());
  std::vector<std::pair<std::string, std::string>> fields = {
      {"csrf", csrf},
      {"base", HiddenField(form.body, "base")},
      {"kind", "statement"},
      {"title_en", "Statement on the quoll census"},
      {"body_en", "Quolls were counted too."},
      {"note", "quolls"},
      {"do", "save"}};

  AdminBrowser on_b(b());
  EXPECT_EQ(on_b.Post(item + "/edit", fields).status, 303);  // no session: to the login page
  on_b.set_cookie(on_a.cookie());
  EXPECT_EQ(on_b.Get("/admin/").status, 200);
  fields[0].second = csrf == std::string(43, 'A') ? std::string(43, 'B') : std::string(43, 'A');
  EXPECT_EQ(on_b.Post(item + "/edit", fields).status, 403);  // the session's, not any token
  fields[0].second = csrf;
  const Reply saved = on_b.Post(item + "/edit", fields);
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.Header("location"), item + "?done=saved");

  // Published through A, served by both: B's cache follows the change log too.
  const Reply view = on_a.Get(item);
  ASSERT_EQ(view.status, 200);
  const Reply published = on_a.Post(item + "/publish", {{"csrf", HiddenField(view.body, "csrf")},
                                                        {"base", HiddenField(view.body, "base")}});
  ASSERT_EQ(published.status, 303) << published.body;
  for (const unsigned short port : {a(), b()}) {
    EXPECT_TRUE(PollUntil(std::chrono::seconds(10),
                          [&] {
                            return FetchFollowing(port, "/en/assets/" + std::to_string(id))
                                       .body.find("quoll census") != std::string::npos;
                          }))
        << "port " << port;
  }
}

// The rate limiter counts in the database: 3 failures on A and 2 on B are the account's 5, and
// both nodes then refuse even the right password with 429 and Retry-After. The address's limit
// (20) is not reached, so another account still logs in from the same address.
TEST_F(PostgresTwoNodesTest, FailedLoginsOnBothNodesAddUpToTheLimit) {
  const auto [added, output] =
      site_->Cli({"user", "add", "carol", "--role", "editor"}, "carol's pass phrase 7\n");
  ASSERT_EQ(added, 0) << output;
  AdminBrowser on_a(a());
  AdminBrowser on_b(b());
  for (int i = 0; i < 5; ++i) {
    AdminBrowser& node = i < 3 ? on_a : on_b;
    EXPECT_EQ(node.LogIn("carol", "guess number " + std::to_string(i)).status, 401) << i;
  }
  for (AdminBrowser* node : {&on_a, &on_b}) {
    const Reply limited = node->LogIn("carol", "carol's pass phrase 7");
    EXPECT_EQ(limited.status, 429);
    EXPECT_THAT(limited.Header("retry-after"), MatchesRegex("[1-9][0-9]*"));
    const int retry_after =
        limited.Header("retry-after").empty() ? 0 : std::stoi(limited.Header("retry-after"));
    EXPECT_LE(retry_after, 15 * 60);
    EXPECT_THAT(limited.body, HasSubstr("Too many failed attempts"));
  }
  EXPECT_EQ(on_b.Get("/admin/").status, 303);  // still not logged in
  EXPECT_EQ(AdminBrowser(b()).LogIn(kAdmin, kAdminPassword).status, 303);
}

// Stops the shared PostgreSQL server, and starts it again however the scope is left: the other
// tests of this process use it too.
class DatabaseOutage {
 public:
  DatabaseOutage() { PostgresServer::Shared().Stop(); }
  DatabaseOutage(const DatabaseOutage&) = delete;
  DatabaseOutage& operator=(const DatabaseOutage&) = delete;
  ~DatabaseOutage() { End(); }

  // Starts the server again (once); failing to is a failed expectation.
  void End() {
    if (ended_) return;
    ended_ = true;
    try {
      PostgresServer::Shared().Start();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "restarting PostgreSQL: " << e.what();
    }
  }

 private:
  bool ended_ = false;
};

// A site of its own: what it has cached is this test's doing alone.
TEST(PostgresOutage, CachedPagesStayUpTheRestAnswers503AndItRecoversWithoutARestart) {
  const PostgresSite site("assetpub-pg-outage-");
  ASSERT_TRUE(site.failure.empty()) << site.failure;
  const unsigned short port = site.port();
  const json sample = site.Sample();
  const std::string cached = "/en/";  // the home page: it must show what is written later
  const std::string uncached = ItemPath(sample, "ru-RU");
  const std::string api = "/api/v1/assets/" + std::to_string(sample.value("id", int64_t{0}));
  // Fetched until an answer comes from the response cache (its hit counter says so).
  ASSERT_TRUE(PollUntil(std::chrono::seconds(10),
                        [&] {
                          const int64_t hits = Metric(port, "assetpub_cache_hits_total");
                          return Fetch(port, cached).status == 200 &&
                                 Metric(port, "assetpub_cache_hits_total") > hits;
                        }))
      << cached << " is never a cache hit";

  DatabaseOutage outage;
  const int64_t hits = Metric(port, "assetpub_cache_hits_total");
  const Reply still = Fetch(port, cached);
  EXPECT_EQ(still.status, 200);
  EXPECT_EQ(Metric(port, "assetpub_cache_hits_total"), hits + 1);
  EXPECT_THAT(still.body, HasSubstr("Speech of and answers to questions"));
  const Reply page = Fetch(port, uncached);
  EXPECT_EQ(page.status, 503) << uncached;
  EXPECT_THAT(page.Header("content-type"), StartsWith("text/html"));
  EXPECT_THAT(page.Header("retry-after"), MatchesRegex("[1-9][0-9]*")) << uncached;
  const Reply read = Fetch(port, api);
  EXPECT_EQ(read.status, 503) << read.body;
  EXPECT_THAT(read.Header("content-type"), StartsWith(kProblemJson));
  EXPECT_THAT(read.Header("retry-after"), MatchesRegex("[1-9][0-9]*"));
  const json problem = json::parse(read.body, nullptr, /*allow_exceptions=*/false);
  EXPECT_EQ(problem.value("status", 0), 503) << read.body;
  const Reply write =
      Send(port, bhttp::verb::post, "/api/v1/assets", site.token, Statement("Down", "Down."));
  EXPECT_EQ(write.status, 503) << write.body;
  EXPECT_THAT(write.Header("content-type"), StartsWith(kProblemJson));
  EXPECT_THAT(write.Header("retry-after"), MatchesRegex("[1-9][0-9]*"));
  EXPECT_EQ(Fetch(port, "/healthz").status, 200) << "the server did not survive the outage";

  outage.End();
  // The same server process, not restarted: its connections come back by themselves.
  int status = 0;
  EXPECT_TRUE(PollUntil(std::chrono::seconds(15),
                        [&] {
                          status = Fetch(port, api).status;
                          return status == 200;
                        }))
      << "the API still answers " << status;
  EXPECT_EQ(Fetch(port, uncached).status, 200);
  const int64_t id = site.Publish(Statement("Statement on the echidna", "Echidnas lay eggs."));
  ASSERT_NE(id, 0);
  EXPECT_EQ(FetchFollowing(port, "/en/assets/" + std::to_string(id)).status, 200);
  // The cache follows the store again: the home page cached before the outage is not kept stale.
  EXPECT_TRUE(PollUntil(std::chrono::seconds(15),
                        [&] {
                          return Fetch(port, cached).body.find("Statement on the echidna") !=
                                 std::string::npos;
                        }))
      << cached << " does not show the new item";
  // The index's follower listens again too.
  EXPECT_EQ(AwaitSearchTotal(port, "echidna", 1, std::chrono::seconds(15)), 1);
}

}  // namespace

// Several nodes on one database, each with its own data folder: a file uploaded through one node
// downloads from another byte for byte, with its thumbnail (the second node fills its media
// cache from the store). Both servers are stopped when the objects go, whatever the outcome.
TEST(PostgresNodes, AnUploadThroughOneNodeDownloadsFromAnotherWithItsThumbnail) {
  PostgresSite site("assetpub-pg-nodes-");
  ASSERT_TRUE(site.failure.empty()) << site.failure;
  const std::filesystem::path node_b = site.temp.path() / "node-b";
  std::filesystem::create_directories(node_b);
  ServerProcess b(node_b, {"--store", site.url});
  ASSERT_NE(b.port(), 0) << "node B did not start:\n" << b.startup_output();

  std::ifstream in(
      std::filesystem::path(ASSETPUB_SOURCE_DIR) / "tests/testdata/media/quadrants-400x300.png",
      std::ios::binary);
  const std::string png((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(png.empty());
  const std::string boundary = "----assetpubNodes7MA4YWxk";
  const std::string body = "--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"file\"; "
                           "filename=\"quadrants.png\"\r\nContent-Type: image/png\r\n\r\n" +
                           png + "\r\n--" + boundary + "--\r\n";
  const Reply uploaded = Fetch(site.port(), "/api/v1/media",
                               {{"Authorization", "Bearer " + site.token},
                                {"Content-Type", "multipart/form-data; boundary=" + boundary}},
                               bhttp::verb::post, body);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const json file = json::parse(uploaded.body);
  const std::string url = file.value("url", "");
  const std::string thumbnail_url = file.value("thumbnail_url", "");
  ASSERT_THAT(url, StartsWith("/media/"));
  ASSERT_THAT(thumbnail_url, StartsWith("/media/"));
  // /media/ serves the files of published items only (docs/reliability.md): publish one with it.
  json with_file = Statement("Statement with a diagram", "The diagram is attached.");
  with_file["media"] = json::array({{{"hash", file.value("hash", "")}}});
  ASSERT_NE(site.Publish(with_file), 0);
  EXPECT_FALSE(std::filesystem::exists(node_b / "media" / url.substr(7)));

  const Reply original = Fetch(b.port(), url);
  EXPECT_EQ(original.status, 200);
  EXPECT_EQ(original.Header("content-type"), "image/png");
  EXPECT_TRUE(original.body == png)
      << "node B served " << original.body.size() << " bytes, not " << png.size();
  const Reply thumb_a = Fetch(site.port(), thumbnail_url);
  const Reply thumb_b = Fetch(b.port(), thumbnail_url);
  EXPECT_EQ(thumb_a.status, 200);
  EXPECT_EQ(thumb_b.status, 200);
  EXPECT_EQ(thumb_b.Header("content-type"), "image/jpeg");
  EXPECT_FALSE(thumb_b.body.empty());
  EXPECT_TRUE(thumb_b.body == thumb_a.body) << "the thumbnails differ";
  // Node B keeps them in its own cache now.
  EXPECT_TRUE(std::filesystem::exists(node_b / "media" / url.substr(7)));
  EXPECT_TRUE(std::filesystem::exists(node_b / "media" / thumbnail_url.substr(7)));
}
