#pragma once
// Request and Response are HTTP messages as handlers see them: plain values with no Beast in
// sight, so the router and every handler can be tested without a socket (the server converts).
// Thread-safety: plain values.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.h"

namespace assetpub::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class SpooledBody;

struct Request {
  std::string method = "GET";  // as sent ("GET", "HEAD", …)
  std::string target = "/";    // as sent: path and query, percent-encoded
  std::string path = "/";      // the target's path, still percent-encoded (the router decodes)
  std::vector<std::pair<std::string, std::string>> query;  // decoded name/value pairs, in order
  HeaderList headers;                                      // names as sent; look up with Header()
  // The body as received; empty when the server spooled it to a file (`spooled`).
  std::string body;
  // An upload's body, which the server wrote to a file as it arrived (ServeOptions::spool_dir)
  // rather than keep it in memory; nullptr otherwise. Read either through Body().
  std::shared_ptr<const SpooledBody> spooled;
  // The client's address as the server saw it (IP text; empty when not over a socket, as in
  // tests that call App::Handle directly). For rate limits and the audit log.
  std::string remote_address;

  // A request for an origin-form target ("/en/?page=2"). Throws Error(kInvalidInput) when the
  // target does not start with '/' or its query has a malformed %-escape.
  static Request Make(std::string method, std::string_view target, HeaderList headers = {});
  // Sets target, path and query from `target` as Make does, reusing the storage of this
  // request's strings (a server keeps one Request per connection: after the first requests it
  // allocates nothing here). Throws Error(kInvalidInput) as Make does; then path and query are
  // unspecified. `target` may be this request's own `target`.
  void SetTarget(std::string_view target);
  // The first value of the query parameter `name`, or nullopt when it is absent.
  std::optional<std::string> Query(std::string_view name) const;
  // The value of the header `name` (case-insensitive), or nullopt.
  std::optional<std::string> Header(std::string_view name) const;
  // The body, spooled or not: valid while this request (and its `spooled`) lives.
  std::string_view Body() const;
};

// A request body the server wrote to a file as it arrived (an upload): the file mapped
// read-only, so that handlers read it as bytes while it costs no memory of the process's own
// (the kernel pages it in from the file and may drop it again). The file has no name (unlinked
// or O_TMPFILE): it goes with the last owner. Immutable. Thread-safety: const methods from many
// threads at once.
class SpooledBody {
 public:
  // Takes `fd`, an open file of `size` bytes, and maps it; closes it in any case. Throws
  // Error(kUnavailable) when it cannot be mapped.
  static std::shared_ptr<const SpooledBody> Map(int fd, size_t size);
  ~SpooledBody();
  SpooledBody(const SpooledBody&) = delete;
  SpooledBody& operator=(const SpooledBody&) = delete;

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  SpooledBody(void* data, size_t size) : data_(data), size_(size) {}
  void* data_;  // nullptr for an empty body
  size_t size_;
};

// A response body that stays on disk: `length` bytes of an open file from `offset`. The server
// sends it in pieces (sendfile(2)), so a large download costs no memory of its size. The file
// is opened (and its size checked) when the handler answers: a file removed afterwards is
// still sent whole. Immutable once opened; the descriptor closes with the last owner.
// Thread-safety: const methods may be called from many threads at once.
class FileBody {
 public:
  // Opens `path` for reading. Throws Error(kUnavailable) naming the path when it cannot be
  // opened or is shorter than offset + length.
  static std::shared_ptr<const FileBody> Open(const std::filesystem::path& path, uint64_t offset,
                                              uint64_t length);
  ~FileBody();
  FileBody(const FileBody&) = delete;
  FileBody& operator=(const FileBody&) = delete;

  int fd() const { return fd_; }
  uint64_t offset() const { return offset_; }
  uint64_t length() const { return length_; }
  // The bytes, read whole into a string (for tests and small bodies: the server never calls
  // it). Throws Error(kUnavailable) when the file can no longer be read.
  std::string Read() const;

 private:
  FileBody(int fd, uint64_t offset, uint64_t length, std::string path)
      : fd_(fd), offset_(offset), length_(length), path_(std::move(path)) {}
  int fd_;
  uint64_t offset_;
  uint64_t length_;
  std::string path_;
};

struct Response {
  int status = 200;
  HeaderList headers;  // Content-Type among them; Content-Length is the server's business
  std::string body;
  // When set, the body is these bytes of a file instead (and `body` is empty). The server
  // gives it the file's Content-Length and sends it from disk in pieces.
  std::shared_ptr<const FileBody> file;
  // The body as bytes: `body`, or the file's bytes read whole (see FileBody::Read).
  std::string BodyText() const { return file ? file->Read() : body; }

  // Sets a header, replacing any of the same name (case-insensitive).
  void SetHeader(std::string_view name, std::string value);
  std::optional<std::string> Header(std::string_view name) const;

  // text/html; charset=utf-8, with Content-Language.
  static Response Html(int status, std::string body, std::string_view language);
  // application/json; charset=utf-8.
  static Response Json(int status, std::string body);
  // application/problem+json; charset=utf-8 (RFC 9457).
  static Response Problem(int status, std::string body);
  // text/plain; charset=utf-8.
  static Response Text(int status, std::string body);
  // A redirect (301, 302, …) to `location`, with a short text body.
  static Response Redirect(int status, std::string location);
};

// ASCII case-insensitive equality, for header names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace assetpub::http
