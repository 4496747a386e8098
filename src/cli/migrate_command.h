#pragma once
// `assetpub migrate --to URL`: copies the data folder's store (or --store's) into another,
// empty, database (store/backends/copy.h): SQLite to PostgreSQL when a site moves to its IT
// department's server, and back. Shows progress, then prints each table's row counts and
// checksums on both sides; the exit code says whether they all match. Errors are thrown as
// assetpub::Error (Run() in commands.cpp prints them). Thread-safety: none needed.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace assetpub::cli {

struct MigrateCommand {
  CLI::App* command = nullptr;
  std::string to;         // --to: the target store's URL
  std::string store_url;  // --store: the source (default: the data folder's)
};

// Adds `migrate` to `app`; `c` receives its options and must outlive RunMigrateCommand().
void AddMigrateCommand(CLI::App& app, MigrateCommand& c);

// Runs `migrate` when it was parsed, on the data directory `data_dir`; nullopt otherwise.
std::optional<int> RunMigrateCommand(const MigrateCommand& c, const std::string& data_dir);

}  // namespace assetpub::cli
