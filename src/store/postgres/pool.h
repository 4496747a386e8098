#pragma once
// Pool: the PostgreSQL store's connections, lent one call at a time. Read() and Write() run a
// body in a transaction on a lent connection and give it back; a connection that broke (the server
// restarted, the network dropped) is dropped, and a call that failed only because a pooled
// connection had broken is tried once more on a new one, so a node recovers by itself when the
// database is back. Internal to store/postgres/. Thread-safe.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/connection.h"

namespace assetpub::store::postgres {

class Pool {
 public:
  Pool(std::string url, std::chrono::milliseconds lock_timeout, size_t max_idle = 16)
      : url_(std::move(url)), lock_timeout_(lock_timeout), max_idle_(max_idle) {}

  // A connection: an idle one, or a new one (Error(kUnavailable) when it cannot connect).
  // `pooled` says which.
  std::unique_ptr<Connection> Take(bool& pooled);
  // Returns `connection` to the idle list (dropped when it is closed or the list is full).
  void Give(std::unique_ptr<Connection> connection);

  // Runs `body(Tx&)` in one transaction of isolation `Work` (a pqxx transaction type) and commits
  // it; returns what `body` returns. Errors as connection.h says.
  template <typename Work, typename Body>
  auto Run(Body&& body) -> decltype(body(std::declval<Tx&>()));

  const std::string& url() const { return url_; }

  // For /metrics (Store::Connections): connections alive (idle or lent), idle, opened since the
  // start, and attempts to open one that failed.
  struct Stats {
    int64_t open = 0;
    int64_t idle = 0;
    int64_t opened_total = 0;
    int64_t failed_total = 0;
  };
  Stats stats();
  std::chrono::milliseconds lock_timeout() const { return lock_timeout_; }

 private:
  const std::string url_;
  const std::chrono::milliseconds lock_timeout_;
  const size_t max_idle_;
  std::mutex mutex_;  // guards idle_
  std::vector<std::unique_ptr<Connection>> idle_;
  std::atomic<int64_t> live_{0};
  std::atomic<int64_t> opened_{0};
  std::atomic<int64_t> failed_{0};
};

template <typename Work, typename Body>
auto Pool::Run(Body&& body) -> decltype(body(std::declval<Tx&>())) {
  for (int attempt = 0;; ++attempt) {
    bool pooled = false;
    std::unique_ptr<Connection> c = Take(pooled);
    try {
      Work work(c->raw());
      Tx tx(*c, work);
      if constexpr (std::is_void_v<decltype(body(tx))>) {
        body(tx);
        work.commit();
        Give(std::move(c));
        return;
      } else {
        auto result = body(tx);
        work.commit();
        Give(std::move(c));
        return result;
      }
    } catch (const pqxx::broken_connection&) {
      // A pooled connection the server dropped since its last use: once more on a new one.
      if (pooled && attempt == 0) continue;
      RethrowTranslated();
    } catch (...) {
      if (c->is_open()) Give(std::move(c));
      RethrowTranslated();
    }
  }
}

}  // namespace assetpub::store::postgres
