#include "search/search_index.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <fstream>
#include <list>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "core/error.h"
#include "core/thread_priority.h"
#include "search/bm25.h"
#include "search/cjk.h"
#include "search/document.h"
#include "search/facet_spy.h"
#include "search/query_builder.h"
#include "search/reader.h"
#include "search/search_run.h"

// Design notes (the why; the what is in search_index.h and document.h).
//
// Generations. The folder holds CURRENT (the name of the live generation, "g<N>") and one Xapian
// database per generation. CatchUp() writes the live generation in place; Rebuild() writes
// g<N+1> beside it and renames a new CURRENT over the old one, so searches never see a half-built
// index and a crash during a rebuild leaves the old one live. A rebuild writes its documents as
// small shard databases on one thread per core (up to four), then compacts them into g<N+1>:
// documents keep the store's id order, and the shards' spelling counts add up. Measured on a
// loaded 2-core VM the CPU cost per document hardly changes (it is Xapian's own work per term
// and position, docs/performance.md); the gain is the second core.
//
// Readers. A Xapian::Database must not be used by two threads at once, so searches borrow a
// reader from a pool (a thread that finds the pool empty opens one; the pool keeps as many as
// there were concurrent searches). Before each search the reader is reopened: that costs one
// stat of CURRENT (a new generation means a fresh Database) and Xapian's reopen() (a read of the
// version file), a few microseconds, and makes every earlier commit visible, even one made by
// another process (`assetpub reindex` while the server runs).
//
// Matching, facets, snippets and the reader's caches: search_run.cpp.

