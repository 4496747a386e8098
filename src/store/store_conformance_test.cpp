// One conformance suite for every Store backend (STYLE.md: never a copy per backend). A backend
// joins by adding a factory to kBackends below; PostgreSQL will add one that needs a server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "content/asset.h"
#include "core/error.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace assetpub::store {
namespace {

using content::Asset;
using content::Block;
using content::Instant;
using content::ParseIso8601;
using content::TurnRole;

struct Backend {
  std::string name;
  // Makes a fresh, empty store; `dir` is a private temporary folder for the test.
  std::function<std::unique_ptr<Store>(const std::filesystem::path& dir)> open;
};

const Backend kBackends[] = {
    {"sqlite",
     [](const std::filesystem::path& dir) {
       return OpenStore("sqlite:" + (dir / "assetpub.db").string());
     }},
};

class StoreConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { store_ = GetParam().open(dir_); }
  void TearDown() override { store_.reset(); }

  int64_t PutOne(Asset& asset) {
    auto tx = store_->Begin();
    const int64_t id = tx->Put(asset);
    tx->Commit();
    return id;
  }

  const assetpub::testing::TempDir temp_{"assetpub-store-"};
  const std::filesystem::path dir_ = temp_.path();
  std::unique_ptr<Store> store_;
};

Asset MakeAsset(const std::string& title, const std::string& when) {
  Asset a;
  a.kind = content::Kind::kTranscript;
  a.published_at = ParseIso8601(when);
  a.modified_at = ParseIso8601(when);
  a.languages = {"en-GB", "ru-RU"};
  a.people = {"Sergey Lavrov", "Ekmeleddin Ihsanoglu"};
  a.tags = {"Syria", "OIC"};
  a.categories["region"] = {"Middle East", "North Africa"};
  a.categories["topic"] = {"Diplomacy"};
  content::Translation en;
  en.language = "en-GB";
  en.title = title;
  en.slug = "slug";
  en.place = "Moscow";
  en.summary = "Summary";
  en.source = "seed.txt";
  en.blocks = {Block::Paragraph("Dear Ladies and Gentlemen,"),
               Block::Turn(TurnRole::kQuestion, "Question", {"Why?"}, "translated from Norwegian"),
               Block::Turn(TurnRole::kAnswer, "Sergey Lavrov", {"Because.", "And more."})};
  a.translations["en-GB"] = en;
  return a;
}

TEST_P(StoreConformance, PutThenGetGivesTheSameAsset) {
  Asset a = MakeAsset("Speech", "2013-06-07T16:29:00+04:00");
  a.related = {{0, "Photo gallery"}};
  const int64_t id = PutOne(a);
  EXPECT_GT(id, 0);
  EXPECT_EQ(a.id, id);
  const auto back = store_->Get(id);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, a);
  EXPECT_FALSE(store_->Get(id + 100));
}

TEST_P(StoreConformance, GivenIdsAreKeptAndReplacedWhole) {
  Asset a = MakeAsset("First", "2013-06-07T16:29:00+04:00");
  a.id = 42;
  PutOne(a);
  a.tags = {"Only"};
  a.translations.erase("en-GB");
  content::Translation ru;
  ru.language = "ru-RU";
  ru.title = "Заголовок";
  ru.slug = "zagolovok";
  a.translations["ru-RU"] = ru;
  PutOne(a);
  const auto back = store_->Get(42);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, a);
}

TEST_P(StoreConformance, UncommittedTransactionLeavesNothing) {
  const int64_t before = store_->LastChange();
  {
    auto tx = store_->Begin();
    Asset a = MakeAsset("Never", "2013-06-07T16:29:00+04:00");
    tx->Put(a);
    EXPECT_TRUE(tx->Get(a.id));  // a transaction sees its own writes
  }
  EXPECT_EQ(store_->List({}).total, 0);
  EXPECT_EQ(store_->LastChange(), before);
}

TEST_P(StoreConformance, EveryWriteAppendsAChange) {
  Asset a = MakeAsset("One", "2013-06-07T16:29:00+04:00");
  Asset b = MakeAsset("Two", "2013-06-08T16:29:00+04:00");
  PutOne(a);
  PutOne(b);
  {
    auto tx = store_->Begin();
    tx->Delete(a.id);
    tx->Commit();
  }
  const auto changes = store_->ChangesSince(0, 100);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].asset_id, a.id);
  EXPECT_EQ(changes[0].op, "put");
  EXPECT_EQ(changes[2].op, "delete");
  EXPECT_LT(changes[0].seq, changes[1].seq);
  EXPECT_EQ(store_->LastChange(), changes[2].seq);
  EXPECT_EQ(store_->ChangesSince(changes[1].seq, 100).size(), 1u);
  EXPECT_FALSE(store_->Get(a.id));
}

TEST_P(StoreConformance, ListIsNewestFirstPagedAndFiltered) {
  std::vector<int64_t> ids;
  for (int day = 1; day <= 5; ++day) {
    Asset a = MakeAsset("Item " + std::to_string(day),
                        "2013-06-0" + std::to_string(day) + "T10:00:00+04:00");
    if (day == 3) a.status = content::Status::kDraft;
    if (day == 4) {
      a.translations["ru-RU"] = a.translations["en-GB"];
      a.translations["ru-RU"].language = "ru-RU";
    }
    ids.push_back(PutOne(a));
  }
  ListQuery query;
  query.limit = 2;
  auto page = store_->List(query);
  EXPECT_EQ(page.total, 4);  // the draft is not published
  ASSERT_EQ(page.assets.size(), 2u);
  EXPECT_EQ(page.assets[0].id, ids[4]);
  EXPECT_EQ(page.assets[1].id, ids[3]);
  query.offset = 2;
  page = store_->List(query);
  ASSERT_EQ(page.assets.size(), 2u);
  EXPECT_EQ(page.assets[0].id, ids[1]);
  EXPECT_EQ(page.assets[1].id, ids[0]);
  ListQuery russian;
  russian.language = "ru";
  page = store_->List(russian);
  ASSERT_EQ(page.total, 1);
  EXPECT_EQ(page.assets[0].id, ids[3]);
  russian.language = "ru-RU";
  EXPECT_EQ(store_->List(russian).total, 1);
  ListQuery all;
  all.status.reset();
  EXPECT_EQ(store_->List(all).total, 5);
  ListQuery bad;
  bad.limit = 0;
  EXPECT_THROW(store_->List(bad), Error);
}

