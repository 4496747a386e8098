#pragma once
// StaticFiles serves the files under static/ (stylesheets, images, fonts). Every regular file is
// read into memory once at start-up, so a request can only ever name one of them: no path
// traversal, no file-system access per request. Immutable after construction: thread-safe.

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "http/message.h"

namespace assetpub::http {

class StaticFiles {
 public:
  struct File {
    std::string body;
    std::string content_type;  // with charset for text types
    std::string etag;          // a strong validator: a hash of the body, quoted
  };

  // Reads every regular file under `dir`, recursively; symbolic links and hidden files (names
  // starting with '.') are skipped. A missing directory gives an empty set. Throws
  // Error(kInvalidInput) naming a file that cannot be read, or when the files exceed `max_bytes`.
  explicit StaticFiles(const std::filesystem::path& dir, size_t max_bytes = 64 << 20);

  // The file at `relative` ("css/site.css"), or nullptr.
  const File* Find(std::string_view relative) const;

  // 200 with the file, Cache-Control and ETag; 304 without a body when If-None-Match has the
  // ETag. Throws Error(kNotFound) when there is no such file.
  Response Serve(const Request& request, std::string_view relative) const;

  // The Content-Type for a file name's extension ("text/css; charset=utf-8");
  // application/octet-stream for an unknown one.
  static std::string ContentType(const std::filesystem::path& name);

 private:
  std::map<std::string, File, std::less<>> files_;
};

}  // namespace assetpub::http
