#include "cli/commands.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>

#include "auth/authenticator.h"
#include "cli/backup_command.h"
#include "cli/data_dir.h"
#include "cli/migrate_command.h"
#include "cli/search_commands.h"
#include "cli/user_commands.h"
#include "content/asset_json.h"
#include "core/error.h"
#include "core/log.h"
#include "core/progress.h"
#include "corpus/generator.h"
#include "importers/importer.h"
#include "importers/redirects_json.h"
#include "media/media_store.h"
#include "store/accounts.h"
#include "web/serve.h"

namespace assetpub::cli {
namespace {

struct Options {
  std::string data_dir;
  // serve
  std::string listen;
  std::string store_url;
  int threads = 0;
  // import
  std::vector<std::string> paths;
  std::string uploads;  // a WordPress site's wp-content/uploads, copied
  bool wait_index = false;
  // export
  std::string format = "json";
  std::string out;
  // gen-corpus
  int64_t count = 0;
  uint64_t seed = 1;
  std::string corpus_out;
};

// On a terminal, an import of more files than this prints only rejected files (under the
// progress bar), so the bar stays readable.
constexpr int64_t kQuietImportAbove = 50;

// "asset 12", "assets 12, 13" for a few ids; "1000 assets: 1 … 1000" for a file of many (a
// generated corpus file holds 1,000), so one file stays one line.
std::string DescribeAssetIds(const std::vector<int64_t>& ids) {
  constexpr size_t kListed = 5;
  if (ids.size() > kListed) {
    return fmt::format("{} assets: {} … {}", ids.size(), ids.front(), ids.back());
  }
  std::string text = ids.size() == 1 ? "asset " : "assets ";
  for (size_t i = 0; i < ids.size(); ++i) text += (i == 0 ? "" : ", ") + std::to_string(ids[i]);
  return text;
}

// How many files ImportPaths will visit: its walk (recursive, sorted, hidden names skipped),
// counted ahead so the progress bar has a total.
int64_t CountImportFiles(const std::vector<std::filesystem::path>& paths) {
  namespace fs = std::filesystem;
  int64_t files = 0;
  for (const fs::path& path : paths) {
    std::error_code error;
    if (!fs::is_directory(path, error)) {
      ++files;
      continue;
    }
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, error);
    for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (it->path().filename().string().starts_with('.')) {
        if (it->is_directory(error)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(error)) ++files;
    }
  }
  return files;
}

int Serve(const Options& options) {
  DataDir dir = DataDir::Open(options.data_dir);
  const std::string store_url = dir.StoreUrl(options.store_url);
  spdlog::info("store: {}", store::RedactUrl(store_url));
  auto store = store::OpenStore(store_url);
  // Users, sessions and tokens live beside the assets (the same database).
  auto accounts = store::OpenAccounts(store_url);
  auth::Authenticator authenticator(*accounts);
  http::ServeOptions serve;
  serve.listen = options.listen.empty() ? dir.config.listen : options.listen;
  serve.threads = options.threads;
  serve.spool_dir = dir.path.string();    // uploads arrive on the disk that keeps the media cache
  auto index = OpenIndexForServing(dir);  // DATA/index; nullptr: search answers 503
  web::Serve(serve, dir.config, *store, index.get(), &dir.publishers, &authenticator);
  return 0;
}

int Import(const Options& options) {
  DataDir dir = DataDir::Open(options.data_dir);
  auto store = store::OpenStore(dir.StoreUrl(options.store_url));
  store->ExpectBulkWrites();
  importers::Importer importer(*store, dir.config);
  importers::WxrOptions wxr = importers::LoadWxrOptions(dir.path / "config.toml");
  std::optional<media::MediaStore> media_files;
  if (!options.uploads.empty()) {
    if (!std::filesystem::is_directory(options.uploads)) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("--uploads {}: not a folder", options.uploads));
    }
    media_files.emplace(dir.config.media_dir, *store);
    wxr.uploads = options.uploads;
    wxr.put_media = [&media_files](std::string_view bytes, std::string_view name) {
      importers::StoredMedia stored;
      stored.file = media_files->Put(bytes, name);
      stored.path = "/media/" + media::RelativePath(stored.file.hash, stored.file.type);
      return stored;
    };
  }
  importer.set_wxr_options(std::move(wxr));
  std::vector<std::filesystem::path> paths(options.paths.begin(), options.paths.end());
  int rejected = 0;
  int imported = 0;
  int unchanged = 0;
  const int64_t files = CountImportFiles(paths);
  Progress progress("import", files);
  // The bar and the per-file lines share the screen only when both go to the terminal.
  const bool stdout_terminal = ::isatty(STDOUT_FILENO) == 1 && progress.terminal();
  const bool quiet = stdout_terminal && files > kQuietImportAbove;
  importer.ImportPaths(paths, [&](const importers::FileResult& result) {
    const std::string ids = DescribeAssetIds(result.asset_ids);
    std::string line;
    switch (result.outcome) {
      case importers::Outcome::kImported:
        ++imported;
        if (!quiet) line = fmt::format("imported  {} ({})\n", result.path.string(), ids);
        break;
      case importers::Outcome::kUnchanged:
        ++unchanged;
        if (!quiet) line = fmt::format("unchanged {} ({})\n", result.path.string(), ids);
        break;
      case importers::Outcome::kRejected:
        ++rejected;
        line = fmt::format("rejected  {}: {}\n", result.path.string(), result.message);
        break;
    }
    // A WordPress export accounts for each of its items, then sums them up.
    for (const std::string& item : result.items) line += fmt::format("  {}\n", item);
    if (!result.items.empty()) line += fmt::format("  {}\n", result.message);
    auto print = [&] {
      fmt::print("{}", line);
      std::fflush(stdout);
    };
    if (!line.empty()) stdout_terminal ? progress.PrintAbove(print) : print();
    progress.Advance();
  });
  std::fflush(stdout);
  progress.Finish();
  fmt::print(stderr, "{} imported, {} unchanged, {} rejected\n", imported, unchanged, rejected);
  // The store holds the import: the index catches up in `serve`'s follower (or `reindex`), while
  // the site already serves the items, unless asked to wait here.
  if (options.wait_index) {
    CatchUpIndexAfterImport(dir, *store);
  } else if (imported > 0) {
    fmt::print(stderr,
               "search index: not updated here; `assetpub serve` catches it up while it serves "
               "(search says how much is searchable), or run `assetpub reindex` (`import "
               "--wait-index` waits for it)\n");
  }
  return rejected == 0 ? 0 : 1;
}