namespace assetpub::search {
namespace {

namespace fs = std::filesystem;
using internal::Reader;

constexpr const char* kCurrentFile = "CURRENT";
constexpr const char* kLockFile = "write.lock";
constexpr const char* kLastAppliedKey = "assetpub.last_applied";
constexpr const char* kLanguagesKey = "assetpub.languages";
// internal::kIndexFormat of the documents the index holds (absent: written before formats were
// recorded, i.e. format 1). CatchUp rebuilds an index of another format.
constexpr const char* kFormatKey = "assetpub.format";
// How many assets have documents (the published items a search can find), kept beside the
// documents at each commit so that "how much is searchable" costs a metadata read (absent:
// written before it was kept; counted once from the A terms, CountAssets).
constexpr const char* kAssetsKey = "assetpub.assets";
constexpr int64_t kChangesPerBatch = 1000;
// CatchUp brings a backlog of more changes than this, and than the index has documents, in by a
// rebuild instead of change by change (SearchIndex::SetRebuildBacklog): a rebuild reads the
// store once in batches, builds on every core and writes each posting list once, where CatchUp
// reads asset by asset and merges into the growing index. The first import of an archive.
constexpr int64_t kDefaultRebuildBacklog = 5000;
// A rebuild writes shards of this many assets (each one Xapian batch, written once), built by
// up to kMaxRebuildThreads threads, then compacts them into the new generation (ShardBuilder).
constexpr int64_t kShardAssets = 500;
constexpr unsigned kMaxRebuildThreads = 4;
// A rebuild writes its spelling dictionary as databases of this many words each (ShardBuilder):
// Xapian holds a database's new words in memory until its commit, about 1.4 KB per word.
constexpr size_t kSpellingWordsPerDatabase = 50000;
// Glass keeps the last two revisions: a reader overtaken by two commits must start again. Under
// a burst of commits (a CatchUp per write) that can repeat, so retry with a short back-off.
constexpr int kSearchAttempts = 10;
// Results kept for repeated queries (SearchIndex::Impl::results): a page of hits with snippets
// and facets is a few kilobytes.
constexpr size_t kDefaultCachedResults = 512;

[[noreturn]] void Unavailable(const std::string& message) {
  throw Error(ErrorCode::kUnavailable, "search index: " + message);
}

bool IsGenerationName(std::string_view name) {
  return name.size() >= 2 && name.front() == 'g' &&
         std::all_of(name.begin() + 1, name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int64_t GenerationNumber(std::string_view name) { return std::stoll(std::string(name.substr(1))); }

// The assets `db` has documents of: its distinct A terms. A walk over one term per asset, for an
// index written before kAssetsKey was kept.
int64_t CountAssets(const Xapian::Database& db) {
  int64_t assets = 0;
  const std::string prefix(internal::kAssetTerm);
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) ++assets;
  return assets;
}

// kAssetsKey of `db`, or nullopt when absent.
std::optional<int64_t> StoredAssets(const Xapian::Database& db) {
  const std::string value = db.get_metadata(kAssetsKey);
  if (value.empty()) return std::nullopt;
  return std::stoll(value);
}

std::vector<std::string> SplitLanguages(const std::string& value) {
  std::vector<std::string> languages;
  std::stringstream stream(value);
  for (std::string language; std::getline(stream, language, ',');) {
    if (!language.empty()) languages.push_back(language);
  }
  return languages;
}

std::string JoinLanguages(const std::set<std::string>& languages) {
  std::string value;
  for (const std::string& language : languages) {
    if (!value.empty()) value += ',';
    value += language;
  }
  return value;
}

// The index's write lock: flock on write.lock, so that it is released when the process dies.
class WriteLock {
 public:
  WriteLock(const fs::path& dir, bool wait) {
    fd_ = ::open((dir / kLockFile).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) Unavailable("cannot open " + (dir / kLockFile).string());
    if (::flock(fd_, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
      ::close(fd_);
      Unavailable("another process is writing the index in " + dir.string() + "; try later");
    }
  }
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;
  ~WriteLock() { ::close(fd_); }  // closing releases the lock

 private:
  int fd_ = -1;
};

void BackOff(int attempt) {
  std::this_thread::sleep_for(std::chrono::microseconds(100 * attempt * attempt));
}

// Builds a rebuild's documents as many small databases ("shards") of kShardAssets assets each,
// on worker threads, for RebuildLocked() to compact into one. Why: Xapian's cost of adding a
// document grows with the size of its in-memory batch (sorted maps keyed by term) and each
// flush into a growing database merges into ever longer posting lists; a shard is built in
// memory and written once into an empty database. Add() runs on the caller's thread (the
// store's ForEach); Finish() waits for the workers and rethrows the first error of any.
//
// The spelling dictionary is not made per shard. Each shard adds its words' counts (documents
// holding the word) to one map in memory; Finish() writes the words, in order, into databases
// without documents, kSpellingWordsPerDatabase words each, on the workers' threads, and
// compaction merges them with the shards. Adding a word costs Xapian the word's fragments
// (in memory, then written at commit): a dictionary per shard paid that once per word and
// shard, and compaction merged the copies again (a third of the rebuild's CPU,
// docs/performance.md); now each word pays once. The counts are the same: a word's documents,
// summed over the shards.
class ShardBuilder {
 public:
  struct Output {
    // The shards, in the order of the assets given to Add(), then the spelling databases
    // (when there is a shard): compacted together, in this order.
    std::vector<fs::path> paths;
    std::set<std::string> languages;
    int64_t assets = 0;  // assets with at least one document
  };

  // `threads` workers; 0: one per core, up to kMaxRebuildThreads.
  ShardBuilder(fs::path folder, unsigned threads) : folder_(std::move(folder)) {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    if (threads == 0) threads = std::min(cores, kMaxRebuildThreads);
    for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  }
  ShardBuilder(const ShardBuilder&) = delete;
  ShardBuilder& operator=(const ShardBuilder&) = delete;
  ~ShardBuilder() { Stop(); }

  // Queues a copy of `asset`; blocks while the workers are kShardAssets * 2 per thread behind.
  void Add(const content::Asset& asset) {
    if (asset.status != content::Status::kPublished) return;
    pending_.push_back(asset);
    if (static_cast<int64_t>(pending_.size()) >= kShardAssets) Submit();
  }

  Output Finish() {
    if (!pending_.empty()) Submit();
    Stop();
    if (error_) std::rethrow_exception(error_);
    if (!output_.paths.empty()) WriteSpelling();
    return std::move(output_);
  }

 private:
  struct Batch {
    size_t index = 0;
    std::vector<content::Asset> assets;
  };

  void Submit() {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [this] { return queue_.size() < 2 * workers_.size() || error_; });
    if (error_) std::rethrow_exception(error_);
    const size_t index = output_.paths.size();
    output_.paths.push_back(folder_ / ("s" + std::to_string(index)));
    queue_.push_back(Batch{index, std::move(pending_)});
    pending_.clear();
    ready_.notify_one();
  }

  void Stop() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
    for (std::thread& worker : workers_) {
      if (worker.joinable()) worker.join();
    }
  }

  void Work() {
    LowerThreadPriority();  // pages first (core/thread_priority.h)
    for (;;) {
      Batch batch;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return !queue_.empty() || closed_; });
        if (queue_.empty() || error_) return;
        batch = std::move(queue_.front());
        queue_.pop_front();
      }
      room_.notify_one();
      try {
        std::set<std::string> languages;
        const int64_t assets = Write(batch, languages);
        std::lock_guard lock(mutex_);
        output_.languages.insert(languages.begin(), languages.end());
        output_.assets += assets;
      } catch (...) {
        std::lock_guard lock(mutex_);
        if (!error_) error_ = std::current_exception();
        room_.notify_all();
        return;
      }
    }
  }

  // One shard: every document, in one commit. No fsync: a shard is scratch until the compacted
  // generation is complete. Then its spelling words, each with the number of the shard's
  // documents holding it, are added to the rebuild's counts (spelling_counts_). Returns the
  // assets that got documents.
  int64_t Write(const Batch& batch, std::set<std::string>& languages) {
    Xapian::WritableDatabase db((folder_ / ("s" + std::to_string(batch.index))).string(),
                                Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
    int64_t assets = 0;
    for (const content::Asset& asset : batch.assets) {
      const std::vector<Xapian::Document> docs = internal::BuildDocuments(asset);
      if (!docs.empty()) ++assets;
      for (const Xapian::Document& doc : docs) db.add_document(doc);
      for (const auto& [tag, translation] : asset.translations) {
        languages.insert(internal::LanguageKey(tag));
      }
    }
    db.commit();
    std::vector<std::pair<std::string, Xapian::doccount>> words;
    for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) {
      if (internal::IsSpellingWord(*it)) words.emplace_back(*it, it.get_termfreq());
    }
    db.close();
    std::lock_guard lock(spelling_mutex_);
    for (const auto& [word, count] : words) spelling_counts_[word] += count;
    return assets;
  }

  // After the workers stopped: the spelling dictionary as databases of consecutive words, as
  // many written at once as there were workers.
  void WriteSpelling() {
    std::vector<std::pair<std::string, Xapian::doccount>> words;
    words.reserve(spelling_counts_.size());
    while (!spelling_counts_.empty()) {  // moved out node by node: never two copies of a word
      auto node = spelling_counts_.extract(spelling_counts_.begin());
      words.emplace_back(std::move(node.key()), node.mapped());
    }
    std::sort(words.begin(), words.end());
    const size_t parts = (words.size() + kSpellingWordsPerDatabase - 1) / kSpellingWordsPerDatabase;
    std::vector<fs::path> paths;
    for (size_t i = 0; i < parts; ++i) paths.push_back(folder_ / ("spelling" + std::to_string(i)));
    std::mutex next_mutex;  // guards next and error
    size_t next = 0;
    std::exception_ptr error;
    const auto write = [&] {
      for (;;) {
        size_t part = 0;
        {
          std::lock_guard lock(next_mutex);
          if (next == parts || error) return;
          part = next++;
        }
        try {
          Xapian::WritableDatabase db(paths[part].string(),
                                      Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
          const size_t end = std::min(words.size(), (part + 1) * kSpellingWordsPerDatabase);
          for (size_t i = part * kSpellingWordsPerDatabase; i < end; ++i) {
            db.add_spelling(words[i].first, words[i].second);
          }
          db.commit();
          db.close();
        } catch (...) {
          std::lock_guard lock(next_mutex);
          if (!error) error = std::current_exception();
          return;
        }
      }
    };
    std::vector<std::thread> threads;
    for (size_t i = 1; i < std::min(workers_.size(), parts); ++i) threads.emplace_back(write);
    write();
    for (std::thread& thread : threads) thread.join();
    if (error) std::rethrow_exception(error);
    output_.paths.insert(output_.paths.end(), paths.begin(), paths.end());
  }

  const fs::path folder_;
  std::vector<content::Asset> pending_;  // the caller's thread only

  std::mutex spelling_mutex_;  // guards spelling_counts_ while the workers run
  std::unordered_map<std::string, Xapian::doccount> spelling_counts_;  // word -> documents

  std::mutex mutex_;  // guards what follows
  std::condition_variable ready_, room_;
  std::deque<Batch> queue_;
  bool closed_ = false;
  std::exception_ptr error_;
  Output output_;

  std::vector<std::thread> workers_;  // last: started after the rest is constructed
};

}  // namespace

