#include "core/thread_priority.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

#include "core/periodic_task.h"

namespace assetpub {
namespace {

int ThreadNice() { return ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid())); }

TEST(ThreadPriority, LowersOnlyTheCallingThread) {
  const int before = ThreadNice();
  int in_thread = before;
  std::thread worker([&] {
    LowerThreadPriority();
    in_thread = ThreadNice();
  });
  worker.join();
  EXPECT_EQ(in_thread, std::max(before, kBackgroundNice));
  EXPECT_EQ(ThreadNice(), before);  // the caller's own priority is untouched
}

// The index follower lowers its priority only on its own thread: a run through RunNow() on a
// request thread must leave that thread as it was.
TEST(ThreadPriority, APeriodicTaskKnowsItsOwnThread) {
  std::atomic<int> on_task_thread{0}, elsewhere{0};
  std::promise<void> first_run;
  PeriodicTask* task_pointer = nullptr;
  std::atomic<bool> ready{false};
  PeriodicTask task(
      "test", std::chrono::hours(1),
      [&] {
        while (!ready.load()) std::this_thread::yield();  // task_pointer is set
        ++(task_pointer->OnTaskThread() ? on_task_thread : elsewhere);
      },
      [&] { first_run.set_value(); });
  task_pointer = &task;
  ready.store(true);
  first_run.get_future().wait();
  task.RunNow();
  task.Stop();
  EXPECT_EQ(on_task_thread.load(), 1);
  EXPECT_EQ(elsewhere.load(), 1);
}

}  // namespace
}  // namespace assetpub
