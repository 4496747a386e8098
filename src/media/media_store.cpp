#include "media/media_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <magic.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <system_error>
#include <utility>
#include <vips/vips8>

#include "content/validate.h"
#include "core/text.h"

namespace assetpub::media {
namespace {

namespace fs = std::filesystem;

// libmagic's handle is not thread-safe; one per process behind a lock (a lookup is a few
// microseconds; a handle per thread would load the 8 MB database once per thread).
class Magic {
 public:
  Magic() {
    cookie_ = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
    if (cookie_ == nullptr || magic_load(cookie_, nullptr) != 0) {
      const std::string why = cookie_ != nullptr && magic_error(cookie_) != nullptr
                                  ? magic_error(cookie_)
                                  : "cannot open libmagic";
      if (cookie_ != nullptr) magic_close(cookie_);
      throw Error(ErrorCode::kInternal, fmt::format("libmagic: {}", why));
    }
  }
  ~Magic() { magic_close(cookie_); }
  Magic(const Magic&) = delete;
  Magic& operator=(const Magic&) = delete;

  std::string Type(std::string_view bytes) {
    std::lock_guard lock(mutex_);  // guards cookie_
    const char* type = magic_buffer(cookie_, bytes.data(), bytes.size());
    return type != nullptr ? type : "application/octet-stream";
  }

 private:
  std::mutex mutex_;
  magic_t cookie_ = nullptr;
};

Magic& SharedMagic() {
  static Magic magic;
  return magic;
}

// VIPS_INIT once per process; vips' operation cache off, since every upload is new bytes and
// the cache would only hold their pixels.
void StartVips() {
  static std::once_flag once;
  static bool started = false;
  std::call_once(once, [] {
    if (VIPS_INIT("assetpub") == 0) {
      vips_cache_set_max(0);
      started = true;
    }
  });
  if (!started) throw Error(ErrorCode::kInternal, "libvips failed to start");
}

// A person's name for a type, for refusals.
std::string Describe(std::string_view type) {
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"application/pdf", "a PDF document"},
      {"text/html", "an HTML page"},
      {"image/svg+xml", "an SVG image"},
      {"image/jpeg", "a JPEG image"},
      {"image/png", "a PNG image"},
      {"image/gif", "a GIF image"},
      {"image/webp", "a WebP image"},
      {"audio/mpeg", "MP3 audio"},
      {"audio/ogg", "Ogg audio"},
      {"audio/wav", "WAV audio"},
      {"video/mp4", "an MP4 video"},
      {"video/webm", "a WebM video"},
      {"text/plain", "plain text"},
      {"application/zip", "a ZIP archive"},
      {"application/x-empty", "empty"},
      {"application/octet-stream", "unrecognised data"},
  };
  for (const auto& [t, name] : kNames) {
    if (t == type) return fmt::format("{} ({})", name, type);
  }
  return fmt::format("of type {}", type);
}

bool IsLowerHex(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

[[noreturn]] void DiskError(const std::string& what, const fs::path& path, int error) {
  throw Error(ErrorCode::kUnavailable,
              fmt::format("media: {} {}: {}", what, path.string(), std::strerror(error)));
}

// A file being written under a temporary name in `dir`, so that no reader ever sees part of it:
// Commit() fsyncs it, renames it into place and fsyncs the folder so the rename survives a crash;
// destroyed uncommitted, it is removed.
class TempFile {
 public:
  TempFile(const fs::path& dir, const char* prefix) : dir_(dir) {
    path_ = (dir / (std::string(prefix) + "XXXXXX")).string();
    fd_ = mkstemp(path_.data());
    if (fd_ < 0) DiskError("cannot create a file in", dir, errno);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) close(fd_);
    if (!committed_) unlink(path_.c_str());
  }

  void Write(std::string_view bytes) {
    size_t written = 0;
    while (written < bytes.size()) {
      const ssize_t n = write(fd_, bytes.data() + written, bytes.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) DiskError("cannot write", path_, errno);
      written += static_cast<size_t>(n);
    }
  }

  void Commit(const fs::path& target) {
    if (fchmod(fd_, 0644) != 0) DiskError("cannot set the mode of", target, errno);
    if (fsync(fd_) != 0) DiskError("cannot sync", target, errno);
    const int fd = std::exchange(fd_, -1);
    if (close(fd) != 0) DiskError("cannot close", target, errno);
    if (rename(path_.c_str(), target.c_str()) != 0) DiskError("cannot rename into", target, errno);
    committed_ = true;
    if (const int dir_fd = open(dir_.c_str(), O_RDONLY | O_DIRECTORY); dir_fd >= 0) {
      fsync(dir_fd);
      close(dir_fd);
    }
  }

 private:
  fs::path dir_;
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

void WriteAtomically(const fs::path& target, std::string_view bytes) {
  TempFile temp(target.parent_path(), ".upload-");
  temp.Write(bytes);
  temp.Commit(target);
}

// SHA-256 over bytes that come in pieces (a file, a blob's chunks).
class Sha256 {
 public:
  Sha256() { crypto_hash_sha256_init(&state_); }
  void Update(std::string_view bytes) {
    crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(bytes.data()),
                              bytes.size());
  }
  std::string HexDigest() {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state_, digest);
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return std::string(hex, crypto_hash_sha256_BYTES * 2);
  }

 private:
  crypto_hash_sha256_state state_;
};

