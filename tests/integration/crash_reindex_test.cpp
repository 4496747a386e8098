// Crash safety of `assetpub reindex`, end to end: the index of a 2,000-item corpus (gen-corpus,
// imported by the real binary) rebuilt and SIGKILLed at 3 moments, each a seeded share of the
// bytes a clean rebuild writes (/proc/PID/io), one in each third of the run: while shards are
// built, while they are compacted, around the switch to the new generation. After each kill the
// store is untouched (integrity, every table as before), the index as left agrees with the
// store (a kill never leaves a half-built generation live: document count, filters, a title),
// and the next rebuild completes and leaves nothing behind in DATA/index (no shard, no other
// generation, no temporary file). The seed is printed; ASSETPUB_CRASH_SEED=N runs other moments.
// Needs ASSETPUB_BINARY.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "support/crash_checks.h"
#include "support/process.h"
#include "support/sqlite_file.h"
#include "support/temp_dir.h"

namespace {

namespace fs = std::filesystem;
namespace t = assetpub::testing;
using nlohmann::json;
using ::testing::HasSubstr;

constexpr int kItems = 2000;
constexpr int kKills = 3;

std::vector<std::string> ReindexArgs(const fs::path& data) {
  return {ASSETPUB_BINARY, "--data", data.string(), "reindex"};
}

class CrashReindex : public ::testing::Test {
 protected:
  // Once per binary: the corpus imported and indexed by a clean rebuild (the bytes it writes,
  // the store's tables, what the index must answer).
  static void SetUpTestSuite() {
    seed_ = t::CrashSeed();
    std::printf("crash seed %llu (ASSETPUB_CRASH_SEED=N for other moments)\n",
                static_cast<unsigned long long>(seed_));
    temp_ = std::make_unique<t::TempDir>("assetpub-crash-reindex-");
    const fs::path corpus = temp_->path() / "corpus";
    const auto [generated, generate_output] =
        t::RunCommand({ASSETPUB_BINARY, "gen-corpus", "--count", std::to_string(kItems), "--seed",
                       std::to_string(seed_), "--out", corpus.string()});
    ASSERT_EQ(generated, 0) << generate_output;

    clean_ = temp_->path() / "clean";
    const auto [made, made_output] = t::Assetpub(clean_, {"search", "--json", "nothing"});
    ASSERT_EQ(made, 0) << made_output;
    {
      const t::IndexWriteLock lock(clean_);  // the rebuild below indexes, not the import
      const auto [imported, output] = t::Assetpub(clean_, {"import", corpus.string()});
      ASSERT_EQ(imported, 0) << output;
    }
    const t::KilledRun reindex =
        t::RunUntilWritten(ReindexArgs(clean_), temp_->path() / "clean.log", {});
    ASSERT_EQ(reindex.exit_code, 0) << reindex.output;
    reindex_bytes_ = reindex.written;
    clean_tables_ = t::TableContents(clean_ / "assetpub.db");
    const auto [exported, text] = t::Assetpub(clean_, {"export"}, false);
    ASSERT_EQ(exported, 0);
    expected_ = t::ExpectationsFor(json::parse(text), seed_);
    std::printf("a clean rebuild writes %lld bytes\n", static_cast<long long>(reindex_bytes_));
  }
  static void TearDownTestSuite() { temp_.reset(); }

  void SetUp() override {
    if (reindex_bytes_ <= 0 || clean_tables_.empty()) GTEST_SKIP() << "the clean runs failed";
  }

  static inline uint64_t seed_ = 0;
  static inline std::unique_ptr<t::TempDir> temp_;
  static inline fs::path clean_;
  static inline int64_t reindex_bytes_ = 0;
  static inline std::map<std::string, std::string> clean_tables_;
  static inline t::IndexExpectations expected_;
};

TEST_F(CrashReindex, KilledAtThreeMomentsTheIndexStillAnswersAndTheNextRebuildCleansUp) {
  std::mt19937_64 random(seed_ + 1);
  const std::vector<double> moments = t::Moments(kKills, random);
  for (int i = 0; i < kKills; ++i) {
    SCOPED_TRACE("reindex kill " + std::to_string(i + 1));
    const auto started = std::chrono::steady_clock::now();
    const fs::path data = temp_->path() / ("reindex-" + std::to_string(i + 1));
    fs::copy(clean_, data, fs::copy_options::recursive);
    const int64_t kill_at = static_cast<int64_t>(moments[i] * static_cast<double>(reindex_bytes_));
    const t::KilledRun killed =
        t::RunUntilWritten(ReindexArgs(data), data.string() + ".log", kill_at);
    ASSERT_TRUE(killed.killed) << "the reindex was not killed at its moment: " << killed.output;

    EXPECT_EQ(t::IntegrityCheck(data / "assetpub.db"), "ok");
    EXPECT_TRUE(t::TableContents(data / "assetpub.db") == clean_tables_) << "the store changed";
    t::ExpectIndexAgrees(data, expected_);

    const auto [code, output] = t::Assetpub(data, {"reindex"});
    EXPECT_EQ(code, 0) << output;
    EXPECT_THAT(output, HasSubstr("rebuilt: " + std::to_string(expected_.totals.at(0).second) +
                                  " document(s) at change " + std::to_string(kItems)));
    EXPECT_THAT(t::LeftBehind(data), ::testing::IsEmpty());
    std::printf("reindex kill %d: at %lld of %lld bytes (%.0f %%); %.1f s\n", i + 1,
                static_cast<long long>(killed.written), static_cast<long long>(reindex_bytes_),
                100.0 * static_cast<double>(killed.written) / static_cast<double>(reindex_bytes_),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    std::fflush(stdout);
    fs::remove_all(data);
  }
}

}  // namespace
