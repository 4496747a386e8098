#pragma once
// PublicMedia says whether /media/ may serve a library file to anyone: only a file attached to a
// published asset is public (Store::IsPublicMedia); a draft's, an embargoed (scheduled) or an
// archived item's files are served to editors only, through /admin/media/. The answer is kept per
// hash for as long as the response cache's follower has applied no newer change of the store
// (`generation`, PageCache::applied), so a file asked for again costs one hash look-up; a publish
// or an unpublish moves the generation and the next request asks the store again. Without a
// generation (no response cache, or its summaries not loaded yet) every request asks the store.
// Thread-safety: IsPublic from any number of threads (a mutex guards the answers).

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/store.h"

namespace assetpub::web {

class PublicMedia {
 public:
  // `store` must outlive the object. `generation` (called on every IsPublic, from any thread)
  // returns the last store change whose effect the caller is sure to have seen, or nullopt.
  PublicMedia(store::Store& store, std::function<std::optional<int64_t>()> generation);

  // Whether the file of SHA-256 `hash` (64 lower-case hex digits) is attached to a published
  // asset. Throws what the store throws.
  bool IsPublic(std::string_view hash) const;

 private:
  // Answers kept at most; beyond, they are dropped and asked again.
  static constexpr size_t kMaxAnswers = 100'000;

  store::Store& store_;
  std::function<std::optional<int64_t>()> generation_;
  mutable std::mutex mutex_;                               // guards the two members below
  mutable int64_t answers_generation_ = -1;                // the generation answers_ hold for
  mutable std::unordered_map<std::string, bool> answers_;  // hash -> public
};

}  // namespace assetpub::web
