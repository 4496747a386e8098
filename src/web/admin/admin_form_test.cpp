#include "web/admin/admin_form.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace assetpub::web {
namespace {

using http::Request;

Request Post(std::string body, std::string type = "application/x-www-form-urlencoded") {
  Request request;
  request.method = "POST";
  request.headers.emplace_back("Content-Type", std::move(type));
  request.body = std::move(body);
  return request;
}

ErrorCode CodeOf(const Request& request) {
  try {
    ParseForm(request);
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no error for " << request.body;
  return ErrorCode::kInternal;
}

TEST(ParseForm, DecodesNamesAndValuesInOrder) {
  const Form form = ParseForm(Post("csrf=a%2Bb&name=J+Doe&tag=x&tag=y&empty=&bare"));
  EXPECT_EQ(form.Get("csrf"), "a+b");
  EXPECT_EQ(form.Get("name"), "J Doe");
  EXPECT_EQ(form.All("tag"), (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(form.Has("empty"));
  EXPECT_EQ(form.Get("empty"), "");
  EXPECT_TRUE(form.Has("bare"));
  EXPECT_FALSE(form.Has("missing"));
  EXPECT_EQ(form.Get("missing"), "");
}

TEST(ParseForm, KeepsUtf8AndLineBreaks) {
  const Form form = ParseForm(Post("title=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0&body=a%0D%0Ab",
                                   "Application/X-WWW-Form-"
                                   "Urlencoded; charset=UTF-8"));
  EXPECT_EQ(form.Get("title"), "Москва");
  EXPECT_EQ(form.Get("body"), "a\r\nb");
}

TEST(ParseForm, RefusesOtherContentTypes) {
  EXPECT_EQ(CodeOf(Post("a=1", "multipart/form-data; boundary=x")), ErrorCode::kInvalidInput);
  Request no_type;
  no_type.body = "a=1";
  EXPECT_EQ(CodeOf(no_type), ErrorCode::kInvalidInput);
}

TEST(ParseForm, RefusesMalformedEscapesControlCharactersAndBadUtf8) {
  EXPECT_EQ(CodeOf(Post("a=%zz")), ErrorCode::kInvalidInput);
  EXPECT_EQ(CodeOf(Post("a=%00")), ErrorCode::kInvalidInput);
  EXPECT_EQ(CodeOf(Post("a=%1B")), ErrorCode::kInvalidInput);
  EXPECT_EQ(CodeOf(Post("a=%C0%AF")), ErrorCode::kInvalidInput);     // overlong '/'
  EXPECT_EQ(CodeOf(Post("a=%ED%A0%80")), ErrorCode::kInvalidInput);  // a surrogate
  EXPECT_EQ(CodeOf(Post("a=%FF")), ErrorCode::kInvalidInput);
}

TEST(ParseForm, RefusesBodiesPastTheLimit) {
  EXPECT_EQ(CodeOf(Post("a=" + std::string(kMaxFormBytes, 'x'))), ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace assetpub::web
