#pragma once
// Common grams (after Lucene's CommonGramsFilter): a phrase of common words ("в что", "the is
// of") is slow, since every document holds those words, often, and the phrase reads all their
// positions (40-55 ms at 100,000 items, docs/performance.md). So each document also gets, for
// every two neighbouring words that are both common, the pair as one term (XG<first> <second>,
// at the first word's position), and a phrase is matched by those rare terms: a phrase whose
// every two neighbours make a pair becomes a phrase of pairs (one term for two words); any other
// phrase is filtered by the pairs it holds before its positions are read. Lucene also pairs a
// common word with an uncommon neighbour; measured here that doubled the index and its build
// (docs/performance.md), for phrases an uncommon word already makes fast. The common words are
// measured by a rebuild from its first assets (the most frequent words of each language) and
// kept in the generation's metadata, so that the documents added later and the queries use the
// very list the index was built with. Internal to search/. Thread-safety: CommonWords is
// immutable once made; free functions.

#include <xapian.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "content/asset.h"

namespace assetpub::search::internal {

// The pairs' prefix (upper-case: never a word; not a spelling word).
inline constexpr std::string_view kGramTerm = "XG";
// The generation's metadata key of its common words (CommonWords::Encode), absent or empty
// when it was built without pairs.
inline constexpr const char* kCommonWordsKey = "assetpub.common_words";
// How many of each language's most frequent words are common, by default: none. At 100,000 items
// 200 words a language made the slow phrases 2,000 times faster (40-55 ms -> 0.02 ms) but cost
// 78% more rebuild CPU and 41% more disk (docs/performance.md), where the issue allowed ~15%;
// `reindex --common-words 200` makes them for a site whose visitors type such phrases.
inline constexpr size_t kCommonWordsPerLanguage = 0;
// How many published assets a rebuild measures them from (the first ones, in id order).
inline constexpr size_t kCommonWordsSample = 2000;

class CommonWords {
 public:
  CommonWords() = default;
  // What Encode() wrote (words separated by '\n').
  static CommonWords Decode(std::string_view encoded);
  std::string Encode() const;

  bool empty() const { return words_.empty(); }
  size_t size() const { return words_.size(); }
  bool Contains(const std::string& word) const { return words_.count(word) != 0; }

  // The `per_language` words that most documents of each language of `sample` hold (a word
  // as the index holds it: unstemmed, lower-case; CJK characters never), each in at least a
  // tenth of its language's documents; empty for `per_language` 0.
  static CommonWords Measure(const std::vector<content::Asset>& sample, size_t per_language);

 private:
  std::unordered_set<std::string> words_;
};

// The pair term of two neighbouring words.
std::string GramTerm(std::string_view first, std::string_view second);

// Adds the pair terms of `doc`'s words (its unprefixed terms with positions, as
// BuildDocuments's TermGenerator wrote them) where two neighbours are both common.
void AddCommonGrams(Xapian::Document& doc, const CommonWords& common);

// `query` with each phrase of plain words (as Xapian's parser makes them from "…") matched by
// pairs, as the header says; the same query when `common` is empty or no phrase gains. NEAR,
// title: phrases and CJK words stay as they are.
Xapian::Query WithCommonGrams(const Xapian::Query& query, const CommonWords& common);

}  // namespace assetpub::search::internal
