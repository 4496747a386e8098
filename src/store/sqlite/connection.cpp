#include "store/sqlite/connection.h"

namespace assetpub::store::sqlite {

Connection::Connection(const std::filesystem::path& path, const Options& options)
    // A larger page cache than the 2 MiB default keeps the list indexes (listings, terms) of a
    // large store in memory: a tag list probes a few thousand listings at random.
    : db_(Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
               "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
               "PRAGMA cache_size = -32768;",
               options.busy_timeout)) {}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  for (auto& [sql, stmt] : text_cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Statement Connection::PrepareText(const std::string& sql) {
  if (text_cache_.size() >= kMaxTextStatements && !text_cache_.contains(sql)) {
    for (auto& [text, stmt] : text_cache_) sqlite3_finalize(stmt);
    text_cache_.clear();
  }
  return Cached(text_cache_, sql, sql.c_str());
}

void Connection::Rollback() noexcept {
  if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

sqlite3_stmt* Connection::PreparePersistent(const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    Fail(db_, sql);
  }
  return stmt;
}

}  // namespace assetpub::store::sqlite
