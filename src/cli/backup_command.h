#pragma once
// `assetpub backup --out FILE` and `assetpub restore FILE`. A backup is one snapshot of the store
// (every base table of store/tables.h read in one read transaction: content with its revisions,
// the change log, media records and the media's bytes, users, tokens, sessions, the audit log),
// taken while `serve` goes on writing, plus config.toml, in the archive of backup_archive.h.
// Restore checks the whole file against its manifest before it writes anything, then loads it
// into an empty data folder's store (or --store's, an empty database of either backend), checks
// each table's rows and checksum, and builds the folder's search index. Errors are thrown as
// assetpub::Error (Run() in commands.cpp prints them). Thread-safety: none needed.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace assetpub::cli {

struct BackupCommands {
  CLI::App* backup = nullptr;
  CLI::App* restore = nullptr;
  std::string out;        // backup --out
  std::string file;       // restore FILE
  std::string store_url;  // --store: backup's source, restore's target (default: the folder's)
};

// Adds `backup` and `restore` to `app`; `c` receives their options and must outlive
// RunBackupCommand().
void AddBackupCommands(CLI::App& app, BackupCommands& c);

// Runs whichever of the two was parsed, on the data directory `data_dir`; nullopt otherwise.
std::optional<int> RunBackupCommand(const BackupCommands& c, const std::string& data_dir);

}  // namespace assetpub::cli
