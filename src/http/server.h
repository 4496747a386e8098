#pragma once
// The HTTP server: Boost.Beast on Asio, one io_context per worker thread, keep-alive, timeouts,
// body limits and a graceful stop. It serves a Service (http/service.h) and knows nothing else.
// Only http/ includes Beast; this header deliberately shows none of it.

#include <string>
#include <vector>

#include "http/service.h"

namespace assetpub::http {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free port
  int threads = 0;                        // 0: one per core
  // Where upload bodies (those Service::BodyLimit allows over 1 MiB) are written as they
  // arrive, as nameless files (Request::spooled); empty: the system's temporary folder.
  std::string spool_dir;

  // Limits against floods and slow clients (config.toml's [server], core/config.h, says what
  // each means; docs/reliability.md their defaults). 0 turns a limit off, except
  // max_connections: 0 is three quarters of the process's open-file limit.
  size_t max_connections = 0;
  size_t max_connections_per_address = 0;
  double requests_per_second = 0;  // per address, in bursts up to request_burst
  double request_burst = 0;
  size_t max_uploads = 8;
  std::vector<std::string> exempt_addresses;  // the per-address limits leave these alone
};

// The number of worker threads Serve runs for `options` (the `worker` of the Service calls are
// 0 .. WorkerCount - 1).
unsigned WorkerCount(const ServeOptions& options);

// Binds, prints "listening on http://HOST:PORT" (the real port) on stdout and flushes, then
// serves `service` on WorkerCount(options) threads until SIGINT or SIGTERM: connections that are
// idle close at once, busy ones get 10 s to finish their answer. Raises the soft open-file limit
// to the hard one. Out of file descriptors, it stops accepting for 100 ms at a time, closing one
// waiting connection each time with a spare descriptor kept for that; a connection over
// max_connections or max_connections_per_address is answered 503 and closed at once. Returns after
// the last worker has stopped (each has had its last Service::Tick). Throws Error(kUnavailable)
// naming the address when it cannot be bound, Error(kInvalidInput) when `options.listen` is
// malformed.
void Serve(const ServeOptions& options, Service& service);

}  // namespace assetpub::http
