// The admin UI through App::Handle (no socket), on a real SQLite store and accounts: what needs
// a configuration rather than a running server (the Secure cookie behind https, 503 without
// accounts, an expired session). The flows over HTTP are in tests/integration/admin_test.cpp.

#include "http/admin_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "auth/authenticator.h"
#include "http/app.h"
#include "store/accounts.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace assetpub::http {
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

}  // namespace
}  // namespace assetpub::http
