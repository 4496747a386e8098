// http::Serve: starts the workers (http/worker.h, one io_context and thread each) and the
// listener (http/listener.h), and stops them on SIGINT/SIGTERM. The connections themselves, and
// Beast, are in http/connection.cpp.

#include "http/server.h"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <exception>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "http/limits.h"
#include "http/listen_address.h"
#include "http/listener.h"
#include "http/worker.h"

namespace assetpub::http {
namespace {

using internal::Listener;
using internal::Worker;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// On SIGINT/SIGTERM busy connections get this long to finish their response.
constexpr auto kShutdownGrace = std::chrono::seconds(10);
// The worker threads' name (top -H, perf; the hit-path test counts their allocations by it).
constexpr const char* kWorkerThreadName = "assetpub-http";

}  // namespace

unsigned WorkerCount(const ServeOptions& options) {
  return options.threads > 0 ? static_cast<unsigned>(options.threads)
                             : std::max(1u, std::thread::hardware_concurrency());
}

void Serve(const ServeOptions& options, Service& service) {
  const ListenAddress address = ParseListenAddress(options.listen);
  // sendfile(2) to a socket the client has closed raises SIGPIPE (Asio's own writes pass
  // MSG_NOSIGNAL; sendfile has no such flag): the failed call's EPIPE is all we need.
  std::signal(SIGPIPE, SIG_IGN);

  // Every connection is a descriptor: take all the system allows this process (the soft limit
  // is often 1,024 while the hard one is far higher), and keep a quarter of them for the store,
  // the index, files being sent and uploads being received.
  rlimit files{};
  size_t max_connections = options.max_connections;
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0) {
    if (files.rlim_cur < files.rlim_max) {
      files.rlim_cur = files.rlim_max;
      if (::setrlimit(RLIMIT_NOFILE, &files) != 0) ::getrlimit(RLIMIT_NOFILE, &files);
    }
    if (max_connections == 0 && files.rlim_cur != RLIM_INFINITY) {
      max_connections = std::max<size_t>(16, static_cast<size_t>(files.rlim_cur) / 4 * 3);
    }
  }
  ConnectionLimits limits(max_connections, options.max_connections_per_address, options.max_uploads,
                          options.exempt_addresses);

  const unsigned thread_count = WorkerCount(options);
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned i = 0; i < thread_count; ++i) {
    workers.push_back(std::make_unique<Worker>(i, service, options, limits));
  }
  asio::io_context& main_io = workers[0]->io;

  tcp::acceptor acceptor(main_io);
  internal::Bind(acceptor, main_io, address, options.listen);

  std::mutex mutex;  // guards stop_requested and running
  std::condition_variable changed;
  bool stop_requested = false;
  unsigned running = thread_count;

  // Installed before "listening" is printed, so a signal sent right after is not lost.
  asio::signal_set signals(main_io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal_number) {
    if (ec) return;
    spdlog::info("signal {}: stopping", signal_number);
    boost::system::error_code ignored;
    acceptor.close(ignored);
    const std::lock_guard lock(mutex);
    stop_requested = true;
    changed.notify_all();
  });
  Listener listener(acceptor, workers, limits);
  listener.Accept();

  std::cout << "listening on http://"
            << FormatHostPort(address.host, acceptor.local_endpoint().port()) << std::endl;
  spdlog::info("serving with {} thread(s), at most {} connection(s)", thread_count,
               max_connections);

  for (auto& worker : workers) {
    worker->ScheduleHousekeeping();
    worker->thread = std::thread([&, worker = worker.get()] {
      pthread_setname_np(pthread_self(), kWorkerThreadName);
      try {
        worker->io.run();
      } catch (const std::exception& e) {
        spdlog::error("worker stopped by an exception: {}", e.what());
      }
      // The last Tick, before Serve returns (the caller may then flush what Ticks handed over).
      worker->service.Tick(worker->index);
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
    boost::system::error_code ignored;
    signals.cancel(ignored);
    acceptor.close(ignored);
    listener.Stop();
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
  spdlog::info("stopped");
}

}  // namespace assetpub::http
