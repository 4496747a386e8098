#pragma once
// Importer brings files into the store: scraped pages (.txt, see scraped_page.h) and authored
// pages (.html, .md with front matter, see authored_page.h) merged into multilingual assets, and
// our own JSON export (.json). One store transaction per file, so a
// rejected file changes nothing. A change to an item that has revisions (it was edited through
// the workflow) is recorded as its newest revision, by kImportAuthor. Not thread-safe: use one
// Importer per thread (the Store it writes to may be shared).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <string>
#include <string_view>
#include <vector>

#include "content/asset.h"
#include "core/config.h"
#include "importers/authored_page.h"
#include "importers/scraped_page.h"
#include "importers/wxr_import.h"
#include "store/store.h"

namespace assetpub::importers {

// Who an import is in an item's revisions (Revision::author).
inline constexpr std::string_view kImportAuthor = "import";

enum class Outcome { kImported, kUnchanged, kRejected };

// "imported", "unchanged", "rejected".
std::string_view OutcomeName(Outcome outcome);

struct FileResult {
  std::filesystem::path path;
  Outcome outcome = Outcome::kRejected;
  std::vector<int64_t> asset_ids;  // the assets the file wrote or found unchanged
  std::string message;             // for a person: what happened, or why the file was rejected
  std::vector<std::string> items;  // a WordPress export: one line per item (WxrReport::lines)
};

// An asset's summary from its body: the first paragraph (of a paragraph block or a turn) of at
// least 100 characters, else the first paragraph; cut on a word boundary to at most 300
// characters (code points) plus "…" when it is longer. Empty for a body without text.
std::string Summarise(const std::vector<content::Block>& blocks);

// Writes `asset` (its id is set for a new one) and returns its id; an asset with revisions gets
// the write as its newest, live revision by kImportAuthor with `note`.
int64_t PutRecorded(store::Transaction& tx, content::Asset& asset, std::string_view note);

class Importer {
 public:
  // Called after each file of ImportPaths with its result.
  using Progress = std::function<void(const FileResult&)>;

  // Keeps references to both: they must outlive the Importer. `config.languages[0]` is the
  // site's default language and `config.time_zone` the zone of scraped local times.
  Importer(store::Store& store, const Config& config);

  // Imports one file by its extension (any case): ".txt" a scraped page, ".html"/".htm" a whole
  // HTML page, ".md"/".markdown" Markdown with front matter, ".json" our export (one asset
  // object or an array of them; their "redirects" are added, redirects_json.h), ".xml" a WordPress
  // export (WxrImporter; `items` has a line per item, `message` the summary). Never throws for a
  // bad file: the result says rejected, with the reason, and the store is exactly as it was.
  // Imported when the file wrote something, unchanged when everything in it is already stored as it
  // says. Throws Error(kInsufficientStorage), naming the file, when the store has no room to write
  // it (a full disk is no fault of the file's): the store is as it was before this file.
  FileResult ImportFile(const std::filesystem::path& path);

  // Imports each path in order; a folder is walked recursively, its files in sorted path order,
  // skipping hidden files and folders (names starting with '.'). A path that does not exist
  // gives a rejected result. One result per file, in the order imported. Stops at the first
  // file the store has no room for, throwing as ImportFile does (`progress` has seen the files
  // before it).
  // The [wordpress] settings WordPress exports are imported with (LoadWxrOptions).
  void set_wxr_options(WxrOptions options) { wxr_options_ = std::move(options); }

  std::vector<FileResult> ImportPaths(const std::vector<std::filesystem::path>& paths,
                                      const Progress& progress = {});

 private:
  // A .json file read, parsed and validated: all ImportJson checks before it writes. Made
  // without the store, so ImportPaths makes the next file's on another thread.
  struct CheckedJson {
    std::vector<content::Asset> assets;
    std::vector<std::vector<store::Redirect>> redirects;  // each asset's old addresses
  };
  static CheckedJson CheckJson(const std::filesystem::path& path);  // throws Error as Reject
  // ImportFile; a .json file's checks come from `checked` when given.
  FileResult ImportFile(const std::filesystem::path& path, std::future<CheckedJson>* checked);
  // A scraped or authored page, merged into the asset it is a language version of (same
  // instant, naming each other's languages) or a new one.
  FileResult ImportPage(const std::filesystem::path& path, const AuthoredPage& page);
  FileResult ImportJson(const std::filesystem::path& path, CheckedJson checked);
  FileResult ImportWxr(const std::filesystem::path& path, std::string_view text);

  store::Store& store_;
  const Config& config_;
  WxrOptions wxr_options_;
};

}  // namespace assetpub::importers
