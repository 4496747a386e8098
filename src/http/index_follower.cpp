#include "http/index_follower.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace assetpub::http {

IndexFollower::IndexFollower(store::Store& store, search::SearchIndex& index,
                             std::chrono::milliseconds interval)
    : store_(store),
      index_(index),
      interval_(interval),
      thread_([this](const std::stop_token& stop) { Run(stop); }) {}

IndexFollower::~IndexFollower() { Stop(); }

void IndexFollower::Stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();  // wakes the wait below
  thread_.join();
}

void IndexFollower::Run(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    Tick();
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, stop, interval_, [] { return false; });
  }
}

void IndexFollower::Tick() {
  try {
    const int64_t last_change = store_.LastChange();
    if (last_change <= index_.LastApplied()) return;
    const int64_t touched = index_.CatchUp(store_);
    spdlog::info("search index: caught up to change {} ({} asset(s) re-indexed)", last_change,
                 touched);
    last_error_.clear();
  } catch (const std::exception& e) {
    // Typically another process (`assetpub reindex`, an import) holding the write lock for a
    // moment: say so once, and try again on the next tick.
    if (e.what() != last_error_) {
      spdlog::warn("search index: catching up failed, will retry: {}", e.what());
      last_error_ = e.what();
    }
  }
}

}  // namespace assetpub::http
