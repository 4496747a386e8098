#pragma once
// The server's workers, for http/'s own files only (not a header for other modules): one thread
// per Worker, each with its io_context and the connections it serves (http/connection.cpp); the
// Listener (http/listener.h) hands accepted sockets to them, and Serve (http/server.cpp) runs and
// stops them. Asio only: Beast stays inside connection.cpp.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <new>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>

#include "http/limits.h"
#include "http/server.h"
#include "http/service.h"

namespace assetpub::http::internal {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// A worker closes its connections that are past their deadline (Connection's
// timeouts) and gives the service its Tick this often.
constexpr auto kHousekeeping = std::chrono::seconds(1);

class Connection;

// A connection's socket, bound to its worker's io_context: its completions run inline on the
// worker's thread (a type-erased executor would allocate a function object for each).
using Socket = asio::basic_stream_socket<tcp, asio::io_context::executor_type>;

// Memory for the asynchronous operations of one worker's connections (Asio's custom handler
// allocation): blocks of kBlockSize on a free list. Once the worker has had as many operations
// in flight at once as it will, reads and writes no longer touch the heap (the blocks are kept:
// about 1 KiB per connection the worker ever served at once). Used by the worker's thread only,
// and by the io_context's destruction: it is declared before the io_context, which it outlives.
class HandlerPool {
 public:
  static constexpr size_t kBlockSize = 1024;

  HandlerPool() = default;
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;
  ~HandlerPool() {
    while (free_ != nullptr) ::operator delete(std::exchange(free_, free_->next));
  }

  void* Allocate(size_t size) {
    if (size > kBlockSize) return ::operator new(size);
    if (free_ == nullptr) return ::operator new(kBlockSize);
    return std::exchange(free_, free_->next);
  }
  void Deallocate(void* memory, size_t size) {
    if (size > kBlockSize) return ::operator delete(memory);
    free_ = new (memory) Node{free_};
  }

 private:
  struct Node {
    Node* next;
  };
  Node* free_ = nullptr;
};

// One thread: its io_context and the connections it serves. `connections` and `stopping` are only
// touched from the worker's own thread.
struct Worker {
  Worker(unsigned index, Service& service, const ServeOptions& options, ConnectionLimits& limits)
      : index(index),
        service(service),
        spool_dir(options.spool_dir),
        limits(limits),
        limiter(options.requests_per_second, options.request_burst) {}

  const unsigned index;  // the `worker` of the Service calls made on this thread
  Service& service;
  const std::string spool_dir;  // ServeOptions::spool_dir
  ConnectionLimits& limits;     // shared by the workers
  RateLimiter limiter;          // this worker's count of requests per address
  // Declared before `io`: destroying io destroys pending handlers, whose connections unregister
  // and whose memory returns to the pool.
  std::unordered_set<Connection*> connections;
  HandlerPool handler_pool;
  bool stopping = false;
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard{io.get_executor()};
  asio::steady_timer housekeeping_timer{io};
  std::thread thread;

  // Every kHousekeeping: closes the connections past their deadline (Connection::Expire: one
  // timer per worker rather than one per operation), then calls the service's Tick.
  void ScheduleHousekeeping();
  void Stop();
};

// Makes a Connection of `socket` on `worker` and starts reading from it; `address_key` and
// `exempt` as counted by the worker's limits (ConnectionLimits::Open), which the connection gives
// back when it ends. Call on the worker's thread.
void StartConnection(Worker& worker, Socket socket, std::string address_key, bool exempt);

}  // namespace assetpub::http::internal
