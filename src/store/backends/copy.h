#pragma once
// Copying a whole store from one database to another (`assetpub migrate`): every base table
// (store/tables.h: assets with every revision, the changes log and its position, media records
// and the media's bytes (blobs, in chunks), view counts, users, tokens, sessions, the audit log),
// then the target's list tables rebuilt and its id sequences moved past the copied ids. The target
// must be empty. Ends by reading both back and comparing each table's row count and a checksum of
// its content.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

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

// Copies the store at `from_url` into the one at `to_url` in one transaction of the target, then
// checks both (one TableCheck per base table, in load order). `progress(done, total)` is called as
// rows are copied (total: the source's rows in all). Throws Error(kConflict) naming the first
// table of the target that holds rows (nothing is written), Error(kInvalidInput) when both URLs
// are the same, and whatever the backends throw (a failed copy leaves the target empty).
std::vector<TableCheck> CopyStore(const std::string& from_url, const std::string& to_url,
                                  const std::function<void(int64_t done, int64_t total)>& progress);

}  // namespace assetpub::store
