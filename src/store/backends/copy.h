#pragma once
// Copying a whole store from one database to another (`assetpub migrate`): every base table
// (store/tables.h: assets with every revision, the changes log and its position, media records
// and the media's bytes (blobs, in chunks), view counts, users, tokens, sessions, the audit log),
// then the target's list tables rebuilt and its id sequences moved past the copied ids. The target
// must be empty. Ends by reading both back and comparing each table's row count and a checksum of
// its content.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/tables.h"

namespace assetpub::store {

struct TableCheck {
  std::string table;
  int64_t source_rows = 0;
  int64_t target_rows = 0;
  // BLAKE2b-256 (hex) of the table's rows in key order, every value with its length (NULL apart).
  std::string source_checksum;
  std::string target_checksum;
  bool matches() const { return source_rows == target_rows && source_checksum == target_checksum; }
};

// A table's checksum as TableCheck gives it: BLAKE2b-256 (hex) over its rows in key order, each
// value framed by AppendFramed. A backup stores a table as exactly these framed bytes
// (cli/backup_archive.h), so the checksum of its entry is the table's. Not thread-safe.
class TableChecksum {
 public:
  TableChecksum();
  ~TableChecksum();
  TableChecksum(const TableChecksum&) = delete;
  TableChecksum& operator=(const TableChecksum&) = delete;

  // Appends `row` to `out` framed: each value as "V<size>:" and its bytes, NULL as "N".
  static void AppendFramed(const TableRow& row, std::string& out);

  void AddRow(const TableRow& row);
  // Framed bytes, as AppendFramed writes them, in any pieces.
  void AddFramed(std::string_view bytes);
  // The hex digest; call once, after the last row.
  std::string Hex();

 private:
  struct State;  // libsodium's state, kept out of this header
  std::unique_ptr<State> state_;
  std::string framed_;
};

// The checksum of `table` as `tables` reads it (from its snapshot).
std::string ChecksumTable(Tables& tables, const TableSpec& table);

// Copies the store at `from_url` into the one at `to_url` in one transaction of the target, then
// checks both (one TableCheck per base table, in load order). `progress(done, total)` is called as
// rows are copied (total: the source's rows in all). Throws Error(kConflict) naming the first
// table of the target that holds rows (nothing is written), Error(kInvalidInput) when both URLs
// are the same, and whatever the backends throw (a failed copy leaves the target empty).
std::vector<TableCheck> CopyStore(const std::string& from_url, const std::string& to_url,
                                  const std::function<void(int64_t done, int64_t total)>& progress);

}  // namespace assetpub::store