struct SearchIndex::Impl {
  fs::path dir;

  std::mutex writer_mutex;  // one writer per SearchIndex (the flock covers other processes)

  std::mutex pool_mutex;  // guards pool
  std::vector<std::unique_ptr<Reader>> pool;

  std::mutex facet_mutex;  // guards facet_* and length_*
  std::shared_ptr<const internal::FacetTable> facet_table;
  std::string facet_generation;
  std::shared_ptr<const internal::DocLengthTable> length_table;
  std::string length_generation;

  // Recent results, most recent first, keyed by generation, revision and every field of the
  // query (ResultKey): an entry can only be found again while the index has not changed.
  std::mutex results_mutex;  // guards results, results_index, results_capacity
  size_t results_capacity = kDefaultCachedResults;
  std::atomic<int64_t> rebuild_backlog{kDefaultRebuildBacklog};
  std::atomic<unsigned> rebuild_threads{0};  // 0: one per core (ShardBuilder)
  // A rebuild's progress for Held(): assets read of the store's total; -1 when none runs.
  std::atomic<int64_t> rebuild_read{-1};
  std::atomic<int64_t> rebuild_total{-1};
  std::atomic<bool> rebuilds_stopped{false};  // StopRebuilds()
  // CountAssets() of an index without kAssetsKey, for the generation and revision it counted.
  std::mutex assets_mutex;  // guards counted_*
  std::string counted_generation;
  Xapian::rev counted_revision = 0;
  int64_t counted_assets = -1;
  std::list<std::pair<std::string, Results>> results;
  std::unordered_map<std::string, std::list<std::pair<std::string, Results>>::iterator>
      results_index;

