#pragma once
// A rebuild's documents, built as many small Xapian databases ("shards") of kShardAssets assets
// each on worker threads, with the spelling dictionary beside them, for the rebuild
// (index_writer.cpp) to compact into the new generation. Internal to search/. Thread-safety:
// Add() and Finish() from one thread (the one reading the store); the workers are its own.

#include <xapian.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "content/asset.h"

namespace assetpub::search::internal {

class ShardBuilder {
 public:
  struct Output {
    // The shards, in the order of the assets given to Add(), then the spelling databases
    // (when there is a shard): compacted together, in this order.
    std::vector<std::filesystem::path> paths;
    std::set<std::string> languages;
    int64_t assets = 0;  // assets with at least one document
  };

  // Writes into `folder` (which must exist) on `threads` workers; 0: one per core, up to four.
  ShardBuilder(std::filesystem::path folder, unsigned threads);
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
  void Stop();
  void Work();
  int64_t Write(const Batch& batch, std::set<std::string>& languages);
  void WriteSpelling();

  const std::filesystem::path folder_;
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

}  // namespace assetpub::search::internal
