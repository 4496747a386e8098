// Asio 1.74's awaitable.hpp uses std::exchange without including <utility> (DEPENDENCIES.md).
#include <utility>
// The server: the only translation unit that includes Beast. It converts between Beast's
// messages and http::Request/Response and leaves everything else to App.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/span_body.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <ctime>
#include <iostream>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include "authoring/scheduler.h"
#include "authoring/workflow.h"
#include "core/error.h"
#include "http/app.h"
#include "http/cache_follower.h"
#include "http/index_follower.h"
#include "http/listen_address.h"
#include "http/media_routes.h"
#include "http/server.h"
#include "http/view_counter.h"

namespace assetpub::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// A whole request (headers and body) must arrive within this, and so must the next request on
// a kept-alive connection; a response must be taken within kWriteTimeout.
constexpr auto kReadTimeout = std::chrono::seconds(30);
constexpr auto kWriteTimeout = std::chrono::seconds(30);
constexpr size_t kHeaderLimit = 16 * 1024;
constexpr size_t kBodyLimit = 1024 * 1024;
// A refused upload's connection reads (and drops) what the client still sends for this long.
constexpr auto kDrainTimeout = std::chrono::seconds(10);
// On SIGINT/SIGTERM busy connections get this long to finish their response.
constexpr auto kShutdownGrace = std::chrono::seconds(10);

class Session;

// One thread: its io_context and the connections it serves. `sessions` and `stopping` are only
// touched from the worker's own thread.
struct Worker {
  // Declared before `io`: destroying io destroys pending handlers, whose sessions unregister.
  std::unordered_set<Session*> sessions;
  bool stopping = false;
  ViewCounter* views = nullptr;      // item page views, for "most read" lists (shared by workers)
  size_t upload_limit = kBodyLimit;  // the body limit of uploads (IsUploadTarget)
  size_t media_max_bytes = 0;        // config.media_max_bytes, for the 413's message
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard{io.get_executor()};
  std::thread thread;

  void Stop();
};

std::string FormatDate(std::time_t now);

// The Date header's value, formatted once a second per thread.
const std::string& HttpDate() {
  thread_local std::time_t last = 0;
  thread_local std::string text;
  const std::time_t now = std::time(nullptr);
  if (now != last || text.empty()) {
    last = now;
    text = FormatDate(now);
  }
  return text;
}

std::string FormatDate(std::time_t now) {
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[64];
  const size_t size = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(text, size);
}

