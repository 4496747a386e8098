// CopyStore (`assetpub migrate`): SQLite to PostgreSQL and back, on a store with every kind of
// row; the copies read back alike (checksums, exports, lists), keep their change log position and
// ids, and refuse a target that is not empty.
#include "store/backends/copy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "content/asset_json.h"
#include "core/error.h"
#include "corpus/generator.h"
#include "store/accounts.h"
#include "store/store.h"
#include "store/tables.h"
#include "support/postgres_server.h"
#include "support/temp_dir.h"

namespace assetpub::store {
namespace {

using content::Instant;

// 600,000 bytes, more than two chunks of a blob, every byte value among them.
std::string Blob() {
  std::string bytes(600'000, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 7919) >> 3);
  return bytes;
}

// The bytes of blob `key` in `store`, or "<none>".
std::string ReadAll(Store& store, const std::string& key) {
  std::string out;
  if (!store.ReadBlob(key, [&](std::string_view chunk) { out += chunk; })) return "<none>";
  return out;
}

// A store with a little of everything: 700 assets (more than one copy batch), views, related
// items, revisions with a live one, a deleted asset (its changes stay), media records and bytes,
// users, tokens, sessions and audit entries.
void Fill(const std::string& url) {
  auto store = OpenStore(url);
  const corpus::WordLists words = corpus::LoadWordLists();
  corpus::Generator generator(words, 700, 11);
  {
    auto tx = store->Begin();
    for (int i = 0; i < 700; ++i) {
      content::Asset a = generator.Next();
      if (i % 50 == 7) a.related = {{1, ""}, {0, "A title not yet imported"}};
      tx->Put(a);
    }
    tx->Commit();
  }
  {
    auto tx = store->Begin();
    content::Asset a = *tx->Get(3);
    Revision first{3, 0, Instant{1'700'000'000}, "alice", "create", a};
    tx->AddRevision(first);
    a.translations.begin()->second.title += " (edited)";
    Revision second{3, 0, Instant{1'700'000'100}, "bob", "edit", a};
    tx->AddRevision(second);
    tx->SetLiveRevision(3, 1);
    tx->Delete(5);
    tx->PutRedirect({"/2014/03/12/old-permalink/", 3, "ru-RU"});
    tx->Commit();
  }
  store->AddViews({{1, 10}, {2, 3}, {700, 1}});
  store->AddMedia({{"ab" + std::string(62, '0'), "image/png", "map.png", 1234, 640, 480, ""},
                   Instant{1'700'000'000},
                   "alice"});
  // Media bytes: one blob of several chunks (every byte value), one of a few bytes.
  const std::string bytes = Blob();
  size_t at = 0;
  store->PutBlob("ab/map.png", {static_cast<int64_t>(bytes.size()), std::string(64, 'c')},
                 [&](char* buffer, size_t capacity) {
                   const size_t n = std::min(capacity, bytes.size() - at);
                   bytes.copy(buffer, n, at);
                   at += n;
                   return n;
                 });
  store->PutBlob("ab/map-320.jpg", {3, std::string(64, 'd')},
                 [done = false](char* buffer, size_t) mutable {
                   if (std::exchange(done, true)) return size_t{0};
                   std::copy_n("\0\xff\n", 3, buffer);
                   return size_t{3};
                 });
  auto accounts = OpenAccounts(url);
  const int64_t alice =
      accounts->AddUser({0, "Alice", "admin", "$argon2id$x", false, Instant{1}, Instant{2}});
  accounts->AddUser({0, "bob", "editor", "$argon2id$y", true, Instant{3}, std::nullopt});
  accounts->AddToken({0, alice, "deploy", "hash-1", Instant{4}, std::nullopt, Instant{5}});
  accounts->AddSession({"session-1", alice, Instant{6}, Instant{7}, "127.0.0.1"});
  accounts->AppendAudit({0, Instant{8}, "Alice", "login", "user:alice", "127.0.0.1", "«ok»"});
}

std::string Export(const std::string& url) {
  std::string out;
  OpenStore(url)->ForEach(
      [&](const content::Asset& a) { out += content::ToJson(a).dump() + "\n"; });
  return out;
}

std::vector<int64_t> ListIds(Store& store, SortKey key) {
  Selection s;
  s.language = "ru";
  s.order = {{key, false}};
  s.limit = 1000;
  s.with_bodies = false;
  std::vector<int64_t> ids;
  for (const auto& a : store.Select(s).assets) ids.push_back(a.id);
  return ids;
}

TEST(CopyStore, SqliteToPostgresAndBackKeepsEveryRowAndTheListsAgree) {
  const assetpub::testing::TempDir temp("assetpub-copy-");
  const std::string sqlite = "sqlite:" + (temp.path() / "assetpub.db").string();
  const std::string postgres = assetpub::testing::PostgresServer::Shared().CreateDatabase();
  const std::string back = "sqlite:" + (temp.path() / "back.db").string();
  Fill(sqlite);

  int64_t last_done = -1;
  int64_t last_total = 0;
  const auto checks = CopyStore(sqlite, postgres, [&](int64_t done, int64_t total) {
    EXPECT_GE(done, last_done);
    last_done = done;
    last_total = total;
  });
  EXPECT_EQ(last_done, last_total);
  EXPECT_GT(last_total, 5'000);
  ASSERT_EQ(checks.size(), BaseTables().size());
  for (const TableCheck& check : checks) {
    EXPECT_TRUE(check.matches()) << check.table << ": " << check.source_rows << " vs "
                                 << check.target_rows;
    EXPECT_EQ(check.source_checksum.size(), 64U);
    // The media bytes are checked like every table: three chunks of one blob, one of the other.
    if (check.table == "media_chunks") {
      EXPECT_EQ(check.source_rows, 4);
    } else if (check.table == "media_blobs") {
      EXPECT_EQ(check.source_rows, 2);
    } else if (check.table == "redirects") {
      EXPECT_EQ(check.source_rows, 1);
    }
  }
  for (const auto& check : CopyStore(postgres, back, [](int64_t, int64_t) {})) {
    EXPECT_TRUE(check.matches()) << check.table;
  }

  // What users see is the same on all three.
  const std::string exported = Export(sqlite);
  EXPECT_EQ(Export(postgres), exported);
  EXPECT_EQ(Export(back), exported);
  auto original = OpenStore(sqlite);
  auto copied = OpenStore(postgres);
  auto returned = OpenStore(back);
  for (SortKey key : {SortKey::kPublished, SortKey::kTitle, SortKey::kViews}) {
    EXPECT_EQ(ListIds(*copied, key), ListIds(*original, key));
    EXPECT_EQ(ListIds(*returned, key), ListIds(*original, key));
  }
  const Redirect redirect{"/2014/03/12/old-permalink/", 3, "ru-RU"};
  EXPECT_EQ(copied->FindRedirect(redirect.path), redirect);
  EXPECT_EQ(returned->FindRedirect(redirect.path), redirect);
  EXPECT_EQ(copied->CountPublished("en"), original->CountPublished("en"));
  EXPECT_EQ(copied->LastChange(), original->LastChange());
  EXPECT_EQ(copied->Head(3), original->Head(3));
  EXPECT_EQ(copied->ListMedia(0, 10).files, original->ListMedia(0, 10).files);
  for (Store* store : {copied.get(), returned.get()}) {
    EXPECT_EQ(ReadAll(*store, "ab/map.png"), Blob());
    EXPECT_EQ(ReadAll(*store, "ab/map-320.jpg"), std::string("\0\xff\n", 3));
    EXPECT_EQ(store->FindBlob("ab/map.png"), original->FindBlob("ab/map.png"));
  }
  auto accounts = OpenAccounts(postgres);
  ASSERT_TRUE(accounts->FindUser("alice").has_value());
  EXPECT_EQ(accounts->FindSession("session-1")->user_id, accounts->FindUser("alice")->id);

  // New ids continue after the copied ones, on both copies.
  for (Store* store : {copied.get(), returned.get()}) {
    const int64_t last = store->LastChange();
    auto tx = store->Begin();
    content::Asset fresh = *tx->Get(1);
    fresh.id = 0;
    fresh.translations.begin()->second.slug += "-copy";
    EXPECT_GT(tx->Put(fresh), 700);
    tx->Commit();
    EXPECT_GT(store->LastChange(), last);
  }
  EXPECT_GT(accounts->AddUser({0, "carol", "editor", "h", false, Instant{9}, std::nullopt}),
            accounts->FindUser("bob")->id);
}

TEST(CopyStore, RefusesATargetThatIsNotEmptyAndWritesNothing) {
  const assetpub::testing::TempDir temp("assetpub-copy-");
  const std::string from = "sqlite:" + (temp.path() / "from.db").string();
  const std::string to = assetpub::testing::PostgresServer::Shared().CreateDatabase();
  Fill(from);
  OpenAccounts(to)->AddUser({0, "someone", "admin", "h", false, Instant{1}, std::nullopt});
  try {
    CopyStore(from, to, [](int64_t, int64_t) {});
    FAIL() << "copied into a database that has a user";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("users"));
  }
  EXPECT_EQ(OpenStore(to)->LastChange(), 0);
  EXPECT_THROW(CopyStore(from, from, [](int64_t, int64_t) {}), Error);
}

}  // namespace
}  // namespace assetpub::store