  std::mutex current_mutex;  // guards current_*
  std::string current_name;
  ino_t current_inode = 0;
  struct timespec current_mtime {};

  // --- generations ---

  std::string ReadCurrentFile() const {
    std::ifstream in(dir / kCurrentFile);
    std::string name;
    if (!in || !std::getline(in, name) || !IsGenerationName(name)) {
      Unavailable(dir.string() + " is not a search index (CURRENT is missing or damaged)");
    }
    return name;
  }

  // The live generation, re-read only when CURRENT was replaced.
  std::string Current() {
    struct stat info {};
    if (::stat((dir / kCurrentFile).c_str(), &info) != 0) {
      Unavailable(dir.string() + " is not a search index (no CURRENT)");
    }
    std::lock_guard lock(current_mutex);
    if (current_name.empty() || info.st_ino != current_inode ||
        info.st_mtim.tv_sec != current_mtime.tv_sec ||
        info.st_mtim.tv_nsec != current_mtime.tv_nsec) {
      current_name = ReadCurrentFile();
      current_inode = info.st_ino;
      current_mtime = info.st_mtim;
    }
    return current_name;
  }

  void WriteCurrent(const std::string& name) {
    const fs::path temp = dir / (std::string(kCurrentFile) + ".tmp");
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) Unavailable("cannot write " + temp.string());
    const std::string line = name + "\n";
    const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                    ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(temp.c_str(), (dir / kCurrentFile).c_str()) != 0) {
      Unavailable("cannot write " + (dir / kCurrentFile).string());
    }
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
  }

  Xapian::WritableDatabase OpenWriter(const std::string& name, int action) {
    try {
      return Xapian::WritableDatabase((dir / name).string(), action);
    } catch (const Xapian::DatabaseLockError& e) {
      Unavailable("another process is writing the index: " + e.get_msg());
    } catch (const Xapian::Error& e) {
      Unavailable("cannot open " + (dir / name).string() + " for writing: " + e.get_msg());
    }
  }

  // --- readers ---

  class Borrowed {
   public:
    explicit Borrowed(Impl& impl) : impl_(impl) {
      {
        std::lock_guard lock(impl_.pool_mutex);
        if (!impl_.pool.empty()) {
          reader_ = std::move(impl_.pool.back());
          impl_.pool.pop_back();
        }
      }
      if (!reader_) reader_ = std::make_unique<Reader>();
      Refresh();
    }
    Borrowed(const Borrowed&) = delete;
    Borrowed& operator=(const Borrowed&) = delete;
    ~Borrowed() {
      if (!reader_) return;
      std::lock_guard lock(impl_.pool_mutex);
      impl_.pool.push_back(std::move(reader_));
    }

    // Brings the reader up to the last commit of the live generation. reopen() itself may
    // find its revision discarded by a busy writer, and a rebuild may remove the generation
    // between reading CURRENT and opening it: both are retried with a fresh open.
    void Refresh() {
      for (int attempt = 1;; ++attempt) {
        const std::string current = impl_.Current();
        try {
          if (reader_->generation == current) {
            reader_->db.reopen();
          } else {
            reader_->generation.clear();
            reader_->forms.clear();
            reader_->db = Xapian::Database((impl_.dir / current).string());
            reader_->generation = current;
            reader_->revision = reader_->db.get_revision();
            reader_->languages = SplitLanguages(reader_->db.get_metadata(kLanguagesKey));
          }
          if (const Xapian::rev revision = reader_->db.get_revision();
              revision != reader_->revision) {
            reader_->revision = revision;
            reader_->forms.clear();
            reader_->languages = SplitLanguages(reader_->db.get_metadata(kLanguagesKey));
          }
          return;
        } catch (const Xapian::Error& e) {
          reader_->generation.clear();
          if (attempt == kSearchAttempts) {
            Unavailable("cannot open " + (impl_.dir / current).string() + ": " + e.get_msg());
          }
          BackOff(attempt);
        }
      }
    }
    // Drops the Database (after an error): the next Refresh() opens a fresh one.
    void Reset() {
      reader_->db = Xapian::Database();
      reader_->generation.clear();
    }
    Xapian::Database& db() { return reader_->db; }
    Reader& reader() { return *reader_; }

   private:
    Impl& impl_;
    std::unique_ptr<Reader> reader_;
  };

  // --- writing ---

  // Removes the documents of asset `id` and adds those of `asset` when it is published (CatchUp:
  // the asset's old documents are found by its A term), keeping the spelling dictionary as
  // word -> number of documents. Returns how the number of assets with documents changed (-1, 0
  // or 1). A rebuild does not come here: see ShardBuilder.
  static int64_t Apply(Xapian::WritableDatabase& db, int64_t id, const content::Asset* asset,
                       std::set<std::string>& languages) {
    const std::string asset_term = std::string(internal::kAssetTerm) + std::to_string(id);
    std::vector<Xapian::docid> old_docs;
    for (auto it = db.postlist_begin(asset_term); it != db.postlist_end(asset_term); ++it) {
      old_docs.push_back(*it);
    }
    for (const Xapian::docid did : old_docs) {
      const Xapian::Document doc = db.get_document(did);
      for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
        if (internal::IsSpellingWord(*term)) db.remove_spelling(*term, 1);
      }
      db.delete_document(did);
    }
    const int64_t before = old_docs.empty() ? 0 : 1;
    if (asset == nullptr || asset->status != content::Status::kPublished) return -before;
    const std::vector<Xapian::Document> docs = internal::BuildDocuments(*asset);
    for (const Xapian::Document& doc : docs) {
      db.add_document(doc);
      for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
        if (internal::IsSpellingWord(*term)) db.add_spelling(*term, 1);
      }
    }
    for (const auto& [tag, translation] : asset->translations) {
      languages.insert(internal::LanguageKey(tag));
    }
    return (docs.empty() ? 0 : 1) - before;
  }

  static int64_t LastAppliedOf(const Xapian::Database& db) {
    const std::string value = db.get_metadata(kLastAppliedKey);
    return value.empty() ? 0 : std::stoll(value);
  }

  int64_t CatchUpLocked(store::Store& store, const ProgressFn& progress) {
    const std::string current = Current();
    Xapian::WritableDatabase db = OpenWriter(current, Xapian::DB_OPEN);
    int64_t last = LastAppliedOf(db);
    const int64_t target = store.LastChange();
    if (db.get_metadata(kFormatKey) != internal::kIndexFormat) {
      // Its documents have other terms than a search now looks for (an older assetpub).
      db.close();
      return RebuildLocked(store, progress);
    }
    if (target < last) {
      // The store went back in time (restored, or another store): nothing in the index can be
      // trusted to match it.
      db.close();
      return RebuildLocked(store, progress);
    }
    if (target - last > std::max<int64_t>(rebuild_backlog.load(std::memory_order_relaxed),
                                          static_cast<int64_t>(db.get_doccount()))) {
      db.close();
      return RebuildLocked(store, progress);
    }
    const int64_t start = last;
    std::set<std::string> languages;
    for (const std::string& language : SplitLanguages(db.get_metadata(kLanguagesKey))) {
      languages.insert(language);
    }
    int64_t touched = 0;
    try {
      int64_t assets = StoredAssets(db).value_or(-1);
      if (assets < 0) assets = CountAssets(db);
      for (;;) {
        const std::vector<store::Change> changes = store.ChangesSince(last, kChangesPerBatch);
        if (changes.empty()) break;
        std::set<int64_t> ids;
        for (const store::Change& change : changes) ids.insert(change.asset_id);
        for (const int64_t id : ids) {
          // The asset as it is now, whatever the change said: applying a later state early is
          // harmless, since its own change re-applies the same state.
          const std::optional<content::Asset> asset = store.Get(id);
          assets += Apply(db, id, asset ? &*asset : nullptr, languages);
        }
        touched += static_cast<int64_t>(ids.size());
        last = changes.back().seq;
        db.set_metadata(kLastAppliedKey, std::to_string(last));
        db.set_metadata(kLanguagesKey, JoinLanguages(languages));
        db.set_metadata(kAssetsKey, std::to_string(assets));
        db.commit();  // the documents, the sequence number and the counts land together
        if (progress) progress(last - start, std::max(target, last) - start);
      }
    } catch (const Xapian::Error& e) {
      Unavailable("writing the index failed: " + e.get_msg());
    }
    return touched;
  }

  int64_t RebuildLocked(store::Store& store, const ProgressFn& progress) {
    std::string live;
    int64_t highest = 0;
    if (fs::exists(dir / kCurrentFile)) live = ReadCurrentFile();
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (!IsGenerationName(name)) continue;
      if (name != live) {
        std::error_code ignored;  // a rebuild that died half-way
        fs::remove_all(entry.path(), ignored);
      } else {
        highest = std::max(highest, GenerationNumber(name));
      }
    }
    if (!live.empty()) highest = std::max(highest, GenerationNumber(live));
    const std::string next = "g" + std::to_string(highest + 1);
    // The shards are built in folders inside `scratch`, then compacted together into `next`.
    // `scratch` has a generation name, so a crash leaves only folders the next rebuild removes.
    const std::string scratch = "g" + std::to_string(highest + 2);

    // Changes after this point are applied by the catch-up below, so none is lost.
    const int64_t applied = store.LastChange();
    store::ListQuery all;
    all.status = std::nullopt;
    all.limit = 1;
    const int64_t total = store.List(all).total;
    int64_t done = 0;
    rebuild_total.store(total, std::memory_order_relaxed);
    rebuild_read.store(0, std::memory_order_relaxed);
    struct Ended {  // however the rebuild ends, Held() stops reporting it
      Impl& impl;
      ~Ended() {
        impl.rebuild_read.store(-1, std::memory_order_relaxed);
        impl.rebuild_total.store(-1, std::memory_order_relaxed);
      }
    } ended{*this};
    try {
      fs::create_directories(dir / scratch);
      ShardBuilder builder(dir / scratch, rebuild_threads.load(std::memory_order_relaxed));
      store.ForEach([&](const content::Asset& asset) {
        if (rebuilds_stopped.load(std::memory_order_relaxed)) {
          throw Error(ErrorCode::kUnavailable, "search index: the rebuild was stopped");
        }
        builder.Add(asset);
        ++done;
        rebuild_read.store(done, std::memory_order_relaxed);
        if (progress && done % 1000 == 0) progress(done, total);
      });
      const ShardBuilder::Output shards = builder.Finish();
      // One database over every shard, in shard order (so documents keep the store's id
      // order), compacted into the new generation: a streaming merge of sorted posting lists,
      // far cheaper than growing one database. The spelling dictionary comes from the last
      // sources, which hold no documents.
      if (!shards.paths.empty()) {
        Xapian::Database sources;
        for (const fs::path& shard : shards.paths) sources.add_database(Xapian::Database(shard));
        sources.compact((dir / next).string(), Xapian::DBCOMPACT_MULTIPASS);
        sources.close();
      }
      fs::remove_all(dir / scratch);
      Xapian::WritableDatabase db = OpenWriter(next, Xapian::DB_CREATE_OR_OPEN);
      db.set_metadata(kLastAppliedKey, std::to_string(applied));
      db.set_metadata(kLanguagesKey, JoinLanguages(shards.languages));
      db.set_metadata(kAssetsKey, std::to_string(shards.assets));
      db.set_metadata(kFormatKey, std::string(internal::kIndexFormat));
      db.commit();
      db.close();
    } catch (...) {
      std::error_code ignored;
      fs::remove_all(dir / next, ignored);
      fs::remove_all(dir / scratch, ignored);
      try {
        throw;
      } catch (const Xapian::Error& e) {
        // Not a std::exception: the CLI and the server catch Error (a disk full, say).
        Unavailable("rebuilding the index failed: " + e.get_msg());
      }
    }
    if (progress) progress(done, total);
    WriteCurrent(next);
    if (!live.empty()) {
      std::error_code ignored;  // readers still holding it keep their open files
      fs::remove_all(dir / live, ignored);
    }
    return done + CatchUpLocked(store, {});
  }

  // --- searching ---

  // The facet table of the reader's generation, shared by every reader; loaded by the first
  // search that needs it (the others wait for it), and again when documents added since make
  // up more than an eighth of it (the spy reads those from the index).
  std::shared_ptr<const internal::FacetTable> FacetTableFor(Reader& reader) {
    std::lock_guard lock(facet_mutex);
    const Xapian::docid last = reader.db.get_lastdocid();
    if (facet_table == nullptr || facet_generation != reader.generation ||
        (last > facet_table->Covers() &&
         last - facet_table->Covers() > std::max<Xapian::docid>(1000, facet_table->Covers() / 8))) {
      facet_table = internal::FacetTable::Load(reader.db);
      facet_generation = reader.generation;
    }
    return facet_table;
  }

  // The document lengths of the reader's generation (bm25.h), kept and reloaded as the facet
  // table is.
  std::shared_ptr<const internal::DocLengthTable> DocLengthsFor(Reader& reader) {
    std::lock_guard lock(facet_mutex);
    const Xapian::docid last = reader.db.get_lastdocid();
    if (length_table == nullptr || length_generation != reader.generation ||
        (last > length_table->Covers() &&
         last - length_table->Covers() >
             std::max<Xapian::docid>(1000, length_table->Covers() / 8))) {
      length_table = internal::DocLengthTable::Load(reader.db);
      length_generation = reader.generation;
    }
    return length_table;
  }

  // RunSearch (search_run.h) with this index's tables for `reader`'s generation.
  Results Run(Reader& reader, const Query& query) {
    const internal::GenerationTables tables{
        .facets = [this, &reader] { return FacetTableFor(reader); },
        .doc_lengths = [this, &reader] { return DocLengthsFor(reader); },
    };
    return internal::RunSearch(reader, query, tables);
  }

  std::optional<Results> CachedResults(const std::string& key) {
    std::lock_guard lock(results_mutex);
    const auto it = results_index.find(key);
    if (it == results_index.end()) return std::nullopt;
    results.splice(results.begin(), results, it->second);
    return it->second->second;
  }

  void KeepResults(const std::string& key, const Results& value) {
    std::lock_guard lock(results_mutex);
    if (results_capacity == 0 || results_index.count(key) != 0) return;
    results.emplace_front(key, value);
    results_index.emplace(key, results.begin());
    TrimResults();
  }

  void TrimResults() {  // with results_mutex held
    while (results.size() > results_capacity) {
      results_index.erase(results.back().first);
      results.pop_back();
    }
  }
};

