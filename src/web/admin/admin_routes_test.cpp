// The admin UI through App::Handle (no socket), on a real SQLite store and accounts: what needs
// a configuration rather than a running server (the Secure cookie behind https, 503 without
// accounts, an expired session). The flows over HTTP are in tests/integration/admin_test.cpp.

#include "web/admin/admin_routes.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "auth/authenticator.h"
#include "store/accounts.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "web/app.h"

namespace assetpub::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kPassword = "a long enough pass phrase 42";

Config SiteConfig(const std::string& base_url) {
  Config config;
  config.resources_dir = ASSETPUB_SOURCE_DIR;
  config.base_url = base_url;
  return config;
}

// The first hidden field `name` of a page.
std::string Hidden(const std::string& html, const std::string& name) {
  std::smatch match;
  return std::regex_search(html, match, std::regex("name=\"" + name + "\" value=\"([^\"]*)\""))
             ? match[1].str()
             : "";
}

// The cookie value a Set-Cookie header sets.
std::string CookieIn(const Response& response) {
  const std::string header = response.Header("Set-Cookie").value_or("");
  const size_t equals = header.find('=');
  return equals == std::string::npos ? ""
                                     : header.substr(equals + 1, header.find(';') - equals - 1);
}

class AdminRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string url = "sqlite:" + (temp_.path() / "store.db").string();
    store_ = store::OpenStore(url);
    accounts_ = store::OpenAccounts(url);
    auth::AuthOptions options;
    options.password = auth::PasswordLimits::ForTestsOnly();
    options.clock = [this] { return now_; };
    auth_ = std::make_unique<auth::Authenticator>(*accounts_, options);
    auth_->AddUser(auth::Authenticator::Operator(), "editor1", auth::Role::kEditor, kPassword,
                   "local");
  }

  // Logs in through the form on `app`; returns the login POST's response.
  Response LogIn(const App& app) {
    const Response form = app.Handle("GET", "/admin/login");
    const std::string nonce = CookieIn(form);
    return app.Handle(
        "POST", "/admin/login",
        {{"Cookie", "ap_session=" + nonce}, {"Content-Type", "application/x-www-form-urlencoded"}},
        "csrf=" + Hidden(form.body, "csrf") +
            "&name=editor1&password=" + std::regex_replace(kPassword, std::regex(" "), "+"),
        "192.0.2.1");
  }

  // editor1's session on `app`, logged in through the form: the headers of its page requests
  // (`get`) and of its form posts (`post`). `ok` is false when the login failed.
  struct Session {
    bool ok = false;
    HeaderList get;
    HeaderList post;
  };
  Session LogInSession(const App& app) {
    const Response login = LogIn(app);
    EXPECT_EQ(login.status, 303) << login.body;
    const std::string cookie = "ap_session=" + CookieIn(login);
    return {login.status == 303,
            {{"Cookie", cookie}},
            {{"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}}};
  }

  assetpub::testing::TempDir temp_{"admin-routes-"};
  content::Instant now_ = content::Now();
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::Accounts> accounts_;
  std::unique_ptr<auth::Authenticator> auth_;
};

TEST_F(AdminRoutesTest, BehindHttpsTheCookieIsSecure) {
  const App app(SiteConfig("https://mid.example"), *store_, nullptr, nullptr, auth_.get());
  const Response form = app.Handle("GET", "/admin/login");
  EXPECT_THAT(form.Header("Set-Cookie").value_or(""), HasSubstr("; Secure"));
  const Response login = LogIn(app);
  ASSERT_EQ(login.status, 303) << login.body;
  EXPECT_THAT(login.Header("Set-Cookie").value_or(""), StartsWith("ap_session="));
  EXPECT_THAT(login.Header("Set-Cookie").value_or(""),
              HasSubstr("; Secure; HttpOnly; SameSite=Strict"));
}

TEST_F(AdminRoutesTest, OverPlainHttpTheCookieIsNotSecure) {
  const App app(SiteConfig("http://127.0.0.1:8080"), *store_, nullptr, nullptr, auth_.get());
  const Response login = LogIn(app);
  ASSERT_EQ(login.status, 303) << login.body;
  EXPECT_THAT(login.Header("Set-Cookie").value_or(""), Not(HasSubstr("Secure")));
}

TEST_F(AdminRoutesTest, WithoutAccountsTheDeskIsUnavailable) {
  const App app(SiteConfig("http://127.0.0.1:8080"), *store_);
  for (const char* path : {"/admin/login", "/admin/", "/admin/users"}) {
    const Response response = app.Handle("GET", path);
    EXPECT_EQ(response.status, 503) << path;
    EXPECT_EQ(response.Header("Cache-Control"), "no-store") << path;
  }
}

TEST_F(AdminRoutesTest, AnIdleSessionEndsAndTheNextPageAsksForTheLoginAgain) {
  const App app(SiteConfig("http://127.0.0.1:8080"), *store_, nullptr, nullptr, auth_.get());
  const Response login = LogIn(app);
  ASSERT_EQ(login.status, 303);
  const HeaderList cookie = {{"Cookie", "ap_session=" + CookieIn(login)}};
  EXPECT_EQ(app.Handle("GET", "/admin/", cookie).status, 200);
  now_.seconds += 2 * 60 * 60;  // two hours without a request
  const Response after = app.Handle("GET", "/admin/", cookie);
  EXPECT_EQ(after.status, 303);
  EXPECT_THAT(after.Header("Location").value_or(""), StartsWith("/admin/login?next="));
}

// An application/x-www-form-urlencoded body from name-value pairs (values percent-encoded).
std::string FormBody(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    body += name + '=';
    for (unsigned char c : value) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
        body += static_cast<char>(c);
      } else {
        body += fmt::format("%{:02X}", c);
      }
    }
  }
  return body;
}

