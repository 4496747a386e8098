#include "http/cache_follower.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace assetpub::http {

CacheFollower::CacheFollower(PageCache& cache, std::chrono::milliseconds interval)
    : cache_(cache),
      interval_(interval),
      thread_([this](const std::stop_token& stop) { Run(stop); }) {}

CacheFollower::~CacheFollower() { Stop(); }

void CacheFollower::Stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void CacheFollower::Run(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    Tick();
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, stop, interval_, [] { return false; });
  }
}

void CacheFollower::Tick() {
  try {
    if (!cache_.lists_ready()) {
      const auto start = std::chrono::steady_clock::now();
      cache_.LoadSummaries();
      spdlog::info("response cache: list pages cacheable ({} ms to summarise the store)",
                   std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - start)
                       .count());
    }
    cache_.CatchUp();
    last_error_.clear();
  } catch (const std::exception& e) {
    if (e.what() != last_error_) {
      spdlog::warn("response cache: following the store failed, will retry: {}", e.what());
      last_error_ = e.what();
    }
  }
}

}  // namespace assetpub::http
