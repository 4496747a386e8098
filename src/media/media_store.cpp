#include "media/media_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <magic.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <system_error>
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

// Writes `bytes` to `target` so that no reader ever sees part of it: a temporary file in the
// same folder, fsync'ed, renamed into place, and the folder fsync'ed so the rename survives a
// crash.
void WriteAtomically(const fs::path& target, std::string_view bytes) {
  const fs::path dir = target.parent_path();
  std::string temp = (dir / ".upload-XXXXXX").string();
  const int fd = mkstemp(temp.data());
  if (fd < 0) DiskError("cannot create a file in", dir, errno);
  const auto fail = [&](const char* what) {
    const int error = errno;
    close(fd);
    unlink(temp.c_str());
    DiskError(what, target, error);
  };
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write");
    written += static_cast<size_t>(n);
  }
  if (fchmod(fd, 0644) != 0) fail("cannot set the mode of");
  if (fsync(fd) != 0) fail("cannot sync");
  if (close(fd) != 0) {
    const int error = errno;
    unlink(temp.c_str());
    DiskError("cannot close", target, error);
  }
  if (rename(temp.c_str(), target.c_str()) != 0) {
    const int error = errno;
    unlink(temp.c_str());
    DiskError("cannot rename into", target, error);
  }
  if (const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY); dir_fd >= 0) {
    fsync(dir_fd);
    close(dir_fd);
  }
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

MediaStore::MediaStore(fs::path root) : root_(std::move(root)) {
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

  const fs::path dir = root_ / file.hash.substr(0, 2);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("media: cannot create {}: {}", dir.string(), ec.message()));
  }
  const fs::path original = root_ / RelativePath(file.hash, file.type);
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
  if (rest == fmt::format("-{}.jpg", kThumbnailWidth)) {
    opened.type = "image/jpeg";
  } else {
    for (const content::MediaType& t : content::MediaTypes()) {
      if (rest.size() > 1 && rest[0] == '.' && rest.substr(1) == t.extensions.front()) {
        opened.type = std::string(t.type);
      }
    }
    if (opened.type.empty()) return std::nullopt;
  }
  opened.path = root_ / std::string(relative);
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(opened.path, ec);
  if (ec || !fs::is_regular_file(status)) return std::nullopt;
  opened.size = fs::file_size(opened.path, ec);
  if (ec) return std::nullopt;
  return opened;
}

}  // namespace assetpub::media
