#pragma once
// Scheduler makes scheduled items public at their second, and takes expired ones down at theirs:
// a thread that wakes at the start of every wall-clock second and asks the workflow to publish
// what is due (Workflow::PublishDue: one indexed read when nothing is), then to expire what is due
// (Workflow::ExpireDue). Waking every second rather than sleeping until the next known
// time means schedules made by other processes (another node, the command line) go out at their
// second too, with no signal needed. An item scheduled for 12:00:00 becomes visible within the
// first milliseconds of 12:00:00 and keeps 12:00:00 as its publication time.
//
// With several nodes on one store, each node's Scheduler asks `lead()` (Store::Lead) before each
// second's round and runs it only while it leads, so items go out once; when the leader dies,
// another node takes the lease at its next second and publishes whatever came due meanwhile.
//
// Thread-safety: the constructor starts the thread, the destructor stops and joins it; Step() is
// for tests and may run alongside the thread.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "authoring/workflow.h"

namespace assetpub::authoring {

class Scheduler {
 public:
  // Starts the thread; `workflow` must outlive the Scheduler. `lead` (empty: always) says whether
  // this process runs the rounds now.
  explicit Scheduler(Workflow& workflow, std::function<bool()> lead = {});
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // One round at `now`: PublishDue, then ExpireDue; returns what PublishDue published. Failures
  // are logged, never thrown.
  std::vector<int64_t> Step(content::Instant now);

 private:
  void Run();

  Workflow& workflow_;
  const std::function<bool()> lead_;
  bool leading_ = false;  // Run()'s own: what lead_ said last
  // Logs a failed step (`failure`: its first error; empty for a step that succeeded) once per
  // distinct message, so the store away for a minute is one line, not 120; and the recovery once.
  void Report(const std::string& failure);

  std::mutex mutex_;         // guards stop_
  std::mutex report_mutex_;  // guards last_error_
  std::string last_error_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace assetpub::authoring
