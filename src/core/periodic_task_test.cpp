#include "core/periodic_task.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>

namespace assetpub {
namespace {

// A serving process's index follower reads the index after its first run; out of descriptors
// that read throws. It used to escape the task's thread and end the process (std::terminate).
TEST(PeriodicTask, WhatTheFirstRunsFollowUpThrowsIsLoggedAndTheTaskGoesOn) {
  std::atomic<int> runs{0};
  std::promise<void> followed_up;
  PeriodicTask task(
      "test", std::chrono::hours(1), [&] { ++runs; },
      [&] {
        followed_up.set_value();
        throw std::runtime_error("cannot open the index: Too many open files");
      });
  followed_up.get_future().wait();
  task.RunNow();
  task.Stop();
  EXPECT_EQ(runs.load(), 2);
}

}  // namespace
}  // namespace assetpub