int Export(const Options& options) {
  if (options.format != "json") {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("export: unknown format '{}' (only json)", options.format));
  }
  DataDir dir = DataDir::Open(options.data_dir);
  auto store = store::OpenStore(dir.StoreUrl(options.store_url));
  // Written to a temporary file and renamed, so a failed export never leaves half a file.
  const std::filesystem::path target = options.out;
  const std::filesystem::path temp = options.out.empty()
                                         ? std::filesystem::path()
                                         : std::filesystem::path(options.out + ".partial");
  std::ofstream file;
  if (!options.out.empty()) {
    file.open(temp, std::ios::binary | std::ios::trunc);
    if (!file) throw Error(ErrorCode::kUnavailable, fmt::format("cannot write {}", temp.string()));
  }
  std::ostream& out = options.out.empty() ? std::cout : file;
  // Each asset's old addresses go with it (importers/redirects_json.h).
  const std::map<int64_t, std::vector<store::Redirect>> redirects =
      importers::RedirectsByAsset(*store);
  out << "[";
  bool first = true;
  store->ForEach([&](const content::Asset& asset) {
    nlohmann::ordered_json object = content::ToJson(asset);
    if (const auto it = redirects.find(asset.id); it != redirects.end()) {
      object["redirects"] = importers::RedirectsJson(it->second);
    }
    out << (first ? "\n" : ",\n") << object.dump(2);
    first = false;
  });
  out << (first ? "]\n" : "\n]\n");
  out.flush();
  if (!out) throw Error(ErrorCode::kUnavailable, "export: write failed");
  if (!options.out.empty()) {
    file.close();
    std::filesystem::rename(temp, target);
  }
  return 0;
}

int GenCorpus(const Options& options) {
  Progress progress("gen-corpus", options.count);
  const auto files =
      corpus::GenerateCorpus(options.count, options.seed, options.corpus_out, &progress);
  progress.Finish();
  fmt::print("wrote {} assets (seed {}) in {} file(s) to {}\n", options.count, options.seed,
             files.size(), options.corpus_out);
  return 0;
}

}  // namespace

