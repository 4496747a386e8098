#pragma once
// WordCount counts the words of generated items per language: how many there are and how many
// distinct ones, the vocabulary a search index has to hold (corpus_bench, corpus_test). A word is
// a run of ASCII or Cyrillic letters (and apostrophes), lower-cased; digits and punctuation
// separate words. Not thread-safe.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "content/asset.h"

namespace assetpub::corpus {

// Lower case for ASCII and Cyrillic (А..Я, Ё) in UTF-8; other bytes as they are.
std::string LowerCase(std::string_view text);

// The lower-case words of `text`, in order.
std::vector<std::string> LowerCaseWords(std::string_view text);

class WordCount {
 public:
  // Counts the words of every translation's title, summary, place, paragraphs and speakers.
  void Add(const content::Asset& asset);

  struct Figures {
    int64_t words = 0;     // all words
    int64_t distinct = 0;  // distinct lower-case words
    int64_t once = 0;      // distinct words seen exactly once
  };
  // Per language tag ("en-GB"), and "all" for the languages together.
  std::map<std::string, Figures> Totals() const;

 private:
  std::map<std::string, std::unordered_map<std::string, int64_t>> counts_;  // language -> word
};

}  // namespace assetpub::corpus
