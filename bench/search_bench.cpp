// search_bench: the figures of docs/performance.md. Generates (or reads) a corpus, imports it
// into a fresh SQLite store, builds the Xapian index from the store, runs a fixed, seeded mix of
// queries, and does the same with an SQLite FTS5 table as a baseline. Prints plain text lines;
// asserts nothing about timings. See bench/README.md.

#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "bench_main.h"
#include "percentile.h"
#include "content/asset.h"
#include "content/instant.h"
#include "core/config.h"
#include "core/error.h"
#include "core/progress.h"
#include "corpus/generator.h"
#include "corpus/random.h"
#include "corpus/word_lists.h"
#include "importers/importer.h"
#include "store/store.h"
#ifdef ASSETPUB_BENCH_WITH_SEARCH
#include "search/search_index.h"
#endif

namespace assetpub::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using content::Asset;
using content::Block;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int64_t PeakRssKib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

uint64_t SizeOnDisk(const fs::path& path) {
  std::error_code error;
  if (fs::is_regular_file(path, error)) return fs::file_size(path, error);
  uint64_t total = 0;
  for (const auto& entry : fs::recursive_directory_iterator(path, error)) {
    if (entry.is_regular_file(error)) total += entry.file_size(error);
  }
  return total;
}

std::string Mib(uint64_t bytes) { return fmt::format("{:.1f} MiB", bytes / 1048576.0); }

// ---------------------------------------------------------------------------------------------
// The query mix: drawn from items of a corpus generated with another seed (same vocabulary and
// distributions), so frequent words hit often and rare ones rarely, as users' words do.

struct BenchQuery {
  std::string language;            // "en" or "ru": the words' language (stemming)
  bool restrict_language = true;   // only translations in `language`
  std::vector<std::string> words;  // all of them (AND)
  bool phrase = false;             // `words` as one exact phrase
  std::optional<content::Instant> from, to;
  std::string kind;    // a kind name, or empty
  std::string person;  // as in Asset::people, or empty
  std::string Describe() const {
    std::string text;
    for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
    return phrase ? "\"" + text + "\"" : text;
  }
};

// The words of `text`, lower-cased (ASCII and Cyrillic), punctuation stripped (quotation marks
// too: “…” and «…» around names in the generated text).
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(word);
    word.clear();
  };
  auto next_is = [&](size_t i, std::string_view bytes) {
    return text.compare(i + 1, bytes.size(), bytes) == 0;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == ',' || c == '.' || c == '?' || c == ':' || c == ';' || c == '%') {
      flush();
    } else if (c == 0xC2 && (next_is(i, "\xAB") || next_is(i, "\xBB"))) {  // « »
      flush();
      i += 1;
    } else if (c == 0xE2 && (next_is(i, "\x80\x9C") || next_is(i, "\x80\x9D"))) {  // “ ”
      flush();
      i += 2;
    } else if (c >= 'A' && c <= 'Z') {
      word += static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xD0 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x90 &&
               static_cast<unsigned char>(text[i + 1]) <= 0xAF) {
      // А..Я (U+0410..U+042F) -> а..я
      const auto t = static_cast<unsigned char>(text[i + 1]);
      if (t <= 0x9F) {
        word += '\xD0';
        word += static_cast<char>(t + 0x20);
      } else {
        word += '\xD1';
        word += static_cast<char>(t - 0x20);
      }
      ++i;
    } else {
      word += static_cast<char>(c);
    }
  }
  flush();
  return words;
}

