#include "authoring/scheduler.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

namespace assetpub::authoring {

Scheduler::Scheduler(Workflow& workflow, std::function<bool()> lead)
    : workflow_(workflow), lead_(std::move(lead)), thread_([this] { Run(); }) {}

Scheduler::~Scheduler() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Scheduler::Report(const std::string& failure) {
  const std::lock_guard lock(report_mutex_);
  if (failure.empty()) {
    if (!last_error_.empty()) spdlog::info("scheduler: running again");
  } else if (failure != last_error_) {
    // The store is busy or down: tried again every second, said once.
    spdlog::error("scheduler: {} (trying again every second)", failure);
  }
  last_error_ = failure;
}

std::vector<int64_t> Scheduler::Step(content::Instant now) {
  std::vector<int64_t> published;
  std::string failure;
  try {
    published = workflow_.PublishDue(now);
    if (!published.empty()) spdlog::info("scheduler: {} item(s) published", published.size());
  } catch (const std::exception& e) {
    failure = e.what();
  }
  // After publishing, so that an item scheduled and expiring in the same second is taken down.
  try {
    const std::vector<int64_t> expired = workflow_.ExpireDue(now);
    if (!expired.empty()) spdlog::info("scheduler: {} item(s) expired", expired.size());
  } catch (const std::exception& e) {
    if (failure.empty()) failure = e.what();
  }
  Report(failure);
  return published;
}

void Scheduler::Run() {
  using Clock = std::chrono::system_clock;
  std::unique_lock lock(mutex_);
  while (!stop_) {
    // The start of the next whole second of the wall clock (content::Now counts whole seconds
    // of the same clock).
    const auto now = Clock::now();
    const auto next =
        std::chrono::time_point_cast<std::chrono::seconds>(now) + std::chrono::seconds(1);
    if (wake_.wait_until(lock, next, [this] { return stop_; })) break;
    lock.unlock();
    if (lead_) {
      const bool leading = lead_();
      if (leading != leading_) {
        spdlog::info(leading ? "scheduler: this node publishes scheduled items"
                             : "scheduler: another node publishes scheduled items");
        leading_ = leading;
      }
      if (!leading) {
        lock.lock();
        continue;
      }
    }
    Step(content::Instant{
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count()});
    lock.lock();
  }
}

}  // namespace assetpub::authoring
