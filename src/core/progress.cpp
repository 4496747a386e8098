#include "core/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace assetpub {
namespace {

using std::chrono::nanoseconds;
using std::chrono::steady_clock;

constexpr nanoseconds kTerminalInterval = std::chrono::milliseconds(100);
constexpr nanoseconds kPlainInterval = std::chrono::seconds(5);
constexpr int kBarWidth = 30;

double Seconds(nanoseconds d) { return static_cast<double>(d.count()) / 1e9; }

std::string FormatRate(int64_t done, nanoseconds elapsed) {
  const double seconds = Seconds(elapsed);
  if (seconds <= 0 || done <= 0) return "-/s";
  const double rate = static_cast<double>(done) / seconds;
  return rate < 10 ? fmt::format("{:.1f}/s", rate) : fmt::format("{:.0f}/s", rate);
}

// Time left at the average rate so far; empty when it cannot be told yet.
std::string FormatLeft(int64_t done, int64_t total, nanoseconds elapsed) {
  if (total <= 0 || done <= 0 || elapsed.count() <= 0) return {};
  const int64_t remaining = total > done ? total - done : 0;
  const double left_ns = static_cast<double>(elapsed.count()) * static_cast<double>(remaining) /
                         static_cast<double>(done);
  return FormatDuration(nanoseconds(static_cast<int64_t>(left_ns)));
}

int64_t Ticks(steady_clock::time_point t) {
  return std::chrono::duration_cast<nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string FormatDuration(nanoseconds duration) {
  const int64_t total = duration.count() < 0 ? 0 : duration.count() / 1'000'000'000;
  const int64_t hours = total / 3600;
  const int64_t minutes = total / 60 % 60;
  const int64_t seconds = total % 60;
  if (hours > 0) return fmt::format("{}:{:02}:{:02}", hours, minutes, seconds);
  return fmt::format("{}:{:02}", minutes, seconds);
}

Progress::Progress(std::string label, int64_t total)
    : Progress(std::move(label), total, std::cerr, ::isatty(STDERR_FILENO) == 1,
               [] { return steady_clock::now(); }) {}

Progress::Progress(std::string label, int64_t total, std::ostream& out, bool terminal, Clock clock)
    : label_(std::move(label)),
      total_(total),
      out_(out),
      terminal_(terminal),
      clock_(std::move(clock)),
      start_(clock_()),
      interval_(terminal ? kTerminalInterval : kPlainInterval),
      next_draw_ns_(Ticks(start_) + interval_.count()) {
  if (terminal_) {
    std::lock_guard lock(draw_mutex_);
    Draw(start_);
  }
}

Progress::~Progress() {
  std::lock_guard lock(draw_mutex_);
  if (!finished_ && bar_shown_) {
    out_ << '\n';
    out_.flush();
  }
}

void Progress::Advance(int64_t n) {
  done_.fetch_add(n, std::memory_order_relaxed);
  const steady_clock::time_point now = clock_();
  int64_t due = next_draw_ns_.load(std::memory_order_relaxed);
  if (Ticks(now) < due) return;
  // Whoever moves the deadline on draws; the others carry on without waiting.
  if (!next_draw_ns_.compare_exchange_strong(due, Ticks(now) + interval_.count())) return;
  std::lock_guard lock(draw_mutex_);
  Draw(now);
}

void Progress::Finish() {
  const steady_clock::time_point now = clock_();
  std::lock_guard lock(draw_mutex_);
  if (finished_) return;
  finished_ = true;
  const std::string line = SummaryLine(done(), now - start_);
  if (terminal_) {
    out_ << "\r" << line << "\033[K\n";
  } else {
    out_ << line << '\n';
  }
  out_.flush();
}

void Progress::PrintAbove(const std::function<void()>& print) {
  std::lock_guard lock(draw_mutex_);
  if (terminal_ && bar_shown_ && !finished_) {
    out_ << "\r\033[K";
    out_.flush();
    bar_shown_ = false;
  }
  print();
  if (terminal_ && !finished_) Draw(clock_());
}

void Progress::Draw(steady_clock::time_point now) {
  if (finished_) return;
  const nanoseconds elapsed = now - start_;
  if (terminal_) {
    out_ << "\r" << BarLine(done(), elapsed) << "\033[K";
    bar_shown_ = true;
  } else {
    out_ << PlainLine(done(), elapsed) << '\n';
  }
  out_.flush();
}

std::string Progress::BarLine(int64_t done, nanoseconds elapsed) const {
  std::string line = label_ + " ";
  if (total_ > 0) {
    const int64_t clamped = done < total_ ? done : total_;
    const int filled = static_cast<int>(clamped * kBarWidth / total_);
    line += "[" + std::string(filled, '#') + std::string(kBarWidth - filled, '-') + "] ";
    line += fmt::format("{}/{}", done, total_);
  } else {
    line += fmt::format("{}", done);
  }
  line += "  " + FormatRate(done, elapsed);
  if (const std::string left = FormatLeft(done, total_, elapsed); !left.empty()) {
    line += "  " + left + " left";
  }
  return line;
}

std::string Progress::PlainLine(int64_t done, nanoseconds elapsed) const {
  std::string line = label_ + ": ";
  if (total_ > 0) {
    line += fmt::format("{}/{} ({}%)", done, total_, done * 100 / total_);
  } else {
    line += fmt::format("{}", done);
  }
  line += ", " + FormatRate(done, elapsed);
  if (const std::string left = FormatLeft(done, total_, elapsed); !left.empty()) {
    line += ", " + left + " left";
  }
  return line;
}

std::string Progress::SummaryLine(int64_t done, nanoseconds elapsed) const {
  const std::string count =
      total_ > 0 ? fmt::format("{}/{}", done, total_) : fmt::format("{}", done);
  return fmt::format("{}: {} in {:.1f} s, {}", label_, count, Seconds(elapsed),
                     FormatRate(done, elapsed));
}

}  // namespace assetpub
