#include "search/search_index.h"

#include <xapian.h>

#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/error.h"
#include "search/generations.h"
#include "search/index_writer.h"
#include "search/query_builder.h"
#include "search/reader_pool.h"
#include "search/result_cache.h"
#include "search/search_run.h"
#include "search/table_cache.h"

// SearchIndex joins its parts, each in a file of its own: the folder and its generations
// (generations.h), the writer (index_writer.h: catch-up and rebuild, with shard_builder.h), and
// the reading side: the readers' pool (reader_pool.h), the tables every reader's searches share
// (table_cache.h), the recent results (result_cache.h) and one search that misses them
// (search_run.h). What is left here: retrying a read overtaken by a writer.

namespace assetpub::search {

namespace fs = std::filesystem;
using internal::kSearchAttempts;
using internal::Unavailable;
using Borrowed = internal::ReaderPool::Borrowed;

struct SearchIndex::Impl {
  explicit Impl(const fs::path& dir)
      : generations(dir), writer(generations), readers(generations) {}

  // The assets `db` (of `generation`) has documents of: kept in its metadata, or for an index
  // written before they were kept, counted once per generation and revision.
  int64_t AssetsOf(const Xapian::Database& db, const std::string& generation) {
    if (std::optional<int64_t> assets = internal::StoredAssets(db)) return *assets;
    const Xapian::rev revision = db.get_revision();
    std::lock_guard lock(assets_mutex);
    if (counted_assets < 0 || counted_generation != generation || counted_revision != revision) {
      counted_assets = internal::CountAssets(db);
      counted_generation = generation;
      counted_revision = revision;
    }
    return counted_assets;
  }

  internal::Generations generations;
  internal::IndexWriter writer;
  internal::ReaderPool readers;
  internal::TableCache tables;
  internal::ResultCache results;

  std::mutex assets_mutex;  // guards counted_*
  std::string counted_generation;
  Xapian::rev counted_revision = 0;
  int64_t counted_assets = -1;
};

SearchIndex::SearchIndex(const fs::path& dir) : impl_(std::make_unique<Impl>(dir)) {}

SearchIndex::~SearchIndex() = default;

void SearchIndex::SetRebuildBacklog(int64_t changes) { impl_->writer.SetRebuildBacklog(changes); }

void SearchIndex::SetRebuildThreads(unsigned threads) { impl_->writer.SetRebuildThreads(threads); }

void SearchIndex::SetCommonWords(size_t per_language) {
  impl_->writer.SetCommonWords(per_language);
}

void SearchIndex::SetResultCacheSize(size_t entries) { impl_->results.SetCapacity(entries); }

int64_t SearchIndex::LastApplied() const {
  Borrowed reader(impl_->readers);
  return internal::LastAppliedOf(reader.db());
}

SearchIndex::Holdings SearchIndex::Held() const {
  Borrowed reader(impl_->readers);
  for (int attempt = 1;; ++attempt) {
    try {
      Holdings held;
      const Xapian::Database& db = reader.db();
      held.last_applied = internal::LastAppliedOf(db);
      held.documents = db.get_doccount();
      held.assets = impl_->AssetsOf(db, reader.reader().generation);
      const internal::IndexWriter::Progress rebuild = impl_->writer.RebuildProgress();
      held.rebuild_read = rebuild.read;
      held.rebuild_total = rebuild.total;
      return held;
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt == kSearchAttempts) Unavailable("the index changed too fast: " + e.get_msg());
      internal::BackOff(attempt);
      reader.Refresh();
    } catch (const Xapian::Error& e) {
      Unavailable("reading the index's counts failed: " + e.get_msg());
    }
  }
}

void SearchIndex::StopRebuilds() { impl_->writer.StopRebuilds(); }

bool SearchIndex::Rebuilding() const { return impl_->writer.Rebuilding(); }

void SearchIndex::Warm() const {
  Borrowed reader(impl_->readers);
  try {
    impl_->tables.Facets(reader.reader());
    impl_->tables.DocLengths(reader.reader());
  } catch (const Xapian::Error& e) {
    Unavailable("loading the index's tables failed: " + e.get_msg());
  }
}

int64_t SearchIndex::DocumentCount() const {
  Borrowed reader(impl_->readers);
  return reader.db().get_doccount();
}

int64_t SearchIndex::CatchUp(store::Store& store, const ProgressFn& progress) {
  return impl_->writer.CatchUp(store, progress);
}

void SearchIndex::Rebuild(store::Store& store, const ProgressFn& progress) {
  impl_->writer.Rebuild(store, progress);
}

Results SearchIndex::Search(const Query& query) const {
  internal::ValidateQuery(query);
  Borrowed reader(impl_->readers);
  for (int attempt = 1;; ++attempt) {
    try {
      // A repeated query (a popular search, a page reloaded) on an unchanged index: the same
      // results again, without matching.
      const std::string key = internal::ResultKey(reader.reader(), query);
      if (std::optional<Results> cached = impl_->results.Find(key)) return std::move(*cached);
      Results results =
          internal::RunSearch(reader.reader(), query, impl_->tables.For(reader.reader()));
      impl_->results.Keep(key, results);
      return results;
    } catch (const Xapian::DatabaseModifiedError& e) {
      // A writer committed twice while we read: read the newest revision and try again.
      if (attempt == kSearchAttempts) Unavailable("the index changed too fast: " + e.get_msg());
      internal::BackOff(attempt);
      reader.Refresh();
    } catch (const Xapian::DatabaseError& e) {
      // E.g. a generation removed under us by a rebuild: open the live one afresh.
      if (attempt == kSearchAttempts) Unavailable(e.get_msg());
      internal::BackOff(attempt);
      reader.Reset();
      reader.Refresh();
    } catch (const Xapian::Error& e) {
      throw Error(ErrorCode::kInternal, "search failed: " + e.get_description());
    }
  }
}

}  // namespace assetpub::search