// A file in the store's media library (the row only: the picker and the save read no bytes).
content::MediaFile AddLibraryFile(store::Store& store, const std::string& name, char fill) {
  store::MediaRecord record;
  record.file.hash = std::string(64, fill);
  record.file.type = "application/pdf";
  record.file.name = name;
  record.file.bytes = 1234;
  record.uploaded_at = content::Now();
  record.uploaded_by = "editor1";
  store.AddMedia(record);
  return record.file;
}

// The edit form lists the media library with a box and a caption each; ticked files are
// attached (completed from the library), their captions edited, and removed again; an unknown
// file is refused with the form shown again, nothing saved.
TEST_F(AdminRoutesTest, TheEditFormAttachesFilesFromTheMediaLibrary) {
  const App app(SiteConfig("http://127.0.0.1:8080"), *store_, nullptr, nullptr, auth_.get());
  const content::MediaFile report = AddLibraryFile(*store_, "report.pdf", 'a');
  const content::MediaFile annex = AddLibraryFile(*store_, "annex <1>.pdf", 'b');
  const Session session = LogInSession(app);
  ASSERT_TRUE(session.ok);
  const HeaderList& get = session.get;
  const HeaderList& post = session.post;

  const Response blank = app.Handle("GET", "/admin/items/new", get);
  ASSERT_EQ(blank.status, 200) << blank.body;
  EXPECT_THAT(blank.body, HasSubstr("name=\"media_pick\" value=\"" + report.hash + "\""));
  EXPECT_THAT(blank.body, HasSubstr("annex &lt;1&gt;.pdf"));  // names are escaped
  const std::string csrf = Hidden(blank.body, "csrf");
  const Response created =
      app.Handle("POST", "/admin/items", post,
                 FormBody({{"csrf", csrf},
                           {"kind", "statement"},
                           {"title_en", "With a file"},
                           {"body_en", "Text."},
                           {"media_pick", report.hash},
                           {"media_pick_caption_" + report.hash, "The report, in full"},
                           {"media_pick_caption_" + annex.hash, "not ticked: ignored"}}),
                 "192.0.2.1");
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string location = created.Header("Location").value_or("");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(location, match, std::regex("/admin/items/([0-9]+)")));
  const int64_t id = std::stoll(match[1].str());
  std::optional<content::Asset> stored = store_->Get(id);
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->media.size(), 1u);
  EXPECT_EQ(stored->media[0].hash, report.hash);
  EXPECT_EQ(stored->media[0].name, "report.pdf");  // completed from the library
  EXPECT_EQ(stored->media[0].type, "application/pdf");
  EXPECT_EQ(stored->media[0].caption, "The report, in full");

  // The edit form shows the attached file with its caption; the library offers only the other.
  const std::string edit_path = "/admin/items/" + std::to_string(id) + "/edit";
  const Response edit = app.Handle("GET", edit_path, get);
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_THAT(edit.body, HasSubstr("name=\"media_caption_" + report.hash +
                                   "\" value=\"The report, in full\""));
  EXPECT_THAT(edit.body, Not(HasSubstr("name=\"media_pick\" value=\"" + report.hash + "\"")));
  EXPECT_THAT(edit.body, HasSubstr("name=\"media_pick\" value=\"" + annex.hash + "\""));

  // A hash the library does not have: the form again with the error, nothing saved.
  const std::string base = Hidden(edit.body, "base");
  const Response unknown = app.Handle("POST", edit_path, post,
                                      FormBody({{"csrf", Hidden(edit.body, "csrf")},
                                                {"base", base},
                                                {"kind", "statement"},
                                                {"title_en", "With a file"},
                                                {"body_en", "Text."},
                                                {"media_pick", std::string(64, 'c')}}),
                                      "192.0.2.1");
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_THAT(unknown.body, HasSubstr("admin-error"));
  EXPECT_EQ(store_->Get(id)->media.size(), 1u);

  // A new caption for the attached file, the other file attached too; then the first removed.
  const Response both = app.Handle("POST", edit_path, post,
                                   FormBody({{"csrf", Hidden(edit.body, "csrf")},
                                             {"base", base},
                                             {"kind", "statement"},
                                             {"title_en", "With a file"},
                                             {"body_en", "Text."},
                                             {"media_caption_" + report.hash, "The report"},
                                             {"media_pick", annex.hash}}),
                                   "192.0.2.1");
  ASSERT_EQ(both.status, 303) << both.body;
  stored = store_->Get(id);
  ASSERT_EQ(stored->media.size(), 2u);
  EXPECT_EQ(stored->media[0].caption, "The report");
  EXPECT_EQ(stored->media[1].hash, annex.hash);
  const Response again = app.Handle("GET", edit_path, get);
  const Response removed = app.Handle("POST", edit_path, post,
                                      FormBody({{"csrf", Hidden(again.body, "csrf")},
                                                {"base", Hidden(again.body, "base")},
                                                {"kind", "statement"},
                                                {"title_en", "With a file"},
                                                {"body_en", "Text."},
                                                {"media_remove", report.hash}}),
                                      "192.0.2.1");
  ASSERT_EQ(removed.status, 303) << removed.body;
  stored = store_->Get(id);
  ASSERT_EQ(stored->media.size(), 1u);
  EXPECT_EQ(stored->media[0].hash, annex.hash);
}

