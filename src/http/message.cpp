#include "http/message.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "core/text.h"

namespace assetpub::http {
namespace {

std::optional<std::string> FindHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

}  // namespace

std::shared_ptr<const FileBody> FileBody::Open(const std::filesystem::path& path, uint64_t offset,
                                               uint64_t length) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  }
  // Owned from here: closed on the throw below as on the last release.
  std::shared_ptr<const FileBody> body(new FileBody(fd, offset, length, path.string()));
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode) ||
      static_cast<uint64_t>(status.st_size) < offset ||
      static_cast<uint64_t>(status.st_size) - offset < length) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("cannot read {} bytes at {} of {}", length, offset, path.string()));
  }
  return body;
}

FileBody::~FileBody() { ::close(fd_); }

std::shared_ptr<const SpooledBody> SpooledBody::Map(int fd, size_t size) {
  void* data = nullptr;
  if (size > 0) {
    data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (data == MAP_FAILED) {
      const int error = errno;
      ::close(fd);
      throw Error(ErrorCode::kUnavailable,
                  fmt::format("cannot map a spooled request body of {} bytes: {}", size,
                              std::strerror(error)));
    }
    // Read once from start to end (hashing, type detection, parsing).
    ::madvise(data, size, MADV_SEQUENTIAL);
  }
  ::close(fd);  // the mapping keeps the file
  return std::shared_ptr<const SpooledBody>(new SpooledBody(data, size));
}

SpooledBody::~SpooledBody() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

std::string_view Request::Body() const {
  return spooled ? spooled->bytes() : std::string_view(body);
}

std::string FileBody::Read() const {
  std::string out(length_, '\0');
  uint64_t done = 0;
  while (done < length_) {
    const ssize_t n =
        ::pread(fd_, out.data() + done, length_ - done, static_cast<off_t>(offset_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(ErrorCode::kUnavailable, fmt::format("cannot read {}", path_));
    done += static_cast<uint64_t>(n);
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

Request Request::Make(std::string method, std::string_view target, HeaderList headers) {
  Request request;
  request.method = std::move(method);
  request.headers = std::move(headers);
  request.SetTarget(target);
  return request;
}

void Request::SetTarget(std::string_view new_target) {
  if (new_target.empty() || new_target[0] != '/') {
    throw Error(ErrorCode::kInvalidInput, "the request target must be a path starting with '/'");
  }
  if (new_target.data() != target.data()) target.assign(new_target);  // not onto itself
  const size_t question = new_target.find('?');
  path.assign(new_target.substr(0, question));
  // The pairs are decoded into the strings already there, so that their storage is reused.
  size_t pairs = 0;
  std::string_view rest =
      question == std::string_view::npos ? std::string_view() : new_target.substr(question + 1);
  if (const size_t hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    if (pairs == query.size()) query.emplace_back();
    auto& [name, value] = query[pairs];
    const size_t equals = pair.find('=');
    const bool good = PercentDecodeInto(pair.substr(0, equals), true, name) &&
                      (equals == std::string_view::npos
                           ? (value.clear(), true)
                           : PercentDecodeInto(pair.substr(equals + 1), true, value));
    if (!good) {
      query.resize(pairs);
      throw Error(ErrorCode::kInvalidInput, "malformed %-escape in the query string");
    }
    ++pairs;
  }
  query.resize(pairs);
}

std::optional<std::string> Request::Query(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::optional<std::string> Request::Header(std::string_view name) const {
  return FindHeader(headers, name);
}

void Response::SetHeader(std::string_view name, std::string value) {
  for (auto& [key, existing] : headers) {
    if (EqualsIgnoreCase(key, name)) {
      existing = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::string(name), std::move(value));
}

std::optional<std::string> Response::Header(std::string_view name) const {
  return FindHeader(headers, name);
}

Response Response::Html(int status, std::string body, std::string_view language) {
  Response response{
      status, {{"Content-Type", "text/html; charset=utf-8"}}, std::move(body), nullptr};
  response.SetHeader("Content-Language", std::string(language));
  return response;
}

Response Response::Json(int status, std::string body) {
  return Response{
      status, {{"Content-Type", "application/json; charset=utf-8"}}, std::move(body), nullptr};
}

Response Response::Problem(int status, std::string body) {
  return Response{status,
                  {{"Content-Type", "application/problem+json; charset=utf-8"}},
                  std::move(body),
                  nullptr};
}

Response Response::Text(int status, std::string body) {
  return Response{
      status, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(body), nullptr};
}

Response Response::Redirect(int status, std::string location) {
  Response response = Text(status, "Moved to " + location + "\n");
  response.SetHeader("Location", std::move(location));
  return response;
}

}  // namespace assetpub::http
