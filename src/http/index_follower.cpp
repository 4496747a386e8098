#include "http/index_follower.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <utility>

namespace assetpub::http {

IndexFollower::IndexFollower(store::Store& store, search::SearchIndex& index,
                             std::chrono::milliseconds interval,
                             std::function<void()> on_first_tick)
    : store_(store),
      index_(index),
      interval_(interval),
      on_first_tick_(std::move(on_first_tick)),
      thread_([this](const std::stop_token& stop) { Run(stop); }) {}

IndexFollower::~IndexFollower() { Stop(); }

void IndexFollower::Stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();  // wakes the wait below
  thread_.join();
}

void IndexFollower::CatchUpNow() { Tick(); }

void IndexFollower::Run(const std::stop_token& stop) {
  Tick();
  if (on_first_tick_) on_first_tick_();
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, stop, interval_, [] { return false; });
    }
    if (!stop.stop_requested()) Tick();
  }
}

void IndexFollower::Tick() {
  const std::lock_guard lock(tick_mutex_);
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
