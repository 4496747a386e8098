#pragma once
// Connection: one connection to the store's database with its prepared-statement cache, and the
// write transaction SqliteStore and SqliteAccounts both use. Internal to store/sqlite/ (it shows
// sqlite3.h). Not thread-safe: one user at a time, whom its owner's lock names. Failures throw
// assetpub::Error as statement.h says (busy or full: kUnavailable; a constraint: kConflict;
// anything else: kInternal).

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "store/sqlite/options.h"
#include "store/sqlite/statement.h"

namespace assetpub::store::sqlite {

class Connection {
 public:
  // Opens (creating if needed) the database at `path` with foreign keys on, synchronous=NORMAL, a
  // 32 MiB page cache and `options.busy_timeout`. Throws Error(kUnavailable) when the file cannot
  // be opened.
  Connection(const std::filesystem::path& path, const Options& options);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs `sql` (one or more statements, no results).
  void Exec(const char* sql) { sqlite::Exec(db_, sql); }

  // The statement for `sql`, which must have static storage (a string literal): it is cached by
  // its address, prepared the first time. The Statement borrows the cached handle and resets it
  // on destruction; do not hold two Statements of the same `sql` at once.
  Statement Prepare(const char* sql) { return Cached(cache_, sql, sql); }

  // For SQL built at run time (Select): cached by its text. The cache is bounded and emptied when
  // full, so no Statement from PrepareText may be alive across another PrepareText call.
  Statement PrepareText(const std::string& sql);

  // Runs `body()` in one write transaction (BEGIN IMMEDIATE … COMMIT) and returns what it returns;
  // if `body` or the commit throws, rolls back and rethrows. BEGIN IMMEDIATE waits up to the busy
  // timeout for another connection's write lock (then Error(kUnavailable)).
  template <typename Body>
  auto Write(Body&& body) {
    Exec("BEGIN IMMEDIATE");
    try {
      if constexpr (std::is_void_v<decltype(body())>) {
        body();
        Exec("COMMIT");
      } else {
        auto result = body();
        Exec("COMMIT");
        return result;
      }
    } catch (...) {
      Rollback();
      throw;
    }
  }

  // Rolls back the open transaction, if any; never throws (SQLite rolls back an unfinished
  // transaction itself when it cannot).
  void Rollback() noexcept;

  // Rows the last INSERT, UPDATE or DELETE changed.
  int64_t Changes() const { return sqlite3_changes64(db_); }
  // The rowid of the last INSERT.
  int64_t LastRowId() const { return sqlite3_last_insert_rowid(db_); }

 private:
  static constexpr size_t kMaxTextStatements = 256;

  // The statement `cache` holds under `key`, prepared from `sql` the first time.
  template <typename Cache, typename Key>
  Statement Cached(Cache& cache, const Key& key, const char* sql) {
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(key, PreparePersistent(sql)).first;
    return Statement(db_, it->second);
  }
  sqlite3_stmt* PreparePersistent(const char* sql);

  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;  // keyed by the literal's address
  std::unordered_map<std::string, sqlite3_stmt*> text_cache_;
};

}  // namespace assetpub::store::sqlite
