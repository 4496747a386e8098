#pragma once
// A database handle of the search index and what searches on it can keep between them
// (reader_pool.cpp; search_run.cpp "Reader caches"). A Reader is used by one thread at a time:
// SearchIndex lends it from its pool (reader_pool.h) to one search.

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "search/common_grams.h"
#include "search/document.h"

namespace assetpub::search::internal {

struct Reader {
  Xapian::Database db;
  std::string generation;  // empty: not open

  // Valid for `revision` of `generation` (cleared by Refresh() when either changes): the
  // languages metadata and ParagraphFinder's surface forms ("<language>\0<Z term>" -> words).
  Xapian::rev revision = 0;
  std::vector<std::string> languages;
  // The generation's common words (fixed when it was built).
  CommonWords common_words;
  std::unordered_map<std::string, std::vector<std::string>> forms;
  // Language key -> stemmer (a Stem is not thread-safe, so one set per reader).
  std::unordered_map<std::string, Xapian::Stem> stemmers;

  const Xapian::Stem& Stemmer(std::string_view language) {
    const std::string key = LanguageKey(language);
    auto it = stemmers.find(key);
    if (it == stemmers.end()) it = stemmers.emplace(key, StemmerFor(key)).first;
    return it->second;
  }
};

}  // namespace assetpub::search::internal
