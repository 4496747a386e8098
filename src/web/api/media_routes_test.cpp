// The media routes through the whole App on a real SQLite store, real accounts and a real media
// folder (no socket: the server's part, the 413 before the body, is in the integration test):
// uploads, the library, serving with ranges and conditional requests, attaching to an asset.
#include "web/api/media_routes.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "auth/authenticator.h"
#include "content/asset_json.h"
#include "content/instant.h"
#include "core/config.h"
#include "render/testing/site.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "web/app.h"
#include "web/testing/accounts.h"

namespace assetpub::web {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Optional;

const std::string kPdf =
    "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

std::string Form(const std::string& filename, const std::string& bytes,
                 const std::string& extra = {}) {
  return extra + "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
         filename + "\"\r\n\r\n" + bytes + "\r\n--b0undary--\r\n";
}

class MediaRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Config config;
    config.resources_dir = ASSETPUB_SOURCE_DIR;
    config.media_dir = temp_.path() / "media";
    config.media_max_bytes = 4000;
    app_ = std::make_unique<App>(config, *store_, nullptr, nullptr, site_.auth.get());
    token_ = site_.Token("editor1", auth::Role::kEditor);
  }

  Response Upload(const std::string& body,
                  const std::string& type = "multipart/form-data; boundary=b0undary") {
    return app_->Handle("POST", "/api/v1/media",
                        {{"Authorization", "Bearer " + token_}, {"Content-Type", type}}, body,
                        "127.0.0.1");
  }
  Response Get(const std::string& target, HeaderList headers = {}) {
    return app_->Handle("GET", target, std::move(headers));
  }
  // Uploads the PDF and publishes an item with it attached: /media/ serves only such files.
  std::string UploadPdf() {
    const Response r = Upload(Form("a.pdf", kPdf));
    EXPECT_EQ(r.status, 201) << r.body;
    const json file = json::parse(r.body);
    content::Asset item = render::testing::OneLanguageItem(
        1, "en-GB", "With a file", "with-a-file", content::ParseIso8601("2024-03-01T10:00:00Z"));
    item.media = {content::MediaFileFromJson(file, "media")};
    render::testing::PutAsset(*store_, item);
    return file.at("url");
  }

  const assetpub::testing::TempDir temp_{"assetpub-media-routes-"};
  web::testing::StoreWithAccounts site_{temp_.path()};
  std::unique_ptr<store::Store>& store_ = site_.store;
  std::unique_ptr<App> app_;
  std::string token_;
};

TEST_F(MediaRoutesTest, RangesAndConditionalRequests) {
  const std::string url = UploadPdf();
  const std::string size = std::to_string(kPdf.size());
  struct Case {
    std::string range;
    int status;
    std::string body;
    std::string content_range;
  };
  const std::vector<Case> cases = {
      {"bytes=0-3", 206, kPdf.substr(0, 4), "bytes 0-3/" + size},
      {"bytes=5-", 206, kPdf.substr(5), fmt::format("bytes 5-{}/{}", kPdf.size() - 1, size)},
      {"bytes=-4", 206, kPdf.substr(kPdf.size() - 4),
       fmt::format("bytes {}-{}/{}", kPdf.size() - 4, kPdf.size() - 1, size)},
      {"bytes=10-99999", 206, kPdf.substr(10),
       fmt::format("bytes 10-{}/{}", kPdf.size() - 1, size)},
      {"bytes=" + size + "-", 416, "", "bytes */" + size},
      {"bytes=-0", 416, "", "bytes */" + size},
      // What this server does not do is served whole, as RFC 9110 allows.
      {"bytes=0-1,4-5", 200, kPdf, ""},
      {"bytes=5-1", 200, kPdf, ""},
      {"items=0-1", 200, kPdf, ""},
      {"bytes=x-1", 200, kPdf, ""},
  };
  for (const Case& c : cases) {
    const Response r = Get(url, {{"Range", c.range}});
    EXPECT_EQ(r.status, c.status) << c.range;
    if (c.status != 416) {
      // Files are answered from disk (the server sends them in pieces), never read whole here.
      ASSERT_NE(r.file, nullptr) << c.range;
      EXPECT_EQ(r.body, "") << c.range;
      EXPECT_EQ(r.file->length(), c.body.size()) << c.range;
      EXPECT_EQ(r.BodyText(), c.body) << c.range;
    }
    EXPECT_EQ(r.Header("Content-Range").value_or(""), c.content_range) << c.range;
  }
  // If-Range with another tag: the whole file.
  EXPECT_EQ(Get(url, {{"Range", "bytes=0-3"}, {"If-Range", "\"other\""}}).status, 200);
  const std::string etag = Get(url).Header("ETag").value_or("");
  EXPECT_EQ(Get(url, {{"Range", "bytes=0-3"}, {"If-Range", etag}}).status, 206);
  EXPECT_EQ(Get(url, {{"If-None-Match", etag}}).status, 304);
  EXPECT_EQ(Get(url, {{"If-None-Match", "\"x\", " + etag}}).status, 304);
  EXPECT_EQ(Get(url, {{"If-None-Match", "\"x\""}}).status, 200);
  const Response pdf = Get(url);
  EXPECT_THAT(pdf.Header("Content-Disposition"),
              Optional(std::string("inline; filename*=UTF-8''a.pdf")));
  EXPECT_THAT(pdf.Header("X-Content-Type-Options"), Optional(std::string("nosniff")));
}

