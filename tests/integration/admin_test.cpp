// The editors' UI (/admin/) over real HTTP: imports sample-content/ plus a hostile page, adds
// an admin and an editor with `assetpub user add`, starts `assetpub serve --listen 127.0.0.1:0`
// and drives the login, the CSRF checks, the role checks and the pages with a small Beast
// client that keeps its own cookie. Needs ASSETPUB_BINARY and ASSETPUB_SOURCE_DIR.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <utility>  // before Asio: Asio 1.74 with g++ 12 needs std::exchange (DEPENDENCIES.md)
#include <vector>

#include "support/admin_browser.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace {

namespace bhttp = boost::beast::http;
using assetpub::testing::Fetch;
using assetpub::testing::Reply;
using assetpub::testing::RequestHeaders;
using assetpub::testing::RunCommand;
using assetpub::testing::ServerProcess;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kAdminPassword = "correct horse battery";
constexpr const char* kEditorPassword = "editor password 12";
constexpr const char* kPublisherPassword = "publisher password 3";

constexpr const char* kHostilePage =
    "Asset Publisher\n\n"
    "12 March 201410:15\n\n"
    "<script>alert(1)</script>\n\n\n"
    "  \xE2\x80\xA2 en-GB1\n\n"
    "An ordinary <img src=x onerror=alert(2)> paragraph.\n\n"
    "Additional materials\n\n\n\n"
    "Advanced settings";

using Browser = assetpub::testing::AdminBrowser;
using assetpub::testing::FormEncode;
using assetpub::testing::HiddenField;

class AdminTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_.emplace("assetpub-admin-");
    const std::filesystem::path data = temp_->path();
    std::filesystem::create_directories(data / "pages");
    const std::filesystem::path hostile = data / "pages" / "hostile_2014-03-12.txt";
    std::ofstream(hostile) << kHostilePage;
    // An item that declares a French version it does not have yet.
    const std::filesystem::path declared = data / "pages" / "declared.json";
    std::ofstream(declared) << R"({"kind": "statement", "status": "published",
        "published_at": "2014-03-12T10:00:00+04:00", "languages": ["en-GB", "fr-FR"],
        "translations": {"en-GB": {"title": "Declared French Qzxdeclared", "slug": "declared-french",
          "blocks": [{"type": "paragraph", "text": "Only English so far."}]}}})";
    const std::string binary = ASSETPUB_BINARY;
    auto [code, output] = RunCommand(
        {binary, "--data", data.string(), "import",
         std::string(ASSETPUB_SOURCE_DIR) + "/sample-content", hostile.string(), declared.string()},
        "");
    setup_output_ = output;
    if (code != 0) return;
    for (const auto& [name, role, password] : {std::tuple{"alice", "admin", kAdminPassword},
                                               {"bob", "editor", kEditorPassword},
                                               {"pat", "publisher", kPublisherPassword}}) {
      std::tie(code, output) =
          RunCommand({binary, "--data", data.string(), "user", "add", name, "--role", role},
                     std::string(password) + "\n" + password + "\n");
      setup_output_ += output;
      if (code != 0) return;
    }
    server_ = std::make_unique<ServerProcess>(data);
  }
  static void TearDownTestSuite() {
    server_.reset();
    temp_.reset();
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr) << setup_output_;
    ASSERT_NE(server_->port(), 0) << server_->startup_output();
  }

  static Browser NewBrowser() { return Browser(server_->port()); }
  static Browser LoggedIn(const std::string& name, const std::string& password) {
    Browser browser = NewBrowser();
    const Reply reply = browser.LogIn(name, password);
    EXPECT_EQ(reply.status, 303) << reply.body;
    return browser;
  }

  static inline std::optional<assetpub::testing::TempDir> temp_;
  static inline std::unique_ptr<ServerProcess> server_;
  static inline std::string setup_output_;
};

