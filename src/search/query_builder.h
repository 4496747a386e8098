#pragma once
// QueryBuilder turns a search::Query into a Xapian query: it checks the user's input (a bad
// query is Error(kInvalidInput), never a crash), parses the box and the Advanced fields with the
// right stemmer per language and adds the filters. Internal to search/. Thread-safety: stateless
// functions; the Database passed in belongs to the calling thread.

#include <xapian.h>

#include <string>
#include <vector>

#include "search/search_index.h"

namespace assetpub::search::internal {

// Throws Error(kInvalidInput) with a message for a person when `query` is malformed (see
// SearchIndex::Search).
void ValidateQuery(const Query& query);

// The Xapian query for a validated `query`. `languages` are the primary subtags the index holds:
// when the query names no language, each language's translations are matched with words parsed
// by that language's stemmer. Throws Error(kInvalidInput) when Xapian's parser rejects the box.
Xapian::Query BuildQuery(const Query& query, const std::vector<std::string>& languages);

// The box (else the "all these words" field) with each word the index holds in no form replaced
// by Xapian's spelling suggestion, lower-cased; empty when no word was replaced. `languages` as
// for BuildQuery().
std::string SuggestSpelling(const Query& query, const Xapian::Database& db,
                            const std::vector<std::string>& languages);

// The primary subtag whose stemmer parses `query` when it is not split by language.
std::string QueryStemLanguage(const Query& query);

}  // namespace assetpub::search::internal