// A caption is the editor's text: it comes back on the form escaped, in the attached list and in
// the library's refilled fields alike.
TEST_F(AdminRoutesTest, MediaCaptionsAreEscapedOnTheEditForm) {
  const App app(SiteConfig("http://127.0.0.1:8080"), *store_, nullptr, nullptr, auth_.get());
  const content::MediaFile report = AddLibraryFile(*store_, "report.pdf", 'a');
  const content::MediaFile annex = AddLibraryFile(*store_, "annex.pdf", 'b');
  const Session session = LogInSession(app);
  ASSERT_TRUE(session.ok);
  const HeaderList& post = session.post;
  const std::string evil = "x\" autofocus onfocus=\"alert(1)<b>";
  const std::string escaped = "x&quot; autofocus onfocus=&quot;alert(1)&lt;b&gt;";
  const Response blank = app.Handle("GET", "/admin/items/new", session.get);
  const Response created = app.Handle("POST", "/admin/items", post,
                                      FormBody({{"csrf", Hidden(blank.body, "csrf")},
                                                {"kind", "statement"},
                                                {"title_en", "Captions"},
                                                {"body_en", "Text."},
                                                {"media_pick", report.hash},
                                                {"media_pick_caption_" + report.hash, evil}}),
                                      "192.0.2.1");
  ASSERT_EQ(created.status, 303) << created.body;
  std::smatch match;
  const std::string location = created.Header("Location").value_or("");
  ASSERT_TRUE(std::regex_search(location, match, std::regex("/admin/items/([0-9]+)")));
  const std::string edit_path = "/admin/items/" + match[1].str() + "/edit";
  const Response edit = app.Handle("GET", edit_path, session.get);
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_THAT(edit.body,
              HasSubstr("name=\"media_caption_" + report.hash + "\" value=\"" + escaped + "\""));
  EXPECT_THAT(edit.body, Not(HasSubstr("onfocus=\"alert")));
  // Refilled after a refusal (an unknown file ticked too): the library's caption field as well.
  const Response refused = app.Handle("POST", edit_path, post,
                                      FormBody({{"csrf", Hidden(edit.body, "csrf")},
                                                {"base", Hidden(edit.body, "base")},
                                                {"kind", "statement"},
                                                {"title_en", "Captions"},
                                                {"body_en", "Text."},
                                                {"media_pick", annex.hash},
                                                {"media_pick_caption_" + annex.hash, evil},
                                                {"media_pick", std::string(64, 'c')}}),
                                      "192.0.2.1");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_THAT(refused.body, HasSubstr("name=\"media_pick_caption_" + annex.hash + "\" value=\"" +
                                      escaped + "\""));
  EXPECT_THAT(refused.body, Not(HasSubstr("onfocus=\"alert")));
}