namespace {

// Everything that decides a search's results: the reader's generation and revision and every
// field of the query. The structured binding names every field of Query, so a field added there
// fails to compile here until it is named, and then added to the key.
std::string ResultKey(const Reader& reader, const Query& query) {
  const auto& [text, all_words, phrase, any_words, none_words, from, to, kinds, person, tag,
               language, sort, page, page_size, facets, stem_language] = query;
  std::string key;
  const auto add = [&key](std::string_view field) {
    key += std::to_string(field.size());
    key += ':';
    key.append(field);
  };
  add(reader.generation);
  add(std::to_string(reader.revision));
  for (const std::string* field : {&text, &all_words, &phrase, &any_words, &none_words, &person,
                                   &tag, &language, &stem_language}) {
    add(*field);
  }
  add(from ? std::to_string(from->seconds) : "-");
  add(to ? std::to_string(to->seconds) : "-");
  add(std::to_string(kinds.size()));
  for (const std::string& kind : kinds) add(kind);
  add(std::to_string(static_cast<int>(sort)));
  add(std::to_string(page));
  add(std::to_string(page_size));
  add(facets ? "f" : "-");
  return key;
}

}  // namespace

SearchIndex::SearchIndex(const fs::path& dir) : impl_(std::make_unique<Impl>()) {
  impl_->dir = dir;
  std::error_code error;
  fs::create_directories(dir, error);
  if (error || !fs::is_directory(dir)) {
    Unavailable("cannot create the folder " + dir.string() + ": " + error.message());
  }
  if (fs::exists(dir / kCurrentFile)) {
    const std::string name = impl_->ReadCurrentFile();
    if (!fs::is_directory(dir / name)) {
      Unavailable(dir.string() + " is damaged: generation " + name + " is missing (reindex)");
    }
    return;
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    // CURRENT.tmp without CURRENT: a creation killed before its rename (WriteCurrent).
    if (name != kLockFile && name != std::string(kCurrentFile) + ".tmp" &&
        !IsGenerationName(name)) {
      Unavailable(dir.string() + " is not a search index (it holds " + name + ")");
    }
  }
  const WriteLock lock(dir, /*wait=*/true);
  if (fs::exists(dir / kCurrentFile)) return;  // another process created it meanwhile
  Xapian::WritableDatabase db = impl_->OpenWriter("g1", Xapian::DB_CREATE_OR_OVERWRITE);
  db.set_metadata(kLastAppliedKey, "0");
  db.set_metadata(kAssetsKey, "0");
  db.set_metadata(kFormatKey, std::string(internal::kIndexFormat));
  db.commit();
  db.close();
  impl_->WriteCurrent("g1");
}

