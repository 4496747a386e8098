#pragma once
// Test support only: looks inside a SQLite store file the way an operator would with the sqlite3
// shell, for the crash and disk-full tests. A test using it links SQLite::SQLite3. Opening the
// file runs SQLite's own recovery (a WAL left by a killed process is replayed), as the next
// `assetpub` command would. Thread-safety: none needed; each call opens its own connection.

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace assetpub::testing {

// Every row of `sql`'s result, each as its columns' text joined by '|' (NULL as "∅").
// On an error, one row "error: …".
inline std::vector<std::string> QueryRows(const std::filesystem::path& file,
                                          const std::string& sql) {
  std::vector<std::string> rows;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    rows.push_back("error: cannot open " + file.string() + ": " + sqlite3_errmsg(db));
    sqlite3_close(db);
    return rows;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    rows.push_back(std::string("error: ") + sqlite3_errmsg(db));
    sqlite3_close(db);
    return rows;
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      row += (i == 0 ? "" : "|") + std::string(text == nullptr ? "∅" : text);
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) rows.push_back(std::string("error: ") + sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

// PRAGMA integrity_check and foreign_key_check together: "ok" for a sound file, else what they
// found, one finding a line.
inline std::string IntegrityCheck(const std::filesystem::path& file) {
  std::string found;
  for (const std::string& row : QueryRows(file, "PRAGMA integrity_check")) {
    if (row != "ok") found += row + "\n";
  }
  for (const std::string& row : QueryRows(file, "PRAGMA foreign_key_check")) {
    found += "foreign key: " + row + "\n";
  }
  return found.empty() ? "ok" : found;
}

// Every table's rows, sorted, as text: two stores that compare equal hold the same data. The
// change log's times (`changes.at`) are left out, the one column that differs between two runs
// of the same writes.
inline std::map<std::string, std::string> TableContents(const std::filesystem::path& file) {
  std::map<std::string, std::string> tables;
  for (const std::string& table :
       QueryRows(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
    const std::string sql = table == "changes" ? "SELECT seq, asset_id, op FROM changes"
                                               : "SELECT * FROM \"" + table + "\"";
    std::vector<std::string> rows = QueryRows(file, sql);
    std::sort(rows.begin(), rows.end());
    std::string text;
    for (const std::string& row : rows) text += row + "\n";
    tables[table] = std::move(text);
  }
  return tables;
}

}  // namespace assetpub::testing