int Run(int argc, char** argv) {
  InitLogging();
  Options options;
  const char* env_data = std::getenv("ASSETPUB_DATA");
  options.data_dir = env_data != nullptr && *env_data != '\0' ? env_data : "./data";

  CLI::App app{"assetpub: a multilingual publishing server for official texts", "assetpub"};
  app.set_version_flag("--version", ASSETPUB_VERSION);
  app.add_option("--data", options.data_dir,
                 "data directory: config.toml, the store, the index (default ./data or "
                 "$ASSETPUB_DATA)");
  // Every command's store; a command's own --store (after its name) says the same.
  std::string global_store;
  app.add_option("--store", global_store,
                 "sqlite:PATH (default DATA/assetpub.db, or config.toml's store) or "
                 "postgresql://USER@HOST:PORT/DB (password from PGPASSWORD or ~/.pgpass)");
  app.require_subcommand(1);

  auto* serve = app.add_subcommand("serve", "serve the site, the API and the admin UI");
  serve->add_option("--listen", options.listen, "HOST:PORT (default from config, 127.0.0.1:8080)");
  serve->add_option("--store", options.store_url, "sqlite:PATH or postgresql://…");
  serve->add_option("--threads", options.threads, "worker threads (default: one per core)")
      ->check(CLI::Range(0, 256));

  auto* import = app.add_subcommand(
      "import",
      "import files or folders: one line per file on standard output (on a terminal, with more "
      "than 50 files, only rejected files are listed, above a progress bar), then a summary");
  import
      ->add_option(
          "paths", options.paths,
          "files or folders (scraped .txt, .html, .md with +++ TOML front matter, our .json, a "
          "WordPress export .xml)")
      ->required();
  import->add_option("--store", options.store_url, "sqlite:PATH or postgresql://…");
  import->add_option("--uploads", options.uploads,
                     "a WordPress export's files: a copy of the old site's wp-content/uploads "
                     "folder (attachments become media library files)");
  import->add_flag("--wait-index", options.wait_index,
                   "catch the search index (DATA/index) up before returning, as `reindex` would; "
                   "without it the index catches up in `serve`");

  auto* exp = app.add_subcommand(
      "export", "write every asset as a JSON array (with its redirects: old addresses)");
  exp->add_option("--format", options.format, "json (the default and only format)");
  exp->add_option("--out", options.out, "output file (default: standard output)");
  exp->add_option("--store", options.store_url, "sqlite:PATH or postgresql://…");

  SearchCommands search_commands;  // `search`, `reindex` (search_commands.h)
  AddSearchCommands(app, search_commands);
  UserCommands user_commands;  // `user`, `token` (user_commands.h)
  AddUserCommands(app, user_commands);
  MigrateCommand migrate;  // `migrate` (migrate_command.h)
  AddMigrateCommand(app, migrate);
  BackupCommands backup;  // `backup`, `restore` (backup_command.h)
  AddBackupCommands(app, backup);

  auto* gen = app.add_subcommand(
      "gen-corpus",
      "write N realistic synthetic bilingual (en-GB, ru-RU) items for tests and benchmarks, "
      "1,000 per corpus-NNNNN.json file, without ids; the same for the same count and seed");
  gen->add_option("--count", options.count, "number of items")
      ->required()
      ->check(CLI::Range(int64_t{1}, corpus::kMaxCount));
  gen->add_option("--seed", options.seed, "random seed (default 1)");
  gen->add_option("--out", options.corpus_out, "output folder (created if missing)")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (std::string* url : {&options.store_url, &search_commands.store_url, &user_commands.store_url,
                           &migrate.store_url, &backup.store_url}) {
    if (url->empty()) *url = global_store;
  }
  try {
    if (serve->parsed()) return Serve(options);
    if (import->parsed()) return Import(options);
    if (exp->parsed()) return Export(options);
    if (gen->parsed()) return GenCorpus(options);
    if (auto code = RunSearchCommand(search_commands, options.data_dir)) return *code;
    if (auto code = RunUserCommand(user_commands, options.data_dir)) return *code;
    if (auto code = RunMigrateCommand(migrate, options.data_dir)) return *code;
    if (auto code = RunBackupCommand(backup, options.data_dir)) return *code;
  } catch (const Error& e) {
    fmt::print(stderr, "assetpub: {}\n", e.what());
    return ExitCode(e.code());
  } catch (const std::exception& e) {
    fmt::print(stderr, "assetpub: internal error: {}\n", e.what());
    return ExitCode(ErrorCode::kInternal);
  }
  return 2;
}

}  // namespace assetpub::cli