SearchIndex::~SearchIndex() = default;

void SearchIndex::SetRebuildBacklog(int64_t changes) {
  impl_->rebuild_backlog.store(changes, std::memory_order_relaxed);
}

void SearchIndex::SetRebuildThreads(unsigned threads) {
  impl_->rebuild_threads.store(threads, std::memory_order_relaxed);
}

void SearchIndex::SetResultCacheSize(size_t entries) {
  std::lock_guard lock(impl_->results_mutex);
  impl_->results_capacity = entries;
  impl_->TrimResults();
}

int64_t SearchIndex::LastApplied() const {
  Impl::Borrowed reader(*impl_);
  return Impl::LastAppliedOf(reader.db());
}

SearchIndex::Holdings SearchIndex::Held() const {
  Impl::Borrowed reader(*impl_);
  for (int attempt = 1;; ++attempt) {
    try {
      Holdings held;
      const Xapian::Database& db = reader.db();
      held.last_applied = Impl::LastAppliedOf(db);
      held.documents = db.get_doccount();
      if (std::optional<int64_t> assets = StoredAssets(db)) {
        held.assets = *assets;
      } else {
        const std::string generation = reader.reader().generation;
        const Xapian::rev revision = db.get_revision();
        std::lock_guard lock(impl_->assets_mutex);
        if (impl_->counted_assets < 0 || impl_->counted_generation != generation ||
            impl_->counted_revision != revision) {
          impl_->counted_assets = CountAssets(db);
          impl_->counted_generation = generation;
          impl_->counted_revision = revision;
        }
        held.assets = impl_->counted_assets;
      }
      held.rebuild_total = impl_->rebuild_total.load(std::memory_order_relaxed);
      held.rebuild_read = impl_->rebuild_read.load(std::memory_order_relaxed);
      if (held.rebuild_total < 0 || held.rebuild_read < 0)
        held.rebuild_read = held.rebuild_total = -1;
      return held;
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt == kSearchAttempts) Unavailable("the index changed too fast: " + e.get_msg());
      BackOff(attempt);
      reader.Refresh();
    } catch (const Xapian::Error& e) {
      Unavailable("reading the index's counts failed: " + e.get_msg());
    }
  }
}

