// The media part of the Store contract (store.h: Asset::media with the asset, MediaRecord and the
// library methods), run against every backend like store_conformance_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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

TEST_P(MediaConformance, OnlyAPublishedAssetsFilesArePublic) {
  const std::string a(64, 'a');
  const std::string b(64, 'b');
  EXPECT_FALSE(store_->IsPublicMedia(a));  // attached to nothing
  Asset draft = MakeAsset("Embargoed", "embargoed");
  draft.status = content::Status::kScheduled;
  draft.media = {File('a', "application/pdf", "statement.pdf")};
  const int64_t draft_id = PutOne(draft);
  draft.id = draft_id;
  EXPECT_FALSE(store_->IsPublicMedia(a));
  Asset archived = MakeAsset("Taken down", "taken-down");
  archived.status = content::Status::kArchived;
  archived.media = {File('b', "image/png", "b.png")};
  PutOne(archived);
  EXPECT_FALSE(store_->IsPublicMedia(b));
  // Published: its files are public; one more published item keeps a file public after the
  // first is unpublished.
  draft.status = content::Status::kPublished;
  PutOne(draft);
  EXPECT_TRUE(store_->IsPublicMedia(a));
  EXPECT_FALSE(store_->IsPublicMedia(b));
  Asset other = MakeAsset("Also with it", "also-with-it");
  other.media = {File('a', "application/pdf", "statement.pdf")};
  const int64_t other_id = PutOne(other);
  draft.status = content::Status::kArchived;
  PutOne(draft);
  EXPECT_TRUE(store_->IsPublicMedia(a));
  {
    auto tx = store_->Begin();
    tx->Delete(other_id);
    tx->Commit();
  }
  EXPECT_FALSE(store_->IsPublicMedia(a));
  EXPECT_FALSE(store_->IsPublicMedia("not a hash"));
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

// --- Media bytes (Store::PutBlob, FindBlob, ReadBlob) ------------------------------------------

// Byte `i` of a test blob: every byte value, NUL among them, and no run that would hide a chunk
// written twice or out of order.
char BlobByte(int64_t i) {
  return static_cast<char>((static_cast<uint64_t>(i) * 2654435761U) >> 13);
}

// A source of `size` BlobBytes that hands over at most `step` bytes a call (less than asked, as a
// pipe does) and counts its calls; it holds no more of the blob than one call's bytes.
struct GeneratedSource {
  int64_t size = 0;
  size_t step = kBlobChunkBytes;
  int64_t at = 0;
  int calls = 0;
  BlobSource Source() {
    return [this](char* buffer, size_t capacity) {
      ++calls;
      const size_t n = static_cast<size_t>(std::min<int64_t>(
          {size - at, static_cast<int64_t>(capacity), static_cast<int64_t>(step)}));
      for (size_t i = 0; i < n; ++i) buffer[i] = BlobByte(at + static_cast<int64_t>(i));
      at += static_cast<int64_t>(n);
      return n;
    };
  }
};

// What a ReadBlob delivered: the chunks' sizes, and whether every byte was the expected one.
struct CheckingSink {
  std::vector<size_t> chunks;
  int64_t at = 0;
  bool bytes_match = true;
  BlobSink Sink() {
    return [this](std::string_view chunk) {
      chunks.push_back(chunk.size());
      for (char c : chunk) bytes_match = bytes_match && c == BlobByte(at++);
    };
  }
};

const BlobInfo kFiveHundredK{500'000, std::string(64, 'f')};

// Bytes the process has taken from malloc (every arena, and mmapped blocks): what a store
// holds of a blob, whichever library (SQLite, libpq, ours) allocated it. 0 under a sanitizer's
// allocator, where the memory test below proves nothing and passes.
int64_t HeapInUse() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
}

TEST_P(MediaConformance, ABlobOfManyChunksReadsBackByteForByteInWholeChunks) {
  const int64_t size = 2 * static_cast<int64_t>(kBlobChunkBytes) + 12'345;  // three chunks
  GeneratedSource source{size, /*step=*/10'000};
  const BlobInfo info{size, std::string(64, 'a')};
  EXPECT_TRUE(store_->PutBlob("ab/blob.png", info, source.Source()));
  EXPECT_EQ(source.at, size);
  EXPECT_EQ(store_->FindBlob("ab/blob.png"), info);

  CheckingSink sink;
  EXPECT_EQ(store_->ReadBlob("ab/blob.png", sink.Sink()), info);
  // Short reads from the source still make whole chunks: only the last is shorter.
  EXPECT_THAT(sink.chunks, ElementsAre(kBlobChunkBytes, kBlobChunkBytes, 12'345U));
  EXPECT_EQ(sink.at, size);
  EXPECT_TRUE(sink.bytes_match);
  // Blobs are not content: no change in the log.
  EXPECT_EQ(store_->LastChange(), 0);
}

TEST_P(MediaConformance, ReadingABlobHoldsOneChunkAtATimeNotTheWholeBlob) {
  const int64_t size = 16 * 1024 * 1024;
  GeneratedSource source{size};
  size_t most_asked = 0;
  BlobSource measured = [&, inner = source.Source()](char* buffer, size_t capacity) {
    most_asked = std::max(most_asked, capacity);
    return inner(buffer, capacity);
  };
  ASSERT_TRUE(store_->PutBlob("cd/large.mp4", {size, std::string(64, 'b')}, measured));
  EXPECT_LE(most_asked, kBlobChunkBytes);

  // The first read may fill the backend's own bounded caches (SQLite keeps up to 32 MiB of pages
  // per connection); the second is measured. Holding the blob whole would be 16 MiB more.
  EXPECT_TRUE(store_->ReadBlob("cd/large.mp4", [](std::string_view) {}));
  CheckingSink sink;
  const BlobSink inner = sink.Sink();
  const int64_t before = HeapInUse();
  int64_t most = before;
  ASSERT_TRUE(store_->ReadBlob("cd/large.mp4", [&](std::string_view chunk) {
    most = std::max(most, HeapInUse());
    inner(chunk);
  }));
  EXPECT_LT(most - before, 4 * 1024 * 1024);
  EXPECT_EQ(sink.at, size);
  EXPECT_TRUE(sink.bytes_match);
  EXPECT_EQ(sink.chunks.size(), static_cast<size_t>(size) / kBlobChunkBytes);
}

TEST_P(MediaConformance, AStoredKeyIsNotWrittenAgainNorItsSourceRead) {
  GeneratedSource first{kFiveHundredK.size};
  EXPECT_TRUE(store_->PutBlob("ab/same.pdf", kFiveHundredK, first.Source()));
  GeneratedSource second{kFiveHundredK.size};
  EXPECT_FALSE(store_->PutBlob("ab/same.pdf", {1, std::string(64, '0')}, second.Source()));
  EXPECT_EQ(second.calls, 0);
  EXPECT_EQ(store_->FindBlob("ab/same.pdf"), kFiveHundredK);
  // Another process (node) on the same database sees it, and does not write it either.
  auto other = Open(dir_);
  CheckingSink sink;
  EXPECT_EQ(other->ReadBlob("ab/same.pdf", sink.Sink()), kFiveHundredK);
  EXPECT_TRUE(sink.bytes_match);
  EXPECT_EQ(sink.at, kFiveHundredK.size);
  EXPECT_FALSE(other->PutBlob("ab/same.pdf", kFiveHundredK, second.Source()));
  EXPECT_EQ(second.calls, 0);
}

TEST_P(MediaConformance, AFailedBlobWriteLeavesNothing) {
  const auto expect_refused = [&](const BlobInfo& info, const BlobSource& source, ErrorCode code) {
    try {
      store_->PutBlob("ab/broken.png", info, source);
      ADD_FAILURE() << "stored a blob of " << info.size << " declared bytes";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code) << e.what();
    }
    EXPECT_FALSE(store_->FindBlob("ab/broken.png"));
    int calls = 0;
    EXPECT_FALSE(store_->ReadBlob("ab/broken.png", [&](std::string_view) { ++calls; }));
    EXPECT_EQ(calls, 0);
  };
  // Fewer bytes than declared, and more (found a chunk past the first).
  GeneratedSource short_source{kFiveHundredK.size - 1};
  expect_refused(kFiveHundredK, short_source.Source(), ErrorCode::kInvalidInput);
  GeneratedSource long_source{kFiveHundredK.size + 1};
  expect_refused(kFiveHundredK, long_source.Source(), ErrorCode::kInvalidInput);
  // A source that fails part-way (a disk error): its error passes through.
  GeneratedSource failing{kFiveHundredK.size};
  expect_refused(
      kFiveHundredK,
      [&, inner = failing.Source()](char* buffer, size_t capacity) {
        if (failing.at >= static_cast<int64_t>(kBlobChunkBytes)) {
          throw Error(ErrorCode::kUnavailable, "disk gone");
        }
        return inner(buffer, capacity);
      },
      ErrorCode::kUnavailable);
  EXPECT_THROW(store_->PutBlob("", {0, ""}, [](char*, size_t) { return size_t{0}; }), Error);
  // The key is free for a good write afterwards.
  GeneratedSource good{kFiveHundredK.size};
  EXPECT_TRUE(store_->PutBlob("ab/broken.png", kFiveHundredK, good.Source()));
}

TEST_P(MediaConformance, AnEmptyBlobHasNoChunksAndAMissingOneIsNullopt) {
  const BlobInfo empty{0, std::string(64, 'e')};
  EXPECT_TRUE(store_->PutBlob("ee/empty.txt", empty, [](char*, size_t) { return size_t{0}; }));
  int calls = 0;
  EXPECT_EQ(store_->ReadBlob("ee/empty.txt", [&](std::string_view) { ++calls; }), empty);
  EXPECT_EQ(calls, 0);
  EXPECT_FALSE(store_->FindBlob("ee/missing.txt"));
  EXPECT_FALSE(store_->ReadBlob("ee/missing.txt", [&](std::string_view) { ++calls; }));
  EXPECT_EQ(calls, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, MediaConformance, ::testing::ValuesIn(conformance::kBackends),
                         conformance::BackendName);

}  // namespace
}  // namespace assetpub::store