// Two editors on one item: the other's save removes a file and a related item; this editor's
// older form then gets the conflict page, refilled into the newer copy. Its ticks and captions
// must stay with the files and items they were given to, whatever position those now have.
TEST_F(AdminRoutesTest, TheConflictPageKeepsTicksAndCaptionsWithTheirFilesAndItems) {
  const App app(SiteConfig("http://127.0.0.1:8080"), *store_, nullptr, nullptr, auth_.get());
  const content::MediaFile report = AddLibraryFile(*store_, "report.pdf", 'a');
  const content::MediaFile annex = AddLibraryFile(*store_, "annex.pdf", 'b');
  const Session session = LogInSession(app);
  ASSERT_TRUE(session.ok);
  const HeaderList& get = session.get;
  const HeaderList& post = session.post;
  const std::string csrf = Hidden(app.Handle("GET", "/admin/items/new", get).body, "csrf");
  const auto create = [&](std::vector<std::pair<std::string, std::string>> fields) {
    fields.insert(fields.begin(), {{"csrf", csrf}, {"kind", "statement"}, {"body_en", "Text."}});
    const Response created =
        app.Handle("POST", "/admin/items", post, FormBody(fields), "192.0.2.1");
    EXPECT_EQ(created.status, 303) << created.body;
    std::smatch match;
    const std::string location = created.Header("Location").value_or("");
    EXPECT_TRUE(std::regex_search(location, match, std::regex("/admin/items/([0-9]+)")));
    return match[1].str();
  };
  const std::string x = create({{"title_en", "Item X"}});
  const std::string y = create({{"title_en", "Item Y"}});
  const std::string id = create({{"title_en", "Main"},
                                 {"media_pick", report.hash},
                                 {"media_pick", annex.hash},
                                 {"related_pick", x},
                                 {"related_pick", y}});
  const std::string edit_path = "/admin/items/" + id + "/edit";
  const std::string base = Hidden(app.Handle("GET", edit_path, get).body, "base");

  // The other editor: the report and item X go; the annex and item Y move up to first place.
  const Response theirs = app.Handle("POST", edit_path, post,
                                     FormBody({{"csrf", csrf},
                                               {"base", base},
                                               {"kind", "statement"},
                                               {"title_en", "Main"},
                                               {"body_en", "Text."},
                                               {"media_remove", report.hash},
                                               {"related_remove", x}}),
                                     "192.0.2.1");
  ASSERT_EQ(theirs.status, 303) << theirs.body;

  // This editor, from the form opened before: captions for both files, item Y ticked to go.
  const Response mine = app.Handle("POST", edit_path, post,
                                   FormBody({{"csrf", csrf},
                                             {"base", base},
                                             {"kind", "statement"},
                                             {"title_en", "Main"},
                                             {"body_en", "Text."},
                                             {"media_caption_" + report.hash, "The report"},
                                             {"media_caption_" + annex.hash, "The annex"},
                                             {"related_remove", y}}),
                                   "192.0.2.1");
  ASSERT_EQ(mine.status, 409) << mine.body;
  EXPECT_THAT(mine.body,
              HasSubstr("name=\"media_caption_" + annex.hash + "\" value=\"The annex\""));
  EXPECT_THAT(mine.body, Not(HasSubstr("The report")));
  EXPECT_THAT(mine.body, HasSubstr("name=\"related_remove\" value=\"" + y +
                                   "\" id=\"related-remove-0\" checked"));
  // Nothing of this editor's was saved.
  const std::optional<content::Asset> stored = store_->Get(std::stoll(id));
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->media.size(), 1u);
  EXPECT_EQ(stored->media[0].hash, annex.hash);
  EXPECT_EQ(stored->media[0].caption, "");
  ASSERT_EQ(stored->related.size(), 1u);
  EXPECT_EQ(stored->related[0].id, std::stoll(y));
}