TEST_F(MediaRoutesTest, BadUploadsGetProblemsWithTheirOwnStatus) {
  const auto detail = [](const Response& r) {
    EXPECT_THAT(r.Header("Content-Type").value_or(""), HasSubstr("application/problem+json"));
    EXPECT_EQ(r.Header("Cache-Control").value_or(""), "no-store");
    return json::parse(r.body).value("detail", "");
  };
  Response r = Upload(Form("a.pdf", kPdf), "application/pdf");
  EXPECT_EQ(r.status, 415);
  EXPECT_THAT(detail(r), HasSubstr("multipart/form-data"));
  r = Upload(
      "--b0undary\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nx\r\n"
      "--b0undary--");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(detail(r), HasSubstr("'file'"));
  r = Upload(Form("a.pdf", kPdf + std::string(4000, ' ')));
  EXPECT_EQ(r.status, 413);
  EXPECT_THAT(detail(r), HasSubstr("4000"));
  r = Upload(Form("a.png", kPdf));
  EXPECT_EQ(r.status, 422);
  EXPECT_THAT(detail(r), HasSubstr("PDF"));
  r = Upload(Form("a.pdf", kPdf,
                  "--b0undary\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nbell\x07"
                  "\r\n"));
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(detail(r), HasSubstr("caption"));
  r = Upload(Form("a.pdf", ""));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(store_->ListMedia(0, 10).total, 0);
  // The library is for editors: no token, no list.
  EXPECT_EQ(Get("/api/v1/media").status, 401);
  EXPECT_EQ(
      app_->Handle("GET", "/api/v1/media?page=0", {{"Authorization", "Bearer " + token_}}).status,
      400);
}

TEST_F(MediaRoutesTest, AttachingResolvesAgainstTheLibrary) {
  const std::string url = UploadPdf();
  const std::string hash = url.substr(url.rfind('/') + 1, 64);
  const json asset = {
      {"kind", "document"},
      {"media", {{{"hash", hash}, {"name", "Renamed.pdf"}, {"caption", "The text"}}}},
      {"translations",
       {{"en-GB",
         {{"title", "Document"}, {"blocks", {{{"type", "paragraph"}, {"text", "Text."}}}}}}}}};
  const HeaderList headers = {{"Authorization", "Bearer " + token_},
                              {"Content-Type", "application/json"}};
  const Response created = app_->Handle("POST", "/api/v1/assets", headers, asset.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const json media = json::parse(created.body)["asset"]["media"][0];
  EXPECT_EQ(media["type"], "application/pdf");
  EXPECT_EQ(media["bytes"], kPdf.size());
  EXPECT_EQ(media["name"], "Renamed.pdf");
  EXPECT_EQ(media["caption"], "The text");

  json bad = asset;
  bad["media"].push_back({{"hash", "not-a-hash"}});
  bad["media"].push_back({{"hash", std::string(64, '0')}});
  const Response refused = app_->Handle("POST", "/api/v1/assets", headers, bad.dump());
  EXPECT_EQ(refused.status, 422) << refused.body;
  const json errors = json::parse(refused.body)["errors"];
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0]["pointer"], "/media/1/hash");
  EXPECT_EQ(errors[1]["pointer"], "/media/2/hash");
  // PUT: the asset sits under "asset".
  const int64_t id = json::parse(created.body)["id"];
  const Response put = app_->Handle("PUT", fmt::format("/api/v1/assets/{}", id),
                                    {{"Authorization", "Bearer " + token_},
                                     {"Content-Type", "application/json"},
                                     {"If-Match", "\"1\""}},
                                    json{{"asset", bad}}.dump());
  EXPECT_EQ(put.status, 422) << put.body;
  EXPECT_EQ(json::parse(put.body)["errors"][0]["pointer"], "/asset/media/1/hash");
}

TEST(MediaRoutes, UploadTargets) {
  EXPECT_TRUE(IsUploadTarget("POST", "/api/v1/media"));
  EXPECT_TRUE(IsUploadTarget("POST", "/api/v1/media?x=1"));
  EXPECT_TRUE(IsUploadTarget("POST", "/admin/media"));
  EXPECT_FALSE(IsUploadTarget("GET", "/api/v1/media"));
  EXPECT_FALSE(IsUploadTarget("POST", "/api/v1/assets"));
  EXPECT_FALSE(IsUploadTarget("POST", "/api/v1/media/x"));
  Config config;
  config.media_max_bytes = 1000;
  EXPECT_GT(UploadBodyLimit(config), 1000u);
}

}  // namespace
}  // namespace assetpub::web
