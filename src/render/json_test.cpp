#include "render/json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "render/paths.h"
#include "render/testing/seed_asset.h"

namespace assetpub::render {
namespace {

TEST(AssetJson, HasTheDesignShape) {
  const auto json = nlohmann::json::parse(AssetJson(testing::SeedAsset(5)));
  EXPECT_EQ(json["id"], 5);
  EXPECT_EQ(json["published_at"], "2013-06-07T16:29:00+04:00");
  EXPECT_EQ(json["languages"], nlohmann::json({"en-GB", "ru-RU"}));
  EXPECT_TRUE(json["translations"].contains("en-GB"));
  EXPECT_TRUE(json["translations"].contains("ru-RU"));
}

TEST(AssetListJson, HasItemsPageSizeTotalAndPages) {
  store::ListPage list{{testing::SeedAsset(1), testing::SeedAsset(2)}, 45};
  const auto json = nlohmann::json::parse(AssetListJson(list, 3, 20));
  ASSERT_TRUE(json["items"].is_array());
  EXPECT_EQ(json["items"].size(), 2u);
  EXPECT_EQ(json["items"][1]["id"], 2);
  EXPECT_EQ(json["page"], 3);
  EXPECT_EQ(json["page_size"], 20);
  EXPECT_EQ(json["total"], 45);
  EXPECT_EQ(json["pages"], 3);
  const auto empty = nlohmann::json::parse(AssetListJson(store::ListPage{}, 1, 20));
  EXPECT_EQ(empty["items"], nlohmann::json::array());
  EXPECT_EQ(empty["pages"], 0);
}

TEST(ReasonPhrase, NamesEveryStatusTheServerSends) {
  // The statuses the write API, uploads and the admin UI answer with (RFC 9110, RFC 6585).
  EXPECT_EQ(ReasonPhrase(201), "Created");
  EXPECT_EQ(ReasonPhrase(206), "Partial Content");
  EXPECT_EQ(ReasonPhrase(412), "Precondition Failed");
  EXPECT_EQ(ReasonPhrase(415), "Unsupported Media Type");
  EXPECT_EQ(ReasonPhrase(416), "Range Not Satisfiable");
  EXPECT_EQ(ReasonPhrase(422), "Unprocessable Content");
  EXPECT_EQ(ReasonPhrase(428), "Precondition Required");
  EXPECT_EQ(ReasonPhrase(429), "Too Many Requests");
  EXPECT_EQ(ReasonPhrase(599), "Error");
}

TEST(AssetJson, MarkupCharactersAreEscapedButTheValueIsKept) {
  content::Asset asset = testing::SeedAsset(1);
  asset.translations["en-GB"].title = "<script>alert(1)</script> & co";
  const std::string text = AssetJson(asset);
  EXPECT_EQ(text.find("<script"), std::string::npos);
  EXPECT_NE(text.find("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e \\u0026 co"),
            std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(text)["translations"]["en-GB"]["title"],
            "<script>alert(1)</script> & co");
}

TEST(Paths, ItemPathUsesThePrimarySubtagAndEncodesTheSlug) {
  EXPECT_EQ(ItemPath(12, "en-GB", "a-slug"), "/en/assets/12-a-slug");
  EXPECT_EQ(ItemPath(3, "ru", "a b/c"), "/ru/assets/3-a%20b%2Fc");
  EXPECT_EQ(HomePath("ru-RU"), "/ru/");
}

}  // namespace
}  // namespace assetpub::render
