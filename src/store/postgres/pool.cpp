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
  return std::make_unique<Connection>(url_, lock_timeout_);
}

void Pool::Give(std::unique_ptr<Connection> connection) {
  if (!connection || !connection->is_open()) return;
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(connection));
}

}  // namespace assetpub::store::postgres
