#pragma once
// The thin SQLite layer under the SQLite backend (connection.h builds on it): opening a database,
// running SQL, and a prepared statement with typed binds and columns. Internal to store/sqlite/:
// it shows sqlite3.h, which no header outside this folder may. Every failure becomes an
// assetpub::Error whose code says what the caller can do about it (busy or full: kUnavailable; a
// constraint: kConflict; anything else: kInternal). Nothing here is thread-safe: a connection and
// its statements have one user at a time.

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content/instant.h"

namespace assetpub::store::sqlite {

// Throws Error for the last failure on `db`, its message naming `what` and SQLite's own text:
// kInsufficientStorage when the file system had no room (full disk, quota, file size limit: the
// message says which), kUnavailable for a busy lock or another I/O error, kConflict for a broken
// constraint, kInternal otherwise.
[[noreturn]] void Fail(sqlite3* db, std::string_view what);

// Opens the database file at `path` with `flags` (SQLITE_OPEN_*; NOMUTEX is added), sets the
// busy timeout (how long a statement waits for another connection's lock before it fails with
// kUnavailable) and runs `pragmas`. Returns the connection, which the caller closes with
// sqlite3_close. Throws Error(kUnavailable) when the file cannot be opened.
sqlite3* Open(const std::filesystem::path& path, int flags, const char* pragmas,
              std::chrono::milliseconds busy_timeout);

// Runs `sql` (one or more statements, no results). Throws as Fail does.
void Exec(sqlite3* db, const char* sql);

// `ids` as a JSON array, to bind to ?N of `… IN (SELECT value FROM json_each(?N))`: one statement
// for any number of ids.
std::string IdsJson(const std::vector<int64_t>& ids);

// A prepared statement. A borrowed one (from a connection's cache) is reset and its bindings
// cleared on destruction, so the handle can be used again; an owned one is finalised.
class Statement {
 public:
  enum class Handle { kBorrowed, kOwned };

  Statement(sqlite3* db, sqlite3_stmt* stmt, Handle handle = Handle::kBorrowed)
      : db_(db), stmt_(stmt), handle_(handle) {}
  // Prepares `sql` on `db` for this statement alone (an owned handle). Throws as Fail does.
  Statement(sqlite3* db, const char* sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() {
    if (handle_ == Handle::kOwned) {
      sqlite3_finalize(stmt_);
    } else {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
  }

  // The binds, steps and columns are inline: they are the store's innermost loop.
  Statement& Bind(int index, int64_t value) {
    Check(sqlite3_bind_int64(stmt_, index, value));
    return *this;
  }
  Statement& Bind(int index, std::string_view value) {
    Check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                            SQLITE_TRANSIENT));
    return *this;
  }
  // NULL when `value` is empty.
  Statement& Bind(int index, const std::optional<content::Instant>& value) {
    Check(value ? sqlite3_bind_int64(stmt_, index, value->seconds)
                : sqlite3_bind_null(stmt_, index));
    return *this;
  }
  Statement& BindBlob(int index, std::string_view value) {
    Check(sqlite3_bind_blob(stmt_, index, value.data(), static_cast<int>(value.size()),
                            SQLITE_TRANSIENT));
    return *this;
  }
  Statement& BindNull(int index) {
    Check(sqlite3_bind_null(stmt_, index));
    return *this;
  }

  // True while there is a row to read; throws when the step fails.
  bool Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Fail(db_, sqlite3_sql(stmt_));
  }
  // Steps to the end, ignoring any rows.
  void Run() {
    while (Step()) {
    }
  }

  // The highest parameter index the statement uses.
  int ParamCount() const { return sqlite3_bind_parameter_count(stmt_); }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  // The column as text ("" for NULL).
  std::string Text(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return text ? std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)))
                : std::string();
  }
  // The column's bytes (a BLOB, or TEXT as stored; empty for NULL), valid until the next Step
  // or the statement's reset: no copy, for the blobs' chunks.
  std::string_view Bytes(int column) const {
    const void* data = sqlite3_column_blob(stmt_, column);  // before _bytes, as SQLite asks
    if (data == nullptr) return {};
    return std::string_view(static_cast<const char*>(data),
                            static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  // The column as an instant (seconds), empty for NULL.
  std::optional<content::Instant> OptionalInstant(int column) const {
    if (IsNull(column)) return std::nullopt;
    return content::Instant{Int(column)};
  }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK) Fail(db_, "bind");
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  Handle handle_;
};

}  // namespace assetpub::store::sqlite
