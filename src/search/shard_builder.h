#pragma once
// A rebuild's documents, built as many small Xapian databases ("shards") on worker threads, with
// the spelling dictionary beside them, for the rebuild (index_writer.cpp) to compact into the
// new generation. Each run of consecutive shards is compacted into one "group" database as soon
// as it is written, and the shards deleted, so that the scratch never holds much more than the
// final index. The common words of the pairs (common_grams.h) are measured from the first
// assets before any shard is built. Internal to search/. Thread-safety:
// Add() and Finish() from one thread (the one reading the store); the workers are its own.

#include <xapian.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "content/asset.h"
#include "search/common_grams.h"

namespace assetpub::search::internal {

// How a rebuild's documents are cut up; the defaults are the rebuild's, tests make them small.
struct ShardSizes {
  int64_t shard_assets = 500;    // assets per shard (one Xapian batch, written once)
  size_t shards_per_group = 40;  // consecutive shards compacted into one group
};

// Compacts `sources`, in order, into a new database at `to`: one streaming merge of their sorted
// posting lists, documents renumbered in the sources' order (no fsync: the caller's scratch).
void CompactInto(const std::vector<std::filesystem::path>& sources,
                 const std::filesystem::path& to);

class ShardBuilder {
 public:
  struct Output {
    // The groups and the shards not in a group, in the order of the assets given to Add(), then
    // the spelling databases (when there is a shard): compacted together, in this order.
    std::vector<std::filesystem::path> paths;
    std::set<std::string> languages;
    int64_t assets = 0;  // assets with at least one document
    CommonWords common;  // what the documents' pairs were made with
  };

  // Writes into `folder` (which must exist) on `threads` workers; 0: one per core, up to four.
  // The pairs are made of each language's `common_per_language` most frequent words (0: none).
  ShardBuilder(std::filesystem::path folder, unsigned threads, size_t common_per_language,
               ShardSizes sizes = {});
  ShardBuilder(const ShardBuilder&) = delete;
  ShardBuilder& operator=(const ShardBuilder&) = delete;
  ~ShardBuilder();  // stops the workers; what they wrote stays in `folder`

  // Queues a copy of `asset` when it is published; blocks while the workers are two shards per
  // thread behind. Rethrows a worker's error.
  void Add(const content::Asset& asset);

  // Waits for the workers and writes the spelling databases. Rethrows the first error of any
  // worker (a Xapian::Error: a disk full, say).
  Output Finish();

 private:
  struct Batch {
    size_t index = 0;
    std::vector<content::Asset> assets;
  };

  void Submit();
  void Measure();  // fixes common_ from pending_, the first assets
  void Stop();
  void Work();
  int64_t Write(const Batch& batch, std::set<std::string>& languages);
  std::optional<size_t> ClaimGroup();  // with mutex_ held
  void CompactGroup(size_t group);
  void WriteSpelling();
  std::filesystem::path ShardPath(size_t index) const;
  std::filesystem::path GroupPath(size_t group) const;

  const std::filesystem::path folder_;
  const size_t common_per_language_;
  const ShardSizes sizes_;
  std::vector<content::Asset> pending_;  // the caller's thread only
  bool measured_ = false;  // common_ fixed (at once without pairs); the caller's thread only
  CommonWords common_;     // written by Measure() before the first Submit(), then only read

  std::mutex spelling_mutex_;  // guards spelling_counts_ while the workers run
  std::unordered_map<std::string, Xapian::doccount> spelling_counts_;  // word -> documents

  std::mutex mutex_;  // guards what follows
  std::condition_variable ready_, room_;
  std::deque<Batch> queue_;
  bool closed_ = false;
  std::exception_ptr error_;
  Output output_;              // its paths are filled by Finish()
  std::vector<bool> written_;  // per shard submitted: written
  size_t grouped_ = 0;         // shards [0, grouped_) are in a group (claimed or compacted)

  std::vector<std::thread> workers_;  // last: started after the rest is constructed
};

}  // namespace assetpub::search::internal
