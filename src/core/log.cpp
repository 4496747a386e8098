#include "core/log.h"

#include <fmt/format.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace assetpub {
namespace {

constexpr size_t kMaxTracked = 1000;

class RateLimitedSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  RateLimitedSink(std::shared_ptr<spdlog::sinks::sink> target,
                  std::chrono::steady_clock::duration interval)
      : target_(std::move(target)), interval_(interval) {}
  ~RateLimitedSink() override {
    const std::lock_guard lock(mutex_);
    WriteSummaries();
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    const auto now = std::chrono::steady_clock::now();
    if (now - window_start_ >= interval_) {
      WriteSummaries();
      seen_.clear();
      window_start_ = now;
    }
    std::string key;
    key.reserve(message.payload.size() + 1);
    key += static_cast<char>('0' + message.level);
    key.append(message.payload.data(), message.payload.size());
    const auto found = seen_.find(key);
    if (found != seen_.end()) {
      ++found->second.repeats;
      return;
    }
    if (seen_.size() < kMaxTracked) seen_.emplace(std::move(key), Seen{message.level, 0});
    target_->log(message);
  }
  void flush_() override { target_->flush(); }
  // The logger's pattern is the target's: this sink formats nothing itself.
  void set_pattern_(const std::string& pattern) override { target_->set_pattern(pattern); }
  void set_formatter_(std::unique_ptr<spdlog::formatter> formatter) override {
    target_->set_formatter(std::move(formatter));
  }

 private:
  struct Seen {
    spdlog::level::level_enum level;
    int64_t repeats;
  };

  void WriteSummaries() {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(interval_).count();
    for (const auto& [key, seen] : seen_) {
      if (seen.repeats == 0) continue;
      const std::string text = fmt::format("{} ({} more like this in the last {} s)",
                                           std::string_view(key).substr(1), seen.repeats, seconds);
      target_->log(spdlog::details::log_msg("assetpub", seen.level, text));
    }
  }

  std::shared_ptr<spdlog::sinks::sink> target_;
  const std::chrono::steady_clock::duration interval_;
  std::chrono::steady_clock::time_point window_start_ = std::chrono::steady_clock::now();
  std::unordered_map<std::string, Seen> seen_;  // this interval's messages
};

}  // namespace

std::shared_ptr<spdlog::sinks::sink> MakeRateLimitedSink(
    std::shared_ptr<spdlog::sinks::sink> target, std::chrono::steady_clock::duration interval) {
  return std::make_shared<RateLimitedSink>(std::move(target), interval);
}

void InitLogging() {
  auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>(
      "assetpub", MakeRateLimitedSink(std::move(console), kLogInterval));
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::register_logger(logger);
  spdlog::set_default_logger(logger);
  if (const char* level = std::getenv("ASSETPUB_LOG")) {
    spdlog::set_level(spdlog::level::from_str(level));
  }
}

}  // namespace assetpub
