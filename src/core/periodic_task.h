#pragma once
// PeriodicTask runs a function on a thread of its own: once at start, then about every
// `interval`, until stopped; RunNow() runs it at once on the caller's thread. Given a
// `wait_for_work` function, it runs only when that says there is work, as soon as it says so (a
// follower waiting on Store::WaitForChange). A run that throws
// is logged once per distinct message ("<what> failed, will retry: …") and retried on the next
// tick, so a follower whose store is away for a minute says so once, not sixty times.
// Thread-safety: construct, Stop() and destroy from one thread; RunNow() from any thread. Runs
// never overlap (a mutex serialises them).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

namespace assetpub {

class PeriodicTask {
 public:
  // Waits until there may be work (true) or `deadline` passes (false); may throw (logged as a
  // run's failure, then the task waits a whole interval before it tries again).
  using WaitForWork = std::function<bool(std::chrono::steady_clock::time_point deadline)>;

  // Starts the thread, whose first run is at once. `what` names the task in the log ("search
  // index: catching up"). `after_first_run` (may be empty) is called on the task's thread once
  // the first run is over, whether or not it succeeded (what it throws is logged, and the task
  // goes on). `wait_for_work` (may be empty): see the
  // top of this file; it is given deadlines at most 200 ms away, so Stop() never waits long for it.
  PeriodicTask(std::string what, std::chrono::milliseconds interval, std::function<void()> run,
               std::function<void()> after_first_run = {}, WaitForWork wait_for_work = {});
  // Stops and joins the thread (see Stop()).
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Asks the thread to stop and waits for it; a run in progress finishes first. Idempotent.
  void Stop();
  // Runs the function now, on the caller's thread, after any run in progress. Never throws
  // (failures are logged as on the task's thread).
  void RunNow();

  // True on the task's own thread (a run may also come from RunNow() on another thread): for a
  // run that lowers its thread's priority only where that thread is the task's.
  bool OnTaskThread() const {
    return std::this_thread::get_id() == task_thread_.load(std::memory_order_acquire);
  }

  // How many runs (and waits for work) have failed since the start: for /metrics.
  uint64_t failures() const { return failures_.load(std::memory_order_relaxed); }

 private:
  void Loop(const std::stop_token& stop);
  // Logs `e` unless it is the failure logged last (run_mutex_ held).
  void Report(const std::exception& e);
  // Sleeps `interval_` or until stopped.
  void Sleep(const std::stop_token& stop);

  const std::string what_;
  const std::chrono::milliseconds interval_;
  const std::function<void()> run_;
  const std::function<void()> after_first_run_;
  const WaitForWork wait_for_work_;
  std::mutex wait_mutex_;  // guards nothing but the wait: wake_ is notified through stop_token
  std::condition_variable_any wake_;
  std::mutex run_mutex_;    // serialises runs; guards last_error_
  std::string last_error_;  // the last failure logged; empty after a success
  std::atomic<uint64_t> failures_{0};
  std::atomic<std::thread::id> task_thread_{};  // set by Loop() before its first run
  std::jthread thread_;                         // last: started once everything above exists
};

}  // namespace assetpub