TEST_F(AdminTest, WithoutASessionEveryPageRedirectsToTheLogin) {
  Browser browser = NewBrowser();
  for (const std::string target :
       {"/admin/", "/admin/items/1", "/admin/users", "/admin/audit", "/admin/no-such-page"}) {
    const Reply reply = browser.Get(target);
    EXPECT_EQ(reply.status, 303) << target;
    EXPECT_THAT(reply.Header("location"), StartsWith("/admin/login?next=%2Fadmin%2F")) << target;
    EXPECT_EQ(reply.Header("cache-control"), "no-store") << target;
  }
  EXPECT_EQ(browser.Post("/admin/logout", {}).status, 303);
}

TEST_F(AdminTest, TheLoginFormSetsAStrictHttpOnlyCookieAndCarriesACsrfToken) {
  Browser browser = NewBrowser();
  const Reply reply = browser.Get("/admin/login");
  ASSERT_EQ(reply.status, 200);
  const std::string cookie = reply.Header("set-cookie");
  EXPECT_THAT(cookie, StartsWith("ap_session="));
  EXPECT_THAT(cookie, HasSubstr("; Path=/admin"));
  EXPECT_THAT(cookie, HasSubstr("; HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("; SameSite=Strict"));
  EXPECT_THAT(cookie, Not(HasSubstr("Secure")));  // base_url is http:// here
  EXPECT_EQ(reply.Header("cache-control"), "no-store");
  EXPECT_EQ(HiddenField(reply.body, "csrf").size(), 43u);
  EXPECT_THAT(reply.Header("content-security-policy"), HasSubstr("default-src 'self'"));
}

// The login form asked for in Russian sets two cookies in one response: the form's session
// nonce and the desk's language. Both must arrive (a second Set-Cookie must not replace the first).
TEST_F(AdminTest, TheLoginFormInRussianSetsBothItsCookies) {
  Browser browser = NewBrowser();
  const Reply reply = browser.Get("/admin/login?ui=ru");
  ASSERT_EQ(reply.status, 200);
  const std::vector<std::string> cookies = reply.All("set-cookie");
  ASSERT_EQ(cookies.size(), 2u);
  EXPECT_EQ(std::count_if(cookies.begin(), cookies.end(),
                          [](const std::string& c) { return c.starts_with("ap_session="); }),
            1);
  EXPECT_EQ(std::count_if(cookies.begin(), cookies.end(),
                          [](const std::string& c) { return c.starts_with("ap_lang=ru;"); }),
            1);
  EXPECT_THAT(reply.body, HasSubstr("lang=\"ru-RU\" dir=\"ltr\""));
}

TEST_F(AdminTest, ALoginWithoutTheFormsCsrfTokenIsRefused) {
  Browser browser = NewBrowser();
  browser.Get("/admin/login");  // the nonce cookie, but no token
  const Reply reply =
      browser.Post("/admin/login", {{"name", "alice"}, {"password", kAdminPassword}});
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(browser.Get("/admin/").status, 303);  // not logged in
  // A token from another browser's form does not do either.
  Browser other = NewBrowser();
  const std::string token = HiddenField(other.Get("/admin/login").body, "csrf");
  EXPECT_EQ(
      browser
          .Post("/admin/login", {{"csrf", token}, {"name", "alice"}, {"password", kAdminPassword}})
          .status,
      403);
}

TEST_F(AdminTest, WrongCredentialsGetOneGenericMessage) {
  Browser browser = NewBrowser();
  const Reply wrong_password = browser.LogIn("bob", "not the password at all");
  const Reply unknown_user = browser.LogIn("nobody-here", "not the password at all");
  EXPECT_EQ(wrong_password.status, 401);
  EXPECT_EQ(unknown_user.status, 401);
  EXPECT_THAT(wrong_password.body, HasSubstr("Wrong user name or password."));
  EXPECT_THAT(unknown_user.body, HasSubstr("Wrong user name or password."));
  EXPECT_EQ(browser.Get("/admin/").status, 303);
}

TEST_F(AdminTest, TooManyFailuresAnswer429WithRetryAfter) {
  Browser browser = NewBrowser();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(browser.LogIn("mallory", "guess number " + std::to_string(i)).status, 401);
  }
  const Reply limited = browser.LogIn("mallory", "guess number 6");
  EXPECT_EQ(limited.status, 429);
  EXPECT_GT(std::stoi(limited.Header("retry-after").empty() ? "0" : limited.Header("retry-after")),
            0);
  EXPECT_THAT(limited.body, HasSubstr("Too many failed attempts"));
}

TEST_F(AdminTest, ALoggedInEditorSeesTheItemsWithEscapedContent) {
  Browser browser = LoggedIn("bob", kEditorPassword);
  const Reply list = browser.Get("/admin/");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Header("cache-control"), "no-store");
  EXPECT_THAT(list.body, HasSubstr("Speech of and answers to questions"));
  EXPECT_THAT(list.body, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(list.body, Not(HasSubstr("<script")));
  EXPECT_THAT(list.body, HasSubstr("href=\"/admin/items/1\""));

  const Reply item = browser.Get("/admin/items/1");
  ASSERT_EQ(item.status, 200) << item.body;
  EXPECT_THAT(item.body, HasSubstr("lang=\"en-GB\" dir=\"ltr\""));
  EXPECT_THAT(item.body, HasSubstr("lang=\"ru-RU\" dir=\"ltr\""));
  EXPECT_THAT(item.body, HasSubstr("/admin/items/1/preview?lang=ru"));
  EXPECT_EQ(browser.Get("/admin/items/1/preview?lang=en").status, 200);
  EXPECT_EQ(browser.Get("/admin/items/999999").status, 404);
  EXPECT_EQ(browser.Get("/admin/?status=nonsense").status, 400);
}

TEST_F(AdminTest, FiltersSelectByStatusLanguageAndMissingTranslation) {
  Browser browser = LoggedIn("bob", kEditorPassword);
  // The hostile page has only an English version.
  const Reply missing_ru = browser.Get("/admin/?missing=ru");
  ASSERT_EQ(missing_ru.status, 200);
  EXPECT_THAT(missing_ru.body, HasSubstr("&lt;script&gt;alert(1)"));
  const Reply has_ru = browser.Get("/admin/?lang=ru");
  ASSERT_EQ(has_ru.status, 200);
  EXPECT_THAT(has_ru.body, Not(HasSubstr("&lt;script&gt;alert(1)")));
  const Reply drafts = browser.Get("/admin/?status=draft");
  ASSERT_EQ(drafts.status, 200);
  EXPECT_THAT(drafts.body, HasSubstr("No items match"));
  // Lacking the translation of a language it declares: only the item that declares French.
  const Reply declared = browser.Get("/admin/?missing=declared");
  ASSERT_EQ(declared.status, 200);
  EXPECT_THAT(declared.body, HasSubstr("Declared French Qzxdeclared"));
  EXPECT_THAT(declared.body, Not(HasSubstr("&lt;script&gt;alert(1)")));
  EXPECT_THAT(declared.body, HasSubstr("<option value=\"declared\" selected>"));
  EXPECT_THAT(missing_ru.body, HasSubstr("Declared French Qzxdeclared"));
}

TEST_F(AdminTest, APostWithoutTheSessionsCsrfTokenIsRefused) {
  Browser browser = LoggedIn("alice", kAdminPassword);
  EXPECT_EQ(browser.Post("/admin/logout", {}).status, 403);
  EXPECT_EQ(browser.Post("/admin/logout", {{"csrf", "x"}}).status, 403);
  EXPECT_EQ(browser
                .Post("/admin/users",
                      {{"name", "eve"}, {"role", "admin"}, {"password", "a long enough password"}})
                .status,
            403);
  EXPECT_EQ(browser.Get("/admin/").status, 200);  // still logged in
  EXPECT_THAT(browser.Get("/admin/users").body, Not(HasSubstr(">eve<")));
}

TEST_F(AdminTest, AnEditorIsRefusedTheAdminPages) {
  Browser browser = LoggedIn("bob", kEditorPassword);
  const std::string csrf = HiddenField(browser.Get("/admin/").body, "csrf");
  ASSERT_FALSE(csrf.empty());
  for (const std::string target : {"/admin/users", "/admin/tokens", "/admin/audit"}) {
    const Reply reply = browser.Get(target);
    EXPECT_EQ(reply.status, 403) << target;
    EXPECT_THAT(reply.body, HasSubstr("Your role does not allow this.")) << target;
  }
  EXPECT_EQ(browser
                .Post("/admin/users", {{"csrf", csrf},
                                       {"name", "eve"},
                                       {"role", "admin"},
                                       {"password", "a long enough password"}})
                .status,
            403);
  EXPECT_EQ(browser.Post("/admin/tokens", {{"csrf", csrf}, {"user", "bob"}}).status, 403);
}

TEST_F(AdminTest, AnAdminAddsAUserCreatesAndRevokesATokenAndReadsTheAudit) {
  Browser browser = LoggedIn("alice", kAdminPassword);
  const std::string csrf = HiddenField(browser.Get("/admin/users").body, "csrf");
  Reply added = browser.Post(
      "/admin/users",
      {{"csrf", csrf}, {"name", "carol"}, {"role", "publisher"}, {"password", "carol's password"}});
  ASSERT_EQ(added.status, 303) << added.body;
  EXPECT_THAT(browser.Get(added.Header("location")).body, HasSubstr("The user carol was added."));
  const Reply short_password =
      browser.Post("/admin/users",
                   {{"csrf", csrf}, {"name", "dave"}, {"role", "editor"}, {"password", "short"}});
  EXPECT_EQ(short_password.status, 400);
  EXPECT_THAT(short_password.body, HasSubstr("admin-error"));

  const Reply created =
      browser.Post("/admin/tokens", {{"csrf", csrf}, {"user", "carol"}, {"label", "<deploy>"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("cache-control"), "no-store");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(created.body, match, std::regex("ap_[A-Za-z0-9_-]{43}")));
  EXPECT_THAT(created.body, HasSubstr("&lt;deploy&gt;"));
  const Reply listed = browser.Get("/admin/tokens");
  EXPECT_THAT(listed.body, Not(HasSubstr(match[0].str())));  // shown once only
  ASSERT_TRUE(std::regex_search(listed.body, match, std::regex("/admin/tokens/([0-9]+)/revoke")));
  const Reply revoked = browser.Post(match[0].str(), {{"csrf", csrf}});
  EXPECT_EQ(revoked.status, 303);

  const Reply audit = browser.Get("/admin/audit");
  ASSERT_EQ(audit.status, 200);
  EXPECT_THAT(audit.body, HasSubstr("user.add"));
  EXPECT_THAT(audit.body, HasSubstr("token.revoke"));

  // Carol can log in and is a publisher: items yes, users no.
  Browser carol = LoggedIn("carol", "carol's password");
  EXPECT_EQ(carol.Get("/admin/").status, 200);
  EXPECT_EQ(carol.Get("/admin/users").status, 403);
}

TEST_F(AdminTest, LogoutEndsTheSession) {
  Browser browser = LoggedIn("alice", kAdminPassword);
  const std::string cookie = browser.cookie();
  const std::string csrf = HiddenField(browser.Get("/admin/").body, "csrf");
  const Reply reply = browser.Post("/admin/logout", {{"csrf", csrf}});
  EXPECT_EQ(reply.status, 303);
  EXPECT_THAT(reply.Header("set-cookie"), HasSubstr("Max-Age=0"));
  browser.set_cookie(cookie);  // a stolen copy of the old cookie is worth nothing now
  EXPECT_EQ(browser.Get("/admin/").status, 303);
}

TEST_F(AdminTest, LoginGoesBackToTheAdminPageAskedForButNowhereElse) {
  Browser browser = NewBrowser();
  const Reply form = browser.Get("/admin/login?next=%2Fadmin%2Faudit");
  EXPECT_EQ(HiddenField(form.body, "next"), "/admin/audit");
  const Reply reply = browser.Post("/admin/login", {{"csrf", HiddenField(form.body, "csrf")},
                                                    {"next", "https://evil.example/"},
                                                    {"name", "alice"},
                                                    {"password", kAdminPassword}});
  EXPECT_EQ(reply.status, 303);
  EXPECT_EQ(reply.Header("location"), "/admin/");
}

// The fields of a new item in English and Russian.
std::vector<std::pair<std::string, std::string>> NewItemFields(const std::string& csrf,
                                                               const std::string& title,
                                                               const std::string& action) {
  return {{"csrf", csrf},
          {"kind", "statement"},
          {"published_at", ""},
          {"people", "Sergey Lavrov, Maria Zakharova"},
          {"tags", ""},
          {"title_en", title},
          {"slug_en", ""},
          {"place_en", "Moscow"},
          {"summary_en", ""},
          {"body_en",
           "First paragraph.\r\n\r\n[question: Question]\r\nWhy?\r\n\r\n"
           "[answer: Sergey Lavrov]\r\nBecause."},
          {"title_ru", "Заявление " + title},
          {"slug_ru", ""},
          {"place_ru", "Москва"},
          {"summary_ru", ""},
          {"body_ru", "Первый абзац."},
          {"note", ""},
          {"do", action}};
}

// The id in a "/admin/items/N?…" location.
std::string ItemIdIn(const std::string& location) {
  std::smatch match;
  return std::regex_search(location, match, std::regex("^/admin/items/([0-9]+)")) ? match[1].str()
                                                                                  : "";
}

TEST_F(AdminTest, AnEditorCreatesABilingualDraftThatAPublisherPublishes) {
  Browser bob = LoggedIn("bob", kEditorPassword);
  const std::string csrf = HiddenField(bob.Get("/admin/items/new").body, "csrf");
  const Reply created =
      bob.Post("/admin/items", NewItemFields(csrf, "Statement on <b>talks</b>", "save"));
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string id = ItemIdIn(created.Header("location"));
  ASSERT_FALSE(id.empty()) << created.Header("location");

  const Reply item = bob.Get("/admin/items/" + id);
  ASSERT_EQ(item.status, 200);
  EXPECT_THAT(item.body, HasSubstr("Statement on &lt;b&gt;talks&lt;/b&gt;"));
  EXPECT_THAT(item.body, HasSubstr("Заявление Statement"));
  EXPECT_THAT(item.body, HasSubstr("Draft"));
  EXPECT_THAT(item.body, Not(HasSubstr("/publish\"")));  // an editor may not publish
  EXPECT_EQ(bob.Get("/en/assets/" + id).status, 404);    // a draft is not public
  EXPECT_EQ(bob.Post("/admin/items/" + id + "/publish", {{"csrf", csrf}}).status, 403);

  Browser pat = LoggedIn("pat", kPublisherPassword);
  const Reply page = pat.Get("/admin/items/" + id);
  ASSERT_THAT(page.body, HasSubstr("/admin/items/" + id + "/publish\""));
  const Reply published = pat.Post(
      "/admin/items/" + id + "/publish",
      {{"csrf", HiddenField(page.body, "csrf")}, {"base", HiddenField(page.body, "base")}});
  ASSERT_EQ(published.status, 303) << published.body;
  const Reply english = pat.Get("/en/assets/" + id + "-statement-on-b-talks-b");
  EXPECT_EQ(english.status, 200);
  EXPECT_THAT(english.body, HasSubstr("Statement on &lt;b&gt;talks&lt;/b&gt;"));
  const Reply redirect = pat.Get("/ru/assets/" + id);
  EXPECT_EQ(redirect.status, 301);
  EXPECT_EQ(pat.Get(redirect.Header("location")).status, 200);
}

TEST_F(AdminTest, AStaleSaveShowsAConflictAndOverwritesNothing) {
  Browser bob = LoggedIn("bob", kEditorPassword);
  const std::string csrf = HiddenField(bob.Get("/admin/items/new").body, "csrf");
  const Reply created = bob.Post("/admin/items", NewItemFields(csrf, "Conflict test", "save"));
  const std::string id = ItemIdIn(created.Header("location"));
  ASSERT_FALSE(id.empty()) << created.body;

  Browser alice = LoggedIn("alice", kAdminPassword);
  const Reply bobs_form = bob.Get("/admin/items/" + id + "/edit");
  const Reply alices_form = alice.Get("/admin/items/" + id + "/edit");
  const std::string base = HiddenField(bobs_form.body, "base");
  ASSERT_FALSE(base.empty());
  ASSERT_EQ(HiddenField(alices_form.body, "base"), base);

  auto fields = NewItemFields(HiddenField(alices_form.body, "csrf"), "Alice's title", "save");
  fields.emplace_back("base", base);
  ASSERT_EQ(alice.Post("/admin/items/" + id + "/edit", fields).status, 303);

  fields = NewItemFields(csrf, "Bob's title", "save");
  fields.emplace_back("base", base);
  const Reply stale = bob.Post("/admin/items/" + id + "/edit", fields);
  EXPECT_EQ(stale.status, 409);
  EXPECT_THAT(stale.body, HasSubstr("Not saved: someone else saved this item"));
  EXPECT_THAT(stale.body, HasSubstr("value=\"Bob&apos;s title\""));  // bob's text is kept
  // Saving again after reading theirs is a deliberate choice: the form now carries the newest.
  EXPECT_EQ(HiddenField(stale.body, "base"), std::to_string(std::stoi(base) + 1));
  const Reply item = bob.Get("/admin/items/" + id);
  EXPECT_THAT(item.body, HasSubstr("Alice&apos;s title"));
  EXPECT_THAT(item.body, Not(HasSubstr("Bob&apos;s title")));
}

TEST_F(AdminTest, APreviewOfUnsavedTextIsTheSitesItemPageAndSavesNothing) {
  Browser bob = LoggedIn("bob", kEditorPassword);
  const std::string csrf = HiddenField(bob.Get("/admin/items/new").body, "csrf");
  const Reply preview =
      bob.Post("/admin/items", NewItemFields(csrf, "Only a preview", "preview-ru"));
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(preview.Header("cache-control"), "no-store");
  EXPECT_THAT(preview.body, HasSubstr("<html lang=\"ru-RU\" dir=\"ltr\""));
  EXPECT_THAT(preview.body, HasSubstr("Заявление Only a preview"));
  EXPECT_THAT(preview.body, HasSubstr("Первый абзац."));
  EXPECT_THAT(bob.Get("/admin/?status=draft").body, Not(HasSubstr("Only a preview")));
}

TEST_F(AdminTest, APublisherSchedulesAnItemAndBadInputIsExplained) {
  Browser pat = LoggedIn("pat", kPublisherPassword);
  const std::string csrf = HiddenField(pat.Get("/admin/items/new").body, "csrf");
  auto fields = NewItemFields(csrf, "Scheduled statement", "save");
  fields[2].second = "2013-02-30T10:00";  // no such day
  const Reply refused = pat.Post("/admin/items", fields);
  EXPECT_EQ(refused.status, 400);
  EXPECT_THAT(refused.body, HasSubstr("admin-error"));
  EXPECT_THAT(refused.body, HasSubstr("value=\"Scheduled statement\""));

  const Reply created =
      pat.Post("/admin/items", NewItemFields(csrf, "Scheduled statement", "save"));
  const std::string id = ItemIdIn(created.Header("location"));
  ASSERT_FALSE(id.empty()) << created.body;
  const Reply past =
      pat.Post("/admin/items/" + id + "/schedule", {{"csrf", csrf}, {"at", "2001-01-01T00:00"}});
  EXPECT_EQ(past.status, 400);
  const Reply scheduled =
      pat.Post("/admin/items/" + id + "/schedule", {{"csrf", csrf}, {"at", "2099-01-01T12:00"}});
  EXPECT_EQ(scheduled.status, 303) << scheduled.body;
  const Reply item = pat.Get("/admin/items/" + id);
  EXPECT_THAT(item.body, HasSubstr("Scheduled"));
  EXPECT_THAT(item.body, HasSubstr("/unschedule\""));
  EXPECT_EQ(pat.Get("/en/assets/" + id).status, 404);
}

// Creates an item with `title` as `browser` (an editor or above); returns its id.
std::string CreateItem(Browser& browser, const std::string& title) {
  const std::string csrf = HiddenField(browser.Get("/admin/items/new").body, "csrf");
  const Reply created = browser.Post("/admin/items", NewItemFields(csrf, title, "save"));
  EXPECT_EQ(created.status, 303) << created.body;
  return ItemIdIn(created.Header("location"));
}

TEST_F(AdminTest, TheHistoryComparesTwoRevisionsAndRestoresOne) {
  Browser bob = LoggedIn("bob", kEditorPassword);
  const std::string id = CreateItem(bob, "History <i>one</i>");
  ASSERT_FALSE(id.empty());
  const Reply form = bob.Get("/admin/items/" + id + "/edit");
  const std::string csrf = HiddenField(form.body, "csrf");
  auto fields = NewItemFields(csrf, "History <i>two</i>", "save");
  for (auto& [name, value] : fields) {
    if (name == "body_en") value = "First paragraph, edited.";
    if (name == "note") value = "second thoughts";
  }
  fields.emplace_back("base", HiddenField(form.body, "base"));
  ASSERT_EQ(bob.Post("/admin/items/" + id + "/edit", fields).status, 303);

  EXPECT_THAT(bob.Get("/admin/items/" + id).body,
              HasSubstr("href=\"/admin/items/" + id + "/history\""));
  const Reply history = bob.Get("/admin/items/" + id + "/history");
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_THAT(history.body, HasSubstr("second thoughts"));
  EXPECT_THAT(history.body, HasSubstr("<td data-label=\"Who\">bob</td>"));
  EXPECT_THAT(history.body, HasSubstr("name=\"from\" value=\"1\""));
  EXPECT_THAT(history.body, HasSubstr("name=\"to\" value=\"2\""));
  const std::string restore = "/admin/items/" + id + "/revisions/1/restore";
  EXPECT_THAT(history.body, HasSubstr("action=\"" + restore + "\""));
  EXPECT_EQ(HiddenField(history.body, "base"), "2");

  const Reply diff = bob.Get("/admin/items/" + id + "/diff?from=1&to=2");
  ASSERT_EQ(diff.status, 200) << diff.body;
  EXPECT_THAT(diff.body, HasSubstr("History &lt;i&gt;one&lt;/i&gt;</del>"));
  EXPECT_THAT(diff.body, HasSubstr("History &lt;i&gt;two&lt;/i&gt;</ins>"));
  EXPECT_THAT(diff.body, HasSubstr("First paragraph.</del>"));
  EXPECT_THAT(diff.body, HasSubstr("First paragraph, edited.</ins>"));
  EXPECT_THAT(diff.body, Not(HasSubstr("<i>")));
  EXPECT_EQ(bob.Get("/admin/items/" + id + "/diff?from=1&to=9").status, 404);

  // Without the CSRF token: refused, nothing restored.
  EXPECT_EQ(bob.Post(restore, {{"base", "2"}}).status, 403);
  EXPECT_THAT(bob.Get("/admin/items/" + id).body, HasSubstr("First paragraph, edited."));
  // A stale base: refused with the reason.
  EXPECT_EQ(bob.Post(restore, {{"csrf", csrf}, {"base", "1"}}).status, 409);
  // With both: revision 1's text comes back as revision 3.
  const Reply restored = bob.Post(restore, {{"csrf", csrf}, {"base", "2"}});
  ASSERT_EQ(restored.status, 303) << restored.body;
  EXPECT_EQ(restored.Header("location"), "/admin/items/" + id + "?done=restored");
  const Reply item = bob.Get(restored.Header("location"));
  EXPECT_THAT(item.body, HasSubstr("History &lt;i&gt;one&lt;/i&gt;"));
  EXPECT_THAT(item.body, Not(HasSubstr("First paragraph, edited.")));
  EXPECT_THAT(item.body, HasSubstr("restore 1"));
  // Revisions 1 and 3 are the same content.
  EXPECT_THAT(bob.Get("/admin/items/" + id + "/diff?from=1&to=3").body,
              HasSubstr("Nothing differs between these revisions."));
}

TEST_F(AdminTest, TheRelatedItemsPickerFindsDraftsAndAddsAndRemovesThem) {
  Browser bob = LoggedIn("bob", kEditorPassword);
  const std::string target = CreateItem(bob, "Picker target Qzxpick");
  const std::string id = CreateItem(bob, "Picker source");
  ASSERT_FALSE(target.empty());
  ASSERT_FALSE(id.empty());
  const std::string edit = "/admin/items/" + id + "/edit";
  Reply form = bob.Get(edit);
  EXPECT_THAT(form.body, HasSubstr("No additional materials."));
  const std::string csrf = HiddenField(form.body, "csrf");
  const auto fields = [&](const std::string& action, const std::string& base,
                          std::vector<std::pair<std::string, std::string>> more) {
    auto all = NewItemFields(csrf, "Picker source", action);
    all.emplace_back("base", base);
    all.insert(all.end(), more.begin(), more.end());
    return all;
  };
  // Find by a fragment of the title, in any case: the draft is offered, nothing is saved.
  const Reply found = bob.Post(edit, fields("related-find", "1", {{"related_add", "QZXPICK"}}));
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_THAT(found.body, HasSubstr("name=\"related_pick\" value=\"" + target + "\""));
  EXPECT_THAT(found.body, HasSubstr("#" + target + " Picker target Qzxpick"));
  EXPECT_THAT(found.body, HasSubstr("value=\"QZXPICK\""));  // the field keeps what was typed
  EXPECT_EQ(HiddenField(bob.Get(edit).body, "base"), "1");
  // The same search as a GET on the edit page.
  EXPECT_THAT(bob.Get(edit + "?related_q=qzxpick").body,
              HasSubstr("name=\"related_pick\" value=\"" + target + "\""));

  // Tick it and save.
  Reply saved =
      bob.Post(edit, fields("save", "1", {{"related_add", "QZXPICK"}, {"related_pick", target}}));
  ASSERT_EQ(saved.status, 303) << saved.body;
  form = bob.Get(edit);
  EXPECT_THAT(form.body, HasSubstr("name=\"related_remove\" value=\"" + target + "\""));
  EXPECT_THAT(form.body, HasSubstr("#" + target + " Picker target Qzxpick"));
  // A number that names no item: the form comes back with the reason.
  const Reply unknown = bob.Post(edit, fields("save", "2", {{"related_add", "#99999999"}}));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_THAT(unknown.body, HasSubstr("there is no item 99999999"));
  // Remove it again.
  saved = bob.Post(edit, fields("save", "2", {{"related_remove", target}}));
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_THAT(bob.Get(edit).body, HasSubstr("No additional materials."));
}

}  // namespace
