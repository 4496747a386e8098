#pragma once
// The server's listener, for http/'s own files only (http/worker.h): opens the listening socket
// (Bind) and accepts on it (Listener). Asio only.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "http/limits.h"
#include "http/listen_address.h"
#include "http/worker.h"

namespace assetpub::http::internal {

// Accepts on the first worker's io_context and hands connections to the workers in turn, within
// the connection caps (ConnectionLimits): a connection over one is turned away with a 503 written
// without waiting. Out of file descriptors (EMFILE, ENFILE), accepting would fail again at once
// and spin: the listener then turns one waiting client away with a descriptor it keeps spare for
// this, and pauses before accepting again (100 ms). Runs on the first worker's thread only.
class Listener {
 public:
  // `acceptor`, `workers` and `limits` must outlive the listener.
  Listener(tcp::acceptor& acceptor, std::vector<std::unique_ptr<Worker>>& workers,
           ConnectionLimits& limits);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Accepts the next connection, and so on until the acceptor is closed.
  void Accept();
  // Cancels a pause after a failed accept (shutdown; the acceptor is closed by the caller).
  void Stop();

 private:
  void Admit(Worker& worker, Socket socket);
  // After a failed accept: out of descriptors, one waiting client is turned away with the spare
  // one; then accepting resumes after the pause (the log says so once per interval).
  void Pause(const boost::system::error_code& ec);

  tcp::acceptor& acceptor_;
  std::vector<std::unique_ptr<Worker>>& workers_;
  ConnectionLimits& limits_;
  asio::steady_timer pause_;
  int spare_;  // a descriptor kept to be given up when there are none left (-1 if none)
  size_t next_ = 0;
};

// Opens, binds and listens. Throws Error(kUnavailable) naming the address (`text`, as the user
// wrote it) when that fails.
void Bind(tcp::acceptor& acceptor, asio::io_context& io, const ListenAddress& address,
          const std::string& text);

}  // namespace assetpub::http::internal
