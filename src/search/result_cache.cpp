#include "search/result_cache.h"

#include <string_view>

namespace assetpub::search::internal {

// The structured binding names every field of Query, so a field added there fails to compile
// here until it is named, and then added to the key.
std::string ResultKey(const Reader& reader, const Query& query) {
  const auto& [text, all_words, phrase, any_words, none_words, from, to, kinds, person, tag,
               language, sort, page, page_size, facets, stem_language] = query;
  std::string key;
  const auto add = [&key](std::string_view field) {
    key += std::to_string(field.size());
    key += ':';
    key.append(field);
  };
  add(reader.generation);
  add(std::to_string(reader.revision));
  for (const std::string* field : {&text, &all_words, &phrase, &any_words, &none_words, &person,
                                   &tag, &language, &stem_language}) {
    add(*field);
  }
  add(from ? std::to_string(from->seconds) : "-");
  add(to ? std::to_string(to->seconds) : "-");
  add(std::to_string(kinds.size()));
  for (const std::string& kind : kinds) add(kind);
  add(std::to_string(static_cast<int>(sort)));
  add(std::to_string(page));
  add(std::to_string(page_size));
  add(facets ? "f" : "-");
  return key;
}

std::optional<Results> ResultCache::Find(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->second;
}

void ResultCache::Keep(const std::string& key, const Results& results) {
  std::lock_guard lock(mutex_);
  if (capacity_ == 0 || index_.count(key) != 0) return;
  entries_.emplace_front(key, results);
  index_.emplace(key, entries_.begin());
  Trim();
}

void ResultCache::SetCapacity(size_t entries) {
  std::lock_guard lock(mutex_);
  capacity_ = entries;
  Trim();
}

void ResultCache::Trim() {
  while (entries_.size() > capacity_) {
    index_.erase(entries_.back().first);
    entries_.pop_back();
  }
}

}  // namespace assetpub::search::internal
