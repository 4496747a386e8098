// index_floor_bench: our index rebuild as a ratio to Xapian's own floor, measured in one run on
// the same items (docs/performance.md, "Indexing"; step 11's target is >= 90% of the floor).
//
// 1. Items: `--count` items from gen-corpus's generator (`--seed`), kept in memory.
// 2. The floor: Xapian alone on one thread. Each translation's text (title, place, summary,
//    people and speakers, every paragraph, heading and list item) goes through one
//    TermGenerator pass with what our features need (positions, the language's stemmer with
//    STEM_SOME, CJK n-grams) into one WritableDatabase (DB_NO_SYNC, one commit at the end): no
//    document data, no values, no boolean terms, no spelling dictionary, no store to read.
// 3. Ours: the items written to a fresh SQLite store, then SearchIndex::Rebuild from it with 1
//    and with 2 shard threads (SetRebuildThreads): everything a rebuild does, reading the store
//    included.
// CPU time is what is compared (the thread's for the floor, the process's for a rebuild), so the
// ratio holds on a shared machine; wall time shows how a rebuild scales with threads.
#include <fmt/format.h>
#include <sys/resource.h>
#include <time.h>
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "content/asset.h"
#include "corpus/generator.h"
#include "corpus/word_lists.h"
#include "search/document.h"
#include "search/search_index.h"
#include "store/store.h"

namespace fs = std::filesystem;
using namespace assetpub;

namespace {

double ThreadCpuSeconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

double ProcessCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

uintmax_t FolderBytes(const fs::path& folder) {
  uintmax_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  return bytes;
}

// Step 2: Xapian alone (see the top of the file). Returns the thread's CPU seconds.
double IndexFloor(const std::vector<content::Asset>& assets, const fs::path& folder) {
  const double start = ThreadCpuSeconds();
  Xapian::WritableDatabase db(folder.string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
  Xapian::TermGenerator generator;
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  generator.set_flags(search::internal::kTermGeneratorFlags);
  for (const content::Asset& asset : assets) {
    for (const auto& [tag, translation] : asset.translations) {
      Xapian::Document doc;
      generator.set_stemmer(search::internal::StemmerFor(tag));
      generator.set_document(doc);
      generator.index_text(translation.title);
      generator.index_text(translation.place);
      generator.index_text(translation.summary);
      std::set<std::string> names(asset.people.begin(), asset.people.end());
      for (const content::Block& block : translation.blocks) {
        if (block.type == content::Block::Type::kTurn) names.insert(block.speaker);
      }
      for (const std::string& name : names) generator.index_text(name);
      for (const content::Block& block : translation.blocks) {
        generator.index_text(block.text);
        for (const std::string& text : block.paragraphs) generator.index_text(text);
      }
      db.add_document(doc);
    }
  }
  db.commit();
  return ThreadCpuSeconds() - start;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("index_floor_bench: a rebuild's speed as a ratio to Xapian's own floor");
  int64_t count = 2000;
  uint64_t seed = 1;
  std::string work_dir;
  app.add_option("--count", count, "items (each with an en-GB and a ru-RU translation)")
      ->check(CLI::Range(int64_t{1}, int64_t{1'000'000}));
  app.add_option("--seed", seed, "gen-corpus seed");
  app.add_option("--work", work_dir, "working folder (default: a temporary one, removed)");
  CLI11_PARSE(app, argc, argv);

  const bool temporary = work_dir.empty();
  const fs::path work =
      temporary ? fs::temp_directory_path() / fmt::format("assetpub-index-floor-{}", ::getpid())
                : fs::path(work_dir);
  fs::remove_all(work);
  fs::create_directories(work);

  // 1. Items.
  const corpus::WordLists words = corpus::LoadWordLists();
  corpus::Generator generator(words, count, seed);
  std::vector<content::Asset> assets;
  assets.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) assets.push_back(generator.Next());
  fmt::print("index_floor_bench: {} items, seed {}, {} online core(s)\n", count, seed,
             std::thread::hardware_concurrency());

  // 2. The floor.
  const double floor_cpu = IndexFloor(assets, work / "floor");
  const double floor_rate = static_cast<double>(count) / floor_cpu;
  fmt::print(
      "floor (Xapian alone, 1 thread): {:.2f} CPU s, {:.0f} items per CPU second, {:.1f} MiB\n",
      floor_cpu, floor_rate, static_cast<double>(FolderBytes(work / "floor")) / 1048576.0);

  // 3. Ours.
  auto store = store::OpenStore("sqlite:" + (work / "store.db").string());
  {
    auto transaction = store->Begin();
    for (content::Asset asset : assets) transaction->Put(asset);
    transaction->Commit();
  }
  search::SearchIndex index(work / "index");
  double one_thread_wall = 0;
  for (const unsigned threads : {1u, 2u}) {
    index.SetRebuildThreads(threads);
    const double cpu = ProcessCpuSeconds();
    const double wall = WallSeconds();
    index.Rebuild(*store);
    const double cpu_used = ProcessCpuSeconds() - cpu;
    const double wall_used = WallSeconds() - wall;
    if (threads == 1) one_thread_wall = wall_used;
    const double rate = static_cast<double>(count) / cpu_used;
    fmt::print(
        "rebuild, {} thread(s): {:.2f} CPU s, {:.2f} s wall, {:.0f} items per CPU second = "
        "{:.2f} of the floor; {:.0f} items/s wall{}; index {:.1f} MiB\n",
        threads, cpu_used, wall_used, rate, rate / floor_rate,
        static_cast<double>(count) / wall_used,
        threads == 1 ? std::string()
                     : fmt::format(" ({:.2f}x the 1-thread wall)", one_thread_wall / wall_used),
        static_cast<double>(FolderBytes(work / "index")) / 1048576.0);
  }
  if (temporary) fs::remove_all(work);
  return 0;
}
