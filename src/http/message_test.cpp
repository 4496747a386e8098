#include "http/message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "core/error.h"
#include "http/listen_address.h"
#include "http/params.h"
#include "support/temp_dir.h"

namespace assetpub::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

TEST(Request, SplitsPathAndDecodesTheQuery) {
  const Request request = Request::Make("GET", "/en/?page=2&q=a+b%20c&page=3&flag&=x#frag");
  EXPECT_EQ(request.path, "/en/");
  EXPECT_THAT(request.Query("page"), Optional(std::string("2")));  // the first one counts
  EXPECT_THAT(request.Query("q"), Optional(std::string("a b c")));
  EXPECT_THAT(request.Query("flag"), Optional(std::string("")));
  EXPECT_EQ(request.Query("missing"), std::nullopt);
}

TEST(Request, KeepsThePathEncoded) { EXPECT_EQ(Request::Make("GET", "/x/a%2Fb").path, "/x/a%2Fb"); }

TEST(Request, RefusesTargetsThatAreNotPathsAndBadEscapes) {
  EXPECT_THROW(Request::Make("GET", "http://example.com/"), Error);
  EXPECT_THROW(Request::Make("GET", "*"), Error);
  EXPECT_THROW(Request::Make("GET", ""), Error);
  EXPECT_THROW(Request::Make("GET", "/?q=%G1"), Error);
  EXPECT_THROW(Request::Make("GET", "/?q=%4"), Error);
}

// The server keeps one Request per connection: each target replaces the last one's path and
// query entirely, whatever their sizes.
TEST(Request, SetTargetReplacesPathAndQueryOfTheRequestBefore) {
  Request request = Request::Make("GET", "/en/search?q=a+b&lang=en&page=2");
  request.SetTarget("/ru/?page=3");
  EXPECT_EQ(request.target, "/ru/?page=3");
  EXPECT_EQ(request.path, "/ru/");
  ASSERT_EQ(request.query.size(), 1u);
  EXPECT_EQ(request.query[0], (std::pair<std::string, std::string>("page", "3")));
  request.SetTarget("/en/search?q=%D0%BC%D0%B8%D1%80&flag&x=");
  EXPECT_EQ(request.path, "/en/search");
  ASSERT_EQ(request.query.size(), 3u);
  EXPECT_EQ(request.Query("q"), "мир");
  EXPECT_EQ(request.Query("flag"), "");
  EXPECT_EQ(request.Query("x"), "");
  request.SetTarget("/sitemap.xml");
  EXPECT_EQ(request.path, "/sitemap.xml");
  EXPECT_TRUE(request.query.empty());
  // Its own target (as the server does), and refusals as Make refuses.
  request.target = "/a/b?c=d";
  request.SetTarget(request.target);
  EXPECT_EQ(request.target, "/a/b?c=d");
  EXPECT_EQ(request.path, "/a/b");
  EXPECT_EQ(request.Query("c"), "d");
  EXPECT_THROW(request.SetTarget("/x?q=%zz"), Error);
  EXPECT_THROW(request.SetTarget("x"), Error);
}

TEST(Request, HeadersAreCaseInsensitive) {
  const Request request = Request::Make("GET", "/", {{"If-None-Match", "\"abc\""}});
  EXPECT_THAT(request.Header("if-none-match"), Optional(std::string("\"abc\"")));
  EXPECT_EQ(request.Header("accept"), std::nullopt);
}

TEST(Response, SetHeaderReplacesCaseInsensitively) {
  Response response = Response::Text(200, "x");
  response.SetHeader("content-type", "text/css; charset=utf-8");
  EXPECT_EQ(response.headers.size(), 1u);
  EXPECT_THAT(response.Header("Content-Type"), Optional(std::string("text/css; charset=utf-8")));
}