// An open file read from the start, closed on destruction; nullopt-like when it cannot be opened.
class InputFile {
 public:
  explicit InputFile(const fs::path& path) : fd_(open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile() {
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  // Up to `capacity` bytes into `buffer`: how many (0 at the end). Throws Error(kUnavailable).
  size_t Read(char* buffer, size_t capacity) {
    for (;;) {
      const ssize_t n = read(fd_, buffer, capacity);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) {
        throw Error(ErrorCode::kUnavailable,
                    fmt::format("media: cannot read a cached file: {}", std::strerror(errno)));
      }
    }
  }

 private:
  int fd_;
};

// The SHA-256 and size of the file at `path`, read a chunk at a time; nullopt when it cannot be
// read.
std::optional<std::pair<std::string, uint64_t>> HashFile(const fs::path& path) {
  InputFile file(path);
  if (!file.ok()) return std::nullopt;
  Sha256 hash;
  std::string buffer(store::kBlobChunkBytes, '\0');
  uint64_t size = 0;
  try {
    while (const size_t n = file.Read(buffer.data(), buffer.size())) {
      hash.Update(std::string_view(buffer.data(), n));
      size += n;
    }
  } catch (const Error&) {
    return std::nullopt;
  }
  return std::make_pair(hash.HexDigest(), size);
}

// `bytes` as a blob source.
store::BlobSource MemorySource(std::string_view bytes) {
  return [bytes, at = size_t{0}](char* buffer, size_t capacity) mutable {
    const size_t n = std::min(capacity, bytes.size() - at);
    std::memcpy(buffer, bytes.data() + at, n);
    at += n;
    return n;
  };
}

// What libvips makes of an image: its size and a JPEG thumbnail kThumbnailWidth wide (or its own
// width when narrower).
struct Decoded {
  int width = 0;
  int height = 0;
  std::string thumbnail;
};

// Images beyond this many pixels are refused: a few bytes of PNG can declare gigapixels.
constexpr int64_t kMaxPixels = int64_t{100} * 1000 * 1000;

Decoded DecodeImage(std::string_view bytes, std::string_view type) {
  StartVips();
  Decoded out;
  try {
    vips::VImage image = vips::VImage::new_from_buffer(
        bytes.data(), bytes.size(), "",
        vips::VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL)->set("fail", true));
    out.width = image.width();
    out.height = image.height();
    if (int64_t{out.width} * out.height > kMaxPixels) {
      throw RejectedFile(Rejection::kUndecodable,
                         fmt::format("the image is {}×{} pixels: more than the {} million "
                                     "accepted",
                                     out.width, out.height, kMaxPixels / 1000000));
    }
    vips::VImage thumb = image.thumbnail_image(
        kThumbnailWidth,
        vips::VImage::option()->set("height", 1000000)->set("size", VIPS_SIZE_DOWN));
    if (thumb.has_alpha()) {
      thumb = thumb.flatten(vips::VImage::option()->set("background", std::vector<double>{255}));
    }
    if (thumb.interpretation() != VIPS_INTERPRETATION_sRGB &&
        thumb.interpretation() != VIPS_INTERPRETATION_B_W) {
      thumb = thumb.colourspace(VIPS_INTERPRETATION_sRGB);
    }
    void* buffer = nullptr;
    size_t size = 0;
    thumb.write_to_buffer(".jpg", &buffer, &size,
                          vips::VImage::option()->set("Q", 82)->set("strip", true));
    out.thumbnail.assign(static_cast<const char*>(buffer), size);
    g_free(buffer);
  } catch (const vips::VError& e) {
    vips_error_clear();
    throw RejectedFile(
        Rejection::kUndecodable,
        fmt::format("the bytes look like {} but libvips cannot decode them", Describe(type)));
  }
  return out;
}

