#include "search/search_run.h"

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "search/cjk.h"
#include "search/common_grams.h"
#include "search/document.h"
#include "search/query_builder.h"

// Design notes (the why; the what is in search_run.h).
//
// Facets. FacetSpy reads one slot per visited document. Xapian visits at least check_at_least
// matches; when the query matches far more (a common word over 200,000 translations), exact
// counts would mean visiting every match: 10-50 ms here, against a p99 target of 10 ms. So
// check_at_least is kExactFacetLimit and the counts of a bigger match set are scaled to the
// estimate (facets_exact = false). Measured on 20,000 translations (a loaded 2-core box, page
// of 10): one-word queries p50 1.6 ms without facets, 3.4 ms with a 1,000 sample, 6.6 ms with
// 5,000. A date-sorted query lets the spy see every match (exact, but 15 ms for "everything,
// newest first" at 20,000): precomputed counts for the filter-free case would fix that.
// The spy does not read the slot from the index: a FacetTable (facet_spy.h) holds every
// document's facet value, loaded once per generation (~60 ms at 200,000 documents, shared by all
// readers). A phrase query checks the positions of every candidate it visits, and a phrase of
// common words ("not to the") visits thousands to find 1,000 matches (20-120 ms at 200,000
// documents): phrase queries sample kExactPhraseFacetLimit matches instead. The hits never
// depend on the sample (Xapian still finds the best page).
//
// Reader caches. Each Reader keeps, per revision, the languages metadata and ParagraphFinder's
// surface forms (a word repeated in later searches skips the vocabulary walk), and its stemmers.
//
// Turn hits. Each stored paragraph keeps the term positions its words got; the positions of the
// matching terms (for a stemmed term, of the document's words with that stem) name the paragraph
// with the most distinct matching words, and the snippet is made from that paragraph alone.
//
// Matching from memory. Most of a word's matching was Xapian reading, for each document it
// weighed, the document's length from the index (BM25 needs it) and walking the language term's
// posting list beside the word's. Both are per generation in memory now: a DocLengthTable with
// MemoryBM25Weight (bm25.h: the same weights to the bit) and the FacetTable's languages with
// LanguageSource (facet_spy.h: the same documents). Queries whose words every language's stemmer
// parses alike are not split by language at all (query_builder.cpp). Measured at 100,000 items:
// docs/performance.md.

namespace assetpub::search::internal {
namespace {

// Snippet length in characters; Xapian counts bytes, so it is scaled by the text's bytes per
// character (Cyrillic takes two).
constexpr size_t kSnippetChars = 240;
// Bounds on the vocabulary walk that finds a stem's surface forms.
constexpr int kMaxFormsScanned = 2000;
constexpr size_t kMaxForms = 64;
// At most this many stems' surface forms are kept per reader (Reader::forms).
constexpr size_t kMaxCachedStems = 20000;

std::string EscapeQuotes(const std::string& html) {
  std::string out;
  out.reserve(html.size());
  for (const char c : html) {
    if (c == '"') {
      out += "&quot;";
    } else if (c == '\'') {
      out += "&#39;";
    } else {
      out += c;
    }
  }
  return out;
}

size_t CodePoints(const std::string& text) {
  size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return count;
}

// True when `query` holds a phrase or NEAR (position checks for every candidate).
bool IsPositional(const Xapian::Query& query) {
  const Xapian::Query::op type = query.get_type();
  if (type == Xapian::Query::OP_PHRASE || type == Xapian::Query::OP_NEAR) return true;
  for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
    if (IsPositional(query.get_subquery(i))) return true;
  }
  return false;
}

// `query` with each language term in a filter's place (the right of a FILTER, or inside an
// AND or OR there) replaced by `language(term)`, a LanguageSource: the same documents from
// memory. Parts that are matched (weighed) stay as they are. Sets `changed` when it replaced any.
template <typename MakeSource>
Xapian::Query LanguagesFromMemory(const Xapian::Query& query, bool filter,
                                  const MakeSource& language, bool& changed) {
  const Xapian::Query::op type = query.get_type();
  if (type == Xapian::Query::LEAF_TERM) {
    if (!filter) return query;
    const std::string term = *query.get_terms_begin();
    if (!term.starts_with(kLanguageTerm) || term.size() < 2 || term[1] < 'a' || term[1] > 'z') {
      return query;
    }
    changed = true;
    return Xapian::Query(language(term));
  }
  if (type != Xapian::Query::OP_FILTER && type != Xapian::Query::OP_AND &&
      type != Xapian::Query::OP_OR) {
    return query;
  }
  std::vector<Xapian::Query> parts;
  bool parts_changed = false;
  for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
    parts.push_back(LanguagesFromMemory(query.get_subquery(i),
                                        filter || (type == Xapian::Query::OP_FILTER && i > 0),
                                        language, parts_changed));
  }
  if (!parts_changed) return query;
  changed = true;
  return Xapian::Query(type, parts.begin(), parts.end());
}

