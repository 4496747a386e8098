#pragma once
// Test double only: an in-memory store::Store holding assets put in directly, for handler unit
// tests that need no database. Reads follow the Store contract (List's order and filters,
// Headlines' fallback); writes through Begin() are not supported. Not thread-safe.

#include <algorithm>
#include <map>
#include <stdexcept>

#include "content/language.h"
#include "store/store.h"

namespace assetpub::http::testing {

class FakeStore : public store::Store {
 public:
  void Add(content::Asset asset) { assets_[asset.id] = std::move(asset); }

  std::unique_ptr<store::Transaction> Begin() override {
    throw std::logic_error("FakeStore is read-only");
  }
  std::optional<content::Asset> Get(int64_t id) override {
    auto it = assets_.find(id);
    if (it == assets_.end()) return std::nullopt;
    return it->second;
  }
  std::vector<store::Headline> Headlines(const std::vector<int64_t>& ids,
                                         std::string_view language) override {
    std::vector<store::Headline> out;
    for (int64_t id : ids) {
      auto it = assets_.find(id);
      if (it == assets_.end() || it->second.translations.empty()) continue;
      const content::Asset& asset = it->second;
      const content::Translation* translation = asset.FindTranslation(language);
      if (translation == nullptr) translation = &asset.translations.begin()->second;
      out.push_back(
          {id, translation->language, translation->title, translation->slug, asset.status});
    }
    return out;
  }
  store::ListPage List(const store::ListQuery& query) override {
    std::vector<content::Asset> matching;
    for (const auto& [id, asset] : assets_) {
      if (query.status && asset.status != *query.status) continue;
      if (!query.language.empty() && asset.FindTranslation(query.language) == nullptr &&
          asset.FindTranslation(content::PrimarySubtag(query.language)) == nullptr) {
        continue;
      }
      matching.push_back(asset);
    }
    std::sort(matching.begin(), matching.end(), [](const auto& a, const auto& b) {
      return a.published_at != b.published_at ? a.published_at > b.published_at : a.id > b.id;
    });
    store::ListPage page;
    page.total = static_cast<int64_t>(matching.size());
    for (int64_t i = query.offset; i < page.total && i < query.offset + query.limit; ++i) {
      page.assets.push_back(matching[static_cast<size_t>(i)]);
    }
    return page;
  }
  void ForEach(const std::function<void(const content::Asset&)>& visit) override {
    for (const auto& [id, asset] : assets_) visit(asset);
  }
  int64_t LastChange() override { return 0; }
  std::vector<store::Change> ChangesSince(int64_t, int64_t) override { return {}; }

 private:
  std::map<int64_t, content::Asset> assets_;
};

}  // namespace assetpub::http::testing