// The display name: the claimed name's last component (browsers have sent "C:\…\photo.jpg").
std::string DisplayName(std::string_view claimed) {
  const size_t cut = claimed.find_last_of("/\\");
  return std::string(cut == std::string_view::npos ? claimed : claimed.substr(cut + 1));
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

std::string DetectType(std::string_view bytes) {
  std::string type = SharedMagic().Type(bytes);
  if (type == "audio/x-wav" || type == "audio/wave" || type == "audio/vnd.wave") return "audio/wav";
  if (type == "audio/mp3" || type == "audio/x-mp3") return "audio/mpeg";
  return type;
}

std::string RelativePath(std::string_view hash, std::string_view type) {
  const content::MediaType* entry = content::FindMediaType(type);
  const std::string_view ext = entry != nullptr ? entry->extensions.front() : "bin";
  return fmt::format("{}/{}.{}", hash.substr(0, 2), hash, ext);
}

std::string ThumbnailPath(std::string_view hash) {
  return fmt::format("{}/{}-{}.jpg", hash.substr(0, 2), hash, kThumbnailWidth);
}

MediaStore::MediaStore(fs::path root, store::Store& store) : root_(std::move(root)), store_(store) {
  std::error_code ec;
  fs::create_directories(root_, ec);
  if (ec) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("media: cannot create {}: {}", root_.string(), ec.message()));
  }
  root_ = fs::absolute(root_);
}

content::MediaFile MediaStore::Put(std::string_view bytes, std::string_view claimed_name) const {
  content::MediaFile file;
  file.name = DisplayName(claimed_name);
  if (!content::IsValidMediaName(file.name)) {
    throw RejectedFile(Rejection::kBadName,
                       "the file name must be 1 to 255 bytes of UTF-8 without control characters "
                       "(NUL among them)");
  }
  if (bytes.empty()) throw RejectedFile(Rejection::kEmpty, "the file is empty");
  const std::string detected = DetectType(bytes);
  const content::MediaType* type = content::FindMediaType(detected);
  if (type == nullptr) {
    std::string allowed;
    for (const content::MediaType& t : content::MediaTypes()) {
      allowed += (allowed.empty() ? "" : ", ") + std::string(t.type);
    }
    throw RejectedFile(Rejection::kTypeNotAllowed,
                       fmt::format("the bytes of '{}' are {}, which is not accepted (accepted: {})",
                                   file.name, Describe(detected), allowed));
  }
  const size_t dot = file.name.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : AsciiLower(file.name.substr(dot + 1));
  if (std::find(type->extensions.begin(), type->extensions.end(), ext) == type->extensions.end()) {
    std::string expected;
    for (std::string_view e : type->extensions)
      expected += (expected.empty() ? "." : " or .") + std::string(e);
    throw RejectedFile(
        Rejection::kExtensionMismatch,
        fmt::format("the name '{}' says {}, but the bytes are {}: name it {}", file.name,
                    ext.empty() ? "no type" : "." + ext, Describe(detected), expected));
  }
  file.type = detected;
  file.bytes = static_cast<int64_t>(bytes.size());
  file.hash = Sha256Hex(bytes);

  std::string thumbnail;
  if (content::IsImageType(file.type)) {
    Decoded decoded = DecodeImage(bytes, file.type);
    file.width = decoded.width;
    file.height = decoded.height;
    thumbnail = std::move(decoded.thumbnail);
  }

  // The store first: the cache then never holds a file the store lacks. Fed from the upload's own
  // bytes, which were hashed, rather than from a cached file, which an earlier upload left and
  // nothing has checked yet.
  const std::string relative = RelativePath(file.hash, file.type);
  store_.PutBlob(relative, {file.bytes, file.hash}, MemorySource(bytes));
  if (!thumbnail.empty()) {
    store_.PutBlob(ThumbnailPath(file.hash),
                   {static_cast<int64_t>(thumbnail.size()), Sha256Hex(thumbnail)},
                   MemorySource(thumbnail));
  }

  const fs::path dir = root_ / file.hash.substr(0, 2);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("media: cannot create {}: {}", dir.string(), ec.message()));
  }
  const fs::path original = root_ / relative;
  const fs::path thumb = root_ / ThumbnailPath(file.hash);
  bool wrote_thumb = false;
  if (!thumbnail.empty() && !fs::exists(thumb, ec)) {
    WriteAtomically(thumb, thumbnail);
    wrote_thumb = true;
  }
  // Same hash, same bytes: a file already there is this one (renames make it whole).
  if (!fs::exists(original, ec)) {
    try {
      WriteAtomically(original, bytes);
    } catch (...) {
      if (wrote_thumb) fs::remove(thumb, ec);
      throw;
    }
  }
  return file;
}

