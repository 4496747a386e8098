// The media part of the Store contract (store.h: Asset::media with the asset, MediaRecord and the
// library methods), run against every backend like store_conformance_test.cpp.
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
using content::MediaFile;
using ::testing::ElementsAre;

MediaFile File(char digit, const std::string& type, const std::string& name) {
  MediaFile m;
  m.hash = std::string(64, digit);
  m.type = type;
  m.name = name;
  m.bytes = 1000 + digit;
  if (type.starts_with("image/")) {
    m.width = 640;
    m.height = 480;
  }
  return m;
}

Asset MakeAsset(const std::string& title, const std::string& slug) {
  Asset a;
  a.kind = content::Kind::kPhoto;
  a.status = content::Status::kPublished;
  a.published_at = content::ParseIso8601("2024-03-01T10:00:00Z");
  a.languages = {"en-GB"};
  content::Translation en;
  en.language = "en-GB";
  en.title = title;
  en.slug = slug;
  en.blocks = {content::Block::Paragraph("Body of " + title)};
  a.translations["en-GB"] = en;
  return a;
}

MediaRecord Record(char digit, int64_t at, const std::string& by = "editor1") {
  MediaRecord r;
  r.file = File(digit, "image/png", std::string("file-") + digit + ".png");
  r.uploaded_at = Instant{at};
  r.uploaded_by = by;
  return r;
}

class MediaConformance : public conformance::StoreTest {};

TEST_P(MediaConformance, AttachedFilesComeBackWithTheAssetInOrder) {
  Asset a = MakeAsset("Gallery", "gallery");
  a.media = {File('b', "image/jpeg", "Талks <1>.jpg"), File('a', "application/pdf", "report.pdf")};
  a.media[0].caption = "The ministers' \"handshake\"";
  const int64_t id = PutOne(a);
  a.id = id;
  EXPECT_EQ(store_->Get(id), a);
  // Through a transaction, lists (with and without bodies) and ForEach too.
  EXPECT_EQ(store_->Begin()->Get(id), a);
  Selection selection;
  selection.language = "en";
  selection.with_bodies = false;
  const ListPage page = store_->Select(selection);
  ASSERT_EQ(page.assets.size(), 1u);
  EXPECT_EQ(page.assets[0].media, a.media);
  int visited = 0;
  store_->ForEach([&](const Asset& each) {
    EXPECT_EQ(each.media, a.media);
    ++visited;
  });
  EXPECT_EQ(visited, 1);
}

TEST_P(MediaConformance, PutReplacesTheFilesAndDeleteRemovesThem) {
  Asset a = MakeAsset("Gallery", "gallery");
  a.media = {File('a', "image/png", "a.png"), File('b', "image/png", "b.png"),
             File('c', "video/mp4", "c.mp4")};
  const int64_t id = PutOne(a);
  a.id = id;
  a.media = {File('c', "video/mp4", "c.mp4")};
  PutOne(a);
  EXPECT_EQ(store_->Get(id)->media, a.media);
  a.media.clear();
  PutOne(a);
  EXPECT_TRUE(store_->Get(id)->media.empty());
  a.media = {File('d', "audio/mpeg", "d.mp3")};
  PutOne(a);
  {
    auto tx = store_->Begin();
    tx->Delete(id);
    tx->Commit();
  }
  EXPECT_FALSE(store_->Get(id));
  // A new asset under the same id starts with no files.
  a.media.clear();
  PutOne(a);
  EXPECT_TRUE(store_->Get(id)->media.empty());
}

TEST_P(MediaConformance, RevisionsKeepTheFiles) {
  Asset a = MakeAsset("Gallery", "gallery");
  a.media = {File('e', "image/gif", "e.gif")};
  const int64_t id = PutOne(a);
  a.id = id;
  auto tx = store_->Begin();
  Revision r;
  r.asset_id = id;
  r.at = Instant{1'700'000'000};
  r.author = "alice";
  r.note = "attach";
  r.asset = a;
  tx->AddRevision(r);
  tx->Commit();
  EXPECT_EQ(store_->GetRevision(id, 0)->asset->media, a.media);
}

TEST_P(MediaConformance, TheLibraryKeepsOneRecordPerHash) {
  EXPECT_FALSE(store_->FindMedia(std::string(64, 'a')));
  EXPECT_TRUE(store_->AddMedia(Record('a', 100, "first")));
  // The same bytes uploaded again (another name, another uploader): the first record stays.
  MediaRecord again = Record('a', 200, "second");
  again.file.name = "copy.png";
  EXPECT_FALSE(store_->AddMedia(again));
  const auto found = store_->FindMedia(std::string(64, 'a'));
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, Record('a', 100, "first"));
  EXPECT_EQ(store_->ListMedia(0, 10).total, 1);
  // Adding to the library is not a content change.
  EXPECT_EQ(store_->LastChange(), 0);
}

TEST_P(MediaConformance, TheLibraryListsNewestFirstInPages) {
  store_->AddMedia(Record('1', 100));
  store_->AddMedia(Record('2', 300));
  store_->AddMedia(Record('3', 200));
  store_->AddMedia(Record('4', 300));  // same second as '2', added later: first
  const auto hashes = [](const MediaPage& page) {
    std::vector<char> out;
    for (const auto& r : page.files) out.push_back(r.file.hash[0]);
    return out;
  };
  const MediaPage first = store_->ListMedia(0, 2);
  EXPECT_EQ(first.total, 4);
  EXPECT_THAT(hashes(first), ElementsAre('4', '2'));
  EXPECT_THAT(hashes(store_->ListMedia(2, 2)), ElementsAre('3', '1'));
  EXPECT_TRUE(store_->ListMedia(4, 2).files.empty());
  EXPECT_THROW(store_->ListMedia(0, 0), Error);
  EXPECT_THROW(store_->ListMedia(-1, 10), Error);
  EXPECT_THROW(store_->ListMedia(0, 1001), Error);
}

INSTANTIATE_TEST_SUITE_P(Backends, MediaConformance, ::testing::ValuesIn(conformance::kBackends),
                         conformance::BackendName);

}  // namespace
}  // namespace assetpub::store
