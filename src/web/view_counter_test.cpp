#include "web/view_counter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "render/testing/seed_asset.h"
#include "support/temp_dir.h"

namespace assetpub::web {
namespace {

using Views = std::vector<std::pair<int64_t, int64_t>>;

TEST(ViewCounter, SumsViewsPerIdAndDrainResets) {
  ViewCounter counter;
  counter.Add(7);
  counter.Add(3);
  counter.Add(7);
  counter.Add(23, 5);  // 23 and 7 share a shard
  EXPECT_EQ(counter.Drain(), (Views{{3, 1}, {7, 2}, {23, 5}}));
  EXPECT_TRUE(counter.Drain().empty());
}

TEST(ViewCounter, CountsEveryViewFromManyThreads) {
  ViewCounter counter;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i) counter.Add(1 + i % 50);
    });
  }
  for (std::thread& thread : threads) thread.join();
  int64_t total = 0;
  for (const auto& [id, views] : counter.Drain()) total += views;
  EXPECT_EQ(total, 80'000);
}

TEST(ItemViewId, OnlySuccessfulGetsOfItemPagesCount) {
  EXPECT_EQ(ItemViewId("GET", "/en/assets/12-some-slug", 200), 12);
  EXPECT_EQ(ItemViewId("GET", "/ru/assets/12-slug?compare=en", 200), 12);
  EXPECT_EQ(ItemViewId("GET", "/en/assets/12", 200), 12);
  EXPECT_EQ(ItemViewId("HEAD", "/en/assets/12-slug", 200), std::nullopt);
  EXPECT_EQ(ItemViewId("GET", "/en/assets/12-slug", 404), std::nullopt);
  EXPECT_EQ(ItemViewId("GET", "/en/assets/12-slug", 301), std::nullopt);
  for (const char* target :
       {"/en/", "/en/assets/", "/en/assets/x-slug", "/en/assets/0-x", "/en/transcripts/12-x",
        "/api/v1/assets/12", "/en/assets/1/2", "", "/", "/en/assets/?x=/en/assets/1-x"}) {
    EXPECT_EQ(ItemViewId("GET", target, 200), std::nullopt) << target;
  }
}

TEST(ViewFlusher, StopWritesTheCountsToTheStore) {
  const assetpub::testing::TempDir temp("assetpub-views-");
  auto store = store::OpenStore("sqlite:" + (temp.path() / "assetpub.db").string());
  for (int64_t id : {1, 2}) {
    content::Asset asset = render::testing::SeedAsset(id);
    for (auto& [tag, translation] : asset.translations) translation.slug += std::to_string(id);
    auto transaction = store->Begin();
    transaction->Put(asset);
    transaction->Commit();
  }
  ViewCounter counter;
  ViewFlusher flusher(*store, counter, std::chrono::hours(1));  // only Stop() flushes here
  counter.Add(2, 5);
  counter.Add(999);  // unknown ids are ignored by the store
  flusher.Stop();
  EXPECT_TRUE(counter.Drain().empty());
  store::Selection most_read;
  most_read.language = "en";
  most_read.order = {{store::SortKey::kViews, true}};
  const store::ListPage page = store->Select(most_read);
  ASSERT_EQ(page.assets.size(), 2u);
  EXPECT_EQ(page.assets[0].id, 2);
}

}  // namespace
}  // namespace assetpub::web
