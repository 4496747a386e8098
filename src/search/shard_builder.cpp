#include "search/shard_builder.h"

#include <algorithm>
#include <utility>

#include "core/thread_priority.h"
#include "search/document.h"

// Why shards: Xapian's cost of adding a document grows with the size of its in-memory batch
// (sorted maps keyed by term) and each flush into a growing database merges into ever longer
// posting lists; a shard is built in memory and written once into an empty database. Measured on
// a loaded 2-core VM the CPU cost per document hardly changes (it is Xapian's own work per term
// and position, docs/performance.md); the gain is the second core.
//
// The spelling dictionary is not made per shard. Each shard adds its words' counts (documents
// holding the word) to one map in memory; Finish() writes the words, in order, into databases
// without documents, kSpellingWordsPerDatabase words each, on the workers' threads, and
// compaction merges them with the shards. Adding a word costs Xapian the word's fragments
// (in memory, then written at commit): a dictionary per shard paid that once per word and
// shard, and compaction merged the copies again (a third of the rebuild's CPU,
// docs/performance.md); now each word pays once. The counts are the same: a word's documents,
// summed over the shards.
//
// Why groups: a shard written in one batch is far from compact (its blocks are part-filled), so
// the shards of a rebuild took 2.3 times the final index (43.8 GB at 1,000,000 items), and the
// final compaction needed the final index again beside them. Compacting each run of
// ShardSizes::shards_per_group shards as soon as it is written keeps the scratch near the final
// size, so a rebuild's peak is about twice the index (the groups, then the generation made from
// them); it costs each document one more streaming merge (docs/performance.md, "A million items").

namespace assetpub::search::internal {
namespace {

namespace fs = std::filesystem;

constexpr unsigned kMaxRebuildThreads = 4;
// Xapian holds a database's new words in memory until its commit, about 1.4 KB per word.
constexpr size_t kSpellingWordsPerDatabase = 50000;

}  // namespace

void CompactInto(const std::vector<fs::path>& sources, const fs::path& to) {
  Xapian::Database all;
  for (const fs::path& source : sources) all.add_database(Xapian::Database(source.string()));
  all.compact(to.string(), Xapian::DBCOMPACT_MULTIPASS);
  all.close();
}

ShardBuilder::ShardBuilder(fs::path folder, unsigned threads, size_t common_per_language,
                           ShardSizes sizes)
    : folder_(std::move(folder)),
      common_per_language_(common_per_language),
      sizes_(sizes),
      measured_(common_per_language == 0) {  // no pairs: nothing to measure, no sample held
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  if (threads == 0) threads = std::min(cores, kMaxRebuildThreads);
  for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
}

ShardBuilder::~ShardBuilder() { Stop(); }

void ShardBuilder::Add(const content::Asset& asset) {
  if (asset.status != content::Status::kPublished) return;
  pending_.push_back(asset);
  if (!measured_) {
    if (pending_.size() < kCommonWordsSample) return;
    Measure();
  }
  if (static_cast<int64_t>(pending_.size()) >= sizes_.shard_assets) Submit();
}

ShardBuilder::Output ShardBuilder::Finish() {
  if (!measured_) Measure();
  if (!pending_.empty()) Submit();
  Stop();
  if (error_) std::rethrow_exception(error_);
  for (size_t group = 0; group < grouped_ / sizes_.shards_per_group; ++group) {
    output_.paths.push_back(GroupPath(group));
  }
  for (size_t index = grouped_; index < written_.size(); ++index) {
    output_.paths.push_back(ShardPath(index));
  }
  if (!output_.paths.empty()) WriteSpelling();
  output_.common = common_;
  return std::move(output_);
}

// The workers start on the first shard only once the common words are fixed: until then the
// first kCommonWordsSample assets wait in pending_ (a few MB), then go out as shards.
void ShardBuilder::Measure() {
  common_ = CommonWords::Measure(pending_, common_per_language_);
  measured_ = true;
  std::vector<content::Asset> sample = std::move(pending_);
  pending_.clear();
  for (content::Asset& asset : sample) {
    pending_.push_back(std::move(asset));
    if (static_cast<int64_t>(pending_.size()) >= sizes_.shard_assets) Submit();
  }
}

void ShardBuilder::Submit() {
  std::unique_lock lock(mutex_);
  room_.wait(lock, [this] { return queue_.size() < 2 * workers_.size() || error_; });
  if (error_) std::rethrow_exception(error_);
  const size_t index = written_.size();
  written_.push_back(false);
  queue_.push_back(Batch{index, std::move(pending_)});
  pending_.clear();
  ready_.notify_one();
}

void ShardBuilder::Stop() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

void ShardBuilder::Work() {
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
      std::optional<size_t> group;
      {
        std::lock_guard lock(mutex_);
        output_.languages.insert(languages.begin(), languages.end());
        output_.assets += assets;
        written_[batch.index] = true;
        group = ClaimGroup();
      }
      // One group at a time per worker, while the others go on writing shards; a later
      // group completed while an earlier one was still being written is claimed after it.
      while (group) {
        CompactGroup(*group);
        std::lock_guard lock(mutex_);
        group = ClaimGroup();
      }
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
int64_t ShardBuilder::Write(const Batch& batch, std::set<std::string>& languages) {
  Xapian::WritableDatabase db(ShardPath(batch.index).string(),
                              Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
  int64_t assets = 0;
  for (const content::Asset& asset : batch.assets) {
    std::vector<Xapian::Document> docs = BuildDocuments(asset);
    for (Xapian::Document& doc : docs) AddCommonGrams(doc, common_);
    if (!docs.empty()) ++assets;
    for (const Xapian::Document& doc : docs) db.add_document(doc);
    for (const auto& [tag, translation] : asset.translations) {
      languages.insert(LanguageKey(tag));
    }
  }
  db.commit();
  std::vector<std::pair<std::string, Xapian::doccount>> words;
  for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) {
    if (IsSpellingWord(*it)) words.emplace_back(*it, it.get_termfreq());
  }
  db.close();
  std::lock_guard lock(spelling_mutex_);
  for (const auto& [word, count] : words) spelling_counts_[word] += count;
  return assets;
}

// The next group whose shards are all written, claimed for the caller to compact; none while the
// run after the last claimed group is incomplete. Groups are claimed in order.
std::optional<size_t> ShardBuilder::ClaimGroup() {
  const size_t end = grouped_ + sizes_.shards_per_group;
  if (end > written_.size()) return std::nullopt;
  for (size_t index = grouped_; index < end; ++index) {
    if (!written_[index]) return std::nullopt;
  }
  const size_t group = grouped_ / sizes_.shards_per_group;
  grouped_ = end;
  return group;
}

// The group's shards, in order, compacted into one database (documents keep their order), then
// deleted. No fsync, like the shards: scratch until the generation is complete.
void ShardBuilder::CompactGroup(size_t group) {
  std::vector<fs::path> shards;
  for (size_t i = 0; i < sizes_.shards_per_group; ++i) {
    shards.push_back(ShardPath(group * sizes_.shards_per_group + i));
  }
  CompactInto(shards, GroupPath(group));
  for (const fs::path& shard : shards) fs::remove_all(shard);
}

fs::path ShardBuilder::ShardPath(size_t index) const {
  return folder_ / ("s" + std::to_string(index));
}

fs::path ShardBuilder::GroupPath(size_t group) const {
  return folder_ / ("g" + std::to_string(group));
}

// After the workers stopped: the spelling dictionary as databases of consecutive words, as
// many written at once as there were workers.
void ShardBuilder::WriteSpelling() {
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

}  // namespace assetpub::search::internal