void SearchIndex::StopRebuilds() { impl_->rebuilds_stopped.store(true, std::memory_order_relaxed); }

bool SearchIndex::Rebuilding() const {
  return impl_->rebuild_total.load(std::memory_order_relaxed) >= 0;
}

void SearchIndex::Warm() const {
  Impl::Borrowed reader(*impl_);
  try {
    impl_->FacetTableFor(reader.reader());
    impl_->DocLengthsFor(reader.reader());
  } catch (const Xapian::Error& e) {
    Unavailable("loading the index's tables failed: " + e.get_msg());
  }
}

int64_t SearchIndex::DocumentCount() const {
  Impl::Borrowed reader(*impl_);
  return reader.db().get_doccount();
}

int64_t SearchIndex::CatchUp(store::Store& store, const ProgressFn& progress) {
  std::lock_guard guard(impl_->writer_mutex);
  const WriteLock lock(impl_->dir, /*wait=*/false);
  return impl_->CatchUpLocked(store, progress);
}

void SearchIndex::Rebuild(store::Store& store, const ProgressFn& progress) {
  std::lock_guard guard(impl_->writer_mutex);
  const WriteLock lock(impl_->dir, /*wait=*/false);
  impl_->RebuildLocked(store, progress);
}

Results SearchIndex::Search(const Query& query) const {
  internal::ValidateQuery(query);
  Impl::Borrowed reader(*impl_);
  for (int attempt = 1;; ++attempt) {
    try {
      // A repeated query (a popular search, a page reloaded) on an unchanged index: the same
      // results again, without matching.
      const std::string key = ResultKey(reader.reader(), query);
      if (std::optional<Results> cached = impl_->CachedResults(key)) return std::move(*cached);
      Results results = impl_->Run(reader.reader(), query);
      impl_->KeepResults(key, results);
      return results;
    } catch (const Xapian::DatabaseModifiedError& e) {
      // A writer committed twice while we read: read the newest revision and try again.
      if (attempt == kSearchAttempts) Unavailable("the index changed too fast: " + e.get_msg());
      BackOff(attempt);
      reader.Refresh();
    } catch (const Xapian::DatabaseError& e) {
      // E.g. a generation removed under us by a rebuild: open the live one afresh.
      if (attempt == kSearchAttempts) Unavailable(e.get_msg());
      BackOff(attempt);
      reader.Reset();
      reader.Refresh();
    } catch (const Xapian::Error& e) {
      throw Error(ErrorCode::kInternal, "search failed: " + e.get_description());
    }
  }
}

}  // namespace assetpub::search
