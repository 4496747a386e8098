#pragma once
// The backup file of `assetpub backup` and `restore`: a tar archive (libarchive) holding, in this
// order, manifest.json, config.toml and one entry per base table of the store
// (store/tables.h), "store/<table>": the table's rows in key order, each value framed as
// store::TableChecksum::AppendFramed writes it, so the BLAKE2b of the entry is the table's
// checksum as `migrate` prints it. The manifest gives the format version, the assetpub version,
// the source's backend, the last change number in the snapshot, and each entry's size and
// checksum (and a table's row count and columns). Thread-safety: none needed.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "store/tables.h"

namespace assetpub::cli {

inline constexpr int kBackupFormatVersion = 1;
inline constexpr const char* kBackupConfigEntry = "config.toml";

struct BackupEntry {
  std::string name;  // "config.toml", "store/assets", …
  uint64_t bytes = 0;
  std::string blake2b;  // hex
  // Table entries only (name "store/<table>"): the table, its rows and its columns.
  std::string table;
  int64_t rows = 0;
  std::vector<std::string> columns;
};

struct BackupManifest {
  int format_version = kBackupFormatVersion;
  std::string assetpub_version;
  std::string created_at;     // RFC 3339, UTC
  std::string store_backend;  // "sqlite" or "postgresql"
  int64_t change_seq = 0;     // the last change in the snapshot (0: none)
  std::vector<BackupEntry> entries;
};

// Writes `manifest`, then each entry's bytes read from `files` (one per manifest entry, in its
// order), to a new tar archive at `out`, and flushes it to disk. Throws Error(kUnavailable) when
// a file cannot be read or the archive written.
void WriteBackupArchive(const std::filesystem::path& out, const BackupManifest& manifest,
                        const std::vector<std::filesystem::path>& files);

// What ReadBackupArchive hands over of each entry after the manifest; any may be empty.
struct EntryVisitor {
  std::function<void(const BackupEntry&)> begin;
  std::function<void(std::string_view bytes)> data;
  // Called once the entry's size and checksum are known to match the manifest.
  std::function<void(const BackupEntry&)> end;
};

// Reads the archive at `file`: its manifest (which must be its first entry and of a format this
// version reads, with a config.toml entry and one entry per base table, columns as this version
// has them), then every entry in the manifest's order, checking each one's size and checksum,
// and that the archive ends after the last. Returns the manifest. Throws Error(kInvalidInput)
// naming the file and what is wrong (damaged, truncated, altered, another format), or whatever
// `visit` throws.
BackupManifest ReadBackupArchive(const std::filesystem::path& file, const EntryVisitor& visit);

// Turns a table entry's bytes, given in any pieces, back into rows of `columns` values.
class FramedRowReader {
 public:
  explicit FramedRowReader(size_t columns) : columns_(columns) {}
  // Calls `row` for every whole row `bytes` completes. Throws Error(kInvalidInput) on bytes
  // that are not framed values.
  void Feed(std::string_view bytes, const std::function<void(const store::TableRow&)>& row);
  // Throws Error(kInvalidInput) when the bytes ended inside a row.
  void Finish() const;

 private:
  size_t columns_;
  std::string pending_;  // the bytes of a row not yet whole
  store::TableRow row_;
};

}  // namespace assetpub::cli
