#pragma once
// Reading the search parameters of /{lang}/search and /api/v1/search (and `assetpub search`)
// strictly, in one place: q, all, phrase, any, none (text), from, to (YYYY-MM-DD, local to the
// site's zone: from the start of `from` to the end of `to`; `date:` ranges typed in q narrow
// them and are taken out of its words), kind (repeatable), person, tag,
// lang (a site language prefix, or empty for all), sort (relevance|newest|oldest), per_page
// (10, 20, 50, 100) and page. Empty values count as absent (a GET form sends every field);
// parameters with other names are ignored. Thread-safe: pure functions.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "render/search_form.h"
#include "search/search_index.h"

namespace assetpub::web {

// Page numbers past this are refused (deep pages of a search are never useful, and costly).
inline constexpr int64_t kMaxSearchPage = 1000;
// A text parameter longer than this many bytes is refused.
inline constexpr size_t kMaxSearchTextBytes = 1000;
// More parameters than this in one request are refused.
inline constexpr size_t kMaxSearchParams = 64;

struct SearchRequest {
  // What was sent, for refilling the form; a value that is not acceptable text (invalid UTF-8,
  // control characters, too long) is left out so that it is never echoed back.
  render::SearchForm form;
  // The query to run; meaningful only when `problem` is empty.
  search::Query query;
  int64_t page = 1;
  int64_t per_page = render::kDefaultPerPage;
  // The first thing wrong with the parameters, naming the parameter; nullopt when they are fine.
  std::optional<render::SearchProblem> problem;
};

// Reads decoded name/value pairs (Request::query). `site_languages` are the site's tags (the
// values `lang` may name by primary subtag, or in full); `time_zone` is the zone of from/to;
// `stem_language` the tag whose stemmer reads the words when `lang` is empty (with `lang`, that
// language's). Never throws for bad input: see SearchRequest::problem.
SearchRequest ReadSearchParams(const std::vector<std::pair<std::string, std::string>>& params,
                               const std::vector<std::string>& site_languages,
                               std::string_view time_zone, std::string_view stem_language);

// Empty when `text` is acceptable search text: valid UTF-8, no control characters (C0, DEL,
// C1), at most kMaxSearchTextBytes bytes. Otherwise what is wrong ("is not valid UTF-8", …).
std::string SearchTextProblem(std::string_view text);

}  // namespace assetpub::web
