#pragma once
// Logging goes through spdlog; this sets up the one default logger (stderr, with level from
// $ASSETPUB_LOG: trace, debug, info, warn, error; default info). Call once from main.
//
// Repeated lines are rate-limited: of each distinct message (level and text) only the first per
// kLogInterval is written; the others are counted, and when the interval is over one line says
// how many were left out. A server out of file descriptors once wrote 116 MB of the same
// warning in 10 s; now it writes one line per interval.

#include <spdlog/sinks/sink.h>

#include <chrono>
#include <memory>

namespace assetpub {

inline constexpr std::chrono::seconds kLogInterval{10};

void InitLogging();

// A sink that passes each distinct message (level and text) to `target` at most once per
// `interval` and counts the repeats; the first message after an interval ends (or the sink's
// destruction) first writes, for each message repeated in it, "… (N more like this in the last
// Ts)". At most 1,000 distinct messages are tracked per interval; beyond them, messages pass
// unlimited. Thread-safe (spdlog's sink mutex).
std::shared_ptr<spdlog::sinks::sink> MakeRateLimitedSink(
    std::shared_ptr<spdlog::sinks::sink> target, std::chrono::steady_clock::duration interval);

}  // namespace assetpub
