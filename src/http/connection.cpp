// Asio 1.74's awaitable.hpp uses std::exchange without including <utility> (DEPENDENCIES.md).
#include <utility>
// One connection of the server (http/worker.h): the only translation unit that includes Beast. It
// converts between Beast's messages and http::Request/Response and leaves everything else to the
// Service.
//
// A prepared answer's path (a cache hit) allocates nothing and takes no lock of ours once a
// connection is warm (tests/integration/hit_path_test.cpp): the request is parsed into a Request
// the connection keeps (RequestReader), the service answers it in place, the header block is
// built in a kept string, the socket's operations take their memory from the worker's
// HandlerPool, and timeouts are one sweep per worker and second rather than a timer per
// operation. Asio itself still takes its io_context's and reactor's uncontended mutexes (one
// thread per io_context).

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/span_body.hpp>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "http/limits.h"
#include "http/service.h"
#include "http/worker.h"

namespace assetpub::http::internal {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// A whole request (headers and body) must arrive within this, and so must the next request on
// a kept-alive connection; a response must be taken within kWriteTimeout.
constexpr auto kReadTimeout = std::chrono::seconds(30);
constexpr auto kWriteTimeout = std::chrono::seconds(30);
constexpr size_t kHeaderLimit = 16 * 1024;
// A refused request's connection reads (and drops) what the client still sends for this long,
// and at most this much, before it closes (closing with unread bytes would reset the connection,
// and the client might never see the answer).
constexpr auto kDrainTimeout = std::chrono::seconds(10);
constexpr size_t kDrainLimit = 1024 * 1024;
// How long a client refused for too many uploads at once is asked to wait.
constexpr int kUploadRetrySeconds = 5;
// A connection keeps a request body's buffer up to this size for its next request.
constexpr size_t kKeptBodyCapacity = 64 * 1024;
// A request whose body may be larger than this (an upload: Service::BodyLimit) is written to a
// nameless file in ServeOptions::spool_dir as it arrives and handed over mapped
// (Request::spooled), never held whole in the process's memory.
constexpr size_t kSpoolAbove = 1024 * 1024;

// A new nameless file in `dir` (the system's temporary folder when empty) for a spooled body, or
// -1 with errno set.
int OpenSpoolFile(const std::string& dir) {
  std::string folder = dir;
  if (folder.empty()) {
    std::error_code ec;
    folder = std::filesystem::temp_directory_path(ec).string();
    if (ec) folder = "/tmp";
  }
  int fd = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  // A file system without O_TMPFILE: a named file, unlinked at once.
  std::string name = folder + "/assetpub-upload-XXXXXX";
  fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd >= 0) ::unlink(name.c_str());
  return fd;
}
// A file body (Response::file) goes out in sendfile(2) calls of at most this many bytes, and a
// connection yields its worker to the others after each kFileTurn bytes: one fast download does
// not hold up the worker's other connections.
constexpr size_t kFileChunk = 256 * 1024;
constexpr uint64_t kFileTurn = 1024 * 1024;

template <typename T>
class PoolAllocator {
 public:
  using value_type = T;
  explicit PoolAllocator(HandlerPool& pool) noexcept : pool_(&pool) {}
  template <typename U>
  PoolAllocator(const PoolAllocator<U>& other) noexcept : pool_(other.pool_) {}
  T* allocate(size_t n) { return static_cast<T*>(pool_->Allocate(sizeof(T) * n)); }
  void deallocate(T* memory, size_t n) { pool_->Deallocate(memory, sizeof(T) * n); }
  bool operator==(const PoolAllocator& other) const noexcept { return pool_ == other.pool_; }
  bool operator!=(const PoolAllocator& other) const noexcept { return pool_ != other.pool_; }

 private:
  template <typename>
  friend class PoolAllocator;
  HandlerPool* pool_;
};

// A completion handler whose operations (and Beast's composed operations around them) take
// their memory from a HandlerPool.
template <typename Handler>
class Pooled {
 public:
  using allocator_type = PoolAllocator<Handler>;
  Pooled(HandlerPool& pool, Handler handler) : pool_(&pool), handler_(std::move(handler)) {}
  allocator_type get_allocator() const noexcept { return allocator_type(*pool_); }
  template <typename... Args>
  void operator()(Args&&... args) {
    handler_(std::forward<Args>(args)...);
  }

 private:
  HandlerPool* pool_;
  Handler handler_;
};

