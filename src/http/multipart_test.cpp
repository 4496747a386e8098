// The multipart/form-data parser on good bodies (as browsers and curl send them) and on every
// kind of malformed one.
#include "http/multipart.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"

namespace assetpub::http {
namespace {

using ::testing::HasSubstr;

std::string ErrorOf(std::string_view body, std::string_view boundary = "XyZ",
                    MultipartLimits limits = {}) {
  try {
    ParseMultipart(body, boundary, limits);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << body;
  return "";
}

TEST(MultipartBoundary, ComesFromTheContentType) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk"),
            "----WebKitFormBoundary7MA4YWxk");
  EXPECT_EQ(MultipartBoundary("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(MultipartBoundary("multipart/form-data; charset=utf-8; boundary=x"), "x");
  EXPECT_EQ(MultipartBoundary("application/json"), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/mixed; boundary=x"), std::nullopt);
  EXPECT_EQ(MultipartBoundary(""), std::nullopt);
  EXPECT_THROW(MultipartBoundary("multipart/form-data"), Error);
  EXPECT_THROW(MultipartBoundary("multipart/form-data; boundary="), Error);
  EXPECT_THROW(MultipartBoundary("multipart/form-data; boundary=\"\""), Error);
  EXPECT_THROW(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'a')), Error);
  EXPECT_THROW(MultipartBoundary("multipart/form-data; boundary=\"a\rb\""), Error);
  EXPECT_THROW(MultipartBoundary("multipart/form-data; boundary=\"open"), Error);
}

TEST(ParseMultipart, ABrowserUpload) {
  const std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"csrf\"\r\n"
      "\r\n"
      "token-1\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"Доклад \\\"1\\\".pdf\"\r\n"
      "Content-Type: application/pdf\r\n"
      "\r\n"
      "%PDF-1.4\r\n--Xy not a delimiter\r\n\r\nbinary bytes\r\n"
      "--XyZ\r\n"
      "content-disposition: form-data; name=caption\r\n"
      "\r\n"
      "\r\n"
      "--XyZ--\r\n"
      "epilogue";
  const auto parts = ParseMultipart(body, "XyZ");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].name, "csrf");
  EXPECT_FALSE(parts[0].filename);
  EXPECT_EQ(parts[0].body, "token-1");
  EXPECT_EQ(parts[1].name, "file");
  EXPECT_EQ(parts[1].filename, "Доклад \"1\".pdf");
  EXPECT_EQ(parts[1].content_type, "application/pdf");
  EXPECT_EQ(parts[1].body, "%PDF-1.4\r\n--Xy not a delimiter\r\n\r\nbinary bytes");
  EXPECT_EQ(parts[2].name, "caption");
  EXPECT_EQ(parts[2].body, "");
  EXPECT_EQ(FindPart(parts, "file"), &parts[1]);
  EXPECT_EQ(FindPart(parts, "other"), nullptr);
}

TEST(ParseMultipart, BinaryBytesAndWindowsPathsSurvive) {
  const std::string bytes("\0\x01\xff\r\n\r-", 7);
  const std::string body =
      "preamble\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"C:\\new\\photo.png\"\r\n\r\n" +
      bytes + "\r\n--b--";
  const auto parts = ParseMultipart(body, "b");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].filename, "C:\\new\\photo.png");
  EXPECT_EQ(parts[0].body, bytes);
}

TEST(ParseMultipart, MalformedBodiesAreRefusedWithAReason) {
  const std::string part = "Content-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n";
  EXPECT_THAT(ErrorOf("no delimiter at all"), HasSubstr("no boundary delimiter"));
  EXPECT_THAT(ErrorOf("--XyZ\r\n" + part), HasSubstr("not closed"));
  EXPECT_THAT(ErrorOf("--XyZ\r\n" + part + "--XyZ"), HasSubstr("CRLF"));
  EXPECT_THAT(ErrorOf("--XyZ\n" + part + "--XyZ--"), HasSubstr("CRLF"));
  EXPECT_THAT(
      ErrorOf("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nx\r\n\r\nv\r\n--XyZ--"),
      HasSubstr("not a header line"));
  EXPECT_THAT(ErrorOf("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--"),
              HasSubstr("no Content-Disposition"));
  EXPECT_THAT(ErrorOf("--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--"),
              HasSubstr("form-data"));
  EXPECT_THAT(
      ErrorOf("--XyZ\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n--XyZ--"),
      HasSubstr("no name"));
  EXPECT_THAT(ErrorOf("--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--"),
              HasSubstr("unterminated"));
  EXPECT_THAT(
      ErrorOf("--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--XyZ--"),
      HasSubstr("twice"));
  EXPECT_THAT(
      ErrorOf("--XyZ\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nx\r\n--XyZ--"),
      HasSubstr("folded"));
  EXPECT_THAT(ErrorOf("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n"
                      "Content-Disposition: form-data; name=\"b\"\r\n\r\nx\r\n--XyZ--"),
              HasSubstr("two Content-Disposition"));
  EXPECT_THAT(ErrorOf("--XyZ\r\nContent-Disposition: form-data; name\r\n\r\nx\r\n--XyZ--"),
              HasSubstr("name=value"));
}

TEST(ParseMultipart, LimitsOnPartsAndHeaders) {
  std::string body;
  for (int i = 0; i < 5; ++i) {
    body +=
        "--XyZ\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\nv\r\n";
  }
  body += "--XyZ--";
  EXPECT_EQ(ParseMultipart(body, "XyZ", {5, 1024}).size(), 5u);
  EXPECT_THAT(ErrorOf(body, "XyZ", {4, 1024}), HasSubstr("more than 4 parts"));
  const std::string big =
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: " + std::string(2000, 'p') +
      "\r\n\r\nx\r\n--XyZ--";
  EXPECT_EQ(ParseMultipart(big, "XyZ", {16, 4096}).size(), 1u);
  EXPECT_THAT(ErrorOf(big, "XyZ", {16, 1024}), HasSubstr("exceed 1024 bytes"));
}

}  // namespace
}  // namespace assetpub::http
