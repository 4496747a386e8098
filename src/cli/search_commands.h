#pragma once
// The search side of the `assetpub` command line (DESIGN.md §4): `search [--lang L] [--json]
// QUERY` and `reindex`, and the index helpers that `serve` and `import` use. The index lives in
// DATA/index and is derived data: `serve` follows the store (catching up at start with whatever
// `import` wrote), `import --wait-index` catches it up itself, `reindex` rebuilds it. Errors are
// thrown as assetpub::Error (Run() in commands.cpp prints them). Thread-safety: none needed; the
// command line runs on one thread.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/data_dir.h"
#include "search/search_index.h"
#include "store/store.h"

namespace assetpub::cli {

// The search commands' subcommands and options, filled in by CLI11 while parsing.
struct SearchCommands {
  CLI::App* search = nullptr;
  CLI::App* reindex = nullptr;
  std::vector<std::string> words;  // the QUERY, possibly in several arguments
  std::string lang;
  bool json = false;
  std::string store_url;
  size_t common_words = 0;  // reindex --common-words
};

// Adds `search` and `reindex` to `app`, with `commands` receiving their options: it must outlive
// the parse and RunSearchCommand().
void AddSearchCommands(CLI::App& app, SearchCommands& commands);

// Runs whichever of the search commands was parsed, on the data directory `data_dir`, and
// returns its exit code; nullopt when none of them was parsed. Throws Error like any command.
std::optional<int> RunSearchCommand(const SearchCommands& commands, const std::string& data_dir);

// DATA/index.
std::filesystem::path IndexPath(const DataDir& dir);

// The index for `serve`: DATA/index, opened (created when missing). When it cannot be opened,
// logs why (and that `assetpub reindex` rebuilds it) and returns nullptr: the site runs on,
// with search answering 503.
std::unique_ptr<search::SearchIndex> OpenIndexForServing(const DataDir& dir);

// After `import --wait-index`: catches DATA/index up with `store` and says so on stderr. When the
// index's write lock is held (a running server, which picks the changes up itself) or the index
// cannot be opened, says that instead; never throws, since the store already holds the import.
void CatchUpIndexAfterImport(const DataDir& dir, store::Store& store);

// A snippet's plain text: the <mark> tags dropped and the HTML entities decoded.
std::string SnippetText(std::string_view snippet_html);

}  // namespace assetpub::cli
