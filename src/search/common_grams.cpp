#include "search/common_grams.h"

#include <algorithm>
#include <map>
#include <utility>

#include "search/cjk.h"
#include "search/document.h"

namespace assetpub::search::internal {
namespace {

// A term BuildDocuments's TermGenerator wrote for a word of running text: no prefix (every
// prefix is upper-case, words are lower-cased) and no CJK n-gram (those have their own
// positions scheme).
bool IsPlainWord(const std::string& term) {
  return !term.empty() && !(term.front() >= 'A' && term.front() <= 'Z') && !HasCjk(term);
}

// The plain word of a query leaf, or empty.
std::string LeafWord(const Xapian::Query& query) {
  if (query.get_type() != Xapian::Query::LEAF_TERM) return {};
  auto it = query.get_terms_begin();
  if (it == query.get_terms_end()) return {};
  std::string term = *it;
  return IsPlainWord(term) ? term : std::string();
}

// A phrase of plain words matched by its pairs (common_grams.h), else `phrase` itself.
Xapian::Query PhraseWithGrams(const Xapian::Query& phrase, const CommonWords& common,
                              bool& changed) {
  const size_t n = phrase.get_num_subqueries();
  std::vector<std::string> words;
  for (size_t i = 0; i < n; ++i) {
    std::string word = LeafWord(phrase.get_subquery(i));
    if (word.empty()) return phrase;
    words.push_back(std::move(word));
  }
  if (words.size() < 2) return phrase;
  std::vector<Xapian::Query> grams;
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (common.Contains(words[i]) && common.Contains(words[i + 1])) {
      grams.emplace_back(GramTerm(words[i], words[i + 1]));
    }
  }
  if (grams.empty()) return phrase;
  changed = true;
  if (grams.size() == words.size() - 1) {
    // Every two neighbours make a pair, each at its first word's position: the phrase is the
    // pairs at consecutive positions (one pair: just the term).
    if (grams.size() == 1) return grams.front();
    return Xapian::Query(Xapian::Query::OP_PHRASE, grams.begin(), grams.end(),
                         static_cast<Xapian::termcount>(grams.size()));
  }
  // Some neighbours are not both common: the phrase as it was, read only in documents that hold
  // its pairs.
  return Xapian::Query(Xapian::Query::OP_FILTER, phrase,
                       Xapian::Query(Xapian::Query::OP_AND, grams.begin(), grams.end()));
}

// WithCommonGrams below `query`; `changed` set when anything was rewritten.
Xapian::Query Rewrite(const Xapian::Query& query, const CommonWords& common, bool& changed) {
  const Xapian::Query::op type = query.get_type();
  if (type == Xapian::Query::OP_PHRASE) {
    return PhraseWithGrams(query, common, changed);
  }
  switch (type) {
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
      break;
    default:
      return query;  // a leaf, NEAR, or an operator with a parameter we cannot read back
  }
  std::vector<Xapian::Query> parts;
  bool parts_changed = false;
  for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
    parts.push_back(Rewrite(query.get_subquery(i), common, parts_changed));
  }
  if (!parts_changed) return query;
  changed = true;
  return Xapian::Query(type, parts.begin(), parts.end());
}

}  // namespace

CommonWords CommonWords::Decode(std::string_view encoded) {
  CommonWords common;
  while (!encoded.empty()) {
    const size_t end = std::min(encoded.find('\n'), encoded.size());
    if (end > 0) common.words_.emplace(encoded.substr(0, end));
    encoded.remove_prefix(std::min(end + 1, encoded.size()));
  }
  return common;
}

std::string CommonWords::Encode() const {
  std::vector<std::string> sorted(words_.begin(), words_.end());
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const std::string& word : sorted) {
    if (!out.empty()) out.push_back('\n');
    out += word;
  }
  return out;
}

CommonWords CommonWords::Measure(const std::vector<content::Asset>& sample, size_t per_language) {
  CommonWords common;
  if (per_language == 0) return common;
  std::map<std::string, std::map<std::string, size_t>> counts;  // language -> word -> documents
  std::map<std::string, size_t> documents;                      // language -> documents
  for (const content::Asset& asset : sample) {
    if (asset.status != content::Status::kPublished) continue;
    // The words as the index holds them: the documents the index would get (one per
    // translation, in the translations' order), without pairs.
    const std::vector<Xapian::Document> docs = BuildDocuments(asset);
    if (docs.size() != asset.translations.size()) continue;
    auto translation = asset.translations.begin();
    for (const Xapian::Document& doc : docs) {
      const std::string language = LanguageKey((translation++)->first);
      ++documents[language];
      std::map<std::string, size_t>& words = counts[language];
      for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
        if (IsPlainWord(*term) && term.positionlist_count() > 0) ++words[*term];
      }
    }
  }
  for (const auto& [language, words] : counts) {
    std::vector<std::pair<size_t, std::string>> ranked;
    for (const auto& [word, count] : words) {
      if (count * 10 >= documents[language]) ranked.emplace_back(count, word);
    }
    const size_t keep = std::min(per_language, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep),
                      ranked.end(), [](const auto& a, const auto& b) {
                        return a.first != b.first ? a.first > b.first : a.second < b.second;
                      });
    for (size_t i = 0; i < keep; ++i) common.words_.insert(ranked[i].second);
  }
  return common;
}

std::string GramTerm(std::string_view first, std::string_view second) {
  std::string term(kGramTerm);
  term.append(first);
  term.push_back(' ');
  term.append(second);
  return term;
}

void AddCommonGrams(Xapian::Document& doc, const CommonWords& common) {
  if (common.empty()) return;
  std::vector<std::string> words;
  std::vector<std::pair<Xapian::termpos, size_t>> positions;  // position, index into words
  for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
    const std::string word = *term;
    if (!IsPlainWord(word)) continue;
    for (auto pos = term.positionlist_begin(); pos != term.positionlist_end(); ++pos) {
      positions.emplace_back(*pos, words.size());
    }
    words.push_back(word);
  }
  std::sort(positions.begin(), positions.end());
  for (size_t i = 0; i + 1 < positions.size(); ++i) {
    if (positions[i + 1].first != positions[i].first + 1) continue;  // a gap between fields
    const std::string& first = words[positions[i].second];
    const std::string& second = words[positions[i + 1].second];
    if (common.Contains(first) && common.Contains(second)) {
      doc.add_posting(GramTerm(first, second), positions[i].first);
    }
  }
}

Xapian::Query WithCommonGrams(const Xapian::Query& query, const CommonWords& common) {
  bool changed = false;
  return common.empty() ? query : Rewrite(query, common, changed);
}

}  // namespace assetpub::search::internal