std::vector<BenchQuery> MakeQueries(int count, uint64_t seed) {
  const corpus::WordLists lists = corpus::LoadWordLists();
  corpus::Generator generator(lists, 400, seed ^ 0xBE7C4ull);
  std::vector<Asset> samples;
  for (int i = 0; i < 400; ++i) samples.push_back(generator.Next());
  corpus::Random draw(seed);
  std::vector<BenchQuery> queries;
  while (static_cast<int>(queries.size()) < count) {
    const Asset& asset = samples[draw.Below(samples.size())];
    BenchQuery q;
    q.language = draw.Percent(50) ? "en" : "ru";
    q.restrict_language = draw.Percent(80);
    const content::Translation& t = asset.translations.at(q.language == "en" ? "en-GB" : "ru-RU");
    std::vector<std::string> paragraphs;
    for (const Block& b : t.blocks) {
      if (b.type == Block::Type::kParagraph) paragraphs.push_back(b.text);
      for (const auto& p : b.paragraphs) paragraphs.push_back(p);
    }
    std::vector<std::string> words = Words(paragraphs[draw.Below(paragraphs.size())]);
    // Content words: skip the shortest (mostly the function words every item has).
    std::vector<std::string> content_words;
    for (const auto& w : words) {
      if (w.size() >= (q.language == "en" ? 4u : 7u)) content_words.push_back(w);
    }
    if (content_words.size() < 3 || words.size() < 4) continue;
    const uint64_t type = draw.Below(100);
    if (type < 35) {  // one word
      q.words = {content_words[draw.Below(content_words.size())]};
    } else if (type < 60) {  // two or three words
      const uint64_t n = 2 + draw.Below(2);
      for (uint64_t i = 0; i < n; ++i)
        q.words.push_back(content_words[draw.Below(content_words.size())]);
    } else if (type < 75) {  // a phrase of two or three consecutive words
      const uint64_t n = 2 + draw.Below(2);
      const uint64_t at = draw.Below(words.size() - n + 1);
      q.words.assign(words.begin() + static_cast<int64_t>(at),
                     words.begin() + static_cast<int64_t>(at + n));
      q.phrase = true;
    } else {  // a word or two, filtered by date, person or kind
      const uint64_t n = 1 + draw.Below(2);
      for (uint64_t i = 0; i < n; ++i)
        q.words.push_back(content_words[draw.Below(content_words.size())]);
      const uint64_t filter = draw.Below(3);
      if (filter == 0) {
        const int year = 2006 + static_cast<int>(draw.Below(20));
        const int span = 1 + static_cast<int>(draw.Below(5));
        q.from = content::FromLocal({year, 1, 1, 0, 0, 0}, "Europe/Moscow");
        q.to = content::FromLocal({std::min(year + span, 2026), 1, 1, 0, 0, 0}, "Europe/Moscow");
      } else if (filter == 1 && !asset.people.empty()) {
        q.person = asset.people[draw.Below(asset.people.size())];
      } else {
        q.kind = std::string(content::KindName(asset.kind));
      }
    }
    queries.push_back(std::move(q));
  }
  return queries;
}

// ---------------------------------------------------------------------------------------------

struct Latencies {
  std::vector<double> ms;
  std::vector<int64_t> matches;  // per query, as ms (-1: failed)
  int64_t errors = 0;
  int64_t total_matches = 0;  // summed over queries
  int64_t with_hits = 0;
  double cpu_seconds = 0;  // of the whole timed loop (this process, every thread)
  double Percentile(double p) const {
    if (ms.empty()) return 0;
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    return sorted[static_cast<size_t>(p * static_cast<double>(sorted.size() - 1))];
  }
  std::string Line(const std::string& name) const {
    return fmt::format(
        "{}: {} queries, p50 {:.2f} ms, p95 {:.2f} ms, p99 {:.2f} ms, max {:.2f} ms; {} with "
        "hits, mean matches {:.0f}, errors {}; CPU {:.3f} ms per query",
        name, ms.size(), Percentile(0.5), Percentile(0.95), Percentile(0.99),
        ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end()), with_hits,
        ms.empty() ? 0.0 : static_cast<double>(total_matches) / static_cast<double>(ms.size()),
        errors, ms.empty() ? 0.0 : cpu_seconds * 1000.0 / static_cast<double>(ms.size()));
  }
};

// ---------------------------------------------------------------------------------------------
// The baseline: SQLite FTS5 over the same translations. Its best effort: an FTS5 table (title,
// body) with the unicode61 tokenizer (no stemming, in either language), BM25 ranking with the
// title weighted, LIMIT 10, snippets for the 10 hits only, filters on joined columns, facets in
// one more pass over all matches.

