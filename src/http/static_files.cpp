#include "http/static_files.h"

#include <fmt/format.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/text.h"

namespace assetpub::http {
namespace {

// Long enough to matter, short enough that a deploy shows within the hour (the URLs are not
// fingerprinted).
constexpr const char* kCacheControl = "public, max-age=3600";

std::string Fnv1a(std::string_view bytes) {
  uint64_t hash = 14695981039346656037ULL;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return fmt::format("\"{:016x}\"", hash);
}

}  // namespace

StaticFiles::StaticFiles(const std::filesystem::path& dir, size_t max_bytes) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) return;
  size_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
       ++it) {
    const fs::path name = it->path().filename();
    if (!name.empty() && name.string()[0] == '.') {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_symlink() || !it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    if (!in.is_open()) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("{}: cannot read the file", it->path().string()));
    }
    std::ostringstream body;
    if (in.peek() != std::ifstream::traits_type::eof()) body << in.rdbuf();
    File file;
    file.body = body.str();
    total += file.body.size();
    if (total > max_bytes) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("{}: the static files exceed {} bytes", dir.string(), max_bytes));
    }
    file.content_type = ContentType(name);
    file.etag = Fnv1a(file.body);
    files_.emplace(fs::relative(it->path(), dir).generic_string(), std::move(file));
  }
}

const StaticFiles::File* StaticFiles::Find(std::string_view relative) const {
  auto it = files_.find(relative);
  return it == files_.end() ? nullptr : &it->second;
}

Response StaticFiles::Serve(const Request& request, std::string_view relative) const {
  const File* file = Find(relative);
  if (file == nullptr) {
    throw Error(ErrorCode::kNotFound, fmt::format("no static file '{}'", relative));
  }
  Response response;
  response.SetHeader("Cache-Control", kCacheControl);
  response.SetHeader("ETag", file->etag);
  if (request.Header("If-None-Match") == file->etag) {
    response.status = 304;
    return response;
  }
  response.SetHeader("Content-Type", file->content_type);
  response.body = file->body;
  return response;
}

std::string StaticFiles::ContentType(const std::filesystem::path& name) {
  static const std::map<std::string, std::string, std::less<>> kTypes = {
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".html", "text/html; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".xml", "application/xml; charset=utf-8"},
      {".svg", "image/svg+xml; charset=utf-8"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/vnd.microsoft.icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".pdf", "application/pdf"},
  };
  std::string extension = name.extension().string();
  AsciiLowerInPlace(extension);
  auto it = kTypes.find(extension);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

}  // namespace assetpub::http
