#pragma once
// MediaStore keeps the media library's files, content-addressed: a file's only name is the
// SHA-256 of its bytes, "ab/abcdef…(64 hex).ext", and an image's thumbnail sits beside it as
// "ab/<hash>-320.jpg". The name an uploader gives is display text only and never part of a path.
// The type is what the bytes are (libmagic), never what the name claims; only the allow-list of
// content::MediaTypes() is accepted (no SVG, no HTML).
//
// The bytes live in the store (store::Store::PutBlob, under the relative path), which every node
// on one database shares; the folder (DATA/media) is this node's cache of them, filled on first
// request and verified by hash: an original against its name, a thumbnail against the SHA-256
// the store keeps of the thumbnail's own bytes (a thumbnail is made once, by the node that took
// the upload, so every node serves those very bytes). A cached file is hashed the first time
// this object serves it (again when its size, time or inode change); one that does not match is
// discarded and fetched again. So an upload through one node downloads from any other.
//
// Thread-safety: Put and Open may be called from many threads at once (libmagic behind a lock;
// files are written to a temporary name and renamed into place, so a reader sees a whole file or
// none, and two uploads or fetches of the same bytes both end with the one file).

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "content/asset.h"
#include "core/error.h"
#include "store/store.h"

namespace assetpub::media {

// Why Put refused a file. Every refusal is an Error(kInvalidInput) whose message says what
// is wrong for a person ("the bytes are a PDF document (application/pdf), not …").
enum class Rejection {
  kEmpty,              // no bytes
  kBadName,            // the display name is unusable (content::IsValidMediaName)
  kTypeNotAllowed,     // the bytes are of a type not on the allow-list
  kExtensionMismatch,  // the name's extension is not one of the detected type's
  kUndecodable,        // an image libvips cannot read, or one too large to thumbnail
};

class RejectedFile : public Error {
 public:
  RejectedFile(Rejection reason, const std::string& message)
      : Error(ErrorCode::kInvalidInput, message), reason_(reason) {}
  Rejection reason() const { return reason_; }

 private:
  Rejection reason_;
};

// A stored file as Open finds it, for serving.
struct OpenedFile {
  std::filesystem::path path;  // absolute, inside the root
  std::string type;            // the MIME type to serve it with
  std::string hash;            // the SHA-256 hex of the original (the thumbnail's too)
  uint64_t size = 0;           // bytes
};

// Thumbnails are this many pixels wide (smaller images keep their width).
inline constexpr int kThumbnailWidth = 320;

class MediaStore {
 public:
  // Files are cached under `root`, which is created when missing; their bytes are kept in
  // `store`, which must outlive this object. Throws Error(kUnavailable) when the folder cannot be
  // created, Error(kInternal) when libvips cannot start.
  MediaStore(std::filesystem::path root, store::Store& store);

  // Stores `bytes` (the upload) and returns what it is: hash, detected type, the display name
  // (the last component of `claimed_name`: whatever precedes a '/' or '\' is dropped), size and,
  // for images, width and height (caption empty). The bytes go to the store first (in chunks, as
  // blobs of the file's and the thumbnail's relative paths), then into the cache folder.
  // Identical bytes are stored once: a second Put of them writes nothing new and returns the same
  // hash. Images get a thumbnail. Throws RejectedFile (see Rejection), Error(kUnavailable) when
  // the database or the disk refuses; a refused file leaves nothing behind (a failure after the
  // store took the bytes leaves them there, which is harmless: they are what they claim to be).
  content::MediaFile Put(std::string_view bytes, std::string_view claimed_name) const;

  // The file at `relative` ("ab/<hash>.png" or "ab/<hash>-320.jpg", as RelativePath and
  // ThumbnailPath make them), in the cache folder, fetched from the store on a miss (chunk by
  // chunk into a temporary file, verified, renamed into place); nullopt when `relative` does not
  // match that pattern exactly (lower-case hex, the hash's first two digits as folder, a stored
  // type's extension) or neither the cache nor the store has it. Never looks outside the root.
  // A cached file the store does not have (one stored before the store kept bytes) is served and
  // written to the store, so the other nodes get it too. Throws Error(kUnavailable) when a fetch
  // meets the database away or the disk refusing, Error(kInternal) when the stored bytes do not
  // match their hash (nothing is cached then). With the database away, verified cached files are
  // still served.
  std::optional<OpenedFile> Open(std::string_view relative) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  // What a cached file was when it was verified: a file replaced or rewritten since differs.
  struct Stamp {
    uintmax_t size = 0;
    uintmax_t inode = 0;
    int64_t modified_ns = 0;
    bool operator==(const Stamp&) const = default;
  };
  static std::optional<Stamp> StampOf(const std::filesystem::path& path);
  // Whether the cached file at `path` holds the bytes of `relative` (hashing it unless verified_
  // says it was, as it is now); records it when it does.
  bool Verified(const std::string& relative, bool thumbnail, std::string_view hash,
                const std::filesystem::path& path) const;
  // Fetches `relative` from the store into `path`; false when the store has no such blob.
  bool Fetch(const std::string& relative, bool thumbnail, std::string_view hash,
             const std::filesystem::path& path) const;
  void Remember(const std::string& relative, const std::filesystem::path& path) const;

  std::filesystem::path root_;
  store::Store& store_;
  mutable std::mutex verified_mutex_;                           // guards verified_
  mutable std::map<std::string, Stamp, std::less<>> verified_;  // relative path -> stamp
};

// "ab/<hash>.<ext>" for a file of `type` (its first extension in content::MediaTypes()).
std::string RelativePath(std::string_view hash, std::string_view type);
// "ab/<hash>-320.jpg": an image's thumbnail.
std::string ThumbnailPath(std::string_view hash);
// The SHA-256 of `bytes` in lower-case hex (libsodium's crypto_hash_sha256).
std::string Sha256Hex(std::string_view bytes);
// The MIME type libmagic sees in `bytes` ("image/png", "text/html", …), normalised to the
// allow-list's spelling where it has several (audio/x-wav is audio/wav).
std::string DetectType(std::string_view bytes);

}  // namespace assetpub::media