// Every Set-Cookie header of a response.
std::vector<std::string> SetCookies(const Response& response) {
  std::vector<std::string> cookies;
  for (const auto& [name, value] : response.headers) {
    if (name == "Set-Cookie") cookies.push_back(value);
  }
  return cookies;
}

// The desk speaks each site language, switched as the site is: links in the header, the choice
// (?ui=) kept in a cookie for the pages after it; the default language otherwise.
TEST_F(AdminRoutesTest, TheDeskIsOfferedOnlyInTheLanguagesItIsTranslatedInto) {
  // fr.toml and ar.toml translate the public site, not the desk.
  Config config = SiteConfig("http://127.0.0.1:8080");
  config.languages = {"en-GB", "ru-RU", "fr-FR", "ar-SA"};
  const App app(config, *store_, nullptr, nullptr, auth_.get());
  const Response english = app.Handle("GET", "/admin/login");
  ASSERT_EQ(english.status, 200);
  EXPECT_THAT(english.body, HasSubstr("?ui=ru"));
  EXPECT_THAT(english.body, Not(HasSubstr("?ui=fr")));
  EXPECT_THAT(english.body, Not(HasSubstr("?ui=ar")));
  const Response french = app.Handle("GET", "/admin/login?ui=fr");
  ASSERT_EQ(french.status, 200);
  EXPECT_THAT(french.body, HasSubstr("<html lang=\"en-GB\" dir=\"ltr\">"));
  EXPECT_THAT(SetCookies(french), Not(::testing::Contains(HasSubstr("ap_lang="))));
}

