#include "cli/backup_command.h"

#include <fmt/format.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <vector>

#include "cli/backup_archive.h"
#include "cli/data_dir.h"
#include "cli/search_commands.h"
#include "core/error.h"
#include "core/progress.h"
#include "search/search_index.h"
#include "store/backends/copy.h"
#include "store/store.h"
#include "store/tables.h"

namespace assetpub::cli {
namespace {

namespace fs = std::filesystem;

// A restored table goes into the target this many rows at a time, or fewer once their values
// reach kLoadBatchBytes (the media chunks, 256 KiB each).
constexpr size_t kLoadBatchRows = 500;
constexpr size_t kLoadBatchBytes = 4 << 20;
constexpr uint64_t kMaxConfigBytes = 1 << 20;

std::string NowRfc3339() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::kUnavailable, fmt::format("cannot read {}", path.string()));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteWholeFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  if (!out) throw Error(ErrorCode::kUnavailable, fmt::format("cannot write {}", path.string()));
}

// Removes `paths` when it goes out of scope: a backup's work files, whatever happened.
struct RemoveOnExit {
  std::vector<fs::path> paths;
  ~RemoveOnExit() {
    for (const fs::path& path : paths) {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  }
};

// Empties the restore's target folder again (and removes it when restore made it) unless
// Keep() was called: a restore that fails leaves the folder as it found it, empty.
class EmptyAgainOnFailure {
 public:
  EmptyAgainOnFailure(fs::path folder, bool created)
      : folder_(std::move(folder)), created_(created) {}
  ~EmptyAgainOnFailure() {
    if (keep_) return;
    std::error_code ignored;
    if (created_) {
      fs::remove_all(folder_, ignored);
      return;
    }
    for (const auto& child : fs::directory_iterator(folder_, ignored)) {
      fs::remove_all(child.path(), ignored);
    }
  }
  EmptyAgainOnFailure(const EmptyAgainOnFailure&) = delete;
  EmptyAgainOnFailure& operator=(const EmptyAgainOnFailure&) = delete;
  void Keep() { keep_ = true; }

 private:
  fs::path folder_;
  bool created_;
  bool keep_ = false;
};

int Backup(const BackupCommands& c, const std::string& data_dir) {
  if (c.out.empty()) throw Error(ErrorCode::kInvalidInput, "backup: --out FILE is required");
  const DataDir dir = DataDir::Open(data_dir);
  const std::string url = dir.StoreUrl(c.store_url);
  const fs::path out = c.out;
  // The tables are written to files beside the output first (an archive entry's size comes
  // before its bytes), then the archive to OUT.partial, renamed to OUT once it is on disk.
  const fs::path partial = fs::path(c.out + ".partial");
  const fs::path staging = fs::path(c.out + ".partial.d");
  const RemoveOnExit cleanup{{partial, staging}};
  std::error_code error;
  fs::remove_all(staging, error);
  fs::create_directories(staging, error);
  if (!error) fs::permissions(staging, fs::perms::owner_all, error);  // its files are the backup's
  if (error) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("backup: cannot create {}: {}", staging.string(), error.message()));
  }

  BackupManifest manifest;
  manifest.assetpub_version = ASSETPUB_VERSION;
  manifest.created_at = NowRfc3339();
  manifest.store_backend = url.starts_with("postgres") ? "postgresql" : "sqlite";
  std::vector<fs::path> files;
  {
    const std::string config = ReadWholeFile(dir.path / kBackupConfigEntry);
    files.push_back(staging / kBackupConfigEntry);
    WriteWholeFile(files.back(), config);
    store::TableChecksum checksum;
    checksum.AddFramed(config);
    manifest.entries.push_back({kBackupConfigEntry, config.size(), checksum.Hex(), {}, 0, {}});
  }

  fmt::print(stderr, "backup: {} -> {}\n", store::RedactUrl(url), out.string());
  // Every Count and Read below is one read transaction of the store: the snapshot.
  auto tables = store::OpenTables(url);
  int64_t total = 0;
  for (const store::TableSpec& table : store::BaseTables()) total += tables->Count(table);
  Progress progress("backup", total);
  for (const store::TableSpec& table : store::BaseTables()) {
    BackupEntry entry{fmt::format("store/{}", table.name), 0, {}, table.name, 0, {}};
    for (const auto& column : table.columns) entry.columns.emplace_back(column.name);
    const bool is_changes = std::string_view(table.name) == "changes";
    files.push_back(staging / table.name);
    std::ofstream file(files.back(), std::ios::binary | std::ios::trunc);
    store::TableChecksum checksum;
    std::string framed;
    tables->Read(table, [&](const store::TableRow& row) {
      framed.clear();
      store::TableChecksum::AppendFramed(row, framed);
      file.write(framed.data(), static_cast<std::streamsize>(framed.size()));
      checksum.AddFramed(framed);
      entry.bytes += framed.size();
      ++entry.rows;
      // changes' first column is its seq, read in order: the last row is the snapshot's change.
      if (is_changes && row[0]) manifest.change_seq = std::stoll(*row[0]);
      progress.Advance();
    });
    file.close();
    if (!file) {
      throw Error(ErrorCode::kUnavailable,
                  fmt::format("backup: cannot write {}", files.back().string()));
    }
    entry.blake2b = checksum.Hex();
    manifest.entries.push_back(std::move(entry));
  }
  tables.reset();  // ends the snapshot
  progress.Finish();

  WriteBackupArchive(partial, manifest, files);
  fs::rename(partial, out, error);
  if (error) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("backup: cannot rename {} to {}: {}", partial.string(), out.string(),
                            error.message()));
  }
  fmt::print(stderr,
             "backup: {} rows of {} tables up to change {}, and config.toml, in {} ({} bytes)\n",
             total, store::BaseTables().size(), manifest.change_seq, out.string(),
             fs::file_size(out, error));
  return 0;
}

