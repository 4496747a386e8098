#include "cli/commands.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "cli/data_dir.h"
#include "content/asset_json.h"
#include "core/error.h"
#include "core/log.h"
#include "http/server.h"
#include "importers/importer.h"

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
  // export
  std::string format = "json";
  std::string out;
};

int Serve(const Options& options) {
  DataDir dir = DataDir::Open(options.data_dir);
  auto store = store::OpenStore(dir.StoreUrl(options.store_url));
  http::ServeOptions serve;
  serve.listen = options.listen.empty() ? dir.config.listen : options.listen;
  serve.threads = options.threads;
  http::Serve(serve, dir.config, *store);
  return 0;
}

int Import(const Options& options) {
  DataDir dir = DataDir::Open(options.data_dir);
  auto store = store::OpenStore(dir.StoreUrl(options.store_url));
  importers::Importer importer(*store, dir.config);
  std::vector<std::filesystem::path> paths(options.paths.begin(), options.paths.end());
  int rejected = 0;
  int imported = 0;
  int unchanged = 0;
  const auto results = importer.ImportPaths(paths);
  for (const auto& result : results) {
    std::string ids;
    for (int64_t id : result.asset_ids) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    switch (result.outcome) {
      case importers::Outcome::kImported:
        ++imported;
        fmt::print("imported  {} (asset {})\n", result.path.string(), ids);
        break;
      case importers::Outcome::kUnchanged:
        ++unchanged;
        fmt::print("unchanged {} (asset {})\n", result.path.string(), ids);
        break;
      case importers::Outcome::kRejected:
        ++rejected;
        fmt::print("rejected  {}: {}\n", result.path.string(), result.message);
        break;
    }
  }
  std::fflush(stdout);
  fmt::print(stderr, "{} imported, {} unchanged, {} rejected\n", imported, unchanged, rejected);
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
  out << "[";
  bool first = true;
  store->ForEach([&](const content::Asset& asset) {
    out << (first ? "\n" : ",\n") << content::ToJson(asset).dump(2);
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
  app.require_subcommand(1);

  auto* serve = app.add_subcommand("serve", "serve the site, the API and the admin UI");
  serve->add_option("--listen", options.listen, "HOST:PORT (default from config, 127.0.0.1:8080)");
  serve->add_option("--store", options.store_url, "sqlite:PATH or postgresql://…");
  serve->add_option("--threads", options.threads, "worker threads (default: one per core)")
      ->check(CLI::Range(0, 256));

  auto* import = app.add_subcommand("import", "import files or folders");
  import->add_option("paths", options.paths, "files or folders (scraped .txt, our .json)")
      ->required();
  import->add_option("--store", options.store_url, "sqlite:PATH or postgresql://…");

  auto* exp = app.add_subcommand("export", "write every asset as a JSON array");
  exp->add_option("--format", options.format, "json (the default and only format)");
  exp->add_option("--out", options.out, "output file (default: standard output)");
  exp->add_option("--store", options.store_url, "sqlite:PATH or postgresql://…");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (serve->parsed()) return Serve(options);
    if (import->parsed()) return Import(options);
    if (exp->parsed()) return Export(options);
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
