#include "web/public_media.h"

#include <utility>

namespace assetpub::web {

PublicMedia::PublicMedia(store::Store& store, std::function<std::optional<int64_t>()> generation)
    : store_(store), generation_(std::move(generation)) {}

bool PublicMedia::IsPublic(std::string_view hash) const {
  // Read before the store is asked: the answer is then at least as new as the generation it is
  // kept under, and a later change moves the generation past it.
  const std::optional<int64_t> generation = generation_ ? generation_() : std::nullopt;
  if (generation) {
    std::lock_guard lock(mutex_);
    if (answers_generation_ != *generation) {
      answers_.clear();
      answers_generation_ = *generation;
    }
    if (const auto found = answers_.find(std::string(hash)); found != answers_.end()) {
      return found->second;
    }
  }
  const bool is_public = store_.IsPublicMedia(hash);
  if (generation) {
    std::lock_guard lock(mutex_);
    if (answers_generation_ == *generation) {
      if (answers_.size() >= kMaxAnswers) answers_.clear();
      answers_.emplace(std::string(hash), is_public);
    }
  }
  return is_public;
}

}  // namespace assetpub::web