// The Date header's value, formatted once a second per thread into the thread's own buffer.
std::string_view HttpDate() {
  thread_local std::time_t last = 0;
  thread_local char text[64];
  thread_local size_t size = 0;
  const std::time_t now = std::time(nullptr);
  if (now != last || size == 0) {
    last = now;
    std::tm tm{};
    gmtime_r(&now, &tm);
    size = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  }
  return std::string_view(text, size);
}

// Parses a request straight into a Request the connection keeps (Connection::request_): its
// strings and header list keep their storage from one request to the next, so a request like the
// one before allocates nothing here (Beast's request_parser allocates its fields every time).
// Made afresh for each request (it holds no heap memory of its own).
class RequestReader : public bhttp::basic_parser<true> {
 public:
  explicit RequestReader(Request& request) : request_(request) {
    request_.body.clear();
    request_.spooled.reset();
  }
  ~RequestReader() override {
    if (spool_fd_ >= 0) ::close(spool_fd_);
  }

  bhttp::verb verb() const { return verb_; }
  unsigned version() const { return version_; }
  bool expects_continue() const { return expects_continue_; }

  // The body goes to the file `fd` (owned from here on) rather than into the request.
  void SpoolTo(int fd) { spool_fd_ = fd; }
  bool spooling() const { return spool_fd_ >= 0; }
  // Once the whole request is read: the spooled body, mapped. Throws what SpooledBody::Map
  // throws.
  std::shared_ptr<const SpooledBody> TakeSpooled() {
    const int fd = std::exchange(spool_fd_, -1);
    return SpooledBody::Map(fd, spooled_bytes_);
  }

 private:
  void on_request_impl(bhttp::verb method, beast::string_view method_text,
                       beast::string_view target, int version, beast::error_code&) override {
    verb_ = method;
    version_ = static_cast<unsigned>(version);
    request_.method.assign(method_text.data(), method_text.size());
    request_.target.assign(target.data(), target.size());
  }
  void on_response_impl(int, beast::string_view, int, beast::error_code&) override {}
  void on_field_impl(bhttp::field field, beast::string_view name, beast::string_view value,
                     beast::error_code&) override {
    if (fields_ == request_.headers.size()) request_.headers.emplace_back();
    auto& [kept_name, kept_value] = request_.headers[fields_++];
    kept_name.assign(name.data(), name.size());
    kept_value.assign(value.data(), value.size());
    if (field == bhttp::field::expect && beast::iequals(value, "100-continue")) {
      expects_continue_ = true;
    }
  }
  void on_header_impl(beast::error_code&) override { request_.headers.resize(fields_); }
  void on_body_init_impl(const boost::optional<std::uint64_t>& length,
                         beast::error_code&) override {
    // The connection set the body limit (and refused a longer Content-Length) before the body.
    if (length && spool_fd_ < 0) request_.body.reserve(static_cast<size_t>(*length));
  }
  size_t on_body_impl(beast::string_view body, beast::error_code& ec) override {
    return Keep(body, ec);
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  // A chunked upload is spooled like one with a Content-Length (the body limit holds for both).
  size_t on_chunk_body_impl(std::uint64_t, beast::string_view body,
                            beast::error_code& ec) override {
    return Keep(body, ec);
  }
  void on_finish_impl(beast::error_code&) override {}

  // Appends a piece of the body to the request, or to the spool file while spooling.
  size_t Keep(beast::string_view body, beast::error_code& ec) {
    if (spool_fd_ < 0) {
      request_.body.append(body.data(), body.size());
      return body.size();
    }
    for (size_t written = 0; written < body.size();) {
      const ssize_t n = ::write(spool_fd_, body.data() + written, body.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        // The connection closes (OnRead: not an HTTP error); the client may try again.
        ec = beast::error_code(errno, boost::system::system_category());
        spdlog::warn("an upload could not be written to the spool folder: {}", ec.message());
        return 0;
      }
      written += static_cast<size_t>(n);
    }
    spooled_bytes_ += body.size();
    return body.size();
  }

  Request& request_;
  size_t fields_ = 0;
  bhttp::verb verb_ = bhttp::verb::unknown;
  unsigned version_ = 11;
  bool expects_continue_ = false;
  int spool_fd_ = -1;  // the body's file while spooling
  size_t spooled_bytes_ = 0;
};

}  // namespace

