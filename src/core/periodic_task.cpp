#include "core/periodic_task.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <utility>

namespace assetpub {

PeriodicTask::PeriodicTask(std::string what, std::chrono::milliseconds interval,
                           std::function<void()> run, std::function<void()> after_first_run,
                           WaitForWork wait_for_work)
    : what_(std::move(what)),
      interval_(interval),
      run_(std::move(run)),
      after_first_run_(std::move(after_first_run)),
      wait_for_work_(std::move(wait_for_work)),
      thread_([this](const std::stop_token& stop) { Loop(stop); }) {}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();  // wakes the wait in Loop
  thread_.join();
}

void PeriodicTask::RunNow() {
  const std::lock_guard lock(run_mutex_);
  try {
    run_();
    last_error_.clear();
  } catch (const std::exception& e) {
    Report(e);
  }
}

void PeriodicTask::Report(const std::exception& e) {
  failures_.fetch_add(1, std::memory_order_relaxed);
  if (e.what() != last_error_) {
    spdlog::warn("{} failed, will retry: {}", what_, e.what());
    last_error_ = e.what();
  }
}

void PeriodicTask::Sleep(const std::stop_token& stop) {
  std::unique_lock lock(wait_mutex_);
  wake_.wait_for(lock, stop, interval_, [] { return false; });
}

void PeriodicTask::Loop(const std::stop_token& stop) {
  task_thread_.store(std::this_thread::get_id(), std::memory_order_release);
  RunNow();
  if (after_first_run_) {
    // It may fail like a run (it reads what the run made): out of descriptors, a serving
    // process's index could not be opened here, and an escape would end the process.
    try {
      after_first_run_();
    } catch (const std::exception& e) {
      spdlog::warn("{}: after the first run: {}", what_, e.what());
    }
  }
  while (!stop.stop_requested()) {
    if (!wait_for_work_) {
      Sleep(stop);
    } else {
      try {
        // Short slices, so that Stop() never waits long for the wait to return.
        const auto slice = std::min(interval_, std::chrono::milliseconds(200));
        if (!wait_for_work_(std::chrono::steady_clock::now() + slice)) continue;
      } catch (const std::exception& e) {
        {
          const std::lock_guard lock(run_mutex_);
          Report(e);
        }
        Sleep(stop);  // a whole interval before trying again: no busy loop while it fails
      }
    }
    if (!stop.stop_requested()) RunNow();
  }
}

}  // namespace assetpub
