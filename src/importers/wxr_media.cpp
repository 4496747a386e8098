#include "importers/wxr_media.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>
#include <system_error>

#include "core/error.h"
#include "core/text.h"

namespace assetpub::importers {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kUploads = "/wp-content/uploads/";
// An attachment's file larger than this is not read (the media library takes far less).
constexpr uintmax_t kMaxFileBytes = uintmax_t{256} << 20;

// A relative path that stays inside its folder: not empty, not absolute, no "." or ".."
// component, no NUL or backslash.
bool IsInsidePath(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.find('\0') != std::string_view::npos ||
      path.find('\\') != std::string_view::npos) {
    return false;
  }
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

// "flag-300x200.png" -> "flag.png": the original of a resized copy WordPress made; nullopt when
// `path` has no such suffix.
std::optional<std::string> WithoutSizeSuffix(std::string_view path) {
  const size_t dot = path.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const size_t dash = path.rfind('-', dot);
  if (dash == std::string_view::npos) return std::nullopt;
  const std::string_view size = path.substr(dash + 1, dot - dash - 1);
  const size_t x = size.find('x');
  if (x == std::string_view::npos || x == 0 || x + 1 == size.size()) return std::nullopt;
  const auto digits = [](std::string_view part) {
    return std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(size.substr(0, x)) || !digits(size.substr(x + 1))) return std::nullopt;
  return std::string(path.substr(0, dash)) + std::string(path.substr(dot));
}

// Characters that end a URL inside HTML or text.
bool EndsUrl(char c) {
  return c == '"' || c == '\'' || c == '<' || c == '>' || c == ' ' || c == '\t' || c == '\n' ||
         c == '\r' || c == ')' || c == ']' || c == ',';
}

}  // namespace

std::string UploadPath(const WxrItem& attachment) {
  std::string path;
  if (const auto it = attachment.meta.find("_wp_attached_file"); it != attachment.meta.end()) {
    path = std::string(Trim(it->second));
  } else if (const size_t at = attachment.attachment_url.find(kUploads); at != std::string::npos) {
    std::string_view rest =
        std::string_view(attachment.attachment_url).substr(at + kUploads.size());
    rest = rest.substr(0, rest.find_first_of("?#"));
    path = PercentDecodeLenient(rest);
  }
  return IsInsidePath(path) ? path : std::string();
}

WxrMedia StoreWxrMedia(const WxrSite& site, const fs::path& uploads, const PutMedia& put) {
  WxrMedia media;
  for (const WxrItem& item : site.items) {
    if (item.post_type != "attachment") continue;
    std::string& outcome = media.outcomes[item.post_id];
    if (uploads.empty() || !put) {
      outcome = "skipped: an attachment (no --uploads folder given: its file stays at its old URL)";
      continue;
    }
    const std::string relative = UploadPath(item);
    if (relative.empty()) {
      outcome = "skipped: an attachment that names no file inside wp-content/uploads";
      continue;
    }
    const fs::path file = uploads / relative;
    std::error_code ec;
    const uintmax_t size = fs::is_regular_file(file, ec) ? fs::file_size(file, ec) : 0;
    if (ec || !fs::is_regular_file(file, ec)) {
      outcome = fmt::format("missing: {} is not in {}; items keep its old URL", relative,
                            uploads.string());
      continue;
    }
    if (size > kMaxFileBytes) {
      outcome = fmt::format("skipped: {} has {} bytes, more than the {} MiB an attachment may have",
                            relative, size, kMaxFileBytes >> 20);
      continue;
    }
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      outcome = fmt::format("missing: {} cannot be read; items keep its old URL", file.string());
      continue;
    }
    try {
      StoredMedia stored = put(bytes, file.filename().string());
      outcome = fmt::format("imported: {}", stored.path);
      media.stored.emplace(item.post_id, std::move(stored));
      media.by_upload_path.emplace(relative, item.post_id);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kInvalidInput) throw;
      outcome = fmt::format("rejected: {}: {}", relative, e.what());
    }
  }
  return media;
}

std::string PointAtMedia(std::string_view html, const WxrMedia& media, std::string_view base_url,
                         std::vector<int64_t>& used) {
  if (media.by_upload_path.empty()) return std::string(html);
  // "https://mid.example/" -> "https://mid.example" (npos + 1 is 0: all slashes give "").
  const std::string_view base = base_url.substr(0, base_url.find_last_not_of('/') + 1);
  std::string out;
  out.reserve(html.size());
  size_t copied = 0;
  for (size_t at = html.find(kUploads); at != std::string_view::npos;
       at = html.find(kUploads, at + 1)) {
    size_t start = at;
    while (start > copied && !EndsUrl(html[start - 1]) && html[start - 1] != '=' &&
           html[start - 1] != '(') {
      --start;
    }
    size_t end = at + kUploads.size();
    while (end < html.size() && !EndsUrl(html[end])) ++end;
    std::string_view relative = html.substr(at + kUploads.size(), end - at - kUploads.size());
    relative = relative.substr(0, relative.find_first_of("?#"));
    const std::string decoded = PercentDecodeLenient(relative);
    auto found = media.by_upload_path.find(decoded);
    if (found == media.by_upload_path.end()) {
      if (const auto original = WithoutSizeSuffix(decoded)) {
        found = media.by_upload_path.find(*original);
      }
    }
    if (found == media.by_upload_path.end()) continue;
    const StoredMedia& stored = media.stored.at(found->second);
    out.append(html.substr(copied, start - copied));
    out.append(base);
    out.append(stored.path);
    copied = end;
    at = end - 1;
    if (std::find(used.begin(), used.end(), found->second) == used.end()) {
      used.push_back(found->second);
    }
  }
  out.append(html.substr(copied));
  return out;
}

}  // namespace assetpub::importers