std::optional<OpenedFile> MediaStore::Open(std::string_view relative) const {
  // "ab/" + 64 hex + ("-320.jpg" | "." + extension)
  if (relative.size() < 3 + 64 + 2 || relative[2] != '/') return std::nullopt;
  const std::string_view folder = relative.substr(0, 2);
  const std::string_view hash = relative.substr(3, 64);
  const std::string_view rest = relative.substr(3 + 64);
  if (!IsLowerHex(hash) || hash.size() != 64 || hash.substr(0, 2) != folder) return std::nullopt;
  OpenedFile opened;
  opened.hash = std::string(hash);
  const bool thumbnail = rest == fmt::format("-{}.jpg", kThumbnailWidth);
  if (thumbnail) {
    opened.type = "image/jpeg";
  } else {
    for (const content::MediaType& t : content::MediaTypes()) {
      if (rest.size() > 1 && rest[0] == '.' && rest.substr(1) == t.extensions.front()) {
        opened.type = std::string(t.type);
      }
    }
    if (opened.type.empty()) return std::nullopt;
  }
  const std::string key(relative);
  opened.path = root_ / key;
  std::error_code ec;
  fs::file_status status = fs::symlink_status(opened.path, ec);
  const bool cached = !ec && fs::is_regular_file(status);
  if (!cached || !Verified(key, thumbnail, hash, opened.path)) {
    // Whatever sits there (a damaged file, a link, a folder) is not this file: it goes.
    if (fs::exists(status)) fs::remove_all(opened.path, ec);
    if (!Fetch(key, thumbnail, hash, opened.path)) return std::nullopt;
  }
  opened.size = fs::file_size(opened.path, ec);
  if (ec) return std::nullopt;
  return opened;
}

std::optional<MediaStore::Stamp> MediaStore::StampOf(const fs::path& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return Stamp{static_cast<uintmax_t>(st.st_size), static_cast<uintmax_t>(st.st_ino),
               int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec};
}

void MediaStore::Remember(const std::string& relative, const fs::path& path) const {
  const std::optional<Stamp> stamp = StampOf(path);
  if (!stamp) return;
  std::lock_guard lock(verified_mutex_);
  verified_[relative] = *stamp;
}

bool MediaStore::Verified(const std::string& relative, bool thumbnail, std::string_view hash,
                          const fs::path& path) const {
  const std::optional<Stamp> stamp = StampOf(path);
  if (!stamp) return false;
  {
    std::lock_guard lock(verified_mutex_);
    const auto it = verified_.find(relative);
    if (it != verified_.end() && it->second == *stamp) return true;
  }
  const auto actual = HashFile(path);
  if (!actual) return false;
  // The store's record of the blob: a thumbnail's hash, and whether a file cached before the
  // store kept bytes has still to be written there. With the database away, an original is
  // checked against its name alone, and a thumbnail is served unchecked this once.
  std::optional<store::BlobInfo> stored;
  bool store_answered = true;
  try {
    stored = store_.FindBlob(relative);
  } catch (const Error& e) {
    store_answered = false;
    spdlog::warn("media: cannot check {} against the store: {}", relative, e.what());
  }
  if (!store_answered) {
    if (thumbnail) return true;  // not remembered: checked when the store answers again
    if (actual->first != hash) return false;
  }
  const std::string expected =
      thumbnail ? (stored ? stored->sha256 : actual->first) : std::string(hash);
  if (actual->first != expected) {
    spdlog::warn("media: the cached {} does not match its SHA-256; fetching it again", relative);
    return false;
  }
  if (store_answered && !stored) {
    try {
      InputFile file(path);
      if (file.ok()) {
        store_.PutBlob(relative, {static_cast<int64_t>(actual->second), actual->first},
                       [&](char* buffer, size_t capacity) { return file.Read(buffer, capacity); });
        spdlog::info("media: {} was only in this node's cache; now in the store", relative);
      }
    } catch (const Error& e) {
      // Served all the same; the next process to serve it tries again.
      spdlog::warn("media: cannot copy {} into the store: {}", relative, e.what());
    }
  }
  {
    std::lock_guard lock(verified_mutex_);
    verified_[relative] = *stamp;
  }
  return true;
}

bool MediaStore::Fetch(const std::string& relative, bool thumbnail, std::string_view hash,
                       const fs::path& path) const {
  // Not even a folder for what the store does not have: a probe for made-up names leaves nothing.
  if (!store_.FindBlob(relative)) return false;
  const fs::path dir = path.parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("media: cannot create {}: {}", dir.string(), ec.message()));
  }
  TempFile temp(dir, ".fetch-");
  Sha256 sha;
  uint64_t size = 0;
  const std::optional<store::BlobInfo> info = store_.ReadBlob(relative, [&](std::string_view c) {
    sha.Update(c);
    temp.Write(c);
    size += c.size();
  });
  if (!info) return false;  // gone since FindBlob; the temporary file goes with `temp`
  const std::string actual = sha.HexDigest();
  if (actual != (thumbnail ? std::string_view(info->sha256) : hash) ||
      size != static_cast<uint64_t>(info->size)) {
    throw Error(ErrorCode::kInternal,
                fmt::format("media: the stored bytes of {} ({} bytes, SHA-256 {}) are not the "
                            "file's; not served",
                            relative, size, actual));
  }
  temp.Commit(path);
  Remember(relative, path);
  return true;
}

}  // namespace assetpub::media
