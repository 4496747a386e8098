// Crash safety of `assetpub import`, end to end: a 2,000-item corpus (gen-corpus) imported by
// the real binary and SIGKILLed at 10 moments. A moment is a seeded share of the bytes a clean
// import writes (/proc/PID/io), one in each tenth of the run: inside a file's transaction, at its
// commit, at a checkpoint, between the files. After each kill the store passes SQLite's
// integrity and foreign key checks, every asset is complete or absent (the export against the
// corpus), the data folder holds nothing unknown, and the next import completes and leaves the
// store equal to a clean import's, table by table.
// The imports run with the index's write lock held, as under a running server, so that the
// moments fall in the store's work whether or not `import` also indexes: the index's own kills
// are crash_reindex_test's, and a whole catch-up after each kill would cost more than the rest
// of the test. Once, after the last kill, a server's follower catches the index up with the
// recovered store and the index agrees with it (document count, filters, a title).
// The seed is printed; ASSETPUB_CRASH_SEED=N runs other moments. Needs ASSETPUB_BINARY.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>  // before Asio: Asio 1.74 with g++ 12 needs std::exchange (DEPENDENCIES.md)
#include <vector>

#include "support/crash_checks.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/sqlite_file.h"
#include "support/temp_dir.h"

namespace {

namespace fs = std::filesystem;
namespace t = assetpub::testing;
using nlohmann::json;

constexpr int kItems = 2000;
constexpr int kKills = 10;

// A data folder with an empty index (`search` makes one), so that its write lock can be held.
void MakeIndex(const fs::path& data) {
  const auto [code, output] = t::Assetpub(data, {"search", "--json", "nothing"});
  ASSERT_EQ(code, 0) << output;
}

std::vector<std::string> ImportArgs(const fs::path& data, const fs::path& corpus) {
  return {ASSETPUB_BINARY, "--data", data.string(), "import", corpus.string()};
}

// The index of `data` catches up with its store in a server's follower: /readyz says so within
// four minutes.
void CatchUpInServer(const fs::path& data) {
  const t::ServerProcess server(data, {"--threads", "2"});
  ASSERT_NE(server.port(), 0) << server.startup_output();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(4);
  json ready;
  while (std::chrono::steady_clock::now() < deadline) {
    ready = json::parse(t::Fetch(server.port(), "/readyz").body);
    const json& search = ready.at("search");
    if (search.value("ready", false) && search.value("lag_changes", int64_t{-1}) == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL() << "the index did not catch up: " << ready.dump();
}

class CrashImport : public ::testing::Test {
 protected:
  // Once per binary: the corpus, and a clean import of it (its tables, the bytes it writes, what
  // its index must answer).
  static void SetUpTestSuite() {
    seed_ = t::CrashSeed();
    std::printf("crash seed %llu (ASSETPUB_CRASH_SEED=N for other moments)\n",
                static_cast<unsigned long long>(seed_));
    temp_ = std::make_unique<t::TempDir>("assetpub-crash-import-");
    corpus_ = temp_->path() / "corpus";
    const auto [generated, generate_output] =
        t::RunCommand({ASSETPUB_BINARY, "gen-corpus", "--count", std::to_string(kItems), "--seed",
                       std::to_string(seed_), "--out", corpus_.string()});
    ASSERT_EQ(generated, 0) << generate_output;
    corpus_items_ = t::CorpusItems(corpus_);
    ASSERT_EQ(corpus_items_.size(), static_cast<size_t>(kItems));

    const fs::path clean = temp_->path() / "clean";
    MakeIndex(clean);
    {
      const t::IndexWriteLock lock(clean);
      const t::KilledRun import =
          t::RunUntilWritten(ImportArgs(clean, corpus_), temp_->path() / "clean.log", {});
      ASSERT_EQ(import.exit_code, 0) << import.output;
      import_bytes_ = import.written;
    }
    clean_tables_ = t::TableContents(clean / "assetpub.db");
    const auto [exported, text] = t::Assetpub(clean, {"export"}, false);
    ASSERT_EQ(exported, 0);
    const json assets = json::parse(text);
    ASSERT_EQ(t::ExpectCompleteOrAbsent(assets, corpus_items_), static_cast<size_t>(kItems));
    expected_ = t::ExpectationsFor(assets, seed_);
    std::printf("a clean import writes %lld bytes\n", static_cast<long long>(import_bytes_));
  }
  static void TearDownTestSuite() { temp_.reset(); }

  void SetUp() override {
    if (import_bytes_ <= 0 || clean_tables_.empty()) GTEST_SKIP() << "the clean import failed";
  }

  static inline uint64_t seed_ = 0;
  static inline std::unique_ptr<t::TempDir> temp_;
  static inline fs::path corpus_;
  static inline std::multiset<std::string> corpus_items_;
  static inline int64_t import_bytes_ = 0;
  static inline std::map<std::string, std::string> clean_tables_;
  static inline t::IndexExpectations expected_;
};

TEST_F(CrashImport, KilledAtTenMomentsTheStoreIsWholeAndTheNextImportCompletesIt) {
  std::mt19937_64 random(seed_);
  const std::vector<double> moments = t::Moments(kKills, random);
  fs::path data;
  for (int i = 0; i < kKills; ++i) {
    SCOPED_TRACE("import kill " + std::to_string(i + 1));
    const auto started = std::chrono::steady_clock::now();
    if (!data.empty()) fs::remove_all(data);
    data = temp_->path() / ("import-" + std::to_string(i + 1));
    MakeIndex(data);
    const t::IndexWriteLock lock(data);
    const int64_t kill_at = static_cast<int64_t>(moments[i] * static_cast<double>(import_bytes_));
    const t::KilledRun killed =
        t::RunUntilWritten(ImportArgs(data, corpus_), data.string() + ".log", kill_at);
    ASSERT_TRUE(killed.killed) << "the import was not killed at its moment: " << killed.output;

    if (fs::exists(data / "assetpub.db")) {
      EXPECT_EQ(t::IntegrityCheck(data / "assetpub.db"), "ok");
    }
    EXPECT_THAT(t::LeftBehind(data), ::testing::IsEmpty());
    const auto [exported, text] = t::Assetpub(data, {"export"}, false);
    ASSERT_EQ(exported, 0);
    const size_t assets = t::ExpectCompleteOrAbsent(json::parse(text), corpus_items_);

    const auto [code, output] = t::Assetpub(data, {"import", corpus_.string()});
    EXPECT_EQ(code, 0) << output;
    const auto tables = t::TableContents(data / "assetpub.db");
    for (const auto& [table, rows] : clean_tables_) {
      const auto it = tables.find(table);
      EXPECT_TRUE(it != tables.end() && it->second == rows)
          << "table " << table << " differs from a clean import's";
    }
    std::printf(
        "import kill %d: at %lld of %lld bytes (%.0f %%), %zu assets were in; %.1f s\n", i + 1,
        static_cast<long long>(killed.written), static_cast<long long>(import_bytes_),
        100.0 * static_cast<double>(killed.written) / static_cast<double>(import_bytes_), assets,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    std::fflush(stdout);
  }
  // The last folder, recovered and completed: its index catches up and agrees with the store.
  CatchUpInServer(data);
  t::ExpectIndexAgrees(data, expected_);
  EXPECT_THAT(t::LeftBehind(data), ::testing::IsEmpty());
}

}  // namespace
