// The redirects part of the Store contract (store.h: Redirect, Transaction::PutRedirect,
// Store::FindRedirect), run against every backend like store_conformance_test.cpp.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "content/asset.h"
#include "core/error.h"
#include "store/store.h"
#include "store/testing/conformance.h"

namespace assetpub::store {
namespace {

content::Asset Item(const std::string& slug) {
  content::Asset a;
  a.published_at = content::ParseIso8601("2014-03-12T14:05:00Z");
  a.languages = {"en-GB", "ru-RU"};
  for (const char* tag : {"en-GB", "ru-RU"}) {
    content::Translation t;
    t.language = tag;
    t.title = slug + " " + tag;
    t.slug = slug;
    a.translations[tag] = t;
  }
  return a;
}

class RedirectsConformance : public conformance::StoreTest {};

TEST_P(RedirectsConformance, FoundByTheWholePathOnlyAfterCommit) {
  const int64_t id = PutOne(Item("talks"));
  const Redirect permalink{"/2014/03/12/talks/", id, "en-GB"};
  const Redirect by_id{"/?p=15", id, "ru-RU"};
  {
    auto tx = store_->Begin();
    EXPECT_TRUE(tx->PutRedirect(permalink));
    EXPECT_TRUE(tx->PutRedirect(by_id));
    EXPECT_EQ(store_->FindRedirect(permalink.path), std::nullopt);  // not committed yet
    tx->Commit();
  }
  EXPECT_EQ(store_->FindRedirect("/2014/03/12/talks/"), permalink);
  EXPECT_EQ(store_->FindRedirect("/?p=15"), by_id);
  EXPECT_EQ(store_->FindRedirect("/2014/03/12/talks"), std::nullopt);
  EXPECT_EQ(store_->FindRedirect("/?p=1"), std::nullopt);
  // Redirects are not changes: readers following the log see only the asset.
  EXPECT_EQ(store_->LastChange(), 1);
}

TEST_P(RedirectsConformance, SameRedirectAgainWritesNothingAndANewTargetReplaces) {
  const int64_t first = PutOne(Item("first"));
  const int64_t second = PutOne(Item("second"));
  {
    auto tx = store_->Begin();
    EXPECT_TRUE(tx->PutRedirect({"/old/", first, "en-GB"}));
    EXPECT_FALSE(tx->PutRedirect({"/old/", first, "en-GB"}));
    EXPECT_TRUE(tx->PutRedirect({"/old/", second, "ru-RU"}));
    tx->Commit();
  }
  EXPECT_EQ(store_->FindRedirect("/old/"), (Redirect{"/old/", second, "ru-RU"}));
}

TEST_P(RedirectsConformance, RefusedForABadPathOrAMissingAssetAndGoneWithTheAsset) {
  const int64_t id = PutOne(Item("kept"));
  {
    auto tx = store_->Begin();
    for (const Redirect& bad : {Redirect{"old/", id, "en-GB"}, Redirect{"", id, "en-GB"},
                                Redirect{"/" + std::string(2000, 'x'), id, "en-GB"},
                                Redirect{"/missing/", id + 100, "en-GB"}}) {
      try {
        tx->PutRedirect(bad);
        ADD_FAILURE() << "accepted " << bad.path;
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kInvalidInput) << bad.path;
      }
    }
    EXPECT_TRUE(tx->PutRedirect({"/kept/", id, "en-GB"}));
    tx->Commit();
  }
  EXPECT_EQ(store_->FindRedirect("/kept/"), (Redirect{"/kept/", id, "en-GB"}));
  auto remove = store_->Begin();
  remove->Delete(id);
  remove->Commit();
  EXPECT_EQ(store_->FindRedirect("/kept/"), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Backends, RedirectsConformance,
                         ::testing::ValuesIn(conformance::kBackends), conformance::BackendName);

}  // namespace
}  // namespace assetpub::store