// The paragraph of `stored` with the most distinct matching words, or nullptr.
class ParagraphFinder {
 public:
  // Keeps the surface forms it finds in `reader` for later searches.
  explicit ParagraphFinder(Reader& reader) : reader_(reader), db_(reader.db) {}

  // `terms`: the query's unique terms (Xapian::Query::get_unique_terms), read once per search
  // rather than asking Xapian for each hit's matching terms, which reads the hit's whole
  // termlist. A term absent from the hit just has no positions.
  const StoredParagraphView* Best(const std::vector<std::string>& terms, Xapian::docid did,
                                  const StoredTranslationView& stored) {
    if (stored.paragraphs.empty()) return nullptr;
    struct Score {
      uint64_t groups = 0;
      int occurrences = 0;
    };
    std::vector<Score> scores(stored.paragraphs.size());
    int group = -1;
    for (const std::string& name : terms) {
      if (++group == 64) break;
      const std::vector<std::string>* forms = nullptr;
      std::vector<std::string> self;
      if (name.empty()) continue;
      if (name.front() == 'Z') {
        if (name.size() > 1 && name[1] >= 'A' && name[1] <= 'Z') continue;  // ZS…: a title: term
        forms = &Forms(name, stored.language);
      } else if (name.front() >= 'A' && name.front() <= 'Z') {
        continue;  // a filter or a title: term, not body text
      } else {
        self.push_back(name);
        forms = &self;
      }
      // Scores the positions of `words` in the hit; false when none of them occurs there.
      const auto add_positions = [&](const std::vector<std::string>& words) {
        bool seen = false;
        for (const std::string& form : words) {
          for (auto pos = db_.positionlist_begin(did, form); pos != db_.positionlist_end(did, form);
               ++pos) {
            seen = true;
            const Xapian::termpos position = *pos;
            // Paragraphs are stored in position order: the last one starting at or before it.
            auto it = std::upper_bound(stored.paragraphs.begin(), stored.paragraphs.end(), position,
                                       [](Xapian::termpos p, const StoredParagraphView& paragraph) {
                                         return p < paragraph.first;
                                       });
            if (it == stored.paragraphs.begin()) continue;
            --it;
            if (position > it->last) continue;
            Score& score = scores[it - stored.paragraphs.begin()];
            score.groups |= uint64_t{1} << group;
            ++score.occurrences;
          }
        }
        return seen;
      };
      if (!add_positions(*forms) && forms != &self) {
        // The hit has the stem through a form the vocabulary walk did not reach: one that does
        // not begin like the stem (the Arabic stemmer removes prefixes: الأطراف -> اطراف) or lies
        // past kMaxFormsScanned. Then its own words with that stem, for this hit only.
        add_positions(FormsIn(did, name, stored.language));
      }
    }
    const StoredParagraphView* best = nullptr;
    int best_groups = 0, best_occurrences = 0;
    for (size_t i = 0; i < scores.size(); ++i) {
      const int groups = std::popcount(scores[i].groups);
      if (groups > best_groups ||
          (groups == best_groups && groups > 0 && scores[i].occurrences > best_occurrences)) {
        best = &stored.paragraphs[i];
        best_groups = groups;
        best_occurrences = scores[i].occurrences;
      }
    }
    return best;
  }

