#include "web/view_counter.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "http/params.h"

namespace assetpub::web {

void ViewCounter::Add(int64_t id, int64_t count) {
  Shard& shard = shards_[static_cast<uint64_t>(id) % kShards];
  const std::lock_guard lock(shard.mutex);
  shard.views[id] += count;
}

std::vector<std::pair<int64_t, int64_t>> ViewCounter::Drain() {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (Shard& shard : shards_) {
    std::unordered_map<int64_t, int64_t> views;
    {
      const std::lock_guard lock(shard.mutex);
      views.swap(shard.views);
    }
    out.insert(out.end(), views.begin(), views.end());
  }
  std::sort(out.begin(), out.end());
  return out;
}

WorkerViews::WorkerViews(ViewCounter& counter, unsigned workers)
    : counter_(counter), pending_(workers) {}

void WorkerViews::HandOver(unsigned worker) {
  auto& views = pending_[worker].views;
  for (auto it = views.begin(); it != views.end();) {
    if (it->second == 0) {
      it = views.erase(it);
    } else {
      counter_.Add(it->first, it->second);
      it->second = 0;
      ++it;
    }
  }
}

std::optional<int64_t> ItemViewId(std::string_view method, std::string_view target, int status) {
  if (method != "GET" || status != 200) return std::nullopt;
  // "/{lang}/assets/{id}-{slug}": three segments, the second "assets".
  const std::string_view path = target.substr(0, target.find('?'));
  if (path.size() < 2 || path[0] != '/') return std::nullopt;
  const size_t lang_end = path.find('/', 1);
  if (lang_end == std::string_view::npos) return std::nullopt;
  constexpr std::string_view kAssets = "/assets/";
  if (path.substr(lang_end, kAssets.size()) != kAssets) return std::nullopt;
  const std::string_view item = path.substr(lang_end + kAssets.size());
  if (item.find('/') != std::string_view::npos) return std::nullopt;
  return http::ParseInteger(item.substr(0, item.find('-')), 1, INT64_MAX);
}

ViewFlusher::ViewFlusher(store::Store& store, ViewCounter& counter,
                         std::chrono::milliseconds interval)
    : store_(store), counter_(counter), interval_(interval) {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, interval_, [this] { return stopping_; });
      lock.unlock();
      Flush();
      lock.lock();
    }
  });
}

ViewFlusher::~ViewFlusher() { Stop(); }

void ViewFlusher::Stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  Flush();  // what was counted since the thread's last round
}

void ViewFlusher::Flush() {
  std::vector<std::pair<int64_t, int64_t>> views = counter_.Drain();
  if (views.empty()) return;
  try {
    store_.AddViews(views);
  } catch (const std::exception& e) {
    // Views are not worth failing over: keep them for the next attempt.
    spdlog::warn("page views: writing {} count(s) failed, will retry: {}", views.size(), e.what());
    for (const auto& [id, count] : views) counter_.Add(id, count);
  }
}

}  // namespace assetpub::web