TEST(Response, HelpersSetTypesWithCharset) {
  EXPECT_THAT(Response::Html(200, "", "ru-RU").Header("Content-Type"),
              Optional(std::string("text/html; charset=utf-8")));
  EXPECT_THAT(Response::Html(200, "", "ru-RU").Header("Content-Language"),
              Optional(std::string("ru-RU")));
  EXPECT_THAT(Response::Json(200, "{}").Header("Content-Type"),
              Optional(std::string("application/json; charset=utf-8")));
  EXPECT_THAT(Response::Problem(404, "{}").Header("Content-Type"),
              Optional(std::string("application/problem+json; charset=utf-8")));
  const Response redirect = Response::Redirect(301, "/en/");
  EXPECT_EQ(redirect.status, 301);
  EXPECT_THAT(redirect.Header("Location"), Optional(std::string("/en/")));
}

TEST(FileBody, ReadsItsRangeAndRefusesWhatTheFileDoesNotHave) {
  const assetpub::testing::TempDir dir{"assetpub-file-body-"};
  const std::filesystem::path path = dir.path() / "ten.bin";
  std::ofstream(path, std::ios::binary) << "0123456789";
  const std::shared_ptr<const FileBody> middle = FileBody::Open(path, 3, 4);
  EXPECT_EQ(middle->length(), 4u);
  EXPECT_EQ(middle->Read(), "3456");
  EXPECT_EQ(FileBody::Open(path, 0, 10)->Read(), "0123456789");
  EXPECT_EQ(FileBody::Open(path, 10, 0)->Read(), "");
  Response response;
  response.file = middle;
  EXPECT_EQ(response.BodyText(), "3456");
  // Opened, the file is read even once its name is gone.
  std::filesystem::remove(path);
  EXPECT_EQ(middle->Read(), "3456");
  const auto code = [](const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::kInternal;
  };
  EXPECT_EQ(code([&] { FileBody::Open(path, 0, 1); }), ErrorCode::kUnavailable);
  std::ofstream(path, std::ios::binary) << "0123456789";
  EXPECT_EQ(code([&] { FileBody::Open(path, 8, 3); }), ErrorCode::kUnavailable);
  EXPECT_EQ(code([&] { FileBody::Open(path, 11, 0); }), ErrorCode::kUnavailable);
  EXPECT_EQ(code([&] { FileBody::Open(dir.path(), 0, 0); }), ErrorCode::kUnavailable);
}

TEST(ParseInteger, AcceptsOnlyPlainDecimalsInRange) {
  EXPECT_EQ(ParseInteger("12", 1, 100), 12);
  EXPECT_EQ(ParseInteger("0", 0, 1), 0);
  for (const char* bad :
       {"", "012", "+1", "-1", "1.0", " 1", "1 ", "1e3", "0x10", "101", "99999999999999999999"}) {
    EXPECT_EQ(ParseInteger(bad, 0, 100), std::nullopt) << bad;
  }
  EXPECT_EQ(ParseInteger("9223372036854775807", 1, INT64_MAX), INT64_MAX);
}

TEST(QueryInteger, FallsBackWhenAbsentAndNamesTheParameterWhenBad) {
  EXPECT_EQ(QueryInteger(Request::Make("GET", "/"), "page", 1, 1, 10), 1);
  EXPECT_EQ(QueryInteger(Request::Make("GET", "/?page=4"), "page", 1, 1, 10), 4);
  try {
    QueryInteger(Request::Make("GET", "/?page=11"), "page", 1, 1, 10);
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_THAT(e.what(), HasSubstr("'page'"));
  }
}

TEST(ListenAddress, ParsesHostAndPort) {
  const ListenAddress v4 = ParseListenAddress("127.0.0.1:8080");
  EXPECT_EQ(v4.host, "127.0.0.1");
  EXPECT_EQ(v4.port, 8080);
  const ListenAddress v6 = ParseListenAddress("[::1]:0");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 0);
  EXPECT_EQ(ParseListenAddress("localhost:65535").port, 65535);
  for (const char* bad : {"8080", ":8080", "host:", "host:65536", "host:-1", "::1:80", "[]:80"}) {
    EXPECT_THROW(ParseListenAddress(bad), Error) << bad;
  }
}

TEST(ListenAddress, FormatsIpv6InBrackets) {
  EXPECT_EQ(FormatHostPort("127.0.0.1", 80), "127.0.0.1:80");
  EXPECT_EQ(FormatHostPort("::1", 80), "[::1]:80");
}

}  // namespace
}  // namespace assetpub::http