class Fts5Baseline {
 public:
  explicit Fts5Baseline(const fs::path& file) {
    fs::remove(file);
    if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK) Fail("open");
    Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144;");
  }
  ~Fts5Baseline() { sqlite3_close(db_); }

  // Indexes every published translation of `store`; returns the number of documents.
  int64_t Build(store::Store& store, Progress& progress) {
    Exec(R"sql(
      CREATE TABLE docs (id INTEGER PRIMARY KEY, asset_id INTEGER, lang TEXT, kind TEXT,
                         published_at INTEGER, year INTEGER, people TEXT, title TEXT);
      CREATE TABLE doc_people (person TEXT, doc INTEGER, PRIMARY KEY (person, doc))
        WITHOUT ROWID;
      CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
      BEGIN;
    )sql");
    sqlite3_stmt* doc = Prepare(
        "INSERT INTO docs (id, asset_id, lang, kind, published_at, year, people, title) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    sqlite3_stmt* person = Prepare("INSERT OR IGNORE INTO doc_people VALUES (?1, ?2)");
    sqlite3_stmt* text = Prepare("INSERT INTO fts (rowid, title, body) VALUES (?1, ?2, ?3)");
    int64_t id = 0;
    store.ForEach([&](const Asset& asset) {
      progress.Advance();
      if (asset.status != content::Status::kPublished) return;
      std::string people;
      for (const auto& p : asset.people) people += (people.empty() ? "" : "\x1f") + p;
      for (const auto& [tag, t] : asset.translations) {
        ++id;
        std::string body = t.place + "\n" + t.summary;
        for (const Block& b : t.blocks) {
          if (!b.text.empty()) body += "\n" + b.text;
          if (!b.speaker.empty()) body += "\n" + b.speaker;
          for (const auto& p : b.paragraphs) body += "\n" + p;
        }
        const std::string lang = tag.substr(0, tag.find('-'));
        sqlite3_bind_int64(doc, 1, id);
        sqlite3_bind_int64(doc, 2, asset.id);
        BindText(doc, 3, lang);
        BindText(doc, 4, std::string(content::KindName(asset.kind)));
        sqlite3_bind_int64(doc, 5, asset.published_at.seconds);
        sqlite3_bind_int(doc, 6, content::LocalYear(asset.published_at, asset.time_zone));
        BindText(doc, 7, people);
        BindText(doc, 8, t.title);
        Step(doc);
        for (const auto& p : asset.people) {
          BindText(person, 1, p);
          sqlite3_bind_int64(person, 2, id);
          Step(person);
        }
        sqlite3_bind_int64(text, 1, id);
        BindText(text, 2, t.title);
        BindText(text, 3, body);
        Step(text);
      }
    });
    sqlite3_finalize(doc);
    sqlite3_finalize(person);
    sqlite3_finalize(text);
    Exec("COMMIT; INSERT INTO fts (fts) VALUES ('optimize'); PRAGMA wal_checkpoint(TRUNCATE);");
    return id;
  }

  // Runs one query: the 10 best by BM25 with their snippets, and the facet counts (kind, year,
  // language, person) over every match. Returns the number of matches.
  int64_t Search(const BenchQuery& q) {
    std::string match;
    if (q.phrase) {
      std::string phrase;
      for (const auto& w : q.words) phrase += (phrase.empty() ? "" : " ") + w;
      match = Quote(phrase);
    } else {
      for (const auto& w : q.words) match += (match.empty() ? "" : " ") + Quote(w);
    }
    std::string where = "fts MATCH ?1";
    if (q.restrict_language) where += " AND d.lang = ?2";
    if (q.from) where += " AND d.published_at >= ?3 AND d.published_at <= ?4";
    if (!q.kind.empty()) where += " AND d.kind = ?5";
    if (!q.person.empty()) {
      where += " AND d.id IN (SELECT doc FROM doc_people WHERE person = ?6)";
    }
    auto bind = [&](sqlite3_stmt* s) {
      BindText(s, 1, match);
      if (q.restrict_language) BindText(s, 2, q.language);
      if (q.from) {
        sqlite3_bind_int64(s, 3, q.from->seconds);
        sqlite3_bind_int64(s, 4, q.to->seconds);
      }
      if (!q.kind.empty()) BindText(s, 5, q.kind);
      if (!q.person.empty()) BindText(s, 6, q.person);
    };

    std::vector<int64_t> top;
    sqlite3_stmt* s = Prepare(
        "SELECT fts.rowid, d.asset_id, d.title FROM fts JOIN docs d ON d.id = fts.rowid WHERE " +
        where + " ORDER BY bm25(fts, 10.0, 1.0) LIMIT 10");
    bind(s);
    while (sqlite3_step(s) == SQLITE_ROW) top.push_back(sqlite3_column_int64(s, 0));
    sqlite3_finalize(s);

    sqlite3_stmt* snippet = Prepare(
        "SELECT snippet(fts, 1, '<mark>', '</mark>', '…', 24) FROM fts WHERE fts MATCH ?1 AND "
        "rowid = ?2");
    for (const int64_t rowid : top) {
      BindText(snippet, 1, match);
      sqlite3_bind_int64(snippet, 2, rowid);
      if (sqlite3_step(snippet) == SQLITE_ROW) snippets_bytes_ += sqlite3_column_bytes(snippet, 0);
      sqlite3_reset(snippet);
    }
    sqlite3_finalize(snippet);

    std::map<std::string, int64_t> kinds, years, langs, people;
    int64_t matches = 0;
    sqlite3_stmt* facets = Prepare(
        "SELECT d.kind, d.year, d.lang, d.people FROM fts JOIN docs d ON d.id = fts.rowid WHERE " +
        where);
    bind(facets);
    while (sqlite3_step(facets) == SQLITE_ROW) {
      ++matches;
      ++kinds[Column(facets, 0)];
      ++years[Column(facets, 1)];
      ++langs[Column(facets, 2)];
      const std::string list = Column(facets, 3);
      size_t start = 0;
      while (start < list.size()) {
        size_t end = list.find('\x1f', start);
        if (end == std::string::npos) end = list.size();
        ++people[list.substr(start, end - start)];
        start = end + 1;
      }
    }
    sqlite3_finalize(facets);
    return matches;
  }

 private:
  static std::string Quote(const std::string& text) {
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  }
  static std::string Column(sqlite3_stmt* s, int i) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
    return text == nullptr ? std::string() : std::string(text);
  }
  static void BindText(sqlite3_stmt* s, int i, const std::string& text) {
    sqlite3_bind_text(s, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void Step(sqlite3_stmt* s) {
    if (sqlite3_step(s) != SQLITE_DONE) Fail("insert");
    sqlite3_reset(s);
  }
  void Exec(const std::string& sql) {
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) Fail(sql);
  }
  sqlite3_stmt* Prepare(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) Fail(sql);
    return s;
  }
  [[noreturn]] void Fail(const std::string& what) {
    throw Error(ErrorCode::kInternal, fmt::format("fts5: {}: {}", what, sqlite3_errmsg(db_)));
  }

  sqlite3* db_ = nullptr;
  int64_t snippets_bytes_ = 0;
};

