// MediaStore on a real folder and a real store (SQLite) with real libmagic and libvips: the type
// comes from the bytes, not the name; names are display text only; identical bytes are one file;
// Open() serves only what matches the content-addressed pattern. And the folder is a cache of the
// store: another node's folder fills itself from the store, verified, and a damaged cached file
// is replaced. (The same on PostgreSQL: tests/integration/postgres_integration_test.cpp.)
#include "media/media_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vips/vips8>

#include "store/store.h"
#include "support/temp_dir.h"

namespace assetpub::media {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// An encoded image made by libvips (MediaStore has started it by the time a test calls this:
// each test first constructs a MediaStore, and VIPS_INIT is also safe to repeat).
std::string MakeImage(int width, int height, const char* suffix) {
  if (VIPS_INIT("media_test") != 0) ADD_FAILURE() << "libvips failed to start";
  vips::VImage image =
      vips::VImage::black(width, height, vips::VImage::option()->set("bands", 3)) + 90;
  void* buffer = nullptr;
  size_t size = 0;
  image.cast(VIPS_FORMAT_UCHAR).write_to_buffer(suffix, &buffer, &size);
  std::string bytes(static_cast<const char*>(buffer), size);
  g_free(buffer);
  return bytes;
}

const std::string kPdf =
    "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const std::string kHtml =
    "<!DOCTYPE html>\n<html><head><title>x</title></head><body><script>alert(1)</script>"
    "</body></html>\n";
const std::string kSvg =
    "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" "
    "height=\"10\"><script>alert(1)</script></svg>\n";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every regular file under `dir`, relative to it.
std::vector<std::string> FilesUnder(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) out.push_back(fs::relative(entry.path(), dir).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Rejection ReasonOf(const MediaStore& store, const std::string& bytes, const std::string& name,
                   std::string* message = nullptr) {
  try {
    store.Put(bytes, name);
  } catch (const RejectedFile& e) {
    if (message != nullptr) *message = e.what();
    return e.reason();
  }
  ADD_FAILURE() << name << " was accepted";
  return Rejection::kEmpty;
}

class MediaStoreTest : public ::testing::Test {
 protected:
  const assetpub::testing::TempDir temp_{"assetpub-media-"};
  const fs::path root_ = temp_.path() / "media";
  const std::unique_ptr<store::Store> db_ =
      store::OpenStore("sqlite:" + (temp_.path() / "assetpub.db").string());
  MediaStore store_{root_, *db_};
  // Another node: its own folder, the same database.
  const fs::path other_root_ = temp_.path() / "other-node";
  MediaStore other_{other_root_, *db_};
};

TEST_F(MediaStoreTest, APdfIsStoredUnderItsHash) {
  const content::MediaFile file = store_.Put(kPdf, "Report 2013.pdf");
  EXPECT_EQ(file.type, "application/pdf");
  EXPECT_EQ(file.name, "Report 2013.pdf");
  EXPECT_EQ(file.bytes, static_cast<int64_t>(kPdf.size()));
  EXPECT_EQ(file.hash, Sha256Hex(kPdf));
  EXPECT_EQ(file.hash.size(), 64u);
  EXPECT_EQ(file.width, 0);
  const std::string relative = RelativePath(file.hash, file.type);
  EXPECT_EQ(relative, file.hash.substr(0, 2) + "/" + file.hash + ".pdf");
  EXPECT_EQ(ReadFile(root_ / relative), kPdf);
  EXPECT_EQ(FilesUnder(root_), std::vector<std::string>{relative});  // no temporary left over
}

TEST_F(MediaStoreTest, Sha256IsTheStandardOne) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(MediaStoreTest, TheTypeComesFromTheBytesNotTheName) {
  std::string message;
  EXPECT_EQ(ReasonOf(store_, kPdf, "photo.jpg", &message), Rejection::kExtensionMismatch);
  EXPECT_THAT(message, HasSubstr("PDF"));
  EXPECT_THAT(message, HasSubstr("photo.jpg"));
  EXPECT_EQ(ReasonOf(store_, kHtml, "image.png", &message), Rejection::kTypeNotAllowed);
  EXPECT_THAT(message, HasSubstr("text/html"));
  EXPECT_EQ(ReasonOf(store_, kSvg, "logo.svg"), Rejection::kTypeNotAllowed);
  EXPECT_EQ(ReasonOf(store_, "just some words\n", "notes.txt"), Rejection::kTypeNotAllowed);
  EXPECT_EQ(ReasonOf(store_, MakeImage(20, 10, ".png"), "picture.jpg"),
            Rejection::kExtensionMismatch);
  EXPECT_EQ(ReasonOf(store_, kPdf, "no-extension"), Rejection::kExtensionMismatch);
  EXPECT_EQ(ReasonOf(store_, "", "empty.pdf"), Rejection::kEmpty);
  // Nothing was written for any of them.
  EXPECT_TRUE(FilesUnder(root_).empty());
  // Extensions compare without case, and a type's other extensions count.
  EXPECT_EQ(store_.Put(kPdf, "REPORT.PDF").type, "application/pdf");
  EXPECT_EQ(store_.Put(MakeImage(20, 10, ".jpg"), "a.JPEG").type, "image/jpeg");
}

TEST_F(MediaStoreTest, ImagesGetAThumbnail320PixelsWide) {
  for (const char* suffix : {".png", ".jpg", ".webp", ".gif"}) {
    SCOPED_TRACE(suffix);
    const std::string bytes = MakeImage(800, 600, suffix);
    const content::MediaFile file = store_.Put(bytes, std::string("big") + suffix);
    EXPECT_TRUE(content::IsImageType(file.type)) << file.type;
    EXPECT_EQ(file.width, 800);
    EXPECT_EQ(file.height, 600);
    const std::string thumb = ReadFile(root_ / ThumbnailPath(file.hash));
    ASSERT_FALSE(thumb.empty());
    vips::VImage image = vips::VImage::new_from_buffer(thumb.data(), thumb.size(), "");
    EXPECT_EQ(image.width(), kThumbnailWidth);
    EXPECT_EQ(image.height(), 240);
    EXPECT_EQ(DetectType(thumb), "image/jpeg");
  }
  // A small image is not enlarged.
  const content::MediaFile small = store_.Put(MakeImage(100, 50, ".png"), "small.png");
  const std::string thumb = ReadFile(root_ / ThumbnailPath(small.hash));
  EXPECT_EQ(vips::VImage::new_from_buffer(thumb.data(), thumb.size(), "").width(), 100);
  // A PDF has none.
  const content::MediaFile pdf = store_.Put(kPdf, "a.pdf");
  EXPECT_FALSE(fs::exists(root_ / ThumbnailPath(pdf.hash)));
}

TEST_F(MediaStoreTest, ABrokenImageIsRefused) {
  std::string png = MakeImage(200, 200, ".png");
  png.resize(60);  // the signature and header survive, the pixels do not
  EXPECT_EQ(DetectType(png), "image/png");
  EXPECT_EQ(ReasonOf(store_, png, "broken.png"), Rejection::kUndecodable);
  EXPECT_TRUE(FilesUnder(root_).empty());
}

TEST_F(MediaStoreTest, IdenticalBytesAreStoredOnce) {
  const std::string bytes = MakeImage(64, 64, ".png");
  const content::MediaFile first = store_.Put(bytes, "one.png");
  const auto written = fs::last_write_time(root_ / RelativePath(first.hash, first.type));
  const content::MediaFile second = store_.Put(bytes, "two.png");
  EXPECT_EQ(first.hash, second.hash);
  EXPECT_EQ(second.name, "two.png");
  EXPECT_EQ(FilesUnder(root_).size(), 2u);  // the file and its thumbnail
  EXPECT_EQ(fs::last_write_time(root_ / RelativePath(first.hash, first.type)), written);
}

TEST_F(MediaStoreTest, NamesAreDisplayTextAndCannotEscape) {
  const fs::path outside = temp_.path() / "passwd.pdf";
  for (const char* name : {"../passwd.pdf", "../../../../../../tmp/passwd.pdf", "/etc/passwd.pdf",
                           "..\\..\\passwd.pdf", "C:\\x\\passwd.pdf"}) {
    const content::MediaFile file = store_.Put(kPdf, name);
    EXPECT_EQ(file.name, "passwd.pdf") << name;
  }
  EXPECT_FALSE(fs::exists(outside));
  EXPECT_FALSE(fs::exists("/tmp/passwd.pdf"));
  EXPECT_EQ(FilesUnder(root_),
            std::vector<std::string>{RelativePath(Sha256Hex(kPdf), "application/pdf")});
  EXPECT_EQ(ReasonOf(store_, kPdf, std::string("a\0b.pdf", 7)), Rejection::kBadName);
  EXPECT_EQ(ReasonOf(store_, kPdf, "../"), Rejection::kBadName);
  EXPECT_EQ(ReasonOf(store_, kPdf, ".."), Rejection::kBadName);
  EXPECT_EQ(ReasonOf(store_, kPdf, "line\nbreak.pdf"), Rejection::kBadName);
}

TEST_F(MediaStoreTest, OpenAcceptsOnlyTheContentAddressedPattern) {
  const content::MediaFile pdf = store_.Put(kPdf, "a.pdf");
  const content::MediaFile png = store_.Put(MakeImage(400, 300, ".png"), "b.png");
  const auto opened = store_.Open(RelativePath(pdf.hash, pdf.type));
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->type, "application/pdf");
  EXPECT_EQ(opened->hash, pdf.hash);
  EXPECT_EQ(opened->size, kPdf.size());
  const auto thumb = store_.Open(ThumbnailPath(png.hash));
  ASSERT_TRUE(thumb);
  EXPECT_EQ(thumb->type, "image/jpeg");
  EXPECT_EQ(thumb->hash, png.hash);
  EXPECT_EQ(store_.Open(RelativePath(png.hash, png.type))->type, "image/png");

  const std::string h = pdf.hash;
  std::string upper = h;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  fs::create_directories(root_ / "zz");
  std::ofstream(root_ / "zz" / "evil.html") << "<script>";
  for (const std::string& bad :
       {h.substr(0, 2) + "/" + h + ".jpg",  // stored as .pdf: no such file
        h.substr(0, 2) + "/" + h + ".html", upper.substr(0, 2) + "/" + upper + ".pdf",
        "00/" + h + ".pdf",  // wrong folder
        h.substr(0, 2) + "/" + h.substr(0, 63) + ".pdf", h.substr(0, 2) + "/" + h + "x.pdf",
        h.substr(0, 2) + "/" + h + "-320.png", h.substr(0, 2) + "/" + h + "-320.jpg",  // no thumb
        "../" + h.substr(0, 2) + "/" + h + ".pdf", h.substr(0, 2) + "/../" + h + ".pdf",
        "/" + h.substr(0, 2) + "/" + h + ".pdf", h.substr(0, 2) + "//" + h + ".pdf",
        h.substr(0, 2) + "/" + h + ".pdf/", std::string("zz/evil.html"), std::string(""),
        h.substr(0, 2) + "/" + h + std::string(".pdf\0", 5)}) {
    EXPECT_FALSE(store_.Open(bad)) << bad;
  }
}

// The bytes of blob `key` in `db`, or "<none>".
std::string BlobBytes(store::Store& db, const std::string& key) {
  std::string out;
  if (!db.ReadBlob(key, [&](std::string_view chunk) { out += chunk; })) return "<none>";
  return out;
}

TEST_F(MediaStoreTest, PutKeepsTheBytesAndTheThumbnailsInTheStore) {
  const std::string bytes = MakeImage(800, 600, ".png");
  const content::MediaFile file = store_.Put(bytes, "map.png");
  const std::string relative = RelativePath(file.hash, file.type);
  EXPECT_EQ(BlobBytes(*db_, relative), bytes);
  EXPECT_EQ(db_->FindBlob(relative)->sha256, file.hash);
  const std::string thumb = ReadFile(root_ / ThumbnailPath(file.hash));
  EXPECT_EQ(BlobBytes(*db_, ThumbnailPath(file.hash)), thumb);
  EXPECT_EQ(db_->FindBlob(ThumbnailPath(file.hash))->sha256, Sha256Hex(thumb));
  // A refused file leaves nothing in the store either.
  ReasonOf(store_, kPdf, "photo.jpg");
  EXPECT_FALSE(db_->FindBlob(RelativePath(Sha256Hex(kPdf), "application/pdf")));
}

TEST_F(MediaStoreTest, AnotherNodeFillsItsCacheFromTheStore) {
  const std::string png = MakeImage(800, 600, ".png");
  const content::MediaFile image = store_.Put(png, "map.png");
  // More than one chunk of the store (256 KiB).
  const std::string big_pdf = kPdf + "%" + std::string(700'000, 'x') + "\n";
  const content::MediaFile pdf = store_.Put(big_pdf, "big.pdf");
  EXPECT_FALSE(fs::exists(other_root_ / RelativePath(image.hash, image.type)));

  for (const auto& [relative, bytes, type] :
       {std::tuple{RelativePath(image.hash, image.type), png, "image/png"},
        std::tuple{ThumbnailPath(image.hash), ReadFile(root_ / ThumbnailPath(image.hash)),
                   "image/jpeg"},
        std::tuple{RelativePath(pdf.hash, pdf.type), big_pdf, "application/pdf"}}) {
    SCOPED_TRACE(relative);
    const auto opened = other_.Open(relative);
    ASSERT_TRUE(opened);
    EXPECT_EQ(opened->path, fs::absolute(other_root_) / relative);
    EXPECT_EQ(opened->size, bytes.size());
    EXPECT_EQ(opened->type, type);
    EXPECT_EQ(ReadFile(opened->path), bytes);
  }
  // The files and nothing else (no temporary left over).
  EXPECT_EQ(FilesUnder(other_root_), FilesUnder(root_));
  // What neither has is not found, and leaves no folder behind.
  const std::string missing = std::string(64, 'e');
  EXPECT_FALSE(other_.Open(RelativePath(missing, "application/pdf")));
  EXPECT_FALSE(fs::exists(other_root_ / "ee"));
}

TEST_F(MediaStoreTest, ADamagedCachedFileIsReplacedFromTheStore) {
  const std::string png = MakeImage(400, 300, ".png");
  const content::MediaFile file = store_.Put(png, "map.png");
  const std::string thumb = ReadFile(root_ / ThumbnailPath(file.hash));
  for (const std::string& relative :
       {RelativePath(file.hash, file.type), ThumbnailPath(file.hash)}) {
    SCOPED_TRACE(relative);
    const std::string bytes = ReadFile(root_ / relative);
    ASSERT_TRUE(store_.Open(relative));  // verified once and remembered
    std::ofstream(root_ / relative, std::ios::binary | std::ios::trunc) << "damaged";
    const auto opened = store_.Open(relative);
    ASSERT_TRUE(opened);
    EXPECT_EQ(ReadFile(opened->path), bytes);
    // Damaged before this object ever saw it (another process's, a restart): the same.
    fs::create_directories((other_root_ / relative).parent_path());
    std::ofstream(other_root_ / relative, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    MediaStore restarted(other_root_, *db_);
    ASSERT_TRUE(restarted.Open(relative));
    EXPECT_EQ(ReadFile(other_root_ / relative), bytes);
  }
}

TEST_F(MediaStoreTest, StoredBytesThatAreNotTheFileAreNeverServed) {
  // A blob under a file's name whose bytes are something else (a damaged database row).
  const std::string hash = Sha256Hex(kPdf);
  const std::string relative = RelativePath(hash, "application/pdf");
  const std::string other = "%PDF-1.4\nnot the same bytes\n";
  ASSERT_TRUE(db_->PutBlob(relative, {static_cast<int64_t>(other.size()), hash},
                           [&, done = false](char* buffer, size_t) mutable {
                             if (std::exchange(done, true)) return size_t{0};
                             other.copy(buffer, other.size());
                             return other.size();
                           }));
  try {
    other_.Open(relative);
    ADD_FAILURE() << "served bytes whose hash is not their name";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
  }
  EXPECT_TRUE(FilesUnder(other_root_).empty());
}

TEST_F(MediaStoreTest, AFileOnlyInTheCacheIsServedAndCopiedIntoTheStore) {
  // A library from before the store kept bytes: the file is on this node's disk alone.
  const std::string relative = RelativePath(Sha256Hex(kPdf), "application/pdf");
  fs::create_directories((root_ / relative).parent_path());
  std::ofstream(root_ / relative, std::ios::binary) << kPdf;
  ASSERT_TRUE(store_.Open(relative));
  EXPECT_EQ(BlobBytes(*db_, relative), kPdf);
  const auto elsewhere = other_.Open(relative);
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(ReadFile(elsewhere->path), kPdf);
  // Not a file whose bytes are not its name, though.
  const std::string wrong = RelativePath(std::string(64, 'a'), "application/pdf");
  fs::create_directories((root_ / wrong).parent_path());
  std::ofstream(root_ / wrong, std::ios::binary) << kPdf;
  EXPECT_FALSE(store_.Open(wrong));
  EXPECT_FALSE(db_->FindBlob(wrong));
  EXPECT_FALSE(fs::exists(root_ / wrong));
}

}  // namespace
}  // namespace assetpub::media
