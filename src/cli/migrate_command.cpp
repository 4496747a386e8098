#include "cli/migrate_command.h"

#include <fmt/format.h>

#include <cstdio>

#include "cli/data_dir.h"
#include "core/progress.h"
#include "store/backends/copy.h"
#include "store/store.h"

namespace assetpub::cli {

void AddMigrateCommand(CLI::App& app, MigrateCommand& c) {
  c.command = app.add_subcommand(
      "migrate",
      "copy the store (content with every revision, users, tokens, sessions, the audit log, "
      "media records, view counts, the change log) into another, empty database, then compare "
      "each table's rows and checksum");
  c.command
      ->add_option("--to", c.to,
                   "the target: postgresql://USER@HOST:PORT/DB (an empty database) or "
                   "sqlite:PATH (a new file)")
      ->required();
  c.command->add_option("--store", c.store_url,
                        "the source (default: the data folder's, as every command)");
}

std::optional<int> RunMigrateCommand(const MigrateCommand& c, const std::string& data_dir) {
  if (c.command == nullptr || !c.command->parsed()) return std::nullopt;
  const DataDir dir = DataDir::Open(data_dir);
  const std::string from = dir.StoreUrl(c.store_url);
  fmt::print(stderr, "migrate: {} -> {}\n", store::RedactUrl(from), store::RedactUrl(c.to));
  std::optional<Progress> progress;
  int64_t shown = 0;
  const auto checks = store::CopyStore(from, c.to, [&](int64_t done, int64_t total) {
    if (!progress) progress.emplace("migrate", total);
    progress->Advance(done - shown);
    shown = done;
  });
  if (progress) progress->Finish();
  fmt::print("{:<16} {:>10} {:>10}  {:<16} {:<16} {}\n", "table", "source", "target",
             "source checksum", "target checksum", "");
  bool all_match = true;
  for (const store::TableCheck& check : checks) {
    all_match = all_match && check.matches();
    fmt::print("{:<16} {:>10} {:>10}  {:<16} {:<16} {}\n", check.table, check.source_rows,
               check.target_rows, check.source_checksum.substr(0, 16),
               check.target_checksum.substr(0, 16), check.matches() ? "ok" : "DIFFERENT");
  }
  fmt::print(stderr, "migrate: {}\n",
             all_match ? "every table matches; point --store or config.toml's store at the target"
                       : "some tables differ (above): do not switch to the target");
  return all_match ? 0 : 1;
}

}  // namespace assetpub::cli
