#include "web/error_response.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/config.h"
#include "render/renderer.h"

namespace assetpub::web {
namespace {

using ::testing::Optional;

nlohmann::json Parse(const std::string& text) { return nlohmann::json::parse(text); }

TEST(ProblemJson, IsRfc9457) {
  const auto json = Parse(ProblemJson(Error(ErrorCode::kNotFound, "no asset 999999")));
  EXPECT_EQ(json["type"], "urn:assetpub:problem:not-found");
  EXPECT_EQ(json["title"], "Not Found");
  EXPECT_EQ(json["status"], 404);
  EXPECT_EQ(json["detail"], "no asset 999999");
}

TEST(ProblemJson, SurvivesInvalidUtf8InTheDetail) {
  const auto json = Parse(ProblemJson(Error(ErrorCode::kInvalidInput, "bad \xff byte")));
  EXPECT_EQ(json["status"], 400);
}

TEST(ProblemJson, FieldsBecomePointersUnderThePrefix) {
  const Error error =
      FieldErrors(ErrorCode::kInvalidInput, {{"translations.en-GB.title", "must not be empty"},
                                             {"tags[1]", "must not be empty"},
                                             {"/related/0/id", "is this item itself"}});
  const auto json = Parse(ProblemJson(error, "/asset"));
  ASSERT_EQ(json["errors"].size(), 3u);
  EXPECT_EQ(json["errors"][0]["pointer"], "/asset/translations/en-GB/title");
  EXPECT_EQ(json["errors"][0]["detail"], "must not be empty");
  EXPECT_EQ(json["errors"][1]["pointer"], "/asset/tags/1");
  EXPECT_EQ(json["errors"][2]["pointer"], "/related/0/id");  // already a pointer
  EXPECT_EQ(json["detail"],
            "translations.en-GB.title: must not be empty; tags[1]: must not be empty; "
            "/related/0/id: is this item itself");
}

TEST(ProblemJson, AServerFailureHidesItsMessage) {
  const auto internal = Parse(ProblemJson(Error(ErrorCode::kInternal, "secret path /etc/x")));
  EXPECT_EQ(internal["status"], 500);
  EXPECT_EQ(internal["detail"], "internal error");
  const auto busy = Parse(ProblemJson(Error(ErrorCode::kUnavailable, "database is locked")));
  EXPECT_EQ(busy["status"], 503);
  EXPECT_EQ(busy["detail"], "the service is unavailable; try again later");
}

class ErrorResponseTest : public ::testing::Test {
 protected:
  static Config TestConfig() {
    Config config;
    config.resources_dir = ASSETPUB_SOURCE_DIR;
    return config;
  }
  const Config config_ = TestConfig();
  const render::Renderer renderer_{config_};
};

TEST_F(ErrorResponseTest, TheApiGetsProblemJsonWithTheDataTheErrorCarries) {
  const http::Response stale =
      ErrorResponse(renderer_, http::Request::Make("PUT", "/api/v1/assets/7"),
                    Error(ErrorCode::kPreconditionFailed, "asset 7 is at revision 3, not 2")
                        .WithCurrentRevision(3));
  EXPECT_EQ(stale.status, 412);
  EXPECT_THAT(stale.Header("Content-Type"),
              Optional(std::string("application/problem+json; charset=utf-8")));
  EXPECT_THAT(stale.Header("ETag"), Optional(std::string("\"3\"")));
  EXPECT_EQ(Parse(stale.body)["current_revision"], 3);
  EXPECT_EQ(Parse(stale.body)["type"], "urn:assetpub:problem:stale-revision");

  const http::Response refused =
      ErrorResponse(renderer_, http::Request::Make("POST", "/api/v1/media"),
                    Error(ErrorCode::kUnauthorised, "this needs an API token"));
  EXPECT_EQ(refused.status, 401);
  EXPECT_THAT(refused.Header("WWW-Authenticate"),
              Optional(std::string("Bearer realm=\"assetpub\"")));

  const http::Response later =
      ErrorResponse(renderer_, http::Request::Make("GET", "/api/v1/search?q=x"),
                    Error(ErrorCode::kTooManyRequests, "slow down").WithRetryAfter(7));
  EXPECT_EQ(later.status, 429);
  EXPECT_THAT(later.Header("Retry-After"), Optional(std::string("7")));

  const http::Response full =
      ErrorResponse(renderer_, http::Request::Make("POST", "/api/v1/assets"),
                    Error(ErrorCode::kInsufficientStorage, "sqlite: COMMIT: out of room"));
  EXPECT_EQ(full.status, 507);
  EXPECT_EQ(Parse(full.body)["title"], "Insufficient Storage");
  EXPECT_EQ(Parse(full.body)["type"], "urn:assetpub:problem:insufficient-storage");
}

TEST_F(ErrorResponseTest, APageGetsTheSiteErrorPageInThePathsLanguage) {
  const http::Response page = ErrorResponse(renderer_, http::Request::Make("GET", "/ru/assets/999"),
                                            Error(ErrorCode::kNotFound, "no asset 999"));
  EXPECT_EQ(page.status, 404);
  EXPECT_THAT(page.Header("Content-Type"), Optional(std::string("text/html; charset=utf-8")));
  EXPECT_THAT(page.body, ::testing::HasSubstr("lang=\"ru"));
  EXPECT_THAT(page.Header("WWW-Authenticate"), std::nullopt);
  const http::Response busy =
      ErrorResponse(renderer_, http::Request::Make("GET", "/en/search?q=x"),
                    Error(ErrorCode::kUnavailable, "catching up").WithRetryAfter(5));
  EXPECT_EQ(busy.status, 503);
  EXPECT_THAT(busy.Header("Retry-After"), Optional(std::string("5")));
}

}  // namespace
}  // namespace assetpub::web