#ifdef ASSETPUB_BENCH_WITH_SEARCH
search::Query ToSearchQuery(const BenchQuery& q, search::Sort sort, bool facets) {
  search::Query query;
  query.sort = sort;
  query.facets = facets;
  std::string text;
  for (const auto& w : q.words) text += (text.empty() ? "" : " ") + w;
  query.text = q.phrase ? "\"" + text + "\"" : text;
  query.language = q.restrict_language ? q.language : "";
  query.stem_language = q.language;
  query.from = q.from;
  query.to = q.to;
  if (!q.kind.empty()) query.kinds = {q.kind};
  query.person = q.person;
  query.page_size = 10;
  return query;
}

// Everything a query's results show, one block per query, so that two builds' outputs can be
// compared with diff (--dump).
void DumpResults(std::ofstream& out, const BenchQuery& q, const search::Results& results) {
  out << "query " << q.Describe() << " [" << q.language << (q.restrict_language ? " only" : "")
      << "] total " << results.total << " exact " << results.facets_exact << " suggestion '"
      << results.suggestion << "'\n";
  for (const search::Hit& hit : results.hits) {
    out << "  hit " << hit.asset_id << " " << hit.language << " " << hit.percent << "% "
        << hit.published_at.seconds << " " << hit.anchor << " [" << hit.speaker << "] " << hit.title
        << " | " << hit.slug << " | " << hit.place << " | " << hit.time_zone << "\n    "
        << hit.snippet_html << "\n";
  }
  for (const auto& [facet, values] : results.facets) {
    out << "  " << facet << ":";
    for (const search::FacetValue& value : values) out << " " << value.value << "=" << value.count;
    out << "\n";
  }
}
#endif

