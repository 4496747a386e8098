// View counts add up on every backend (store.h, AddViews): two stores opened on one database
// stand for two nodes flushing their counters at once, from several threads each, and not one
// view is lost or counted twice.
#include <gtest/gtest.h>

#include <cstdint>
#include <exception>
#include <latch>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "content/asset.h"
#include "store/store.h"
#include "store/tables.h"
#include "store/testing/conformance.h"

namespace assetpub::store {
namespace {

using conformance::StoreTest;

content::Asset NewAsset(int n) {
  content::Asset a;
  a.kind = content::Kind::kStatement;
  a.published_at = content::Instant{1'700'000'000 + n};
  a.time_zone = "UTC";
  content::Translation t;
  t.language = "en-GB";
  t.title = "Read item " + std::to_string(n);
  t.slug = "read-" + std::to_string(n);
  a.translations.emplace(t.language, t);
  a.languages = {t.language};
  return a;
}

class ViewsConformance : public StoreTest {
 protected:
  // Every asset's view_count, read from the database by a connection of its own.
  std::map<int64_t, int64_t> ViewCounts() const {
    const TableSpec* assets = nullptr;
    for (const TableSpec& table : BaseTables()) {
      if (std::string(table.name) == "assets") assets = &table;
    }
    EXPECT_NE(assets, nullptr);
    if (assets == nullptr) return {};
    size_t id = 0;
    size_t views = 0;
    for (size_t i = 0; i < assets->columns.size(); ++i) {
      if (std::string(assets->columns[i].name) == "id") id = i;
      if (std::string(assets->columns[i].name) == "view_count") views = i;
    }
    std::map<int64_t, int64_t> counts;
    OpenTables(GetParam().url(dir_))->Read(*assets, [&](const TableRow& row) {
      counts[std::stoll(row.at(id).value_or("0"))] = std::stoll(row.at(views).value_or("-1"));
    });
    return counts;
  }
};

// 2 stores × 2 threads × 100 flushes of (a: 1, b: 2), half of them listing b first (the order
// rows are locked in must not matter), each with an unknown id and a zero count that add nothing.
TEST_P(ViewsConformance, ConcurrentAddViewsFromTwoStoresAddUpExactly) {
  const int64_t a = PutOne(NewAsset(1));
  const int64_t b = PutOne(NewAsset(2));
  const int64_t unread = PutOne(NewAsset(3));
  const std::unique_ptr<Store> other = Open(dir_);
  constexpr int kThreadsPerStore = 2;
  constexpr int kFlushes = 100;
  constexpr int kThreads = 2 * kThreadsPerStore;
  std::latch start(kThreads);
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    Store& node = t < kThreadsPerStore ? *store_ : *other;
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      try {
        for (int i = 0; i < kFlushes; ++i) {
          if ((t + i) % 2 == 0) {
            node.AddViews({{a, 1}, {b, 2}, {999'999, 5}});
          } else {
            node.AddViews({{b, 2}, {a, 1}, {unread, 0}});
          }
        }
      } catch (const std::exception& e) {
        errors[t] = e.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) EXPECT_EQ(error, "");

  const std::map<int64_t, int64_t> expected = {
      {a, int64_t{kThreads} * kFlushes}, {b, int64_t{kThreads} * kFlushes * 2}, {unread, 0}};
  EXPECT_EQ(ViewCounts(), expected);
  // Both stores sort by the same counts.
  for (Store* node : {store_.get(), other.get()}) {
    Selection s;
    s.language = "en";
    s.order = {{SortKey::kViews, true}};
    std::vector<int64_t> ids;
    for (const auto& asset : node->Select(s).assets) ids.push_back(asset.id);
    EXPECT_EQ(ids, (std::vector<int64_t>{b, a, unread}));
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ViewsConformance, ::testing::ValuesIn(conformance::kBackends),
                         conformance::BackendName);

}  // namespace
}  // namespace assetpub::store
