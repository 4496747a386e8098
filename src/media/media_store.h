#pragma once
// MediaStore keeps the media library's files under one folder (DATA/media), content-addressed:
// a file's only name is the SHA-256 of its bytes, "ab/abcdef…(64 hex).ext", and an image's
// thumbnail sits beside it as "ab/<hash>-320.jpg". The name an uploader gives is display text
// only and never part of a path. The type is what the bytes are (libmagic), never what the name
// claims; only the allow-list of content::MediaTypes() is accepted (no SVG, no HTML).
//
// Thread-safety: Put and Open may be called from many threads at once (each thread has its own
// libmagic handle; files are written to a temporary name and renamed into place, so a reader
// sees a whole file or none, and two uploads of the same bytes both end with the one file).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "content/asset.h"
#include "core/error.h"

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
  // Files live under `root`, which is created when missing. Throws Error(kUnavailable) when it
  // cannot be created, Error(kInternal) when libvips cannot start.
  explicit MediaStore(std::filesystem::path root);

  // Stores `bytes` (the upload) and returns what it is: hash, detected type, the display name
  // (the last component of `claimed_name`: whatever precedes a '/' or '\' is dropped), size and,
  // for images, width and height (caption empty). Identical bytes are stored once: a second Put
  // of them writes nothing and returns the same hash. Images get a thumbnail. Throws RejectedFile
  // (see Rejection) and Error(kUnavailable) when the disk refuses; nothing is left behind then.
  content::MediaFile Put(std::string_view bytes, std::string_view claimed_name) const;

  // The file at `relative` ("ab/<hash>.png" or "ab/<hash>-320.jpg", as RelativePath and
  // ThumbnailPath make them), or nullopt when `relative` does not match that pattern exactly
  // (lower-case hex, the hash's first two digits as folder, a stored type's extension) or no
  // such file exists. Never looks outside the root.
  std::optional<OpenedFile> Open(std::string_view relative) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
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
