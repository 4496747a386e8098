#pragma once
// The full-text index (Xapian), derived from the store: one document per translation, with the
// asset id, language, kind, people and tags as boolean terms, title/place/summary/body/speakers
// as free text (stemmed per language), and the publication instant in a value slot for date
// ranges and sorting. It records the last store change it applied (Xapian metadata, committed
// atomically with the documents), so CatchUp() after a crash re-applies whatever is missing.
//
// Only search/ includes Xapian. Thread-safety: Search() may run on any number of threads at
// once; CatchUp() and Rebuild() serialise among themselves (one writer per index, and per
// process holding the Xapian write lock) and never block searches.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "content/asset.h"
#include "content/instant.h"
#include "store/store.h"

namespace assetpub::search {

enum class Sort { kRelevance, kNewest, kOldest };

// What a user asks. Every field is optional; an empty query (no words and no filter) matches
// every published translation, so the panel can browse by facet alone. (A field added here must
// also go into ResultKey() in result_cache.cpp, the key of the recent results kept: it names
// every field in a structured binding, so the build fails until it is.)
struct Query {
  // The plain box: words (all required), "phrases", OR, AND, NOT / -word, +word, (groups),
  // title:word, and the filters person:Lavrov or person:"Sergey Lavrov" (a whole name or any
  // of its words, any case), tag:"…" (whole tag, any case), kind:transcript, lang:ru or
  // lang:ru-RU, year:2013. An unknown prefix is plain text.
  std::string text;
  // The "Advanced settings" panel.
  std::string all_words;                 // all these words
  std::string phrase;                    // this exact phrase
  std::string any_words;                 // any of these words
  std::string none_words;                // none of these words
  std::optional<content::Instant> from;  // published at or after
  std::optional<content::Instant> to;    // published at or before
  std::vector<std::string> kinds;        // kind names ("transcript", …): any of them
  std::string person;                    // exact name as in Asset::people
  std::string tag;                       // exact tag as in Asset::tags
  std::string language;                  // BCP 47 tag or primary subtag; empty: all languages
  Sort sort = Sort::kRelevance;
  int64_t page = 1;        // 1..1000
  int64_t page_size = 10;  // 1..100
  // False skips the facet counts (Results::facets stays empty): cheaper, for callers that do
  // not show them (the CLI, the benchmark's no-facet variant).
  bool facets = true;
  // The UI's language ("en-GB" on /en/search; a tag or primary subtag). When `language` is
  // empty each translation is still matched with its own language's stemmer (the query is
  // parsed once per language in the index); this one parses the spelling suggestion and is
  // the stemmer when the index holds no language yet.
  std::string stem_language = "en";
};

struct Hit {
  int64_t asset_id = 0;
  std::string language;  // the translation's tag
  std::string title;
  std::string slug;
  content::Kind kind = content::Kind::kArticle;
  content::Instant published_at;
  std::string time_zone;
  std::string place;
  // A passage around the best-matching paragraph, HTML-escaped, matched words in <mark>…</mark>.
  std::string snippet_html;
  // When the best-matching paragraph is inside a turn: its speaker ("Sergey Lavrov"); else empty.
  std::string speaker;
  // The best-matching paragraph's anchor on the item page ("p12"), numbered as the page does:
  // every paragraph of the body in document order, turns included, from p1.
  std::string anchor;
  int percent = 0;  // relevance, 0..100
};

struct FacetValue {
  std::string value;  // "transcript", "2013", "ru-RU", "Sergey Lavrov"
  int64_t count = 0;
  bool operator==(const FacetValue&) const = default;
};

struct Results {
  int64_t total = 0;  // Xapian's estimate of all matches (exact for small result sets)
  std::vector<Hit> hits;
  // "kind", "year", "language", "person": counts over all matches, most frequent first (ties
  // by value). Exact (facets_exact) when Xapian visited every match, which it does for up to
  // kExactFacetLimit matches (kExactPhraseFacetLimit when the query holds a phrase); above
  // that, counted over the matches it visited (at least that many) and scaled to `total`: show
  // them as approximate. See search_run.cpp.
  std::map<std::string, std::vector<FacetValue>> facets;
  bool facets_exact = true;
  // When nothing matched and Xapian's spelling correction proposes another query: that query.
  std::string suggestion;
  // False when the search ran while the index was still being built or catching up after a
  // start (a new node, a node back from a long stop): the hits are what the index holds so far,
  // and pages say so. Set by whoever knows (the server: IndexCoverage::Mark); SearchIndex::Search
  // leaves it true.
  bool index_complete = true;
  // How much is searchable, set with index_complete (IndexCoverage::Mark): the items (assets) the
  // index holds, the store's published items, and the share searchable in whole percent (100
  // only when complete); -1 when not known.
  int64_t indexed_items = -1;
  int64_t total_items = -1;
  int searchable_percent = -1;
};

// Queries with more matches than this may get sampled facet counts (see Results::facets).
inline constexpr int64_t kExactFacetLimit = 1000;
// The same for queries with a "phrase" (or NEAR), whose matching checks word positions.
inline constexpr int64_t kExactPhraseFacetLimit = 100;

using ProgressFn = std::function<void(int64_t done, int64_t total)>;

class SearchIndex {
 public:
  // Opens the index in `dir`, creating it when missing (the folder holds a file CURRENT naming
  // the live generation, one Xapian database per generation, and write.lock). Throws
  // Error(kUnavailable) when the folder cannot be opened or is not an index.
  explicit SearchIndex(const std::filesystem::path& dir);
  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  // The sequence number of the last store change the index holds (0 for a new index).
  int64_t LastApplied() const;

