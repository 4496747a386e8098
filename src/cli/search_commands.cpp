#include "cli/search_commands.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>

#include "core/error.h"
#include "core/progress.h"
#include "render/json.h"
#include "search/index_coverage.h"
#include "web/site/search_params.h"

namespace assetpub::cli {
namespace {

// A progress bar for CatchUp()/Rebuild(), made on the first report (that is when the total is
// known) and finished by the caller.
class IndexProgress {
 public:
  explicit IndexProgress(std::string label) : label_(std::move(label)) {}
  search::ProgressFn Callback() {
    return [this](int64_t done, int64_t total) {
      if (!bar_) bar_ = std::make_unique<Progress>(label_, total);
      if (done > reported_) bar_->Advance(done - reported_);
      reported_ = done;
    };
  }
  void Finish() {
    if (bar_) bar_->Finish();
  }

 private:
  std::string label_;
  std::unique_ptr<Progress> bar_;
  int64_t reported_ = 0;
};

// Decodes the entities an HTML-escaped snippet can hold: the named five and numeric ones.
void AppendEntity(std::string_view entity, std::string& out) {
  if (entity == "amp") return out.push_back('&');
  if (entity == "lt") return out.push_back('<');
  if (entity == "gt") return out.push_back('>');
  if (entity == "quot") return out.push_back('"');
  if (entity == "apos") return out.push_back('\'');
  if (entity.size() > 1 && entity[0] == '#') {
    const bool hex = entity[1] == 'x' || entity[1] == 'X';
    const std::string digits(entity.substr(hex ? 2 : 1));
    char32_t code = 0;
    try {
      code = static_cast<char32_t>(std::stoul(digits, nullptr, hex ? 16 : 10));
    } catch (const std::exception&) {
      code = 0;
    }
    if (code > 0 && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF)) {
      if (code < 0x80) {
        out.push_back(static_cast<char>(code));
      } else if (code < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (code >> 6)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
      } else if (code < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (code >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
      } else {
        out.push_back(static_cast<char>(0xF0 | (code >> 18)));
        out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
      }
      return;
    }
  }
  out += '&';
  out += entity;
  out += ';';
}

int Search(const SearchCommands& commands, const std::string& data_dir) {
  DataDir dir = DataDir::Open(data_dir);
  std::string text;
  for (const std::string& word : commands.words) text += (text.empty() ? "" : " ") + word;
  std::vector<std::pair<std::string, std::string>> params = {{"q", text}};
  if (!commands.lang.empty()) params.emplace_back("lang", commands.lang);
  const std::string default_language =
      dir.config.languages.empty() ? std::string("en") : dir.config.languages.front();
  const web::SearchRequest request =
      web::ReadSearchParams(params, dir.config.languages, dir.config.time_zone, default_language);
  if (request.problem) {
    // The page's parameter names mean little here: name the argument instead.
    std::string detail = request.problem->detail;
    for (const auto& [name, argument] :
         {std::pair<std::string, std::string>{"'q'", "QUERY"}, {"'lang'", "--lang"}}) {
      const std::string from = "query parameter " + name;
      if (const size_t at = detail.find(from); at != std::string::npos) {
        detail.replace(at, from.size(), argument);
      }
    }
    throw Error(ErrorCode::kInvalidInput, detail);
  }
  // Only reads the index: works while a server holds the write lock, and shows the index as it
  // is (a server, `import` or `reindex` keeps it caught up).
  const search::SearchIndex index(IndexPath(dir));
  search::Results results = index.Search(request.query);
  // How much of the store the index holds: `import` leaves it to `serve` or `reindex`.
  try {
    auto store = store::OpenStore(dir.StoreUrl(commands.store_url));
    search::IndexCoverage(*store, index).Mark(results, /*ready=*/true);
  } catch (const std::exception& e) {
    spdlog::warn("search: how much of the store the index covers is unknown: {}", e.what());
  }
  if (!results.index_complete && results.searchable_percent >= 0) {
    fmt::print(stderr,
               "the search index is being built: {}% of items ({} of {}) are searchable; "
               "`assetpub serve` or `assetpub reindex` catches it up\n",
               results.searchable_percent, results.indexed_items, results.total_items);
  }
  if (commands.json) {
    fmt::print("{}\n", render::SearchResultsJson(results, request.page, request.per_page,
                                                 dir.config.base_url));
    return 0;
  }
  if (results.hits.empty()) {
    fmt::print("Nothing found for '{}'.\n", text);
    if (!results.suggestion.empty()) fmt::print("Did you mean: {}\n", results.suggestion);
    return 0;
  }
  for (const search::Hit& hit : results.hits) {
    fmt::print("{}\n{}{}\n", hit.title, dir.config.base_url, render::HitPath(hit));
    const std::string snippet = SnippetText(hit.snippet_html);
    if (!hit.speaker.empty()) {
      fmt::print("{}: {}\n\n", hit.speaker, snippet);
    } else {
      fmt::print("{}\n\n", snippet);
    }
  }
  std::fflush(stdout);
  fmt::print(stderr, "{} of about {} result(s)\n", results.hits.size(), results.total);
  return 0;
}

int Reindex(const SearchCommands& commands, const std::string& data_dir) {
  DataDir dir = DataDir::Open(data_dir);
  auto store = store::OpenStore(dir.StoreUrl(commands.store_url));
  search::SearchIndex index(IndexPath(dir));
  index.SetCommonWords(commands.common_words);
  IndexProgress progress("reindex");
  index.Rebuild(*store, progress.Callback());
  progress.Finish();
  fmt::print("search index rebuilt: {} document(s) at change {}\n", index.DocumentCount(),
             index.LastApplied());
  return 0;
}

}  // namespace

std::string SnippetText(std::string_view snippet_html) {
  std::string out;
  out.reserve(snippet_html.size());
  for (size_t i = 0; i < snippet_html.size(); ++i) {
    const char c = snippet_html[i];
    if (c == '<') {  // our own markup (<mark>): text never holds a raw '<'
      const size_t end = snippet_html.find('>', i);
      if (end == std::string_view::npos) break;
      i = end;
    } else if (c == '&') {
      const size_t end = snippet_html.find(';', i);
      if (end == std::string_view::npos || end - i > 10) {
        out.push_back(c);
        continue;
      }
      AppendEntity(snippet_html.substr(i + 1, end - i - 1), out);
      i = end;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void AddSearchCommands(CLI::App& app, SearchCommands& commands) {
  commands.search =
      app.add_subcommand("search", "search the published texts, as the site's search page does");
  commands.search->add_option("query", commands.words, "the words, \"phrases\", OR, -word, …")
      ->required();
  commands.search->add_option("--lang", commands.lang,
                              "only this site language (its prefix: en, ru, …)");
  commands.search->add_flag("--json", commands.json, "print the API's JSON (/api/v1/search)");
  commands.search->add_option("--store", commands.store_url,
                              "the store the index is compared with (sqlite:PATH or "
                              "postgresql://…)");

  commands.reindex =
      app.add_subcommand("reindex", "rebuild the search index (DATA/index) from the store");
  commands.reindex->add_option("--store", commands.store_url, "sqlite:PATH or postgresql://…");
  commands.reindex->add_option(
      "--common-words", commands.common_words,
      "index pairs of each language's N most frequent words, so that phrases of common words "
      "(\"the is of\") are fast; costs indexing time and disk (docs/performance.md). Default 0: "
      "none; a later automatic rebuild makes none");
}

std::optional<int> RunSearchCommand(const SearchCommands& commands, const std::string& data_dir) {
  if (commands.search != nullptr && commands.search->parsed()) return Search(commands, data_dir);
  if (commands.reindex != nullptr && commands.reindex->parsed()) {
    return Reindex(commands, data_dir);
  }
  return std::nullopt;
}

std::filesystem::path IndexPath(const DataDir& dir) { return dir.path / "index"; }

std::unique_ptr<search::SearchIndex> OpenIndexForServing(const DataDir& dir) {
  try {
    return std::make_unique<search::SearchIndex>(IndexPath(dir));
  } catch (const Error& e) {
    spdlog::error("search index {}: {} (search answers 503; `assetpub reindex` rebuilds it)",
                  IndexPath(dir).string(), e.what());
    return nullptr;
  }
}

void CatchUpIndexAfterImport(const DataDir& dir, store::Store& store) {
  try {
    search::SearchIndex index(IndexPath(dir));
    IndexProgress progress("indexing");
    const int64_t touched = index.CatchUp(store, progress.Callback());
    progress.Finish();
    fmt::print(stderr, "search index: {} asset(s) indexed\n", touched);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kUnavailable) {
      fmt::print(stderr,
                 "search index: not updated ({}); a running `assetpub serve` picks the changes "
                 "up by itself, otherwise run `assetpub reindex`\n",
                 e.what());
    } else {
      fmt::print(stderr, "search index: not updated: {}; run `assetpub reindex`\n", e.what());
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "search index: not updated: {}; run `assetpub reindex`\n", e.what());
  }
}

}  // namespace assetpub::cli
