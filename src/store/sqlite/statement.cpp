#include "store/sqlite/statement.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace assetpub::store::sqlite {
namespace {

// Why the file system refused a write for want of room, or nullopt when it did not. SQLite says
// SQLITE_FULL for ENOSPC (and for a full max_page_count), but only "disk I/O error"
// (SQLITE_IOERR_WRITE) for the other ways of running out (a quota, EDQUOT; a file size limit,
// EFBIG), and its saved errno is often gone by then (a rollback's calls overwrite it): a failed
// write is taken as no room unless the errno says otherwise.
std::optional<std::string> OutOfRoom(sqlite3* db) {
  const int extended = sqlite3_extended_errcode(db);
  const int error = sqlite3_system_errno(db);
  const bool room_errno = error == ENOSPC || error == EDQUOT || error == EFBIG;
  if ((extended & 0xff) == SQLITE_FULL || (extended & 0xff) == SQLITE_IOERR) {
    if (room_errno) return std::strerror(error);
    if ((extended & 0xff) == SQLITE_FULL) return sqlite3_errmsg(db);
    if (extended == SQLITE_IOERR_WRITE) {
      return std::string("a write failed (") + sqlite3_errmsg(db) + ")";
    }
  }
  return std::nullopt;
}

}  // namespace

void Fail(sqlite3* db, std::string_view what) {
  const int code = sqlite3_extended_errcode(db) & 0xff;
  if (const std::optional<std::string> reason = OutOfRoom(db)) {
    throw Error(ErrorCode::kInsufficientStorage,
                fmt::format("sqlite: {}: no room left to write the store: {} (the disk is full, "
                            "or a quota or file size limit is reached)",
                            what, *reason));
  }
  const ErrorCode error_code =
      code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_IOERR || code == SQLITE_FULL
          ? ErrorCode::kUnavailable
      : code == SQLITE_CONSTRAINT ? ErrorCode::kConflict
                                  : ErrorCode::kInternal;
  throw Error(error_code, fmt::format("sqlite: {}: {}", what, sqlite3_errmsg(db)));
}

sqlite3* Open(const std::filesystem::path& path, int flags, const char* pragmas,
              std::chrono::milliseconds busy_timeout) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw Error(ErrorCode::kUnavailable,
                fmt::format("cannot open database {}: {}", path.string(), message));
  }
  sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
  try {
    Exec(db, pragmas);
  } catch (...) {
    sqlite3_close(db);
    throw;
  }
  return db;
}

void Exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    // A migration is a page of SQL: name only its start.
    const std::string_view text(sql);
    Fail(db, text.size() > 60 ? fmt::format("{}…", text.substr(0, 60)) : std::string(text));
  }
}

std::string IdsJson(const std::vector<int64_t>& ids) { return nlohmann::json(ids).dump(); }

Statement::Statement(sqlite3* db, const char* sql) : db_(db), handle_(Handle::kOwned) {
  if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) Fail(db, sql);
}

}  // namespace assetpub::store::sqlite