TEST_F(AdminRoutesTest, TheDeskSwitchesToRussianAndRemembersIt) {
  const App app(SiteConfig("http://127.0.0.1:8080"), *store_, nullptr, nullptr, auth_.get());
  const Response english = app.Handle("GET", "/admin/login");
  ASSERT_EQ(english.status, 200);
  EXPECT_THAT(english.body, HasSubstr("<html lang=\"en-GB\" dir=\"ltr\">"));
  EXPECT_THAT(english.body, HasSubstr("Editors&apos; desk"));
  EXPECT_THAT(english.body,
              HasSubstr("<a href=\"?ui=ru\" hreflang=\"ru\" lang=\"ru\" dir=\"ltr\">Русский</a>"));
  EXPECT_THAT(SetCookies(english), Not(::testing::Contains(HasSubstr("ap_lang="))));

  const Response russian = app.Handle("GET", "/admin/login?ui=ru");
  ASSERT_EQ(russian.status, 200);
  EXPECT_THAT(russian.body, HasSubstr("<html lang=\"ru-RU\" dir=\"ltr\">"));
  EXPECT_THAT(russian.body, HasSubstr("Редакция"));
  EXPECT_THAT(russian.body, Not(HasSubstr("Editors&apos; desk")));
  EXPECT_EQ(russian.Header("Content-Language"), "ru-RU");
  EXPECT_THAT(SetCookies(russian), ::testing::Contains(::testing::AllOf(
                                       StartsWith("ap_lang=ru;"), HasSubstr("Path=/admin"),
                                       HasSubstr("Max-Age=31536000"))));
  EXPECT_THAT(SetCookies(russian), ::testing::Contains(StartsWith("ap_session=")));

  // Logged in, with the cookie: every page in Russian, and the switch back to English.
  const Response login = LogIn(app);
  ASSERT_EQ(login.status, 303) << login.body;
  const HeaderList cookies = {{"Cookie", "ap_session=" + CookieIn(login) + "; ap_lang=ru"}};
  const Response items = app.Handle("GET", "/admin/", cookies);
  ASSERT_EQ(items.status, 200) << items.body;
  EXPECT_THAT(items.body, HasSubstr("<html lang=\"ru-RU\" dir=\"ltr\">"));
  EXPECT_THAT(items.body, HasSubstr("Вы вошли как"));
  EXPECT_THAT(items.body,
              HasSubstr("<a href=\"?ui=en\" hreflang=\"en\" lang=\"en\" dir=\"ltr\">English</a>"));
  const Response back = app.Handle("GET", "/admin/?ui=en", cookies);
  EXPECT_THAT(back.body, HasSubstr("Signed in as"));
  EXPECT_THAT(SetCookies(back), ::testing::Contains(StartsWith("ap_lang=en;")));

  // A language the site does not have is ignored.
  const Response unknown = app.Handle("GET", "/admin/login?ui=xx");
  EXPECT_THAT(unknown.body, HasSubstr("<html lang=\"en-GB\" dir=\"ltr\">"));
  EXPECT_THAT(SetCookies(unknown), Not(::testing::Contains(HasSubstr("ap_lang="))));
}

