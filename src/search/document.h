#pragma once
// How an asset becomes Xapian documents (one per published translation): the terms, the value
// slots and the stored data a hit is rendered from without a store look-up. Internal to
// search/. Thread-safety: free functions over values; a Xapian::Stem is not shared.

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "content/asset.h"

namespace assetpub::search::internal {

// Term prefixes (Xapian's convention: upper-case, so they never clash with a lower-cased word).
inline constexpr std::string_view kIdTerm = "Q";           // Q<asset id>-<tag lower>: unique
inline constexpr std::string_view kAssetTerm = "A";        // A<asset id>: every translation
inline constexpr std::string_view kLanguageTerm = "L";     // Len-gb and Len
inline constexpr std::string_view kKindTerm = "K";         // Ktranscript
inline constexpr std::string_view kPersonTerm = "P";       // Psergey lavrov (whole name, lower)
inline constexpr std::string_view kPersonWordTerm = "XP";  // XPlavrov (each word of a name)
inline constexpr std::string_view kTagTerm = "T";          // T<tag lower>
inline constexpr std::string_view kYearTerm = "Y";         // Y2013 (local year)
inline constexpr std::string_view kTitlePrefix = "S";      // free text, title: in the box

// Value slots.
inline constexpr Xapian::valueno kDateSlot = 0;   // sortable_serialise(published_at seconds)
inline constexpr Xapian::valueno kFacetSlot = 1;  // EncodeFacets(), read by FacetSpy

// Title words count this many times a body word (within-document frequency increment).
inline constexpr Xapian::termcount kTitleWeight = 3;

// One paragraph of the body as the item page numbers it, with the term positions its words
// got, so a hit can tell which paragraph matched from the positions of the matching terms.
struct StoredParagraph {
  uint32_t number = 0;        // the page's anchor is "p<number>"
  Xapian::termpos first = 0;  // positions of its first and last word (first > last: no words)
  Xapian::termpos last = 0;
  std::string speaker;  // the turn's speaker, empty outside turns
  std::string text;
};

// What a hit needs, kept in the document data.
struct StoredTranslation {
  int64_t asset_id = 0;
  std::string language;
  std::string title;
  std::string slug;
  std::string kind;
  int64_t published_at = 0;
  std::string time_zone;
  std::string place;
  std::string summary;
  std::vector<StoredParagraph> paragraphs;
};

std::string EncodeStored(const StoredTranslation& stored);

// What EncodeStored wrote, as views into the encoded data (which must outlive it): what a search
// decodes for each hit, without a string per paragraph of which it shows one.
struct StoredParagraphView {
  uint32_t number = 0;
  Xapian::termpos first = 0;
  Xapian::termpos last = 0;
  std::string_view speaker;
  std::string_view text;
};
struct StoredTranslationView {
  int64_t asset_id = 0;
  std::string_view language;
  std::string_view title;
  std::string_view slug;
  std::string_view kind;
  int64_t published_at = 0;
  std::string_view time_zone;
  std::string_view place;
  std::string_view summary;
  std::vector<StoredParagraphView> paragraphs;
};
// Throws Error(kInternal) on data it did not write.
StoredTranslationView DecodeStoredView(std::string_view data);

// The facet slot: kind, local year, language tag and the people, separated by kFacetSeparator
// (people among themselves by kPersonSeparator).
inline constexpr char kFacetSeparator = '\x1f';
inline constexpr char kPersonSeparator = '\x1e';

// Chinese and Japanese are written without spaces (Korean with spaces between phrases): the
// TermGenerator indexes every run of CJK characters as its characters and their pairs
// (FLAG_CJK_NGRAM), in every translation, since CJK text can appear in any of them (a quoted
// name); the flag changes nothing for other scripts. Queries are parsed with kQueryParserFlags
// and snippets made with Xapian::MSet::SNIPPET_CJK_NGRAM to match.
inline constexpr int kTermGeneratorFlags = Xapian::TermGenerator::FLAG_CJK_NGRAM;
inline constexpr unsigned kQueryParserFlags = Xapian::QueryParser::FLAG_CJK_NGRAM;

// Bump when the terms a document gets change (a new flag, a new prefix): an index written with
// another format is rebuilt at start-up (SearchIndex::CatchUp) instead of being caught up.
// 2: CJK n-grams. 3: the same with common grams (common_grams.h): a generation built without
// them stays "2", so that no index is rebuilt for a feature it does not use, and an older
// binary, which cannot keep the pairs up to date, rebuilds one built with them.
inline constexpr std::string_view kIndexFormat = "2";
inline constexpr std::string_view kIndexFormatWithGrams = "3";

// The stemmer for a language tag: Xapian's for the primary subtag when it has one (in Xapian
// 1.4.22: ar, ca, da, de, en, es, eu, fi, fr, ga, hu, hy, id, it, lt, nb/no, ne, nl, pt, ro, ru,
// sv, ta, tr), else none (a default-constructed Stem leaves words as they are: zh, ja, ko, uk,
// pl, …).
Xapian::Stem StemmerFor(std::string_view language);
// The primary subtag, lower-case, as the L terms use it ("ru-RU" -> "ru").
std::string LanguageKey(std::string_view language);
// Unicode lower case (Cyrillic included).
std::string Lower(std::string_view text);

// Walks `text` as Xapian's query parser splits it into words: each run of word characters
// (Xapian::Unicode::is_wordchar) goes whole to on_word(word, before_colon), `before_colon` true
// when a ':' follows at once (a field name such as "person:"); every other character goes alone
// to on_other(code point). Both see the text in order, re-encoded as UTF-8 from its code points.
template <typename OnOther, typename OnWord>
void ForEachWord(std::string_view text, OnOther&& on_other, OnWord&& on_word) {
  Xapian::Utf8Iterator it(text.data(), text.size()), end;
  while (it != end) {
    if (!Xapian::Unicode::is_wordchar(*it)) {
      on_other(*it);
      ++it;
      continue;
    }
    std::string word;
    while (it != end && Xapian::Unicode::is_wordchar(*it)) {
      Xapian::Unicode::append_utf8(word, *it);
      ++it;
    }
    on_word(word, it != end && *it == ':');
  }
}

// The words of a person's name, lower-cased, as the XP terms hold them and person: queries
// look for them: "Sergey Lavrov" -> {"sergey", "lavrov"}.
std::vector<std::string> NameWords(std::string_view name);
// True for a term that belongs in the spelling dictionary: an unprefixed word of 2..32 bytes.
bool IsSpellingWord(const std::string& term);

// The documents for `asset`: one per translation, in translation order. The caller checks the
// status (only published assets are indexed).
std::vector<Xapian::Document> BuildDocuments(const content::Asset& asset);

}  // namespace assetpub::search::internal
