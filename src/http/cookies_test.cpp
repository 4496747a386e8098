#include "http/cookies.h"

#include <gtest/gtest.h>

namespace assetpub::http {
namespace {

Request WithCookies(std::vector<std::string> values) {
  Request request;
  for (std::string& value : values) request.headers.emplace_back("Cookie", std::move(value));
  return request;
}

TEST(CookieValue, FindsTheNamedCookieAmongOthers) {
  const Request request = WithCookies({"a=1; ap_session=abc-_9; b=2"});
  EXPECT_EQ(CookieValue(request, "ap_session"), "abc-_9");
  EXPECT_EQ(CookieValue(request, "a"), "1");
  EXPECT_EQ(CookieValue(request, "b"), "2");
}

TEST(CookieValue, AbsentNamesAndPrefixesAreNotFound) {
  const Request request = WithCookies({"xap_session=1; ap_session_old=2"});
  EXPECT_EQ(CookieValue(request, "ap_session"), std::nullopt);
  EXPECT_EQ(CookieValue(Request(), "ap_session"), std::nullopt);
}

TEST(CookieValue, TheFirstOfSeveralHeadersWinsAndQuotesAreRemoved) {
  const Request request = WithCookies({"other=x", "ap_session=\"v1\"", "ap_session=v2"});
  EXPECT_EQ(CookieValue(request, "ap_session"), "v1");
}

TEST(CookieValue, ToleratesOddSpacingAndEmptyPairs) {
  const Request request = WithCookies({" ;  ap_session = v ;;"});
  EXPECT_EQ(CookieValue(request, "ap_session"), "v");
}

TEST(SetCookieHeader, WritesEveryAttributeAsked) {
  CookieOptions options;
  options.path = "/admin";
  options.secure = true;
  options.max_age = 0;
  EXPECT_EQ(SetCookieHeader("ap_session", "", options),
            "ap_session=; Path=/admin; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
  options.secure = false;
  options.max_age.reset();
  EXPECT_EQ(SetCookieHeader("ap_session", "abc", options),
            "ap_session=abc; Path=/admin; HttpOnly; SameSite=Strict");
}

}  // namespace
}  // namespace assetpub::http
