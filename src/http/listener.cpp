#include "http/listener.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/system/system_error.hpp>
#include <cerrno>
#include <chrono>
#include <string_view>
#include <utility>

#include "core/error.h"

namespace assetpub::http::internal {
namespace {

// Out of file descriptors, the listener stops accepting for this long.
constexpr auto kAcceptPause = std::chrono::milliseconds(100);

// What the server says to a connection it will not serve (over a connection cap, or shed while
// out of file descriptors), written without waiting, before it closes the socket.
constexpr std::string_view kBusyAnswer =
    "HTTP/1.1 503 Service Unavailable\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "Retry-After: 1\r\n"
    "Connection: close\r\n"
    "Content-Length: 42\r\n"
    "\r\n"
    "the server is busy: try again in a moment\n";

// Answers kBusyAnswer on `fd` and closes it, blocking on nothing: what the client has already
// sent is read first (closing with unread bytes would reset the connection before the client
// reads the answer), what the socket cannot take at once is dropped.
void TurnAway(int fd) {
  char scratch[16 * 1024];
  while (::recv(fd, scratch, sizeof scratch, MSG_DONTWAIT) > 0) {
  }
  [[maybe_unused]] const ssize_t sent =
      ::send(fd, kBusyAnswer.data(), kBusyAnswer.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  ::shutdown(fd, SHUT_WR);
  ::close(fd);
}
}  // namespace

Listener::Listener(tcp::acceptor& acceptor, std::vector<std::unique_ptr<Worker>>& workers,
                   ConnectionLimits& limits)
    : acceptor_(acceptor),
      workers_(workers),
      limits_(limits),
      pause_(acceptor.get_executor()),
      spare_(::open("/dev/null", O_RDONLY | O_CLOEXEC)) {}

Listener::~Listener() {
  if (spare_ >= 0) ::close(spare_);
}

void Listener::Accept() {
  Worker& worker = *workers_[next_++ % workers_.size()];
  acceptor_.async_accept(worker.io.get_executor(),
                         [this, &worker](boost::system::error_code ec, Socket socket) {
                           if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
                           if (ec == asio::error::connection_aborted)
                             return Accept();  // that client left
                           if (ec) return Pause(ec);
                           Admit(worker, std::move(socket));
                           Accept();
                         });
}
void Listener::Stop() {
  boost::system::error_code ignored;
  pause_.cancel(ignored);
}
void Listener::Admit(Worker& worker, Socket socket) {
  boost::system::error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return;  // gone already; the socket closes here
  const std::string address = peer.address().to_string();
  const bool exempt = limits_.Exempt(address);
  std::string key = exempt ? std::string() : AddressKey(address);
  if (!limits_.Open(key, exempt)) {
    // One text for every refusal, so that the log's rate limit holds it to a line per interval.
    spdlog::warn("turning connections away: over max_connections ({}) or the per-address cap",
                 limits_.max_total());
    return TurnAway(socket.release());
  }
  asio::post(worker.io,
             [&worker, socket = std::move(socket), key = std::move(key), exempt]() mutable {
               if (worker.stopping) {
                 worker.limits.Close(key, exempt);
                 return;  // the socket closes as it goes out of scope
               }
               StartConnection(worker, std::move(socket), std::move(key), exempt);
             });
}
void Listener::Pause(const boost::system::error_code& ec) {
  const bool out_of_descriptors = ec.value() == EMFILE || ec.value() == ENFILE;
  spdlog::warn("accepting connections failed ({}): pausing {} ms", ec.message(),
               std::chrono::milliseconds(kAcceptPause).count());
  if (out_of_descriptors && spare_ >= 0) {
    ::close(spare_);
    const int listener = acceptor_.native_handle();
    pollfd ready{listener, POLLIN, 0};
    if (::poll(&ready, 1, 0) == 1) {
      const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd >= 0) TurnAway(fd);
    }
    spare_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  }
  pause_.expires_after(kAcceptPause);
  pause_.async_wait([this](boost::system::error_code wait) {
    if (wait || !acceptor_.is_open()) return;
    Accept();
  });
}
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

}  // namespace assetpub::http::internal
