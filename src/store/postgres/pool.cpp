#include "store/postgres/pool.h"

namespace assetpub::store::postgres {

std::unique_ptr<Connection> Pool::Take(bool& pooled) {
  {
    std::lock_guard lock(mutex_);
    while (!idle_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_.back());
      idle_.pop_back();
      if (c->is_open()) {
        pooled = true;
        return c;
      }
    }
  }
  pooled = false;
  try {
    auto connection = std::make_unique<Connection>(url_, lock_timeout_, &live_);
    opened_.fetch_add(1, std::memory_order_relaxed);
    return connection;
  } catch (...) {
    failed_.fetch_add(1, std::memory_order_relaxed);
    throw;
  }
}

Pool::Stats Pool::stats() {
  Stats stats;
  {
    std::lock_guard lock(mutex_);
    stats.idle = static_cast<int64_t>(idle_.size());
  }
  stats.open = live_.load(std::memory_order_relaxed);
  stats.opened_total = opened_.load(std::memory_order_relaxed);
  stats.failed_total = failed_.load(std::memory_order_relaxed);
  return stats;
}

void Pool::Give(std::unique_ptr<Connection> connection) {
  if (!connection || !connection->is_open()) return;
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(connection));
}

}  // namespace assetpub::store::postgres
