#pragma once
// Test support only: fault injection, not a fake. A real store whose reads first call `fail`
// with the read's name ("Get", "ForEach", …), which may throw (to see that nothing escapes a
// handler) or wait (to hold a reader at a chosen point). Writes go straight through.
// Header-only.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store.h"

namespace assetpub::web::testing {

class FailingReads : public store::Store {
 public:
  FailingReads(store::Store& real, std::function<void(std::string_view read)> fail)
      : real_(real), fail_(std::move(fail)) {}

  std::unique_ptr<store::Transaction> Begin() override { return real_.Begin(); }
  std::optional<content::Asset> Get(int64_t id) override {
    fail_("Get");
    return real_.Get(id);
  }
  std::vector<store::Headline> Headlines(const std::vector<int64_t>& ids,
                                         std::string_view language) override {
    fail_("Headlines");
    return real_.Headlines(ids, language);
  }
  store::ListPage List(const store::ListQuery& query) override {
    fail_("List");
    return real_.List(query);
  }
  store::ListPage Select(const store::Selection& selection) override {
    fail_("Select");
    return real_.Select(selection);
  }
  std::vector<int64_t> ReferencedBy(int64_t id) override {
    fail_("ReferencedBy");
    return real_.ReferencedBy(id);
  }
  std::vector<std::string> NamesBySlug(store::Vocabulary vocabulary,
                                       std::string_view slug) override {
    fail_("NamesBySlug");
    return real_.NamesBySlug(vocabulary, slug);
  }
  std::vector<store::UrlEntry> PublishedUrls(int64_t after_id, int64_t limit) override {
    fail_("PublishedUrls");
    return real_.PublishedUrls(after_id, limit);
  }
  int64_t CountPublished(std::string_view language) override {
    fail_("CountPublished");
    return real_.CountPublished(language);
  }
  void AddViews(const std::vector<std::pair<int64_t, int64_t>>& views) override {
    real_.AddViews(views);
  }
  void ForEach(const std::function<void(const content::Asset&)>& visit) override {
    fail_("ForEach");
    real_.ForEach(visit);
  }
  int64_t LastChange() override {
    fail_("LastChange");
    return real_.LastChange();
  }
  std::vector<store::Change> ChangesSince(int64_t after, int64_t limit) override {
    fail_("ChangesSince");
    return real_.ChangesSince(after, limit);
  }
  bool AddMedia(const store::MediaRecord& record) override { return real_.AddMedia(record); }
  std::optional<store::MediaRecord> FindMedia(std::string_view hash) override {
    fail_("FindMedia");
    return real_.FindMedia(hash);
  }
  bool IsPublicMedia(std::string_view hash) override {
    fail_("IsPublicMedia");
    return real_.IsPublicMedia(hash);
  }
  store::MediaPage ListMedia(int64_t offset, int64_t limit) override {
    fail_("ListMedia");
    return real_.ListMedia(offset, limit);
  }
  bool PutBlob(std::string_view key, const store::BlobInfo& info,
               const store::BlobSource& source) override {
    return real_.PutBlob(key, info, source);
  }
  std::optional<store::BlobInfo> FindBlob(std::string_view key) override {
    fail_("FindBlob");
    return real_.FindBlob(key);
  }
  std::optional<store::BlobInfo> ReadBlob(std::string_view key,
                                          const store::BlobSink& sink) override {
    fail_("ReadBlob");
    return real_.ReadBlob(key, sink);
  }

 private:
  store::Store& real_;
  std::function<void(std::string_view read)> fail_;
};

}  // namespace assetpub::web::testing