// One connection: reads requests one after another (keep-alive), answers each through the App.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const App& app, Worker& worker)
      : stream_(std::move(socket)), app_(app), worker_(worker) {}
  ~Session() { worker_.sessions.erase(this); }

  void Start() {
    worker_.sessions.insert(this);
    Read();
  }

  // Shutdown: a connection waiting for a request is closed now; one busy with a request closes
  // once its response is written.
  void Stop() {
    stopping_ = true;
    if (reading_) stream_.close();
  }

 private:
  // The header first: its target decides the body limit (uploads get config.media_max_bytes,
  // every other request kBodyLimit), and a declared length over it is refused before the body
  // is read (OnHeader, with a problem+json 413 under /api/). Beast checks Content-Length against
  // the limit as the header completes, so the parser starts without one.
  void Read() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(kReadTimeout);
    reading_ = true;
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, size_t bytes) {
    if (ec) return OnRead(ec, bytes);
    const auto& header = parser_->get();
    const std::string method(header.method_string());
    const std::string target(header.target());
    const bool upload = IsUploadTarget(method, target);
    const size_t limit = upload ? worker_.upload_limit : kBodyLimit;
    if (parser_->content_length() && *parser_->content_length() > limit) {
      reading_ = false;
      Request request;
      request.method = method;
      request.path = target.substr(0, target.find('?'));
      Response response = app_.ErrorResponse(
          request, 413, ErrorCodeName(ErrorCode::kTooLarge),
          upload ? fmt::format("the upload is larger than the {} bytes a file may have "
                               "(media_max_bytes)",
                               worker_.media_max_bytes)
                 : fmt::format("the body is larger than the {} bytes accepted", limit));
      AddSecurityHeaders(response);
      // The body is not kept: the connection closes after the answer, once what the client
      // still sends is drained (closing with unread bytes would reset the connection, and the
      // client might never see the 413).
      drain_on_close_ = true;
      return Write(std::move(response), header.version(), false, false, method, target);
    }
    parser_->body_limit(limit);
    // A client that waits for "100 Continue" before sending a large body (curl does above
    // 1 MiB) would otherwise wait a second for nothing.
    if (beast::iequals(header[bhttp::field::expect], "100-continue") && header.version() == 11) {
      auto interim = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                          header.version());
      bhttp::async_write(stream_, *interim,
                         [self = shared_from_this(), interim](beast::error_code ec, size_t) {
                           if (ec) return self->Close();
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    reading_ = false;
    if (ec) {
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
      Response response = Response::Text(status, fmt::format("{}\n", ec.message()));
      AddSecurityHeaders(response);
      return Write(std::move(response), 11, false, false, "-", "-");
    }
    started_ = std::chrono::steady_clock::now();
    bhttp::request<bhttp::string_body> message = parser_->release();
    const bool head = message.method() == bhttp::verb::head;
    std::string method(message.method_string());
    std::string target(message.target());
    HeaderList headers;
    for (const auto& field : message) {
      headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    App::Answer answer = app_.Respond(method, target, std::move(headers), std::move(message.body()),
                                      RemoteAddress());
    if (std::optional<int64_t> id = ItemViewId(method, target, answer.response.status)) {
      worker_.views->Add(*id);
    }
    Write(std::move(answer), message.version(), message.keep_alive() && !stopping_, head,
          std::move(method), std::move(target));
  }

  void Write(Response response, unsigned version, bool keep_alive, bool head, std::string method,
             std::string target) {
    App::Answer answer;
    answer.response = std::move(response);
    Write(std::move(answer), version, keep_alive, head, std::move(method), std::move(target));
  }

  // Writes `answer`; its body is sent from where it lies (a cached entry's bytes are not copied).
  void Write(App::Answer answer, unsigned version, bool keep_alive, bool head, std::string method,
             std::string target) {
    if (answer.entry) return WriteCached(std::move(answer), version, keep_alive, head);
    struct Outgoing {
      App::Answer answer;
      bhttp::response<bhttp::span_body<const char>> message;
    };
    auto out = std::make_shared<Outgoing>();
    out->answer = std::move(answer);
    const Response& response = out->answer.response;
    app_.metrics().Count(response.status);
    auto& message = out->message;
    message.result(static_cast<bhttp::status>(response.status));
    message.version(version);
    message.set(bhttp::field::date, HttpDate());
    for (const auto& [name, value] : response.headers) message.set(name, value);
    message.keep_alive(keep_alive);
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
    stream_.expires_after(kWriteTimeout);
    bhttp::async_write(stream_, message,
                       [self = shared_from_this(), out, keep_alive](beast::error_code ec, size_t) {
                         if (ec || !keep_alive || self->stopping_) return self->Close();
                         self->Read();
                       });
  }

  // A cached answer: the header block is written straight from the entry (one string, no
  // Beast fields) and the body from the entry's bytes, in one gathered write.
  void WriteCached(App::Answer answer, unsigned version, bool keep_alive, bool head) {
    struct Outgoing {
      App::Answer answer;
      std::string head;
    };
    auto out = std::make_shared<Outgoing>();
    out->answer = std::move(answer);
    const App::Answer& a = out->answer;
    app_.metrics().Count(a.response.status);
    std::string& text = out->head;
    text.reserve(640);
    text += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    text += a.response.status == 304 ? "304 Not Modified\r\n" : "200 OK\r\n";
    text += "Date: ";
    text += HttpDate();
    text += "\r\n";
    AppendCachedHeaderLines(*a.entry, a.cached, text);
    if (a.response.status != 304) {
      text += "Content-Length: ";
      text += std::to_string(a.cached_body.size());
      text += "\r\n";
    }
    if (!keep_alive && version != 10) text += "Connection: close\r\n";
    if (keep_alive && version == 10) text += "Connection: keep-alive\r\n";
    text += "\r\n";
    const std::string_view body =
        head || a.response.status == 304 ? std::string_view() : a.cached_body;
    const std::array<asio::const_buffer, 2> buffers = {asio::buffer(text),
                                                       asio::buffer(body.data(), body.size())};
    stream_.expires_after(kWriteTimeout);
    asio::async_write(stream_, buffers,
                      [self = shared_from_this(), out, keep_alive](beast::error_code ec, size_t) {
                        if (ec || !keep_alive || self->stopping_) return self->Close();
                        self->Read();
                      });
  }

  // The peer's IP as text ("" when the socket no longer knows it).
  std::string RemoteAddress() {
    beast::error_code ec;
    const tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    return ec ? std::string() : peer.address().to_string();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (drain_on_close_ && !stopping_) {
      drain_on_close_ = false;
      stream_.expires_after(kDrainTimeout);
      return Drain();
    }
    stream_.close();
  }

  // Reads and drops what the client sends until it closes or kDrainTimeout passes.
  void Drain() {
    auto scratch = std::make_shared<std::array<char, 16 * 1024>>();
    stream_.async_read_some(asio::buffer(*scratch),
                            [self = shared_from_this(), scratch](beast::error_code ec, size_t) {
                              if (ec || self->stopping_) return self->stream_.close();
                              self->Drain();
                            });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  const App& app_;
  Worker& worker_;
  bool reading_ = false;
  bool stopping_ = false;
  bool drain_on_close_ = false;  // Close() drains the unread request first (a refused upload)
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

void Worker::Stop() {
  stopping = true;
  for (Session* session : sessions) session->Stop();
  guard.reset();  // run() returns once the last connection is done
}

// Accepts on the first worker's io_context and hands connections to the workers in turn.
class Listener {
 public:
  Listener(tcp::acceptor& acceptor, std::vector<std::unique_ptr<Worker>>& workers, const App& app)
      : acceptor_(acceptor), workers_(workers), app_(app) {}

  void Accept() {
    Worker& worker = *workers_[next_++ % workers_.size()];
    acceptor_.async_accept(
        asio::any_io_executor(worker.io.get_executor()),
        [this, &worker](beast::error_code ec, tcp::socket socket) {
          if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
          if (ec) {
            spdlog::warn("accept failed: {}", ec.message());
          } else {
            asio::post(worker.io, [this, &worker, socket = std::move(socket)]() mutable {
              if (worker.stopping) return;  // the socket closes as it goes out of scope
              std::make_shared<Session>(std::move(socket), app_, worker)->Start();
            });
          }
          Accept();
        });
  }

 private:
  tcp::acceptor& acceptor_;
  std::vector<std::unique_ptr<Worker>>& workers_;
  const App& app_;
  size_t next_ = 0;
};

// Opens, binds and listens. Throws Error(kUnavailable) naming the address when that fails.
void Bind(tcp::acceptor& acceptor, asio::io_context& io, const ListenAddress& address,
          const std::string& text) {
  try {
    tcp::resolver resolver(io);
    const auto results =
        resolver.resolve(address.host, std::to_string(address.port), tcp::resolver::passive);
    const tcp::endpoint endpoint = results.begin()->endpoint();
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
  } catch (const boost::system::system_error& e) {
    throw Error(ErrorCode::kUnavailable,
                fmt::format("cannot listen on {}: {}", text, e.code().message()));
  }
}

}  // namespace

void Serve(const ServeOptions& options, const Config& config, store::Store& store,
           search::SearchIndex* index, const publish::Publishers* publishers,
           auth::Authenticator* auth) {
  const ListenAddress address = ParseListenAddress(options.listen);
  // Loads templates, locales and static files: fails early.
  App app(config, store, index, publishers, auth);
  if (index == nullptr) spdlog::warn("no search index: search answers 503");

  const unsigned thread_count = options.threads > 0
                                    ? static_cast<unsigned>(options.threads)
                                    : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<Worker>> workers;
  // Item page views reach the store every 10 s and once more after the last request.
  ViewCounter views;
  ViewFlusher view_flusher(store, views);
  for (unsigned i = 0; i < thread_count; ++i) {
    workers.push_back(std::make_unique<Worker>());
    workers.back()->views = &views;
    workers.back()->upload_limit = UploadBodyLimit(config);
    workers.back()->media_max_bytes = config.media_max_bytes;
  }
  asio::io_context& main_io = workers[0]->io;

  tcp::acceptor acceptor(main_io);
  Bind(acceptor, main_io, address, options.listen);

  std::mutex mutex;  // guards stop_requested and running
  std::condition_variable changed;
  bool stop_requested = false;
  unsigned running = thread_count;

  // Installed before "listening" is printed, so a signal sent right after is not lost.
  asio::signal_set signals(main_io, SIGINT, SIGTERM);
  signals.async_wait([&](const beast::error_code& ec, int signal_number) {
    if (ec) return;
    spdlog::info("signal {}: stopping", signal_number);
    beast::error_code ignored;
    acceptor.close(ignored);
    const std::lock_guard lock(mutex);
    stop_requested = true;
    changed.notify_all();
  });
  Listener listener(acceptor, workers, app);
  listener.Accept();

  // The index is derived data: it catches up with whatever was written while no server ran on
  // the follower's thread, while the site already answers (search says it is catching up until
  // then), and then follows the store's changes log until shutdown.
  std::optional<IndexFollower> follower;
  if (index != nullptr) {
    app.SetSearchReady(false);
    follower.emplace(store, *index, std::chrono::milliseconds(500), [&app, index] {
      app.SetSearchReady(true);
      spdlog::info("search index: {} document(s), at change {}", index->DocumentCount(),
                   index->LastApplied());
    });
    // This process's writes are searchable before their writer answers.
    app.changes().Subscribe([&follower] { follower->CatchUpNow(); });
  }
  // The response cache follows other processes' writes (this process's go through changes()).
  std::optional<CacheFollower> cache_follower;
  if (app.page_cache() != nullptr) cache_follower.emplace(*app.page_cache());
  // Scheduled items go public at their second (authoring/scheduler.h); like every write of this
  // process, the cache and the index catch up before anyone sees the next page.
  authoring::WorkflowOptions scheduling;
  scheduling.on_commit = [&app] { app.changes().Notify(); };
  authoring::Workflow scheduled(store, auth, scheduling);
  std::optional<authoring::Scheduler> scheduler(std::in_place, scheduled);

  std::cout << "listening on http://"
            << FormatHostPort(address.host, acceptor.local_endpoint().port()) << std::endl;
  spdlog::info("serving with {} thread(s)", thread_count);

  for (auto& worker : workers) {
    worker->thread = std::thread([&, io = &worker->io] {
      try {
        io->run();
      } catch (const std::exception& e) {
        spdlog::error("worker stopped by an exception: {}", e.what());
      }
      const std::lock_guard lock(mutex);
      --running;
      changed.notify_all();
    });
  }

  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return stop_requested || running < thread_count; });
  }
  // Graceful stop: no new connections (the acceptor is closed), idle ones are closed, busy ones
  // finish their response; whatever is left after the grace period is cut off.
  asio::post(main_io, [&] {
    beast::error_code ignored;
    signals.cancel(ignored);
    acceptor.close(ignored);
  });
  for (auto& worker : workers) {
    asio::post(worker->io, [worker = worker.get()] { worker->Stop(); });
  }
  {
    std::unique_lock lock(mutex);
    if (!changed.wait_for(lock, kShutdownGrace, [&] { return running == 0; })) {
      spdlog::warn("connections still busy after {}s: closing them",
                   std::chrono::seconds(kShutdownGrace).count());
      for (auto& worker : workers) worker->io.stop();
    }
  }
  for (auto& worker : workers) worker->thread.join();
  view_flusher.Stop();
  scheduler.reset();
  if (cache_follower) cache_follower->Stop();
  if (follower) follower->Stop();
  spdlog::info("stopped");
}

}  // namespace assetpub::http