// The switch links to the same page: its own query parameters (the login's next, a list's
// filters, a diff's revisions) are kept, and only "ui" is replaced.
TEST_F(AdminRoutesTest, TheLanguageSwitchKeepsThePagesOwnParameters) {
  const App app(SiteConfig("http://127.0.0.1:8080"), *store_, nullptr, nullptr, auth_.get());
  const Response login = app.Handle("GET", "/admin/login?next=%2Fadmin%2Faudit");
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(Hidden(login.body, "next"), "/admin/audit");
  EXPECT_THAT(login.body, HasSubstr("<a href=\"?next=%2Fadmin%2Faudit&amp;ui=ru\""));
  // Following it: the login page in Russian that still goes on to the audit log.
  const Response russian = app.Handle("GET", "/admin/login?next=%2Fadmin%2Faudit&ui=ru");
  ASSERT_EQ(russian.status, 200) << russian.body;
  EXPECT_THAT(russian.body, HasSubstr("<html lang=\"ru-RU\" dir=\"ltr\">"));
  EXPECT_EQ(Hidden(russian.body, "next"), "/admin/audit");
  EXPECT_THAT(russian.body, HasSubstr("<a href=\"?next=%2Fadmin%2Faudit&amp;ui=en\""));

  const Response logged_in = LogIn(app);
  ASSERT_EQ(logged_in.status, 303) << logged_in.body;
  const HeaderList cookies = {{"Cookie", "ap_session=" + CookieIn(logged_in)}};
  const Response items = app.Handle("GET", "/admin/?ui=en&status=draft&u%69=en", cookies);
  ASSERT_EQ(items.status, 200) << items.body;
  EXPECT_THAT(items.body, HasSubstr("<a href=\"?status=draft&amp;ui=ru\""));
  // Text that is not a plain parameter stays escaped in the attribute.
  const Response odd = app.Handle("GET", "/admin/?q=%22%3E&x=\"<b>", cookies);
  EXPECT_THAT(odd.body, Not(HasSubstr("x=\"<b>")));
  EXPECT_THAT(odd.body, HasSubstr("?q=%22%3E&amp;x=&quot;&lt;b&gt;&amp;ui=ru"));
}

