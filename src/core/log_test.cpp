#include "core/log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>
#include <string>

namespace assetpub {
namespace {

using ::testing::HasSubstr;

// A server out of file descriptors logged the same warning at full speed (116 MB in 10 s).
TEST(RateLimitedSink, WritesEachDistinctMessageOncePerIntervalAndCountsTheRest) {
  std::ostringstream out;
  {
    auto target = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    spdlog::logger logger("test", MakeRateLimitedSink(target, std::chrono::hours(1)));
    logger.set_pattern("%l %v");
    for (int i = 0; i < 100'000; ++i) logger.warn("accept failed: Too many open files");
    logger.warn("another message");
    logger.error("accept failed: Too many open files");  // another level: another message
    EXPECT_EQ(out.str(),
              "warning accept failed: Too many open files\nwarning another message\n"
              "error accept failed: Too many open files\n");
  }
  // The interval ends with the sink: the count of what was left out.
  EXPECT_THAT(out.str(), HasSubstr("warning accept failed: Too many open files (99999 more like "
                                   "this in the last 3600 s)\n"));
  EXPECT_THAT(out.str(), ::testing::Not(HasSubstr("another message (")));
}

TEST(RateLimitedSink, ANewIntervalWritesTheCountThenTheMessageAgain) {
  std::ostringstream out;
  auto target = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  // An interval of zero: every message starts a new one, so nothing is held back.
  spdlog::logger logger("test", MakeRateLimitedSink(target, std::chrono::nanoseconds(0)));
  logger.set_pattern("%v");
  for (int i = 0; i < 3; ++i) logger.info("same");
  EXPECT_EQ(out.str(), "same\nsame\nsame\n");
}

}  // namespace
}  // namespace assetpub
