// The changes log's contract (store.h) on every backend: writers that commit out of the order
// they took their numbers in must never make a follower skip a change, and WaitForChange wakes
// a follower when a change commits.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "content/asset.h"
#include "store/store.h"
#include "store/testing/conformance.h"

namespace assetpub::store {
namespace {

using conformance::StoreTest;
using std::chrono::steady_clock;

content::Asset NewAsset(int writer, int n) {
  content::Asset a;
  a.kind = content::Kind::kStatement;
  a.published_at = content::Instant{1'700'000'000 + n};
  a.time_zone = "UTC";
  content::Translation t;
  t.language = "en-GB";
  t.title = "Writer " + std::to_string(writer) + " item " + std::to_string(n);
  t.slug = "w" + std::to_string(writer) + "-" + std::to_string(n);
  a.translations.emplace(t.language, t);
  a.languages = {t.language};
  return a;
}

class ChangesConformance : public StoreTest {};

// 4 writers × 250 puts, each holding its transaction open for a random moment before it commits,
// while a follower reads ChangesSince(last seen) all along: it must see all 1,000 changes, each
// once, in increasing seq order.
TEST_P(ChangesConformance, AFollowerSeesEveryChangeOnceWhateverOrderWritersCommitIn) {
  constexpr int kWriters = 4;
  constexpr int kPuts = 250;
  std::atomic<int> writers_done{0};
  std::vector<std::thread> writers;
  std::vector<std::string> failures(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      std::mt19937 random(static_cast<unsigned>(w + 1));
      std::uniform_int_distribution<int> delay_us(0, 600);
      try {
        for (int n = 0; n < kPuts; ++n) {
          auto tx = store_->Begin();
          content::Asset a = NewAsset(w, n);
          tx->Put(a);
          std::this_thread::sleep_for(std::chrono::microseconds(delay_us(random)));
          tx->Commit();
        }
      } catch (const std::exception& e) {
        failures[w] = e.what();
      }
      ++writers_done;
    });
  }
  std::vector<int64_t> seqs;
  std::set<int64_t> assets;
  int64_t last = 0;
  const auto give_up = steady_clock::now() + std::chrono::seconds(120);
  while (steady_clock::now() < give_up) {
    const bool finished = writers_done.load() == kWriters;
    for (const Change& change : store_->ChangesSince(last, 100)) {
      seqs.push_back(change.seq);
      assets.insert(change.asset_id);
      last = change.seq;
    }
    if (finished && store_->ChangesSince(last, 1).empty()) break;
    store_->WaitForChange(last, steady_clock::now() + std::chrono::milliseconds(20));
  }
  for (auto& writer : writers) writer.join();
  for (const auto& failure : failures) EXPECT_EQ(failure, "");
  EXPECT_EQ(seqs.size(), static_cast<size_t>(kWriters * kPuts));
  EXPECT_EQ(assets.size(), static_cast<size_t>(kWriters * kPuts));
  EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
  EXPECT_EQ(std::set<int64_t>(seqs.begin(), seqs.end()).size(), seqs.size());
}

TEST_P(ChangesConformance, WaitForChangeWakesOnACommitAndOtherwiseTimesOut) {
  const int64_t last = store_->LastChange();
  EXPECT_FALSE(store_->WaitForChange(last, steady_clock::now() + std::chrono::milliseconds(30)));
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    PutOne(NewAsset(0, 0));
  });
  // Far enough for any machine; it returns when the commit is visible, not at the deadline.
  const bool woke = store_->WaitForChange(last, steady_clock::now() + std::chrono::seconds(30));
  writer.join();
  EXPECT_TRUE(woke);
  EXPECT_GT(store_->LastChange(), last);
  // A change already there: at once, whatever the deadline.
  EXPECT_TRUE(store_->WaitForChange(last, steady_clock::now()));
}

TEST_P(ChangesConformance, NewIdsNeverCollideWithGivenOnes) {
  content::Asset kept = NewAsset(0, 1);
  kept.id = 500;
  PutOne(kept);
  content::Asset fresh = NewAsset(0, 2);
  const int64_t id = PutOne(fresh);
  EXPECT_GT(id, 500);
  EXPECT_TRUE(store_->Get(500).has_value());
  EXPECT_TRUE(store_->Get(id).has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, ChangesConformance, ::testing::ValuesIn(conformance::kBackends),
                         conformance::BackendName);

}  // namespace
}  // namespace assetpub::store