// The Redirects page lists the items' old addresses with their items, adds one from a pasted old
// URL, refuses what the API refuses (the form refilled), deletes one per row, each form behind
// its CSRF token; and every text on it (paths, titles) is escaped. The item page lists its own.
TEST_F(AdminRoutesTest, TheRedirectsPageListsAddsAndDeletesOldAddresses) {
  const App app(SiteConfig("http://127.0.0.1:8080"), *store_, nullptr, nullptr, auth_.get());
  content::Asset asset;
  asset.published_at = content::ParseIso8601("2014-03-12T14:05:00Z");
  asset.languages = {"en-GB"};
  content::Translation en;
  en.language = "en-GB";
  en.title = "Talks <b>&</b> more";
  en.slug = "talks";
  en.blocks = {content::Block::Paragraph("Text.")};
  asset.translations["en-GB"] = en;
  int64_t id = 0;
  {
    auto tx = store_->Begin();
    id = tx->Put(asset);
    ASSERT_TRUE(tx->PutRedirect({"/old/\"><script>alert(1)</script>", id, "en-GB"}));
    tx->Commit();
  }
  const Session session = LogInSession(app);
  ASSERT_TRUE(session.ok);
  const HeaderList& get = session.get;
  const HeaderList& post = session.post;

  const Response page = app.Handle("GET", "/admin/redirects", get);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.Header("Cache-Control"), "no-store");
  EXPECT_THAT(page.body, HasSubstr("<a href=\"/admin/redirects\">"));  // in the navigation
  EXPECT_THAT(page.body, HasSubstr("<code>/old/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(page.body, Not(HasSubstr("<script>")));
  EXPECT_THAT(page.body, HasSubstr("Talks &lt;b&gt;&amp;&lt;/b&gt; more"));
  EXPECT_THAT(page.body, HasSubstr(fmt::format("href=\"/en/assets/{}-talks\"", id)));
  EXPECT_THAT(page.body, HasSubstr("name=\"path\" value=\"/old/&quot;&gt;&lt;script&gt;"));
  const std::string csrf = Hidden(page.body, "csrf");
  ASSERT_FALSE(csrf.empty());

  // Without the CSRF token: refused, nothing written.
  const Response forged =
      app.Handle("POST", "/admin/redirects", post,
                 FormBody({{"path", "/forged/"}, {"asset", std::to_string(id)}}), "192.0.2.1");
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(store_->FindRedirect("/forged/"), std::nullopt);

  // A whole old URL pasted: its path and query are kept.
  const Response added =
      app.Handle("POST", "/admin/redirects", post,
                 FormBody({{"csrf", csrf},
                           {"path", " https://old.example.org/2014/03/12/talks/?p=3 "},
                           {"asset", std::to_string(id)},
                           {"language", ""}}),
                 "192.0.2.1");
  ASSERT_EQ(added.status, 303) << added.body;
  EXPECT_EQ(added.Header("Location"),
            "/admin/redirects?added=%2F2014%2F03%2F12%2Ftalks%2F%3Fp%3D3");
  EXPECT_EQ(store_->FindRedirect("/2014/03/12/talks/?p=3"),
            (store::Redirect{"/2014/03/12/talks/?p=3", id, "en-GB"}));
  const Response notice = app.Handle("GET", added.Header("Location").value_or(""), get);
  EXPECT_THAT(notice.body, HasSubstr("Saved the redirect of /2014/03/12/talks/?p=3."));

  // An item that does not exist: the page again with the reason and the form as it was.
  const Response unknown = app.Handle("POST", "/admin/redirects", post,
                                      FormBody({{"csrf", csrf},
                                                {"path", "/x/<y>"},
                                                {"asset", std::to_string(id + 100)},
                                                {"language", "en-GB"}}),
                                      "192.0.2.1");
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_THAT(unknown.body, HasSubstr(fmt::format("there is no item {}", id + 100)));
  EXPECT_THAT(unknown.body, HasSubstr("id=\"redirect-path\" name=\"path\" value=\"/x/&lt;y&gt;\""));
  EXPECT_THAT(unknown.body, HasSubstr("<option value=\"en-GB\" selected>"));
  const Response relative = app.Handle(
      "POST", "/admin/redirects", post,
      FormBody({{"csrf", csrf}, {"path", "old/"}, {"asset", std::to_string(id)}}), "192.0.2.1");
  EXPECT_EQ(relative.status, 400) << relative.body;
  EXPECT_THAT(relative.body, HasSubstr("must be a path starting with"));
  EXPECT_EQ(store_->ListRedirects({}).total, 2);

  // The item's page lists its old addresses and links to them here.
  const Response item = app.Handle("GET", fmt::format("/admin/items/{}", id), get);
  ASSERT_EQ(item.status, 200) << item.body;
  EXPECT_THAT(item.body, HasSubstr("<code>/2014/03/12/talks/?p=3</code> (en-GB)"));
  EXPECT_THAT(item.body, HasSubstr(fmt::format("href=\"/admin/redirects?asset={}\"", id)));
  const Response filtered = app.Handle("GET", fmt::format("/admin/redirects?asset={}", id), get);
  EXPECT_THAT(filtered.body, HasSubstr(fmt::format("Only item {}&apos;s redirects.", id)));

  // Deleted by its row's button; deleting it again says it is not there.
  const Response deleted = app.Handle(
      "POST", "/admin/redirects/delete", post,
      FormBody({{"csrf", csrf}, {"path", "/old/\"><script>alert(1)</script>"}}), "192.0.2.1");
  ASSERT_EQ(deleted.status, 303) << deleted.body;
  EXPECT_EQ(store_->FindRedirect("/old/\"><script>alert(1)</script>"), std::nullopt);
  const Response gone =
      app.Handle("POST", "/admin/redirects/delete", post,
                 FormBody({{"csrf", csrf}, {"path", "/old/\"><script>"}}), "192.0.2.1");
  EXPECT_EQ(gone.status, 404);
  EXPECT_THAT(gone.body, Not(HasSubstr("<script>")));
  EXPECT_EQ(store_->ListRedirects({}).redirects,
            (std::vector<store::Redirect>{{"/2014/03/12/talks/?p=3", id, "en-GB"}}));
}

}  // namespace
}  // namespace assetpub::web