 private:
  // The words of the vocabulary whose stem (in `language`) is the stemmed term's: stems are
  // almost always a prefix of their words less a final letter ("happi" from "happy"), so the
  // walk starts there and is bounded.
  const std::vector<std::string>& Forms(const std::string& stemmed, std::string_view language) {
    const std::string key = LanguageKey(language) + '\0' + stemmed;
    // Bounded: a long-lived reader on an index that never changes would otherwise keep every
    // stem ever searched for.
    if (reader_.forms.size() >= kMaxCachedStems) reader_.forms.clear();
    auto [it, inserted] = reader_.forms.try_emplace(key);
    if (!inserted) return it->second;
    const std::string stem = stemmed.substr(1);
    std::string prefix = stem;
    if (CodePoints(prefix) > 3) {
      do {
        prefix.pop_back();
      } while (!prefix.empty() && (static_cast<unsigned char>(prefix.back()) & 0xc0) == 0x80);
      if (!prefix.empty()) prefix.pop_back();
    }
    const Xapian::Stem& stemmer = reader_.Stemmer(language);
    int scanned = 0;
    // Not ++term: the index stores a frequent word's posting list as many chunks under keys
    // that sort right after the word, and ++ reads through all of them (for "that" or "свой",
    // hundreds of kilobytes). skip_to() the least string after the word descends the B-tree
    // straight past them; the words visited are the same.
    const auto end = db_.allterms_end(prefix);
    for (auto term = db_.allterms_begin(prefix);
         term != end && scanned < kMaxFormsScanned && it->second.size() < kMaxForms; ++scanned) {
      std::string word = *term;
      if (stemmer(word) == stem) it->second.push_back(word);
      word.push_back('\0');
      term.skip_to(word);
    }
    return it->second;
  }

  // The words of document `did` whose stem is the Z term `stemmed` (none when it lacks that
  // term): a walk of its term list, stemming each unprefixed word. For the rare hit whose form
  // Forms() missed.
  std::vector<std::string> FormsIn(Xapian::docid did, const std::string& stemmed,
                                   std::string_view language) {
    std::vector<std::string> words;
    // Whether it has the term, from the term's posting list (a seek): a split-by-language query
    // holds other languages' stems, which most hits lack, and reading each hit's term list would
    // cost what ParagraphFinder avoids.
    auto posting = db_.postlist_begin(stemmed);
    posting.skip_to(did);
    if (posting == db_.postlist_end(stemmed) || *posting != did) return words;
    const std::string stem = stemmed.substr(1);
    const Xapian::Stem& stemmer = reader_.Stemmer(language);
    for (auto term = db_.termlist_begin(did); term != db_.termlist_end(did); ++term) {
      const std::string word = *term;
      if (word.empty() || (word.front() >= 'A' && word.front() <= 'Z')) continue;
      if (stemmer(word) == stem) words.push_back(word);
    }
    return words;
  }

  Reader& reader_;
  const Xapian::Database& db_;
};

}  // namespace

