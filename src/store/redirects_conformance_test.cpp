// The redirects part of the Store contract (store.h: Redirect, Transaction::PutRedirect and
// DeleteRedirect, Store::FindRedirect and ListRedirects), run against every backend like
// store_conformance_test.cpp.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

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

// The paths of `page`, in order.
std::vector<std::string> Paths(const RedirectPage& page) {
  std::vector<std::string> paths;
  for (const Redirect& r : page.redirects) paths.push_back(r.path);
  return paths;
}

TEST_P(RedirectsConformance, ListedByPathBytewisePagedAndPerAsset) {
  const int64_t first = PutOne(Item("first"));
  const int64_t second = PutOne(Item("second"));
  const int64_t without = PutOne(Item("without"));
  {
    auto tx = store_->Begin();
    // A locale's collation would put "/a" before "/B" and "/?p=2" after "/?p=10" differently
    // than bytes do; "/é/" (0xC3…) sorts after every ASCII path.
    for (const char* path : {"/a", "/B", "/?p=2", "/\xC3\xA9/", "/?p=10"}) {
      ASSERT_TRUE(tx->PutRedirect({path, first, "en-GB"}));
    }
    ASSERT_TRUE(tx->PutRedirect({"/Z", second, "ru-RU"}));
    tx->Commit();
  }
  const std::vector<std::string> all = {"/?p=10", "/?p=2", "/B", "/Z", "/a", "/\xC3\xA9/"};
  RedirectQuery query;
  RedirectPage page = store_->ListRedirects(query);
  EXPECT_EQ(Paths(page), all);
  EXPECT_EQ(page.total, 6);
  EXPECT_EQ(page.redirects[3], (Redirect{"/Z", second, "ru-RU"}));

  query.limit = 4;
  query.offset = 2;
  page = store_->ListRedirects(query);
  EXPECT_EQ(Paths(page), (std::vector<std::string>{"/B", "/Z", "/a", "/\xC3\xA9/"}));
  EXPECT_EQ(page.total, 6);
  query.offset = 6;
  page = store_->ListRedirects(query);
  EXPECT_TRUE(page.redirects.empty());
  EXPECT_EQ(page.total, 6);

  query = RedirectQuery{};
  query.asset_id = first;
  query.limit = 2;
  page = store_->ListRedirects(query);
  EXPECT_EQ(Paths(page), (std::vector<std::string>{"/?p=10", "/?p=2"}));
  EXPECT_EQ(page.total, 5);
  query.asset_id = second;
  page = store_->ListRedirects(query);
  EXPECT_EQ(page.redirects, (std::vector<Redirect>{{"/Z", second, "ru-RU"}}));
  EXPECT_EQ(page.total, 1);
  query.asset_id = without;
  EXPECT_EQ(store_->ListRedirects(query).total, 0);
  query.asset_id = without + 100;  // no such asset: none, not an error
  EXPECT_TRUE(store_->ListRedirects(query).redirects.empty());

  for (const auto& [offset, limit] : {std::pair<int64_t, int64_t>{0, 0}, {0, 1001}, {-1, 10}}) {
    RedirectQuery bad;
    bad.offset = offset;
    bad.limit = limit;
    try {
      store_->ListRedirects(bad);
      ADD_FAILURE() << "accepted offset " << offset << " limit " << limit;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    }
  }
}

TEST_P(RedirectsConformance, DeletedByTheWholePathAtCommitAndKeptOnRollback) {
  const int64_t id = PutOne(Item("talks"));
  {
    auto tx = store_->Begin();
    ASSERT_TRUE(tx->PutRedirect({"/old/", id, "en-GB"}));
    ASSERT_TRUE(tx->PutRedirect({"/old", id, "en-GB"}));
    tx->Commit();
  }
  {
    auto tx = store_->Begin();
    EXPECT_TRUE(tx->DeleteRedirect("/old/"));
    // Rolled back: the destructor without Commit.
  }
  EXPECT_EQ(store_->FindRedirect("/old/"), (Redirect{"/old/", id, "en-GB"}));
  {
    auto tx = store_->Begin();
    EXPECT_FALSE(tx->DeleteRedirect("/old/x"));
    EXPECT_FALSE(tx->DeleteRedirect("/OLD/"));
    EXPECT_TRUE(tx->DeleteRedirect("/old/"));
    EXPECT_FALSE(tx->DeleteRedirect("/old/"));  // gone within the transaction already
    EXPECT_EQ(tx->PutRedirect({"/old/", id, "en-GB"}), true);  // and may come back
    EXPECT_TRUE(tx->DeleteRedirect("/old/"));
    EXPECT_EQ(store_->FindRedirect("/old/"), (Redirect{"/old/", id, "en-GB"}));  // not yet
    tx->Commit();
  }
  EXPECT_EQ(store_->FindRedirect("/old/"), std::nullopt);
  EXPECT_EQ(store_->FindRedirect("/old"), (Redirect{"/old", id, "en-GB"}));
  EXPECT_EQ(Paths(store_->ListRedirects({})), (std::vector<std::string>{"/old"}));
  // Not changes: the log holds the asset's put only.
  EXPECT_EQ(store_->LastChange(), 1);
}

TEST_P(RedirectsConformance, KeptWhenTheirAssetIsPutAgainAndGoneWithIt) {
  content::Asset asset = Item("kept");
  const int64_t id = PutOne(asset);
  {
    auto tx = store_->Begin();
    ASSERT_TRUE(tx->PutRedirect({"/kept/", id, "en-GB"}));
    tx->Commit();
  }
  asset.translations["en-GB"].title = "Kept, edited";
  PutOne(asset);
  RedirectQuery query;
  query.asset_id = id;
  EXPECT_EQ(store_->ListRedirects(query).redirects,
            (std::vector<Redirect>{{"/kept/", id, "en-GB"}}));
  auto remove = store_->Begin();
  remove->Delete(id);
  remove->Commit();
  EXPECT_EQ(store_->ListRedirects(query).total, 0);
  EXPECT_EQ(store_->ListRedirects({}).total, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, RedirectsConformance,
                         ::testing::ValuesIn(conformance::kBackends), conformance::BackendName);

}  // namespace
}  // namespace assetpub::store
