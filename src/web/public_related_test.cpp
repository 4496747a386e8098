// What the public sees of an item's "Additional materials": only public (published) related
// items, in the API's JSON (one asset, the list, a publisher's page) and on the item page; a
// draft or an archived item is named nowhere, not by its id, not by a title stored beside it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "render/testing/seed_asset.h"
#include "render/testing/site.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "web/app.h"

namespace assetpub::web {
namespace {

using render::testing::OneLanguageItem;
using render::testing::PutAsset;
using ::testing::HasSubstr;
using ::testing::Not;

class PublicRelatedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::OpenStore("sqlite:" + (temp_.path() / "assetpub.db").string());
    const content::Instant at = render::testing::SeedAsset().published_at;
    PutAsset(*store_, OneLanguageItem(1, "en-GB", "Published neighbour", "published-neighbour",
                                      {at.seconds - 86400}));
    content::Asset draft =
        OneLanguageItem(2, "en-GB", "Secret draft Qzxdraft", "secret-draft", {at.seconds});
    draft.status = content::Status::kDraft;
    PutAsset(*store_, draft);
    content::Asset archived =
        OneLanguageItem(3, "en-GB", "Withdrawn Qzxarchived", "withdrawn", {at.seconds});
    archived.status = content::Status::kArchived;
    PutAsset(*store_, archived);
    content::Asset item = OneLanguageItem(4, "en-GB", "The item", "the-item", {at.seconds});
    // An import may keep the title it matched beside the id: it must not show either.
    item.related = {
        {2, "Secret draft Qzxdraft"}, {1, ""}, {3, "Withdrawn Qzxarchived"}, {0, "Photo gallery"}};
    PutAsset(*store_, item);
    app_.emplace(render::testing::SiteConfig(), *store_);
  }
  void TearDown() override {
    app_.reset();
    store_.reset();
  }

  Response Get(const std::string& target) { return app_->Handle(Request::Make("GET", target, {})); }

  // The related entries the API shows for item 4 in `items` (an array of assets).
  static nlohmann::json RelatedOfItem(const nlohmann::json& items) {
    for (const nlohmann::json& asset : items) {
      if (asset["id"] == 4) return asset["related"];
    }
    ADD_FAILURE() << "item 4 is not listed";
    return nullptr;
  }

  const assetpub::testing::TempDir temp_{"assetpub-related-"};
  std::unique_ptr<store::Store> store_;
  std::optional<App> app_;
};

const nlohmann::json kPublicRelated =
    nlohmann::json::parse(R"([{"id": 1}, {"title": "Photo gallery"}])");

TEST_F(PublicRelatedTest, TheApiNamesOnlyPublishedRelatedItems) {
  const Response one = Get("/api/v1/assets/4");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(nlohmann::json::parse(one.body)["related"], kPublicRelated);

  const Response list = Get("/api/v1/assets?lang=en");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(RelatedOfItem(nlohmann::json::parse(list.body)["items"]), kPublicRelated);

  const Response home = Get("/api/v1/publishers/home?lang=en");
  ASSERT_EQ(home.status, 200) << home.body;
  EXPECT_EQ(RelatedOfItem(nlohmann::json::parse(home.body)["items"]), kPublicRelated);

  for (const Response* response : {&one, &list, &home}) {
    EXPECT_THAT(response->body, Not(HasSubstr("Qzx")));
    EXPECT_THAT(response->body, Not(HasSubstr("{\"id\":2}")));
    EXPECT_THAT(response->body, Not(HasSubstr("{\"id\":3}")));
  }
}

TEST_F(PublicRelatedTest, TheItemPageListsOnlyPublishedRelatedItems) {
  const Response page = Get("/en/assets/4-the-item");
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("Published neighbour"));
  EXPECT_THAT(page.body, HasSubstr("<li>Photo gallery</li>"));
  EXPECT_THAT(page.body, Not(HasSubstr("Qzxdraft")));
  EXPECT_THAT(page.body, Not(HasSubstr("Qzxarchived")));
  EXPECT_THAT(page.body, Not(HasSubstr("/assets/2-")));
  EXPECT_THAT(page.body, Not(HasSubstr("/assets/3-")));
}

}  // namespace
}  // namespace assetpub::web
