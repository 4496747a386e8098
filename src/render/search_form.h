#pragma once
// SearchForm is the search page's parameters exactly as the user sent them (strings, before any
// validation), so that a page refills its form and builds links (pager, facets) that keep the
// whole query in the URL. SearchProblem says what was wrong with a refused query, for the page
// (localised through locales/) and for the API (`detail`). Thread-safety: plain values.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace assetpub::render {

// Defaults and choices of the parameters that have them (DESIGN.md §5, /{lang}/search).
inline constexpr int64_t kDefaultPerPage = 10;
inline constexpr int64_t kPerPageChoices[] = {10, 20, 50, 100};
inline constexpr const char* kSortChoices[] = {"relevance", "newest", "oldest"};

struct SearchForm {
  std::string q;       // the plain box
  std::string all;     // all these words
  std::string phrase;  // this exact phrase
  std::string any;     // any of these words
  std::string none;    // none of these words
  std::string from;    // YYYY-MM-DD
  std::string to;      // YYYY-MM-DD
  std::vector<std::string> kinds;
  std::string person;
  std::string tag;
  std::string lang;      // a site language prefix ("ru"), empty for all
  std::string sort;      // "relevance", "newest", "oldest"; empty for relevance
  std::string per_page;  // "10", "20", "50", "100"; empty for the default
  std::string page;      // "1", "2", …; empty for 1

  // True when a field of the Advanced settings panel holds something other than its default:
  // everything but `q` and `page`.
  bool HasAdvanced() const;
  // The set fields as a URL query ("q=Syria&kind=speech&page=2"), percent-encoded, without '?';
  // fields that are empty or at their default are left out, so equal searches share one URL.
  std::string QueryString() const;
};

// "/en/search" for language "en-GB", followed by "?" and form.QueryString() when that is not
// empty.
std::string SearchPath(std::string_view language, const SearchForm& form);

// Why a search was refused. `field` is the parameter ("from", "q", …; empty when the query as a
// whole is at fault), `reason` one of: "text" (control characters, invalid UTF-8, too long),
// "date" (not a date YYYY-MM-DD), "order" (from after to), "choice" (not one of the allowed
// values), "repeated" (given more than once), "quotes" (unbalanced quotes), "query" (anything
// else the search refused; see `detail`). `detail` is an English sentence for the API and logs.
struct SearchProblem {
  std::string field;
  std::string reason;
  std::string detail;
};

}  // namespace assetpub::render