  // Applies every store change after LastApplied(): re-indexes each changed asset's published
  // translations and drops what was deleted or unpublished; commits every batch of changes
  // with its last sequence number, so a crash loses nothing that the next call does not redo.
  // Returns the number of assets touched. When the store's LastChange() is below
  // LastApplied() (a store restored or replaced), or the backlog is more changes than both the
  // rebuild backlog (SetRebuildBacklog) and the documents indexed (an archive's first import),
  // rebuilds instead. Throws Error(kUnavailable)
  // when another process (or another SearchIndex on the same folder) holds the write lock.
  int64_t CatchUp(store::Store& store, const ProgressFn& progress = {});

  // Rebuilds the index from every asset of `store` into a new generation and switches to it
  // atomically: searches see the old index until the new one is complete, and a crash leaves
  // the old one in place. Then catches up with changes made meanwhile. Builds on one worker
  // thread per core (at most four) beside the calling thread, which reads the store; `progress`
  // is called on the calling thread. Same errors as CatchUp().
  void Rebuild(store::Store& store, const ProgressFn& progress = {});

  // Runs `query`. Throws Error(kInvalidInput) with a message for a person for a malformed
  // query (unbalanced quotes or parentheses, invalid UTF-8, control characters, a field over
  // 1,000 bytes, an unknown kind, a bad language tag, from > to, page or page_size out of
  // range). Sees every commit made before the call, from this process or another. The results of
  // recent distinct queries are kept and given again while the index is unchanged (any commit,
  // CatchUp's included, makes them unreachable): see SetResultCacheSize().
  Results Search(const Query& query) const;

  // How many distinct queries' results Search() keeps for repeats (512 by default); 0 keeps
  // none, so that every search matches afresh (benchmarks). Thread-safe.
  void SetResultCacheSize(size_t entries);

  // Above how many changes behind CatchUp() rebuilds rather than applying them one by one (when
  // the index also holds fewer documents than that): 5,000 by default. Thread-safe.
  void SetRebuildBacklog(int64_t changes);

  // How many threads a rebuild builds shards on: 0 (the default) is one per core, up to four;
  // benchmarks set 1 and 2 to show how it scales. Thread-safe.
  void SetRebuildThreads(unsigned threads);

  // How many of each language's most frequent words a rebuild makes pairs with, so that phrases
  // of common words are matched by rarer terms (common_grams.h): 0 (none) by default, for their
  // cost; `reindex --common-words N` and benchmarks set it. Takes effect at the next rebuild; the
  // queries follow the generation they search. Thread-safe.
  void SetCommonWords(size_t per_language);

  // Number of translations indexed.
  int64_t DocumentCount() const;

  // Loads what the first search of the live generation would otherwise load itself: the facet
  // table (every document's facet value) and the document lengths, one pass over 200,000
  // documents each at 100,000 bilingual items, the first query's extra 130-300 ms
  // (docs/performance.md). Cheap when they are current. Thread-safe; throws Error(kUnavailable)
  // when the index cannot be read.
  void Warm() const;

  // What the live index holds, read from one revision. Cheap: counts the index keeps in its
  // metadata (an index written before they were kept is counted once per revision, one term per
  // asset). Thread-safe; throws Error(kUnavailable) when the index cannot be read.
  struct Holdings {
    int64_t last_applied = 0;  // LastApplied()
    int64_t assets = 0;        // assets with at least one document: the items a search can find
    int64_t documents = 0;     // DocumentCount()
    // While this SearchIndex rebuilds: the assets it has read of the store's `rebuild_total`
    // (their documents become searchable together, when the rebuild ends); both -1 otherwise.
    int64_t rebuild_read = -1;
    int64_t rebuild_total = -1;
  };
  Holdings Held() const;
  // True while this SearchIndex rebuilds (Holdings::rebuild_total >= 0), without reading the
  // index. Thread-safe.
  bool Rebuilding() const;
  // From now on a rebuild of this SearchIndex (the one in progress included) stops at its next
  // asset: it throws Error(kUnavailable) and leaves the live generation as it was. For a server
  // shutting down while its follower rebuilds. Thread-safe.
  void StopRebuilds();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace assetpub::search