TEST_P(StoreConformance, FindsByInstantAndTitle) {
  Asset a = MakeAsset("Speech of the Minister", "2013-06-07T16:29:00+04:00");
  Asset b = MakeAsset("Other", "2013-06-07T16:30:00+04:00");
  b.related = {{0, "Speech of the Minister"}, {0, "Not yet imported"}};
  PutOne(a);
  PutOne(b);
  auto tx = store_->Begin();
  const auto same = tx->FindByPublishedAt(ParseIso8601("2013-06-07T12:29:00Z"));
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0].id, a.id);
  EXPECT_EQ(tx->FindIdByTitle("Speech of the Minister"), a.id);
  EXPECT_FALSE(tx->FindIdByTitle("Speech of the"));
  EXPECT_THAT(tx->FindUnmatchedRelated("Speech of the Minister"), ::testing::ElementsAre(b.id));
  EXPECT_TRUE(tx->FindUnmatchedRelated("Other").empty());
}

TEST_P(StoreConformance, RelatedIdsMustExistAndSurviveDeletionAsTitles) {
  Asset target = MakeAsset("Target", "2013-06-07T16:29:00+04:00");
  PutOne(target);
  Asset a = MakeAsset("Lists target", "2013-06-08T16:29:00+04:00");
  a.related = {{target.id, ""}};
  PutOne(a);
  Asset bad = MakeAsset("Lists nothing", "2013-06-09T16:29:00+04:00");
  bad.related = {{9999, ""}};
  {
    auto tx = store_->Begin();
    EXPECT_THROW(tx->Put(bad), Error);
  }
  {
    auto tx = store_->Begin();
    tx->Delete(target.id);
    tx->Commit();
  }
  const auto back = store_->Get(a.id);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->related.size(), 1u);
  EXPECT_EQ(back->related[0], (content::Related{0, "Target"}));
  auto tx = store_->Begin();
  EXPECT_THROW(tx->Delete(target.id), Error);
}

TEST_P(StoreConformance, HeadlinesPreferTheRequestedLanguage) {
  Asset a = MakeAsset("English title", "2013-06-07T16:29:00+04:00");
  content::Translation ru = a.translations["en-GB"];
  ru.language = "ru-RU";
  ru.title = "Русский заголовок";
  ru.slug = "russkiy";
  a.translations["ru-RU"] = ru;
  Asset b = MakeAsset("Only English", "2013-06-08T16:29:00+04:00");
  PutOne(a);
  PutOne(b);
  const auto headlines = store_->Headlines({b.id, a.id, 777}, "ru");
  ASSERT_EQ(headlines.size(), 2u);
  EXPECT_EQ(headlines[0].id, b.id);
  EXPECT_EQ(headlines[0].title, "Only English");
  EXPECT_EQ(headlines[1].title, "Русский заголовок");
  EXPECT_EQ(headlines[1].language, "ru-RU");
  EXPECT_EQ(headlines[1].slug, "russkiy");
}

TEST_P(StoreConformance, ForEachVisitsEveryAssetInIdOrder) {
  for (int i = 0; i < 1200; ++i) {
    Asset a = MakeAsset("Item", "2013-06-07T16:29:00+04:00");
    a.published_at.seconds += i;
    PutOne(a);
  }
  int64_t last = 0;
  int count = 0;
  store_->ForEach([&](const Asset& a) {
    EXPECT_GT(a.id, last);
    last = a.id;
    ++count;
  });
  EXPECT_EQ(count, 1200);
}

TEST_P(StoreConformance, ReadersDoNotWaitForAWriter) {
  Asset a = MakeAsset("Visible", "2013-06-07T16:29:00+04:00");
  PutOne(a);
  auto tx = store_->Begin();
  Asset b = MakeAsset("Pending", "2013-06-08T16:29:00+04:00");
  tx->Put(b);
  // While the write transaction is open, another thread still reads the committed state.
  std::atomic<int64_t> seen{-1};
  std::thread reader([&] { seen = store_->List({}).total; });
  reader.join();
  EXPECT_EQ(seen, 1);
  tx->Commit();
  EXPECT_EQ(store_->List({}).total, 2);
}

TEST_P(StoreConformance, ReopeningKeepsTheData) {
  Asset a = MakeAsset("Durable", "2013-06-07T16:29:00+04:00");
  PutOne(a);
  store_.reset();
  store_ = GetParam().open(dir_);
  const auto back = store_->Get(a.id);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, a);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::ValuesIn(kBackends),
                         [](const auto& info) { return info.param.name; });

TEST(OpenStore, RejectsUnknownUrls) {
  EXPECT_THROW(OpenStore("mysql://x"), Error);
  EXPECT_THROW(OpenStore("sqlite:"), Error);
  EXPECT_THROW(OpenStore("sqlite:/nonexistent-dir/x/y.db"), Error);
}

}  // namespace
}  // namespace assetpub::store
