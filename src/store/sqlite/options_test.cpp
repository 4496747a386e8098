// The SQLite backend's store URLs (options.h): what they open and with which options. The URLs
// refused are open_store_test.cpp's, for every backend at once.
#include "store/sqlite/options.h"

#include <gtest/gtest.h>

#include <chrono>

namespace assetpub::store::sqlite {
namespace {

using std::chrono::milliseconds;

TEST(SqliteUrl, APathAloneOpensWithTheDefaultBusyTimeout) {
  const auto url = ParseUrl("sqlite:data/assetpub.db");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->path, "data/assetpub.db");
  EXPECT_EQ(url->options.busy_timeout, milliseconds(10'000));
}

TEST(SqliteUrl, TheQueryGivesTheBusyTimeout) {
  auto url = ParseUrl("sqlite:/var/lib/assetpub/assetpub.db?busy_timeout_ms=250");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->path, "/var/lib/assetpub/assetpub.db");
  EXPECT_EQ(url->options.busy_timeout, milliseconds(250));
  url = ParseUrl("sqlite:x.db?busy_timeout_ms=0");  // fail at once
  ASSERT_TRUE(url);
  EXPECT_EQ(url->options.busy_timeout, milliseconds(0));
}

TEST(SqliteUrl, AnotherBackendsUrlIsNotThisOnes) {
  EXPECT_FALSE(ParseUrl("postgresql://localhost/assetpub?sslmode=disable"));
  EXPECT_FALSE(ParseUrl("SQLITE:x.db"));
}

}  // namespace
}  // namespace assetpub::store::sqlite
