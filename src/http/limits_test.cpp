#include "http/limits.h"

#include <gtest/gtest.h>

#include <chrono>

namespace assetpub::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(AddressKey, IPv4AsItIsAndIPv6ByItsSlash64) {
  EXPECT_EQ(AddressKey("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(AddressKey("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(AddressKey("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(AddressKey("2001:db8:1:2:bbbb::9"), "2001:db8:1:2::/64");
  EXPECT_EQ(AddressKey("not an address"), "not an address");
}

TEST(ConnectionLimits, ExemptsWholeNetworksAsMetricsAllowDoes) {
  const ConnectionLimits limits(0, 2, 1, {"10.0.0.0/8", "::1", "fd00::/8", "not a network"});
  EXPECT_TRUE(limits.Exempt("10.1.2.3"));
  EXPECT_TRUE(limits.Exempt("::ffff:10.9.9.9"));  // IPv4-mapped
  EXPECT_TRUE(limits.Exempt("::1"));
  EXPECT_TRUE(limits.Exempt("fd12:3456::1"));
  EXPECT_FALSE(limits.Exempt("11.0.0.1"));
  EXPECT_FALSE(limits.Exempt("127.0.0.1"));
  EXPECT_FALSE(limits.Exempt("not a network"));
}

TEST(ConnectionLimits, CapsTheTotalAndEachAddress) {
  ConnectionLimits limits(3, 2, 1, {"127.0.0.1"});
  EXPECT_TRUE(limits.Exempt("127.0.0.1"));
  EXPECT_FALSE(limits.Exempt("192.0.2.1"));
  EXPECT_TRUE(limits.Open("192.0.2.1", false));
  EXPECT_TRUE(limits.Open("192.0.2.1", false));
  EXPECT_FALSE(limits.Open("192.0.2.1", false));  // its share
  EXPECT_TRUE(limits.Open("", true));             // exempt: only the total counts
  EXPECT_FALSE(limits.Open("192.0.2.2", false));  // the total
  EXPECT_EQ(limits.open(), 3u);
  limits.Close("192.0.2.1", false);
  EXPECT_TRUE(limits.Open("192.0.2.2", false));
  EXPECT_TRUE(limits.BeginUpload());
  EXPECT_FALSE(limits.BeginUpload());
  limits.EndUpload();
  EXPECT_TRUE(limits.BeginUpload());
}

TEST(RateLimiter, ABurstThenTheRateThenRetryAfter) {
  RateLimiter limiter(2, 4);  // 2 a second, bursts of 4
  const auto start = std::chrono::steady_clock::time_point() + seconds(100);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(limiter.Take("a", start), 0) << i;
  EXPECT_EQ(limiter.Take("a", start), 1);  // half a second away, rounded up
  EXPECT_EQ(limiter.Take("b", start), 0);  // another address has its own bucket
  EXPECT_EQ(limiter.Take("a", start + milliseconds(500)), 0);
  EXPECT_EQ(limiter.Take("a", start + milliseconds(500)), 1);
  // Idle long enough, a bucket is full again and forgotten.
  limiter.Prune(start + seconds(10));
  EXPECT_EQ(limiter.tracked(), 0u);
  RateLimiter off(0, 0);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(off.Take("a", start), 0);
}

TEST(RateLimiter, ASlowRateAsksForSeveralSeconds) {
  RateLimiter limiter(0.25, 1);
  const auto start = std::chrono::steady_clock::time_point() + seconds(100);
  EXPECT_EQ(limiter.Take("a", start), 0);
  EXPECT_EQ(limiter.Take("a", start), 4);
}

}  // namespace
}  // namespace assetpub::http