Results RunSearch(Reader& reader, const Query& query, const GenerationTables& tables) {
  Xapian::Database& db = reader.db;
  const std::vector<std::string>& languages = reader.languages;
  const Xapian::Query xapian_query = BuildQuery(query, languages);
  // BM25 with the document lengths from memory (bm25.h): declared before the Enquire, whose
  // query and weights point to it.
  CurrentDocument current(db, tables.doc_lengths());
  // Language filters from the facet table (LanguageSource), owned by the query.
  bool languages_replaced = false;
  const Xapian::Query matched = LanguagesFromMemory(
      xapian_query, false,
      [&](const std::string& term) {
        return (new LanguageSource(db, tables.facets(), term))->release();
      },
      languages_replaced);
  Xapian::Enquire enquire(db);
  // Phrases of common words matched by their pairs (common_grams.h); the hits' paragraphs and
  // snippets are still found from the words.
  enquire.set_query(WithCurrentDocument(WithCommonGrams(matched, reader.common_words), &current));
  enquire.set_weighting_scheme(MemoryBM25Weight(&current));
  switch (query.sort) {
    case Sort::kRelevance:
      break;
    case Sort::kNewest:
      enquire.set_sort_by_value_then_relevance(kDateSlot, /*reverse=*/true);
      break;
    case Sort::kOldest:
      enquire.set_sort_by_value_then_relevance(kDateSlot, /*reverse=*/false);
      break;
  }
  FacetSpy spy(query.facets ? tables.facets() : nullptr);
  if (query.facets) enquire.add_matchspy(&spy);
  const auto offset = static_cast<Xapian::doccount>((query.page - 1) * query.page_size);
  const auto size = static_cast<Xapian::doccount>(query.page_size);
  const Xapian::doccount sample =
      IsPositional(xapian_query) ? kExactPhraseFacetLimit : kExactFacetLimit;
  const Xapian::doccount check_at_least =
      std::max<Xapian::doccount>(offset + size, query.facets ? sample : 100);
  const Xapian::MSet mset = enquire.get_mset(offset, size, check_at_least);

  Results results;
  results.total = mset.get_matches_estimated();
  if (query.facets) {
    const auto seen = static_cast<double>(spy.seen());
    results.facets_exact = spy.seen() >= static_cast<int64_t>(mset.get_matches_upper_bound());
    results.facets = spy.Facets(
        results.facets_exact || seen == 0 ? 1.0 : static_cast<double>(results.total) / seen);
  }

  ParagraphFinder finder(reader);
  std::vector<std::string> terms;
  if (!mset.empty()) {
    for (auto term = xapian_query.get_unique_terms_begin();
         term != xapian_query.get_unique_terms_end(); ++term) {
      terms.push_back(*term);
    }
  }
  // The query's CJK words, marked whole in CJK snippets (FixCjkSnippet).
  std::vector<std::string> cjk_words;
  for (const std::string* field :
       {&query.text, &query.all_words, &query.phrase, &query.any_words}) {
    AppendCjkWords(*field, cjk_words);
  }
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    // Views into `data`: only the paragraph shown is copied (for the snippet).
    const std::string data = it.get_document().get_data();
    const StoredTranslationView stored = DecodeStoredView(data);
    Hit hit;
    hit.asset_id = stored.asset_id;
    hit.language = stored.language;
    hit.title = stored.title;
    hit.slug = stored.slug;
    hit.kind = content::ParseKind(stored.kind).value_or(content::Kind::kArticle);
    hit.published_at = content::Instant{stored.published_at};
    hit.time_zone = stored.time_zone;
    hit.place = stored.place;
    hit.percent = it.get_percent();
    const StoredParagraphView* paragraph = finder.Best(terms, *it, stored);
    std::string text;
    if (paragraph != nullptr) {
      hit.anchor = "p" + std::to_string(paragraph->number);
      hit.speaker = paragraph->speaker;
      text = paragraph->text;
    } else {
      text = !stored.summary.empty()      ? stored.summary
             : !stored.paragraphs.empty() ? stored.paragraphs.front().text
                                          : std::string_view();
    }
    if (!text.empty()) {
      const size_t chars = std::max<size_t>(1, CodePoints(text));
      const size_t bytes = kSnippetChars * text.size() / chars;
      std::string snippet =
          mset.snippet(text, bytes, reader.Stemmer(stored.language),
                       // No SNIPPET_BACKGROUND_MODEL: it looks up the frequency of every word of
                       // the text in the index (a third of a millisecond per hit here), and the
                       // text is already the best paragraph.
                       Xapian::MSet::SNIPPET_EXHAUSTIVE | Xapian::MSet::SNIPPET_CJK_NGRAM, "<mark>",
                       "</mark>", "…");
      if (HasCjk(text)) {
        snippet = FixCjkSnippet(snippet, text, cjk_words);
      }
      hit.snippet_html = EscapeQuotes(snippet);
    }
    results.hits.push_back(std::move(hit));
  }
  if (results.total == 0) results.suggestion = SuggestSpelling(query, db, languages);
  return results;
}

}  // namespace assetpub::search::internal
