#include "web/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <string>

namespace assetpub::web {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(RouteKindOf, SortsRequestsByWhatAnsweredThem) {
  EXPECT_EQ(RouteKindOf("/en/assets/1-x", true), RouteKind::kCached);
  EXPECT_EQ(RouteKindOf("/api/v1/assets/1", true), RouteKind::kCached);
  EXPECT_EQ(RouteKindOf("/en/assets/1-x", false), RouteKind::kPage);
  EXPECT_EQ(RouteKindOf("/", false), RouteKind::kPage);
  EXPECT_EQ(RouteKindOf("/en/search", false), RouteKind::kSearch);
  EXPECT_EQ(RouteKindOf("/en/feed.rss", false), RouteKind::kFeed);
  EXPECT_EQ(RouteKindOf("/en/statements/feed.atom", false), RouteKind::kFeed);
  EXPECT_EQ(RouteKindOf("/sitemap.xml", false), RouteKind::kFeed);
  EXPECT_EQ(RouteKindOf("/sitemaps/en-1.xml", false), RouteKind::kFeed);
  EXPECT_EQ(RouteKindOf("/api/v1/search", false), RouteKind::kApi);
  EXPECT_EQ(RouteKindOf("/admin", false), RouteKind::kAdmin);
  EXPECT_EQ(RouteKindOf("/admin/items", false), RouteKind::kAdmin);
  EXPECT_EQ(RouteKindOf("/administration", false), RouteKind::kPage);
  EXPECT_EQ(RouteKindOf("/media/ab/cd.jpg", false), RouteKind::kMedia);
  EXPECT_EQ(RouteKindOf("/static/site.css", false), RouteKind::kStatic);
  EXPECT_EQ(RouteKindOf("/readyz", false), RouteKind::kOps);
  EXPECT_EQ(RouteKindOf("/metrics", false), RouteKind::kOps);
}

TEST(Metrics, TheLatencyHistogramIsCumulativeWithASumAndACountPerKind) {
  Metrics metrics;
  metrics.Observe(RouteKind::kCached, microseconds(50));   // ≤ 0.0001
  metrics.Observe(RouteKind::kCached, microseconds(100));  // ≤ 0.0001: the bounds are inclusive
  metrics.Observe(RouteKind::kCached, microseconds(300));  // ≤ 0.0005
  metrics.Observe(RouteKind::kSearch, std::chrono::seconds(3));  // over the last bound: +Inf
  const std::string text = metrics.Render(nullptr, 0);
  EXPECT_THAT(text, HasSubstr("# TYPE assetpub_http_request_duration_seconds histogram\n"));
  const std::string cached = "assetpub_http_request_duration_seconds_bucket{kind=\"cached\",";
  EXPECT_THAT(text, HasSubstr(cached + "le=\"0.0001\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(cached + "le=\"0.00025\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(cached + "le=\"0.0005\"} 3\n"));
  EXPECT_THAT(text, HasSubstr(cached + "le=\"2.5\"} 3\n"));
  EXPECT_THAT(text, HasSubstr(cached + "le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("assetpub_http_request_duration_seconds_count{kind=\"cached\"} 3\n"));
  EXPECT_THAT(text,
              HasSubstr("assetpub_http_request_duration_seconds_sum{kind=\"cached\"} 0.00045\n"));
  const std::string search = "assetpub_http_request_duration_seconds_bucket{kind=\"search\",";
  EXPECT_THAT(text, HasSubstr(search + "le=\"2.5\"} 0\n"));
  EXPECT_THAT(text, HasSubstr(search + "le=\"+Inf\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("assetpub_http_request_duration_seconds_sum{kind=\"search\"} 3\n"));
  // Every kind is present from the start, so that a rate over a quiet kind is 0, not absent.
  EXPECT_THAT(text, HasSubstr("assetpub_http_request_duration_seconds_count{kind=\"admin\"} 0\n"));
}

TEST(Metrics, FailuresAreCountedByCauseAndTheClientsOwnAreNot) {
  Metrics metrics;
  metrics.CountFailure(ErrorCode::kUnavailable);
  metrics.CountFailure(ErrorCode::kUnavailable);
  metrics.CountFailure(ErrorCode::kInternal);
  metrics.CountFailure(ErrorCode::kNotFound);
  metrics.CountFailure(ErrorCode::kInvalidInput);
  const std::string text = metrics.Render(nullptr, 0);
  EXPECT_THAT(text, HasSubstr("assetpub_failures_total{code=\"unavailable\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("assetpub_failures_total{code=\"internal\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("code=\"not_found\"")));
}

TEST(Metrics, ReadingsAreReadWhenRenderedAndAnUnknownOneIsNaN) {
  Metrics metrics;
  double lag = 3;
  metrics.Add("assetpub_search_lag_changes", "Changes not yet applied.", Metrics::Type::kGauge,
              [&] { return lag; });
  metrics.Add("assetpub_store_connections", "Open connections.", Metrics::Type::kGauge,
              [] { return std::numeric_limits<double>::quiet_NaN(); });
  metrics.Add("assetpub_search_follow_failures_total", "Failed rounds.", Metrics::Type::kCounter,
              [] { return 12.0; });
  std::string text = metrics.Render(nullptr, 0);
  EXPECT_THAT(text, HasSubstr("# HELP assetpub_search_lag_changes Changes not yet applied.\n"
                              "# TYPE assetpub_search_lag_changes gauge\n"
                              "assetpub_search_lag_changes 3\n"));
  EXPECT_THAT(text, HasSubstr("\nassetpub_store_connections NaN\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE assetpub_search_follow_failures_total counter\n"
                              "assetpub_search_follow_failures_total 12\n"));
  lag = 0;
  text = metrics.Render(nullptr, 0);
  EXPECT_THAT(text, HasSubstr("\nassetpub_search_lag_changes 0\n"));
}

}  // namespace
}  // namespace assetpub::web