template <typename Run>
Latencies Measure(const std::vector<BenchQuery>& queries, int warmup, Run run) {
  for (int i = 0; i < warmup && i < static_cast<int>(queries.size()); ++i) {
    try {
      run(queries[static_cast<size_t>(i)]);
    } catch (const Error&) {
    }
  }
  Latencies latencies;
  const double cpu_start = CpuSeconds();
  for (const BenchQuery& q : queries) {
    const Clock::time_point start = Clock::now();
    try {
      const int64_t matches = run(q);
      latencies.total_matches += matches;
      if (matches > 0) ++latencies.with_hits;
      latencies.matches.push_back(matches);
    } catch (const Error& e) {
      latencies.matches.push_back(-1);
      ++latencies.errors;
      if (latencies.errors <= 3)
        fmt::print(stderr, "query {} failed: {}\n", q.Describe(), e.what());
    }
    latencies.ms.push_back(SecondsSince(start) * 1000.0);
  }
  latencies.cpu_seconds = CpuSeconds() - cpu_start;
  return latencies;
}

int Main(int argc, char** argv) {
  int64_t count = 100'000;
  uint64_t seed = 1;
  int query_count = 1000;
  std::string corpus_dir;
  std::string work_dir;
  bool keep = false;
  bool reuse_store = false;
  bool reuse_index = false;
  bool no_fts5 = false;
  std::string sort_name = "relevance";
  std::string dump_file;
  bool no_facets = false;
  std::string page_text;
  int slowest = 0;
  bool result_cache = false;
  int common_words = -1;
  std::string index_name = "index";
  CLI::App app{"search_bench: index build and query latency, Xapian vs SQLite FTS5",
               "search_bench"};
  app.add_option("--count", count, "items to generate (default 100000)")
      ->check(CLI::Range(int64_t{1}, corpus::kMaxCount));
  app.add_option("--seed", seed, "corpus and query seed (default 1)");
  app.add_option("--corpus", corpus_dir, "use this gen-corpus folder instead of generating");
  app.add_option("--queries", query_count, "queries to time (default 1000)")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--work", work_dir, "working folder (default: a temporary one, removed after)");
  app.add_flag("--keep", keep, "keep the working folder");
  app.add_flag("--reuse-store", reuse_store,
               "keep WORK/store.db from an earlier run (skip the corpus and the import)");
  app.add_flag("--reuse-index", reuse_index,
               "keep WORK/index from an earlier run (skip the Xapian build; time queries only)");
  app.add_flag("--no-fts5", no_fts5, "skip the SQLite FTS5 baseline");
  app.add_option("--sort", sort_name, "xapian queries' order: relevance (default), newest, oldest")
      ->check(CLI::IsMember({"relevance", "newest", "oldest"}));
  app.add_flag("--no-facets", no_facets, "xapian queries without facet counts");
  app.add_flag("--result-cache", result_cache,
               "keep SearchIndex's cache of recent results on (off by default, so that every "
               "query is matched; with it a repeated query is a cache hit)");
  app.add_option("--slowest", slowest,
                 "after the xapian queries, list the N slowest (wall ms, matches, query)");
  app.add_option("--page-query", page_text,
                 "instead of the mix, time this query as the site's /en/search?q= page runs it "
                 "(every language, facets, 10 hits), --queries times over");
  app.add_option("--common-words", common_words,
                 "pairs of each language's N most frequent words in the index (common grams; "
                 "0: none; default: the product's)");
  app.add_option("--index-name", index_name,
                 "the index's folder in the working folder (default index): two builds beside "
                 "one store, e.g. with and without common grams");
  app.add_option("--dump", dump_file,
                 "write every xapian query's hits, snippets and facets to this file (to diff "
                 "two builds)");
  CLI11_PARSE(app, argc, argv);

  const bool temporary = work_dir.empty();
  const fs::path work =
      temporary ? fs::temp_directory_path() / fmt::format("assetpub-bench-{}", ::getpid())
                : fs::path(work_dir);
  reuse_store = reuse_store && fs::exists(work / "store.db");
  reuse_index = reuse_index && reuse_store && fs::exists(work / index_name);
  if (!reuse_store) {
    fs::remove_all(work / "store.db");
    fs::remove_all(work / "store.db-wal");
    fs::remove_all(work / "store.db-shm");
  }
  if (!reuse_index) fs::remove_all(work / index_name);
  fs::create_directories(work);
  const long cores = sysconf(_SC_NPROCESSORS_ONLN);
  fmt::print("search_bench: work {}, {} online core(s), seed {}\n", work.string(), cores, seed);

  // (a) The corpus and the import.
  fs::path corpus = corpus_dir;
  if (reuse_store) {
    fmt::print("corpus: skipped (--reuse-store)\n");
  } else if (corpus.empty()) {
    corpus = work / "corpus";
    Progress progress("gen-corpus", count);
    const Clock::time_point start = Clock::now();
    const auto files = corpus::GenerateCorpus(count, seed, corpus, &progress);
    progress.Finish();
    const double seconds = SecondsSince(start);
    fmt::print("corpus: generated {} items in {} files in {:.1f} s ({:.0f} items/s), {} on disk\n",
               count, files.size(), seconds, count / seconds, Mib(SizeOnDisk(corpus)));
  } else {
    fmt::print("corpus: {} ({} on disk)\n", corpus.string(), Mib(SizeOnDisk(corpus)));
  }
  auto store = store::OpenStore("sqlite:" + (work / "store.db").string());
  if (reuse_store) {
    store::ListQuery all;
    all.status = std::nullopt;
    all.limit = 1;
    count = store->List(all).total;
    fmt::print("import: skipped (--reuse-store): {} assets in {}\n", count,
               (work / "store.db").string());
  } else {
    Config config;
    importers::Importer importer(*store, config);
    int64_t files = 0;
    for (const auto& entry : fs::directory_iterator(corpus)) files += entry.is_regular_file();
    Progress progress("import", files);
    const Clock::time_point start = Clock::now();
    int64_t rejected = 0;
    importer.ImportPaths({corpus}, [&](const importers::FileResult& result) {
      progress.Advance();
      if (result.outcome == importers::Outcome::kRejected) {
        ++rejected;
        fmt::print(stderr, "rejected {}: {}\n", result.path.string(), result.message);
      }
    });
    progress.Finish();
    const double seconds = SecondsSince(start);
    store::ListQuery all;
    all.status = std::nullopt;
    all.limit = 1;
    const int64_t assets = store->List(all).total;
    count = assets;
    fmt::print(
        "import: {} assets from {} files in {:.1f} s ({:.0f} assets/s), {} rejected; "
        "store {}; peak RSS so far {} MiB\n",
        assets, files, seconds, assets / seconds, rejected,
        Mib(SizeOnDisk(work / "store.db") + SizeOnDisk(work / "store.db-wal")),
        PeakRssKib() / 1024);
  }

  const std::vector<BenchQuery> queries = MakeQueries(query_count, seed);
  int phrases = 0, filtered = 0, russian = 0;
  for (const auto& q : queries) {
    phrases += q.phrase;
    filtered += q.from || !q.kind.empty() || !q.person.empty();
    russian += q.language == "ru";
  }
  fmt::print(
      "queries: {} ({} phrases, {} filtered by date/person/kind, {} Russian), 100 warm-up "
      "queries first, one thread, page size 10, facets {}\n",
      queries.size(), phrases, filtered, russian, no_facets ? "off" : "on");

  double xapian_build = 0;
  Latencies xapian;
#ifdef ASSETPUB_BENCH_WITH_SEARCH
  // (b) The Xapian index, rebuilt from the store.
  {
    search::SearchIndex index(work / index_name);
    if (common_words >= 0) index.SetCommonWords(static_cast<size_t>(common_words));
    if (reuse_index) {
      fmt::print("xapian build: skipped (--reuse-index): {} documents; index {}\n",
                 index.DocumentCount(), Mib(SizeOnDisk(work / index_name)));
    } else {
      Progress progress("index", count);
      int64_t reported = 0;
      const Clock::time_point start = Clock::now();
      const double cpu_start = CpuSeconds();
      index.Rebuild(*store, [&](int64_t done, int64_t) {
        progress.Advance(done - reported);
        reported = done;
      });
      progress.Finish();
      xapian_build = SecondsSince(start);
      const double cpu = CpuSeconds() - cpu_start;
      fmt::print(
          "xapian build: {} assets, {} documents in {:.1f} s ({:.0f} assets/s), {:.1f} CPU s "
          "({:.0f} assets per CPU second); index {}; peak RSS so far {} MiB\n",
          count, index.DocumentCount(), xapian_build, count / xapian_build, cpu, count / cpu,
          Mib(SizeOnDisk(work / index_name)), PeakRssKib() / 1024);
    }
    // (c) The queries.
    if (!result_cache) index.SetResultCacheSize(0);
    const search::Sort sort = sort_name == "newest"   ? search::Sort::kNewest
                              : sort_name == "oldest" ? search::Sort::kOldest
                                                      : search::Sort::kRelevance;
    if (!page_text.empty()) {
      search::Query page;
      page.text = page_text;
      page.stem_language = "en-GB";
      page.sort = sort;
      page.facets = !no_facets;
      const std::vector<BenchQuery> repeats(queries.size(), BenchQuery{});
      xapian = Measure(repeats, 100, [&](const BenchQuery&) { return index.Search(page).total; });
    } else {
      xapian = Measure(queries, 100, [&](const BenchQuery& q) {
        return index.Search(ToSearchQuery(q, sort, !no_facets)).total;
      });
    }
    fmt::print("{}\n", xapian.Line((page_text.empty() ? std::string("xapian queries")
                                                      : "page query '" + page_text + "'") +
                                   ", sort " + sort_name + (no_facets ? ", no facets" : "") +
                                   (result_cache ? ", result cache on" : "")));
    if (page_text.empty()) {  // the phrases alone: what common grams are for
      std::vector<double> phrase_ms;
      for (size_t i = 0; i < queries.size() && i < xapian.ms.size(); ++i) {
        if (queries[i].phrase) phrase_ms.push_back(xapian.ms[i]);
      }
      fmt::print("  of which phrases: {} queries, p50 {:.2f} ms, p95 {:.2f} ms, p99 {:.2f} ms, max "
                 "{:.2f} ms\n",
                 phrase_ms.size(), bench::Percentile(phrase_ms, 0.5),
                 bench::Percentile(phrase_ms, 0.95), bench::Percentile(phrase_ms, 0.99),
                 bench::Percentile(phrase_ms, 1.0));
    }
    if (slowest > 0 && page_text.empty()) {
      std::vector<size_t> order(queries.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      const size_t shown = std::min(order.size(), static_cast<size_t>(slowest));
      std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(shown),
                        order.end(),
                        [&](size_t a, size_t b) { return xapian.ms[a] > xapian.ms[b]; });
      fmt::print("slowest {} queries (wall ms, matches, query):\n", shown);
      for (size_t i = 0; i < shown; ++i) {
        const BenchQuery& q = queries[order[i]];
        fmt::print("  {:8.2f} {:7} {} [{}{}{}{}{}]\n", xapian.ms[order[i]],
                   xapian.matches[order[i]], q.Describe(), q.language,
                   q.restrict_language ? " only" : "", q.from ? " date" : "",
                   q.kind.empty() ? "" : " kind", q.person.empty() ? "" : " person");
      }
    }
    if (!dump_file.empty()) {
      // The results, and apart (so that the results diff cleanly) each query's thread CPU time.
      std::ofstream out(dump_file);
      std::ofstream times(dump_file + ".times");
      for (const BenchQuery& q : queries) {
        timespec before{}, after{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &before);
        try {
          const search::Results results = index.Search(ToSearchQuery(q, sort, !no_facets));
          clock_gettime(CLOCK_THREAD_CPUTIME_ID, &after);
          DumpResults(out, q, results);
          times << fmt::format("{:.3f}",
                               static_cast<double>(after.tv_sec - before.tv_sec) * 1e3 +
                                   static_cast<double>(after.tv_nsec - before.tv_nsec) / 1e6)
                << " ms " << results.total << " " << q.Describe() << " [" << q.language
                << (q.restrict_language ? " only" : "") << (q.from ? " date" : "")
                << (q.kind.empty() ? "" : " kind") << (q.person.empty() ? "" : " person") << "]\n";
        } catch (const Error& e) {
          out << "query " << q.Describe() << " failed: " << e.what() << "\n";
        }
      }
      fmt::print("results written to {} (CPU time per query in {}.times)\n", dump_file, dump_file);
    }
    fmt::print("peak RSS after xapian queries: {} MiB\n", PeakRssKib() / 1024);
  }
#else
  fmt::print("xapian: not built (the search module was missing when CMake ran)\n");
#endif

  // (e) The FTS5 baseline.
  if (!no_fts5) {
    const fs::path fts_file = work / "fts5.db";
    Fts5Baseline fts(fts_file);
    double fts_build = 0;
    {
      Progress progress("fts5", count);
      const Clock::time_point start = Clock::now();
      const double cpu_start = CpuSeconds();
      const int64_t docs = fts.Build(*store, progress);
      progress.Finish();
      fts_build = SecondsSince(start);
      const double cpu = CpuSeconds() - cpu_start;
      fmt::print(
          "fts5 build: {} assets, {} documents in {:.1f} s ({:.0f} assets/s), {:.1f} CPU s ({:.0f} "
          "assets per CPU second); database {} (text stored once more, for snippets); peak RSS so "
          "far {} MiB\n",
          count, docs, fts_build, count / fts_build, cpu, count / cpu,
          Mib(SizeOnDisk(fts_file) + SizeOnDisk(fts_file.string() + "-wal")), PeakRssKib() / 1024);
    }
    const Latencies baseline =
        Measure(queries, 100, [&](const BenchQuery& q) { return fts.Search(q); });
    fmt::print("{}\n", baseline.Line("fts5 queries"));

    // (f) Ratios.
    if (!xapian.ms.empty()) {
      fmt::print(
          "ratio fts5/xapian: build {:.2f}x, p50 {:.2f}x, p95 {:.2f}x, p99 {:.2f}x "
          "(above 1: xapian is faster)\n",
          xapian_build > 0 ? fts_build / xapian_build : 0.0,
          baseline.Percentile(0.5) / xapian.Percentile(0.5),
          baseline.Percentile(0.95) / xapian.Percentile(0.95),
          baseline.Percentile(0.99) / xapian.Percentile(0.99));
    }
  }
  fmt::print("peak RSS: {} MiB\n", PeakRssKib() / 1024);

  if (temporary && !keep) {
    store.reset();
    std::error_code ignored;
    fs::remove_all(work, ignored);
  }
  return 0;
}

}  // namespace
}  // namespace assetpub::bench

int main(int argc, char** argv) {
  return assetpub::bench::RunMain("search_bench", assetpub::bench::Main, argc, argv);
}