int Restore(const BackupCommands& c, const std::string& data_dir) {
  const fs::path target = data_dir;
  const fs::path file = c.file;
  std::error_code error;
  if (fs::exists(target, error) &&
      (!fs::is_directory(target, error) || !fs::is_empty(target, error))) {
    throw Error(ErrorCode::kConflict,
                fmt::format("restore: {} is not an empty folder; restore writes into a new or "
                            "empty data folder only (give another with --data)",
                            target.string()));
  }

  // 1. The whole file against its manifest, before anything is written.
  std::string config;
  const BackupEntry* current = nullptr;
  EntryVisitor check;
  check.begin = [&](const BackupEntry& entry) {
    current = &entry;
    if (entry.name == kBackupConfigEntry && entry.bytes > kMaxConfigBytes) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("{}: its config.toml is over 1 MiB", file.string()));
    }
  };
  check.data = [&](std::string_view bytes) {
    if (current->name == kBackupConfigEntry) config += bytes;
  };
  const BackupManifest manifest = ReadBackupArchive(file, check);
  fmt::print(stderr, "restore: {} is whole (made {} by assetpub {} from {}, up to change {})\n",
             file.string(), manifest.created_at, manifest.assetpub_version, manifest.store_backend,
             manifest.change_seq);

  // 2. The folder, its config.toml, then the store in one transaction of the target.
  const bool created = !fs::exists(target, error);
  EmptyAgainOnFailure undo(target, created);
  fs::create_directories(target, error);
  if (error) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("restore: cannot create {}: {}", target.string(), error.message()));
  }
  WriteWholeFile(target / kBackupConfigEntry, config);
  DataDir dir = DataDir::Open(target);
  const std::string url = dir.StoreUrl(c.store_url);
  auto tables = store::OpenTables(url);
  for (const store::TableSpec& table : store::BaseTables()) {
    if (const int64_t rows = tables->Count(table); rows > 0) {
      throw Error(ErrorCode::kConflict,
                  fmt::format("restore: the target store {} is not empty (its {} table has {} "
                              "row(s)); restore loads into an empty database only (--store)",
                              store::RedactUrl(url), table.name, rows));
    }
  }
  int64_t total = 0;
  for (const BackupEntry& entry : manifest.entries) total += entry.rows;
  fmt::print(stderr, "restore: into {}\n", store::RedactUrl(url));
  tables->Begin();
  Progress progress("restore", total);
  // ReadBackupArchive checked that entries 1… are the base tables in BaseTables() order.
  size_t index = 0;
  const store::TableSpec* table = nullptr;
  std::optional<FramedRowReader> reader;
  std::vector<store::TableRow> batch;
  size_t batch_bytes = 0;
  int64_t rows = 0;
  auto flush = [&] {
    tables->Insert(*table, batch);
    progress.Advance(static_cast<int64_t>(batch.size()));
    batch.clear();
    batch_bytes = 0;
  };
  EntryVisitor load;
  load.begin = [&](const BackupEntry& entry) {
    table = entry.table.empty() ? nullptr : &store::BaseTables()[index++];
    if (table != nullptr) reader.emplace(table->columns.size());
    rows = 0;
  };
  load.data = [&](std::string_view bytes) {
    if (table == nullptr) return;
    reader->Feed(bytes, [&](const store::TableRow& row) {
      batch.push_back(row);
      for (const auto& value : row) batch_bytes += value ? value->size() : 0;
      ++rows;
      if (batch.size() >= kLoadBatchRows || batch_bytes >= kLoadBatchBytes) flush();
    });
  };
  load.end = [&](const BackupEntry& entry) {
    if (table == nullptr) return;
    reader->Finish();
    if (!batch.empty()) flush();
    if (rows != entry.rows) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("{}: {} holds {} rows, its manifest says {}", file.string(),
                              entry.name, rows, entry.rows));
    }
  };
  ReadBackupArchive(file, load);
  tables->Finish();
  progress.Finish();

  // 3. What was committed, read back through a new connection, against the manifest.
  tables = store::OpenTables(url);
  for (size_t i = 0; i < store::BaseTables().size(); ++i) {
    const store::TableSpec& spec = store::BaseTables()[i];
    const BackupEntry& entry = manifest.entries[i + 1];
    if (tables->Count(spec) != entry.rows || store::ChecksumTable(*tables, spec) != entry.blake2b) {
      throw Error(
          ErrorCode::kInternal,
          fmt::format("restore: the restored {} table differs from the backup's", spec.name));
    }
  }
  tables.reset();
  undo.Keep();
  fmt::print(stderr, "restore: {} rows of {} tables restored and checked\n", total,
             store::BaseTables().size());
  // The index is derived: rebuilt here from the restored store, as `reindex` does (sharded),
  // rather than by applying the restored change log one change at a time.
  try {
    auto restored = store::OpenStore(url);
    search::SearchIndex index(IndexPath(dir));
    std::optional<Progress> indexing;
    int64_t shown = 0;
    index.Rebuild(*restored, [&](int64_t done, int64_t all) {
      if (!indexing) indexing.emplace("indexing", all);
      indexing->Advance(done - shown);
      shown = done;
    });
    if (indexing) indexing->Finish();
    fmt::print(stderr, "restore: search index rebuilt, {} document(s)\n", index.DocumentCount());
  } catch (const std::exception& e) {
    fmt::print(stderr, "restore: search index not built ({}); run `assetpub reindex`\n", e.what());
  }
  return 0;
}

}  // namespace

void AddBackupCommands(CLI::App& app, BackupCommands& c) {
  c.backup = app.add_subcommand(
      "backup",
      "write one file holding a consistent snapshot of the store (content with every revision, "
      "media, users, tokens, sessions, the audit log, the change log) and config.toml, while "
      "the server goes on; restore takes it back");
  c.backup->add_option("--out", c.out, "the backup file to write (a tar archive)")->required();
  c.backup->add_option("--store", c.store_url, "the source (default: the data folder's)");
  c.restore = app.add_subcommand(
      "restore",
      "check a backup file whole, then restore it into a new or empty data folder (--data) and "
      "its store (or --store: an empty database), and build the search index");
  c.restore->add_option("file", c.file, "the backup file")->required();
  c.restore->add_option("--store", c.store_url,
                        "the target: an empty database (default: the restored config.toml's "
                        "store, else DATA/assetpub.db)");
}

std::optional<int> RunBackupCommand(const BackupCommands& c, const std::string& data_dir) {
  if (c.backup != nullptr && c.backup->parsed()) return Backup(c, data_dir);
  if (c.restore != nullptr && c.restore->parsed()) return Restore(c, data_dir);
  return std::nullopt;
}

}  // namespace assetpub::cli
