#pragma once
// Generator writes realistic synthetic bilingual items for tests and benchmarks (`assetpub
// gen-corpus`): transcripts, speeches, statements, comments, interviews and articles, each with
// an en-GB and a ru-RU translation of the same structure, people, places, tags and dates over
// 2006–2025 (Europe/Moscow), and text in a press office's prose (prose.h): the Russian text says
// what the English says. The same count and seed give the same items byte for byte (on the same
// word lists and zone database).
// Not thread-safe: one Generator per thread; GenerateCorpus() is safe to call concurrently.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "content/asset.h"
#include "core/progress.h"
#include "corpus/word_lists.h"

namespace assetpub::corpus {

inline constexpr int64_t kAssetsPerFile = 1000;
inline constexpr int64_t kMaxCount = 100'000'000;

class Generator {
 public:
  // Items of a corpus of `count` items (dates are spread by position over the 20 years, so the
  // corpus reads oldest first) from `seed`. Keeps a reference to `words`: it must outlive this.
  Generator(const WordLists& words, int64_t count, uint64_t seed);
  ~Generator();
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  // The next item (id 0, status published, languages en-GB and ru-RU, both translations
  // present and valid). Past `count` items the dates stay in the last days of 2025.
  content::Asset Next();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes `count` items from `seed` into `out_dir` (created if missing) as our JSON export
// (content::ToJson) without "id" members, kAssetsPerFile per file: corpus-00001.json, … Earlier
// corpus-NNNNN.json files beyond the ones written are removed, so a folder always holds one
// corpus. Advances `progress` (if given) once per item, from the calling thread; the files are
// written by one thread per core. Returns the files written, in order.
// Throws Error(kInvalidInput) for a count outside 1..kMaxCount and Error(kUnavailable) when a
// word list is missing (naming the package) or the folder cannot be written.
std::vector<std::filesystem::path> GenerateCorpus(int64_t count, uint64_t seed,
                                                  const std::filesystem::path& out_dir,
                                                  Progress* progress = nullptr);

}  // namespace assetpub::corpus