// One connection: reads requests one after another (keep-alive), answers each through the
// Service. A prepared answer (a cache hit) allocates nothing and takes no lock here once the
// connection has served one like it: the request is parsed into request_ (storage kept), the
// answer kept in answer_, its header lines in lines_ and its header block built in head_
// (storage kept) until written.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `address_key` and `exempt` as counted by the worker's limits (ConnectionLimits::Open), which
  // the connection gives back when it ends.
  Connection(Socket socket, Worker& worker, std::string address_key, bool exempt)
      : socket_(std::move(socket)),
        service_(worker.service),
        worker_(worker),
        address_key_(std::move(address_key)),
        exempt_(exempt) {}
  ~Connection() {
    worker_.connections.erase(this);
    EndUpload();
    worker_.limits.Close(address_key_, exempt_);
  }

  void Start() {
    worker_.connections.insert(this);
    // An answer is written whole; the last segment of one must not wait for the peer's ACK of
    // the previous (Nagle with delayed ACKs costs up to 40 ms).
    beast::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    request_.remote_address = RemoteAddress();  // the peer does not change
    Read();
  }

  // Shutdown: a connection waiting for a request is closed now; one busy with a request closes
  // once its response is written.
  void Stop() {
    stopping_ = true;
    if (reading_) CloseSocket();
  }

  // Closes the connection if it is past its deadline (the worker's housekeeping calls this):
  // the pending read or write then completes with operation_aborted.
  void Expire(std::chrono::steady_clock::time_point now) {
    if (now > deadline_) CloseSocket();
  }

 private:
  // A member function as a completion handler holding this connection, its memory from the pool.
  template <typename Member>
  auto Bind(Member member) {
    return Pooled(worker_.handler_pool, beast::bind_front_handler(member, shared_from_this()));
  }

  // The header first: its method and target decide the body limit (Service::BodyLimit), and a
  // declared length over it is refused before the body is read (OnHeader). Beast checks
  // Content-Length against the limit as the header completes, so the parser starts without one.
  void Read() {
    // An upload's buffer is not kept for the requests after it.
    if (request_.body.capacity() > kKeptBodyCapacity) std::string().swap(request_.body);
    parser_.emplace(request_);
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    ExpiresAfter(kReadTimeout);
    reading_ = true;
    bhttp::async_read_header(socket_, buffer_, *parser_, Bind(&Connection::OnHeader));
  }

  void OnHeader(beast::error_code ec, size_t bytes) {
    if (ec) return OnRead(ec, bytes);
    const std::string& method = request_.method;
    const std::string& target = request_.target;
    if (!exempt_) {
      if (const int64_t retry =
              worker_.limiter.Take(address_key_, std::chrono::steady_clock::now());
          retry > 0) {
        return RefuseBeforeBody(Refusal::kTooManyRequests, 429, retry);
      }
    }
    // The service may refuse from the header alone (an upload without valid credentials): the
    // body is then never read.
    if (std::optional<Response> refusal = service_.Admit(request_)) {
      reading_ = false;
      answer_ = Answer();
      started_ = std::chrono::steady_clock::now();
      answer_.response = std::move(*refusal);
      drain_on_close_ = true;
      return Write(parser_->version(), false, false, method, target);
    }
    const size_t limit = service_.BodyLimit(method, target);
    if (parser_->content_length() && *parser_->content_length() > limit) {
      reading_ = false;
      answer_ = Answer();
      started_ = std::chrono::steady_clock::now();
      answer_.response = service_.Refuse(Refusal::kBodyTooLarge, method, target, 413, {});
      // The body is not kept: the connection closes after the answer, once what the client
      // still sends is drained (closing with unread bytes would reset the connection, and the
      // client might never see the 413).
      drain_on_close_ = true;
      return Write(parser_->version(), false, false, method, target);
    }
    parser_->body_limit(limit);
    if (limit > kSpoolAbove) {
      // Uploads being received are bounded: each holds a spool file and, once mapped, its pages.
      if (!worker_.limits.BeginUpload()) {
        return RefuseBeforeBody(Refusal::kTooManyUploads, 503, kUploadRetrySeconds);
      }
      upload_ = true;
      const int fd = OpenSpoolFile(worker_.spool_dir);
      if (fd >= 0) {
        parser_->SpoolTo(fd);
      } else {
        spdlog::warn(
            "cannot open a file in the spool folder '{}' ({}): this upload is read "
            "into memory",
            worker_.spool_dir, std::strerror(errno));
      }
    }
    // A client that waits for "100 Continue" before sending a large body (curl does above
    // 1 MiB) would otherwise wait a second for nothing.
    if (parser_->expects_continue() && parser_->version() == 11) {
      auto interim = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                          parser_->version());
      bhttp::async_write(socket_, *interim,
                         [self = shared_from_this(), interim](beast::error_code ec, size_t) {
                           if (ec) return self->Close();
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() { bhttp::async_read(socket_, buffer_, *parser_, Bind(&Connection::OnRead)); }

  // Answers the request whose header was just read with the service's refusal (`status`, and
  // Retry-After: `retry_seconds`), without reading its body; the connection then closes.
  void RefuseBeforeBody(Refusal refusal, int status, int64_t retry_seconds) {
    reading_ = false;
    answer_ = Answer();
    started_ = std::chrono::steady_clock::now();
    answer_.response = service_.Refuse(refusal, request_.method, request_.target, status, {});
    answer_.response.SetHeader("Retry-After", std::to_string(retry_seconds));
    drain_on_close_ = true;
    return Write(parser_->version(), false, false, request_.method, request_.target);
  }

  // Gives back this connection's upload place, if it holds one.
  void EndUpload() {
    if (upload_) worker_.limits.EndUpload();
    upload_ = false;
  }

  void OnRead(beast::error_code ec, size_t) {
    reading_ = false;
    if (ec) {
      EndUpload();
      // The peer went away, the timer fired or we are stopping: nothing to answer.
      const auto& http_errors = bhttp::make_error_code(bhttp::error::end_of_stream).category();
      if (ec.category() != http_errors || ec == bhttp::error::end_of_stream ||
          ec == bhttp::error::partial_message) {
        return Close();
      }
      const int status = ec == bhttp::error::header_limit ? 431
                         : ec == bhttp::error::body_limit ? 413
                                                          : 400;
      spdlog::debug("bad request: {}", ec.message());
      // Part of the request is unread: drain it before closing, or the close resets the
      // connection and the client may never see the answer.
      drain_on_close_ = true;
      answer_ = Answer();
      started_ = std::chrono::steady_clock::now();
      answer_.response = service_.Refuse(Refusal::kMalformed, request_.method, request_.target,
                                         status, ec.message());
      return Write(11, false, false, "-", "-");
    }
    started_ = std::chrono::steady_clock::now();
    if (parser_->spooling()) {
      try {
        request_.spooled = parser_->TakeSpooled();
      } catch (const std::exception& e) {
        spdlog::warn("{}", e.what());
        answer_ = Answer();
        answer_.response = service_.Refuse(Refusal::kMalformed, request_.method, request_.target,
                                           503, "the upload could not be kept; try again");
        return Write(parser_->version(), false, false, request_.method, request_.target);
      }
    }
    const bool head = parser_->verb() == bhttp::verb::head;
    const unsigned version = parser_->version();
    const bool keep_alive = parser_->keep_alive() && !stopping_;
    lines_.clear();
    answer_ = service_.Respond(request_, lines_);
    EndUpload();
    Write(version, keep_alive, head, request_.method, request_.target);
  }

  // The header of an answer that is not prepared: status, version, Date, the response's own
  // headers and the connection's keep-alive.
  template <class Message>
  void StartHeader(Message& message, const Response& response, unsigned version, bool keep_alive) {
    message.result(static_cast<bhttp::status>(response.status));
    message.version(version);
    const std::string_view date = HttpDate();
    message.set(bhttp::field::date, beast::string_view(date.data(), date.size()));
    // insert, not set: a second Set-Cookie must not replace the first.
    for (const auto& [name, value] : response.headers) message.insert(name, value);
    message.keep_alive(keep_alive);
  }

  // Writes answer_; its body is sent from where it lies (a prepared body is not copied).
  // `method` and `target` are for the debug log.
  void Write(unsigned version, bool keep_alive, bool head, std::string_view method,
             std::string_view target) {
    service_.Answered(worker_.index, request_,
                      Outcome{answer_.response.status, answer_.prepared(),
                              std::chrono::steady_clock::now() - started_});
    if (answer_.prepared()) return WritePrepared(version, keep_alive, head);
    if (answer_.response.file) return WriteFile(version, keep_alive, head, method, target);
    struct Outgoing {
      Answer answer;
      bhttp::response<bhttp::span_body<const char>> message;
    };
    auto out = std::make_shared<Outgoing>();
    out->answer = std::move(answer_);
    answer_ = Answer();
    const Response& response = out->answer.response;
    auto& message = out->message;
    StartHeader(message, response, version, keep_alive);
    const std::string_view body = out->answer.body();
    message.body() = beast::span<const char>(body.data(), body.size());
    message.prepare_payload();
    // HEAD: the GET response's headers, Content-Length included, and no body.
    if (head) message.body() = beast::span<const char>();
    if (spdlog::should_log(spdlog::level::debug)) {
      const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now() - started_);
      spdlog::debug("{} {} {} {}B {:.3f}ms", method, target, response.status, body.size(),
                    elapsed.count() / 1000.0);
    }
    ExpiresAfter(kWriteTimeout);
    bhttp::async_write(socket_, message,
                       Pooled(worker_.handler_pool, [self = shared_from_this(), out, keep_alive](
                                                        beast::error_code ec, size_t) {
                         if (ec || !keep_alive || self->stopping_) return self->Close();
                         self->Read();
                       }));
  }

  // A body from a file (Response::file): the header with the file's Content-Length, then the
  // bytes by sendfile(2), from the page cache to the socket without passing through our memory
  // (whatever the file's size, a download costs this connection a few hundred bytes). Each
  // piece must be taken within kWriteTimeout; a client that goes away mid-file, or a file that
  // shrank under us, ends the connection (the promised length can no longer be kept).
  void WriteFile(unsigned version, bool keep_alive, bool head, std::string_view method,
                 std::string_view target) {
    auto out = std::make_shared<FileSend>();
    Response& response = answer_.response;
    out->file = std::move(response.file);
    out->keep_alive = keep_alive;
    auto& message = out->message;
    StartHeader(message, response, version, keep_alive);
    // HEAD too: the GET response's Content-Length, and no body.
    message.content_length(out->file->length());
    answer_ = Answer();
    if (spdlog::should_log(spdlog::level::debug)) {
      const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now() - started_);
      spdlog::debug("{} {} {} {}B (file) {:.3f}ms", method, target, message.result_int(),
                    out->file->length(), elapsed.count() / 1000.0);
    }
    ExpiresAfter(kWriteTimeout);
    bhttp::async_write(socket_, message,
                       Pooled(worker_.handler_pool,
                              [self = shared_from_this(), out, head](beast::error_code ec, size_t) {
                                if (ec) return self->Close();
                                if (head) return self->Finish(out->keep_alive);
                                self->SendFile(out);
                              }));
  }

  struct FileSend {
    std::shared_ptr<const FileBody> file;
    bhttp::response<bhttp::empty_body> message;  // the header, kept until written
    uint64_t sent = 0;                           // body bytes sent so far
    bool keep_alive = false;
  };

  // Sends what the socket takes of `out`'s file, up to kFileTurn bytes, then waits for the
  // socket to be writable again (or, having sent a turn's worth, lets the worker's other
  // connections run first).
  void SendFile(const std::shared_ptr<FileSend>& out) {
    const FileBody& file = *out->file;
    beast::error_code ignored;
    socket_.native_non_blocking(true, ignored);
    uint64_t turn = 0;
    while (out->sent < file.length()) {
      if (turn >= kFileTurn) {
        return asio::post(socket_.get_executor(),
                          Pooled(worker_.handler_pool,
                                 [self = shared_from_this(), out] { self->SendFile(out); }));
      }
      auto offset = static_cast<off_t>(file.offset() + out->sent);
      const size_t count =
          static_cast<size_t>(std::min<uint64_t>(kFileChunk, file.length() - out->sent));
      const ssize_t n = ::sendfile(socket_.native_handle(), file.fd(), &offset, count);
      if (n > 0) {
        out->sent += static_cast<uint64_t>(n);
        turn += static_cast<uint64_t>(n);
        ExpiresAfter(kWriteTimeout);  // progress: the next piece gets its own time
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        ExpiresAfter(kWriteTimeout);
        return socket_.async_wait(
            tcp::socket::wait_write,
            Pooled(worker_.handler_pool, [self = shared_from_this(), out](beast::error_code ec) {
              if (ec) return self->Close();  // the deadline passed, or we are stopping hard
              self->SendFile(out);
            }));
      }
      if (n == 0) {
        spdlog::warn("a file being sent ended {} bytes early", file.length() - out->sent);
      } else {
        spdlog::debug("file send ended: {}", std::strerror(errno));  // the client went away
      }
      return CloseSocket();
    }
    Finish(out->keep_alive);
  }

  // After a response: the next request, or the end of the connection.
  void Finish(bool keep_alive) {
    if (!keep_alive || stopping_) return Close();
    Read();
  }

  // A prepared answer: the header block is written into head_ (no Beast fields) from the
  // service's lines_, and the body from where it lies, in one gathered write.
  void WritePrepared(unsigned version, bool keep_alive, bool head) {
    const Answer& a = answer_;
    std::string& text = head_;
    text.clear();
    text += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    char digits[24];
    const auto status_end = std::to_chars(digits, digits + sizeof digits, a.response.status).ptr;
    text.append(digits, status_end);
    text += ' ';
    const beast::string_view reason =
        bhttp::obsolete_reason(static_cast<bhttp::status>(a.response.status));
    text.append(reason.data(), reason.size());
    text += "\r\nDate: ";
    text += HttpDate();
    text += "\r\n";
    text += lines_;
    if (a.response.status != 304) {
      const auto [end, error] =
          std::to_chars(digits, digits + sizeof digits, a.prepared_body.size());
      text += "Content-Length: ";
      text.append(digits, end);
      text += "\r\n";
    }
    if (!keep_alive && version != 10) text += "Connection: close\r\n";
    if (keep_alive && version == 10) text += "Connection: keep-alive\r\n";
    text += "\r\n";
    const std::string_view body =
        head || a.response.status == 304 ? std::string_view() : a.prepared_body;
    const std::array<asio::const_buffer, 2> buffers = {asio::buffer(text),
                                                       asio::buffer(body.data(), body.size())};
    ExpiresAfter(kWriteTimeout);
    asio::async_write(socket_, buffers,
                      Pooled(worker_.handler_pool,
                             [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                               self->answer_.owner.reset();  // the bytes are sent: let them go
                               if (ec || !keep_alive || self->stopping_) return self->Close();
                               self->Read();
                             }));
  }

  // The peer's IP as text ("" when the socket no longer knows it).
  std::string RemoteAddress() {
    beast::error_code ec;
    const tcp::endpoint peer = socket_.remote_endpoint(ec);
    return ec ? std::string() : peer.address().to_string();
  }

  void Close() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    if (drain_on_close_ && !stopping_) {
      drain_on_close_ = false;
      ExpiresAfter(kDrainTimeout);
      return Drain();
    }
    CloseSocket();
  }

  void CloseSocket() {
    beast::error_code ignored;
    socket_.close(ignored);
    deadline_ = std::chrono::steady_clock::time_point::max();
  }

  // Reads and drops what the client sends until it closes, kDrainTimeout passes or kDrainLimit
  // bytes were dropped.
  void Drain() {
    auto scratch = std::make_shared<std::array<char, 16 * 1024>>();
    socket_.async_read_some(asio::buffer(*scratch),
                            [self = shared_from_this(), scratch](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->stopping_ || self->drained_ > kDrainLimit)
                                return self->CloseSocket();
                              self->Drain();
                            });
  }

  // The next operation must complete within `timeout` (enforced by Expire).
  void ExpiresAfter(std::chrono::steady_clock::duration timeout) {
    deadline_ = std::chrono::steady_clock::now() + timeout;
  }

  Socket socket_;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  beast::flat_buffer buffer_;
  Request request_;  // the request being read or answered; reused (its storage kept)
  std::optional<RequestReader> parser_;
  Answer answer_;      // the answer being written
  std::string lines_;  // a prepared answer's header lines, from the service; reused
  std::string head_;   // a prepared answer's header block being written; reused
  Service& service_;
  Worker& worker_;
  bool reading_ = false;
  bool stopping_ = false;
  bool drain_on_close_ = false;    // Close() drains the unread request first (a refused upload)
  size_t drained_ = 0;             // bytes Drain() dropped
  const std::string address_key_;  // the client's AddressKey, for the per-address limits
  const bool exempt_;              // the per-address limits leave this client alone
  bool upload_ = false;            // holds one of the limits' upload places
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

void StartConnection(Worker& worker, Socket socket, std::string address_key, bool exempt) {
  std::make_shared<Connection>(std::move(socket), worker, std::move(address_key), exempt)->Start();
}

void Worker::ScheduleHousekeeping() {
  housekeeping_timer.expires_after(kHousekeeping);
  housekeeping_timer.async_wait([this](boost::system::error_code ec) {
    if (ec || stopping) return;
    const auto now = std::chrono::steady_clock::now();
    // Expire only closes sockets: the connections end later, in their handlers.
    for (Connection* connection : connections) connection->Expire(now);
    limiter.Prune(now);
    service.Tick(index);
    ScheduleHousekeeping();
  });
}

void Worker::Stop() {
  stopping = true;
  housekeeping_timer.cancel();
  for (Connection* connection : connections) connection->Stop();
  guard.reset();  // run() returns once the last connection is done
}

}  // namespace assetpub::http::internal
