#pragma once
// Progress reports how far a long job is (gen-corpus, import, reindex, benchmarks). On a terminal
// it redraws one line on stderr at most ~10 times a second: a bar, done/total, rate, time left.
// Elsewhere (CI logs, pipes) it writes a plain line every 5 seconds and a summary at the end.
// Thread-safety: Advance() may be called from any number of threads at once (an atomic counter;
// drawing is serialised by draw_mutex_); Finish() and PrintAbove() likewise.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

namespace assetpub {

class Progress {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // Reports on std::cerr, as a redrawn bar when stderr is a terminal (isatty), else as plain
  // lines. `total` is the number of steps expected; 0 or less when it is not known (then no bar
  // and no time left are shown).
  Progress(std::string label, int64_t total);
  // For tests and callers with their own stream: writes to `out` (which must outlive this
  // object), draws a bar when `terminal` is true, and reads the time from `clock`.
  Progress(std::string label, int64_t total, std::ostream& out, bool terminal, Clock clock);
  // Ends a bar left on the screen (without a summary) when Finish() was not called.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Records `n` more steps done, and redraws (or prints) when it is time to. Cheap: an atomic
  // add and a clock read.
  void Advance(int64_t n = 1);
  // Writes the summary line ("label: 1000/1000 in 2.0 s, 500/s"), replacing the bar on a
  // terminal. Idempotent: only the first call writes; Advance() after it records but never draws.
  void Finish();
  // Runs `print` (which writes its own lines, e.g. to stdout, and flushes them) with the bar
  // cleared from the terminal, then redraws the bar below what it printed. On a non-terminal it
  // just runs `print`.
  void PrintAbove(const std::function<void()>& print);

  int64_t done() const { return done_.load(std::memory_order_relaxed); }
  bool terminal() const { return terminal_; }

  // The texts as drawn, for tests: the bar line of a terminal and the plain lines otherwise, for
  // `done` steps after `elapsed`.
  std::string BarLine(int64_t done, std::chrono::nanoseconds elapsed) const;
  std::string PlainLine(int64_t done, std::chrono::nanoseconds elapsed) const;
  std::string SummaryLine(int64_t done, std::chrono::nanoseconds elapsed) const;

 private:
  void Draw(std::chrono::steady_clock::time_point now);  // with draw_mutex_ held

  const std::string label_;
  const int64_t total_;
  std::ostream& out_;
  const bool terminal_;
  const Clock clock_;
  const std::chrono::steady_clock::time_point start_;
  const std::chrono::nanoseconds interval_;

  std::atomic<int64_t> done_{0};
  // Steady-clock nanoseconds after which the next draw is due; claimed by compare-exchange so
  // only one thread of many draws at a time.
  std::atomic<int64_t> next_draw_ns_;
  std::mutex draw_mutex_;  // guards out_, finished_, bar_shown_
  bool finished_ = false;
  bool bar_shown_ = false;
};

// "0:07", "12:34", "1:02:03": a duration for people, whole seconds.
std::string FormatDuration(std::chrono::nanoseconds duration);

}  // namespace assetpub
