// OpenStore and OpenAccounts: which URLs they take and what they refuse. What a store does once
// open is the conformance suites' business (store/*_conformance_test.cpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/accounts.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace assetpub::store {
namespace {

// Matches a callable that throws Error with `code`.
auto ThrowsCode(ErrorCode code) {
  return ::testing::Throws<Error>(::testing::Property(&Error::code, code));
}

TEST(OpenStore, RejectsUnknownUrls) {
  EXPECT_THROW(OpenStore("mysql://x"), Error);
  EXPECT_THROW(OpenStore("sqlite:"), Error);
  EXPECT_THROW(OpenStore("sqlite:/nonexistent-dir/x/y.db"), Error);
}

TEST(OpenStore, ABadUrlIsInvalidInputForStoreAndAccountsAlike) {
  const assetpub::testing::TempDir temp("assetpub-open-");
  const std::string file = (temp.path() / "assetpub.db").string();
  const std::vector<std::string> urls = {"mysql://x",
                                         "sqlite:",
                                         "sqlite:" + file + "?timeout=5",
                                         "sqlite:" + file + "?busy_timeout_ms=",
                                         "sqlite:" + file + "?busy_timeout_ms=-1",
                                         "sqlite:" + file + "?busy_timeout_ms=2s"};
  for (const std::string& url : urls) {
    EXPECT_THAT([&] { OpenStore(url); }, ThrowsCode(ErrorCode::kInvalidInput)) << url;
    EXPECT_THAT([&] { OpenAccounts(url); }, ThrowsCode(ErrorCode::kInvalidInput)) << url;
  }
  EXPECT_THAT([&] { OpenStore("sqlite:" + (temp.path() / "no" / "x.db").string()); },
              ThrowsCode(ErrorCode::kUnavailable));
}

// A PostgreSQL server that does not answer: kUnavailable, and the password stays out of the
// message.
TEST(OpenStore, AnUnreachablePostgresIsUnavailableAndItsPasswordIsNeverShown) {
  const std::string url = "postgresql://assetpub:s3cret-pw@127.0.0.1:1/assetpub";
  for (auto open : {+[](const std::string& u) { OpenStore(u); },
                    +[](const std::string& u) { OpenAccounts(u); }}) {
    try {
      open(url);
      FAIL() << "opened a store on port 1";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
      EXPECT_THAT(e.what(), ::testing::Not(::testing::HasSubstr("s3cret")));
    }
  }
  EXPECT_THAT([&] { OpenStore("mysql://root:s3cret-pw@db/x"); },
              ::testing::Throws<Error>(::testing::Property(
                  &Error::what, ::testing::Not(::testing::HasSubstr("s3cret")))));
}

TEST(RedactUrl, HidesPasswordsAndNothingElse) {
  EXPECT_EQ(RedactUrl("postgresql://app:pw@db:5432/site"), "postgresql://app:***@db:5432/site");
  EXPECT_EQ(RedactUrl("postgresql://app@db/site?password=pw&sslmode=require"),
            "postgresql://app@db/site?password=***&sslmode=require");
  EXPECT_EQ(RedactUrl("postgresql://db/site"), "postgresql://db/site");
  EXPECT_EQ(RedactUrl("sqlite:/var/lib/assetpub/a:b@c.db"), "sqlite:/var/lib/assetpub/a:b@c.db");
}

// The busy timeout a URL names is the one its store waits: a writer elsewhere holds the lock, and
// Begin gives up after about that long rather than the default ten seconds.
TEST(OpenStore, TheUrlsBusyTimeoutIsHowLongAWriterWaits) {
  const assetpub::testing::TempDir temp("assetpub-open-");
  const std::string url = "sqlite:" + (temp.path() / "assetpub.db").string();
  auto holder = OpenStore(url);
  auto impatient = OpenStore(url + "?busy_timeout_ms=100");
  auto held = holder->Begin();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT([&] { impatient->Begin(); }, ThrowsCode(ErrorCode::kUnavailable));
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(90));
  EXPECT_LT(waited, std::chrono::seconds(5));
  held.reset();
  EXPECT_NO_THROW(impatient->Begin());
}

}  // namespace
}  // namespace assetpub::store
