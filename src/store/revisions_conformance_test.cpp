// The revisions and scheduling part of the Store contract (store.h: Revision, RevisionHead,
// Scheduled), run against every backend like store_conformance_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "content/asset.h"
#include "core/error.h"
#include "store/store.h"
#include "store/testing/conformance.h"

namespace assetpub::store {
namespace {

using content::Asset;
using content::Instant;
using content::ParseIso8601;
using ::testing::ElementsAre;
using ::testing::Pair;

Asset MakeAsset(const std::string& title, content::Status status, const std::string& when) {
  Asset a;
  a.kind = content::Kind::kStatement;
  a.status = status;
  a.published_at = ParseIso8601(when);
  a.languages = {"en-GB"};
  content::Translation en;
  en.language = "en-GB";
  en.title = title;
  en.slug = "t-" + std::to_string(std::hash<std::string>{}(title) % 100000);
  en.blocks = {content::Block::Paragraph("Body of " + title)};
  a.translations["en-GB"] = en;
  return a;
}

class RevisionsConformance : public conformance::StoreTest {
 protected:
  Revision MakeRevision(int64_t id, const Asset& asset, const std::string& note) {
    Revision r;
    r.asset_id = id;
    r.at = Instant{1'700'000'000};
    r.author = "alice";
    r.note = note;
    r.asset = asset;
    r.asset->id = id;
    return r;
  }
};

TEST_P(RevisionsConformance, RevisionsAreNumberedPerAssetAndReadBackWhole) {
  Asset one = MakeAsset("One", content::Status::kDraft, "2024-01-01T10:00:00Z");
  const int64_t a = PutOne(one);
  const int64_t b = PutOne(MakeAsset("Two", content::Status::kDraft, "2024-01-01T10:00:00Z"));
  one.id = a;
  {
    auto tx = store_->Begin();
    Revision r1 = MakeRevision(a, one, "create");
    EXPECT_EQ(tx->AddRevision(r1), 1);
    EXPECT_EQ(r1.number, 1);
    Asset edited = one;
    edited.translations["en-GB"].title = "One, edited";
    Revision r2 = MakeRevision(a, edited, "edit");
    EXPECT_EQ(tx->AddRevision(r2), 2);
    Revision other = MakeRevision(b, edited, "create");
    EXPECT_EQ(tx->AddRevision(other), 1);  // numbers are per asset
    // The transaction reads its own writes.
    EXPECT_EQ(tx->Head(a), (RevisionHead{2, 0}));
    tx->Commit();
  }
  EXPECT_EQ(store_->Head(a), (RevisionHead{2, 0}));
  const std::optional<Revision> latest = store_->GetRevision(a, 0);
  ASSERT_TRUE(latest && latest->asset);
  EXPECT_EQ(latest->number, 2);
  EXPECT_EQ(latest->author, "alice");
  EXPECT_EQ(latest->note, "edit");
  EXPECT_EQ(latest->at, Instant{1'700'000'000});
  EXPECT_EQ(latest->asset->translations.at("en-GB").title, "One, edited");
  const std::optional<Revision> first = store_->GetRevision(a, 1);
  ASSERT_TRUE(first && first->asset);
  EXPECT_EQ(*first->asset, one);  // exactly as saved
  EXPECT_FALSE(store_->GetRevision(a, 3));
  EXPECT_FALSE(store_->GetRevision(999, 0));

  const std::vector<Revision> listed = store_->Revisions(a);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].number, 2);  // newest first
  EXPECT_EQ(listed[1].number, 1);
  EXPECT_FALSE(listed[0].asset);  // listings leave the content out
}

TEST_P(RevisionsConformance, RevisionsAreNotChangesAndDoNotTouchTheStoredRow) {
  const Asset published = MakeAsset("Public", content::Status::kPublished, "2024-01-01T10:00:00Z");
  const int64_t id = PutOne(published);
  const int64_t before = store_->LastChange();
  Asset edited = published;
  edited.translations["en-GB"].title = "Secret edit";
  {
    auto tx = store_->Begin();
    Revision r = MakeRevision(id, edited, "edit");
    tx->AddRevision(r);
    tx->Commit();
  }
  EXPECT_EQ(store_->LastChange(), before);
  EXPECT_EQ(store_->Get(id)->translations.at("en-GB").title, "Public");
}

TEST_P(RevisionsConformance, LiveRevisionMovesOnlyToAnExistingRevision) {
  const int64_t id = PutOne(MakeAsset("A", content::Status::kDraft, "2024-01-01T10:00:00Z"));
  auto tx = store_->Begin();
  EXPECT_THROW(tx->SetLiveRevision(id, 1), Error);
  Revision r = MakeRevision(id, *tx->Get(id), "create");
  tx->AddRevision(r);
  tx->SetLiveRevision(id, 1);
  EXPECT_EQ(tx->Head(id), (RevisionHead{1, 1}));
  tx->Commit();
  EXPECT_EQ(store_->Head(id), (RevisionHead{1, 1}));
}

TEST_P(RevisionsConformance, ARevisionNeedsAnExistingAsset) {
  auto tx = store_->Begin();
  Revision r =
      MakeRevision(42, MakeAsset("A", content::Status::kDraft, "2024-01-01T10:00:00Z"), "create");
  try {
    tx->AddRevision(r);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

TEST_P(RevisionsConformance, DeletingAnAssetDeletesItsHistory) {
  const Asset asset = MakeAsset("Doomed", content::Status::kDraft, "2024-01-01T10:00:00Z");
  const int64_t id = PutOne(asset);
  {
    auto tx = store_->Begin();
    Revision r = MakeRevision(id, asset, "create");
    tx->AddRevision(r);
    tx->SetLiveRevision(id, 1);
    tx->Commit();
  }
  {
    auto tx = store_->Begin();
    tx->Delete(id);
    tx->Commit();
  }
  EXPECT_EQ(store_->Head(id), (RevisionHead{0, 0}));
  EXPECT_TRUE(store_->Revisions(id).empty());
  // The id may be given out again: the new asset starts a history of its own.
  const int64_t again = PutOne(MakeAsset("Next", content::Status::kDraft, "2024-01-01T10:00:00Z"));
  EXPECT_EQ(store_->Head(again), (RevisionHead{0, 0}));
}

TEST_P(RevisionsConformance, ScheduledListsTheEarliestScheduledAssetsFirst) {
  const int64_t late =
      PutOne(MakeAsset("Late", content::Status::kScheduled, "2030-01-01T10:00:05Z"));
  const int64_t early =
      PutOne(MakeAsset("Early", content::Status::kScheduled, "2030-01-01T10:00:01Z"));
  PutOne(MakeAsset("Draft", content::Status::kDraft, "2029-01-01T00:00:00Z"));
  PutOne(MakeAsset("Public", content::Status::kPublished, "2029-01-01T00:00:00Z"));
  const int64_t tie = PutOne(MakeAsset("Tie", content::Status::kScheduled, "2030-01-01T10:00:01Z"));
  EXPECT_THAT(store_->Scheduled(10), ElementsAre(Pair(early, ParseIso8601("2030-01-01T10:00:01Z")),
                                                 Pair(tie, ParseIso8601("2030-01-01T10:00:01Z")),
                                                 Pair(late, ParseIso8601("2030-01-01T10:00:05Z"))));
  EXPECT_EQ(store_->Scheduled(1).size(), 1u);
  EXPECT_TRUE(store_->Scheduled(0).empty());
  auto tx = store_->Begin();
  EXPECT_EQ(tx->Scheduled(10).size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Backends, RevisionsConformance,
                         ::testing::ValuesIn(conformance::kBackends), conformance::BackendName);

}  // namespace
}  // namespace assetpub::store
