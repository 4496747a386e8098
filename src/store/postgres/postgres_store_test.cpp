// What only the PostgreSQL backend has to show (the rest is the conformance suites', run on both
// backends): a schema newer than the binary is refused without a write, and connections the
// server dropped are replaced by themselves.
#include "store/postgres/postgres_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "core/error.h"
#include "store/postgres/connection.h"
#include "store/postgres/postgres_accounts.h"
#include "store/postgres/schema.h"
#include "support/postgres_server.h"

namespace assetpub::store::postgres {
namespace {

// Runs `sql` on the database `url` names, on a connection of the test's own.
void Exec(const std::string& url, const std::string& sql) {
  pqxx::connection c(url);
  pqxx::work work(c);
  work.exec(sql);
  work.commit();
}

content::Asset Sample() {
  content::Asset a;
  a.kind = content::Kind::kStatement;
  a.published_at = content::Instant{1'700'000'000};
  a.time_zone = "UTC";
  content::Translation t;
  t.language = "en-GB";
  t.title = "A statement";
  t.slug = "a-statement";
  a.translations.emplace(t.language, t);
  a.languages = {t.language};
  return a;
}

// What PostgreSQL says when its disk is full (SQLSTATE 53100, "could not extend file … No space
// left on device") is a 507 like SQLite's, not a 500. Filling a real server's disk would need a
// small file system of its own (a mount, which the tests cannot count on): the error is made here
// as libpqxx makes it from the server's answer.
TEST(PostgresErrors, AServerOutOfDiskSpaceIsInsufficientStorage) {
  const auto translated = [](const char* sqlstate) {
    try {
      try {
        throw pqxx::sql_error(
            "ERROR:  could not extend file \"base/16384/16390\": No space left on device\n"
            "HINT:  Check free disk space.\n",
            "INSERT INTO assets ...", sqlstate);
      } catch (...) {
        RethrowTranslated();
      }
    } catch (const Error& e) {
      return std::make_pair(e.code(), std::string(e.what()));
    }
    return std::make_pair(ErrorCode::kInternal, std::string("not thrown"));
  };
  const auto [code, message] = translated("53100");
  EXPECT_EQ(code, ErrorCode::kInsufficientStorage);
  EXPECT_EQ(message,
            "the database server is out of disk space: ERROR:  could not extend file "
            "\"base/16384/16390\": No space left on device");
  EXPECT_EQ(translated("XX000").first, ErrorCode::kInternal);  // anything else: still internal
}

TEST(PostgresStore, RefusesADatabaseWhoseSchemaIsNewerThanTheBinaryAndWritesNothing) {
  const std::string url = assetpub::testing::PostgresServer::Shared().CreateDatabase();
  { PostgresStore migrate(url); }
  const std::string newer = std::to_string(SchemaVersion() + 1);
  Exec(url, "UPDATE meta SET value = '" + newer + "' WHERE key = 'schema_version'");
  for (auto open : {+[](const std::string& u) { PostgresStore store(u); },
                    +[](const std::string& u) { PostgresAccounts accounts(u); }}) {
    try {
      open(url);
      FAIL() << "opened a database of schema version " << newer;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInternal);
      EXPECT_THAT(e.what(), ::testing::HasSubstr("newer than this binary"));
    }
  }
  pqxx::connection c(url);
  pqxx::nontransaction read(c);
  EXPECT_EQ(
      read.exec("SELECT value FROM meta WHERE key = 'schema_version'")[0][0].as<std::string>(),
      newer);
}

// The server ends every session of the store (a restart, a failover, an administrator): the next
// reads and writes get new connections, without an error and without reopening the store.
TEST(PostgresStore, ConnectionsTheServerDroppedAreReplacedOnTheNextCall) {
  const std::string url = assetpub::testing::PostgresServer::Shared().CreateDatabase();
  PostgresStore store(url);
  content::Asset a = Sample();
  {
    auto tx = store.Begin();
    tx->Put(a);
    tx->Commit();
  }
  ASSERT_TRUE(store.Get(a.id).has_value());  // a pooled connection now exists
  const std::string database = url.substr(url.rfind('/') + 1);
  Exec(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database +
                "' AND pid <> pg_backend_pid()");
  EXPECT_TRUE(store.Get(a.id).has_value());
  EXPECT_EQ(store.LastChange(), 1);
  Exec(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database +
                "' AND pid <> pg_backend_pid()");
  content::Asset b = Sample();
  b.translations.begin()->second.slug = "another";
  auto tx = store.Begin();
  tx->Put(b);
  tx->Commit();
  EXPECT_EQ(store.LastChange(), 2);
}

// Two nodes on one database: one leads, the other takes over once the leader is gone (its store
// destroyed, or its session ended by the server as when its process dies).
TEST(PostgresStore, OneStoreLeadsAndAnotherTakesOverWhenItIsGone) {
  const std::string url = assetpub::testing::PostgresServer::Shared().CreateDatabase();
  auto a = std::make_unique<PostgresStore>(url);
  PostgresStore b(url);
  EXPECT_TRUE(a->Lead("scheduler"));
  EXPECT_FALSE(b.Lead("scheduler"));
  EXPECT_TRUE(a->Lead("scheduler"));  // still, on every call
  EXPECT_TRUE(b.Lead("another task"));
  a.reset();
  EXPECT_TRUE(b.Lead("scheduler"));
  PostgresStore c(url);
  EXPECT_FALSE(c.Lead("scheduler"));
  const std::string database = url.substr(url.rfind('/') + 1);
  Exec(url,
       // With a timeout it returns once the backend has exited, its locks released.
       "SELECT pg_terminate_backend(pid, 10000) FROM pg_locks JOIN pg_database d ON d.oid = "
       "pg_locks.database WHERE locktype = 'advisory' AND d.datname = '" +
           database + "'");
  EXPECT_TRUE(c.Lead("scheduler"));
  EXPECT_FALSE(b.Lead("scheduler"));  // it finds its session gone and the lease taken
}

}  // namespace
}  // namespace assetpub::store::postgres
