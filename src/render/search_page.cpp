// Renderer::SearchPage: the search form, refilled, with the hits, facets and pager of a search
// or the reason it was refused.

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <string>
#include <utility>

#include "content/instant.h"
#include "content/language.h"
#include "render/json.h"
#include "render/month_name.h"
#include "render/paths.h"
#include "render/plural.h"
#include "render/renderer.h"
#include "render/renderer_impl.h"
#include "render/search_form.h"

namespace assetpub::render {

using internal::Data;
using internal::Head;
using internal::List;
using internal::Maybe;
using internal::Object;
using internal::PageEntry;
using internal::PageGap;

namespace {

// The facets the search page shows, in this order.
constexpr const char* kFacets[] = {"kind", "year", "language", "person"};

// A numbered pager in `page` ("has_pager", "pages", "previous", "next"): the first and last
// pages, two either side of the current one, and a gap mark where pages are skipped.
void SetPager(Data& page, int64_t pages, int64_t page_number, std::string_view language,
              const std::function<std::string(int64_t)>& page_path) {
  page.set("has_pager", pages > 1);
  if (pages <= 1) return;
  Data entries = List();
  int64_t previous_shown = 0;
  for (int64_t n = 1; n <= pages; ++n) {
    const bool shown = n == 1 || n == pages || (n >= page_number - 2 && n <= page_number + 2);
    if (!shown) continue;
    if (n > previous_shown + 1) entries.push_back(PageGap());
    entries.push_back(PageEntry(n, page_path(n), n == page_number, language));
    previous_shown = n;
  }
  page.set("pages", entries);
  page.set("previous", page_number > 1 ? Data(page_path(page_number - 1)) : Data(false));
  page.set("next", page_number < pages ? Data(page_path(page_number + 1)) : Data(false));
}

// `text` with "{field}" replaced by `field`.
std::string WithField(std::string text, const std::string& field) {
  const size_t at = text.find("{field}");
  if (at != std::string::npos) text.replace(at, 7, field);
  return text;
}

}  // namespace

std::string Renderer::SearchPage(std::string_view language, const SearchForm& form,
                                 const search::Results* results, int64_t page_number,
                                 int64_t page_size, const SearchProblem* problem) const {
  const LocaleStrings& strings = impl_->StringsFor(language);
  Data page = Object();
  page.set("action", SearchPath(language, SearchForm{}));

  // The form, refilled. Mustache escapes every value.
  Data fields = Object();
  for (const auto& [name, value] : {std::pair<const char*, const std::string*>{"q", &form.q},
                                    {"all", &form.all},
                                    {"phrase", &form.phrase},
                                    {"any", &form.any},
                                    {"none", &form.none},
                                    {"from", &form.from},
                                    {"to", &form.to},
                                    {"person", &form.person},
                                    {"tag", &form.tag}}) {
    fields.set(name, *value);
  }
  page.set("form", fields);
  page.set("advanced_open", form.HasAdvanced());
  Data kinds = List();
  for (content::Kind kind : content::AllKinds()) {
    const std::string name(content::KindName(kind));
    Data item = Object();
    item.set("name", name);
    item.set("label", strings.Text("kind." + name));
    item.set("checked", std::find(form.kinds.begin(), form.kinds.end(), name) != form.kinds.end());
    kinds.push_back(item);
  }
  page.set("kinds", kinds);
  Data langs = List();
  {
    Data all = Object();
    all.set("value", std::string());
    all.set("label", strings.Text("search.all_languages"));
    all.set("tag", false);  // the page's language: no lang of its own
    all.set("selected", form.lang.empty());
    langs.push_back(all);
  }
  for (const std::string& tag : impl_->languages) {
    Data item = Object();
    const std::string primary = content::PrimarySubtag(tag);
    item.set("value", primary);
    item.set("label", content::NativeLanguageName(tag));
    item.set("tag", tag);
    item.set("dir", std::string(content::TextDirection(tag)));
    item.set("selected", form.lang == primary || form.lang == tag);
    langs.push_back(item);
  }
  page.set("langs", langs);
  Data sorts = List();
  for (const char* sort : kSortChoices) {
    Data item = Object();
    item.set("value", std::string(sort));
    item.set("label", strings.Text(fmt::format("search.sort.{}", sort)));
    item.set("selected", form.sort == sort || (form.sort.empty() && sort == kSortChoices[0]));
    sorts.push_back(item);
  }
  page.set("sorts", sorts);
  Data per_pages = List();
  for (int64_t choice : kPerPageChoices) {
    Data item = Object();
    item.set("value", std::to_string(choice));
    item.set("selected", form.per_page == std::to_string(choice) ||
                             (form.per_page.empty() && choice == kDefaultPerPage));
    per_pages.push_back(item);
  }
  page.set("per_pages", per_pages);

  // The problem, if any, with the field it concerns marked in the form.
  Data invalid = Object();
  if (problem != nullptr) {
    const std::string field_key = "search.field." + problem->field;
    const std::string field_label =
        strings.Has(field_key) ? strings.Text(field_key) : problem->field;
    const std::string reason_key = "search.problem." + problem->reason;
    std::string message = WithField(
        strings.Text(strings.Has(reason_key) ? reason_key : "search.problem.query"), field_label);
    if (problem->reason == "query" && !problem->detail.empty()) message += " " + problem->detail;
    page.set("problem", message);
    if (!problem->field.empty()) invalid.set(problem->field, true);
  } else {
    page.set("problem", false);
  }
  page.set("invalid", invalid);

  page.set("has_results", results != nullptr);
  if (results != nullptr) {
    page.set("total", std::to_string(results->total));
    page.set("results_count",
             FormatCount(strings.Text("search.results_count"), results->total, language));
    page.set("has_hits", !results->hits.empty());
    page.set("start", std::to_string((page_number - 1) * page_size + 1));
    Data hits = List();
    for (const search::Hit& hit : results->hits) {
      const std::string zone = hit.time_zone.empty() ? impl_->config.time_zone : hit.time_zone;
      const std::string kind_name(content::KindName(hit.kind));
      Data item = Object();
      item.set("href", HitPath(hit));
      item.set("title", hit.title);
      item.set("lang", hit.language);
      item.set("dir", std::string(content::TextDirection(hit.language)));
      item.set("language_name",
               content::PrimarySubtag(hit.language) == content::PrimarySubtag(language)
                   ? Data(false)
                   : Data(content::NativeLanguageName(hit.language)));
      item.set("kind", strings.Text("kind." + kind_name));
      item.set("kind_name", kind_name);
      item.set("datetime", content::ToIso8601(hit.published_at, zone));
      item.set("date", content::FormatDate(hit.published_at, zone, language));
      item.set("speaker", Maybe(hit.speaker));
      item.set("place", Maybe(hit.place));
      item.set("snippet", hit.snippet_html);  // escaped by the index: {{{snippet}}}
      hits.push_back(item);
    }
    page.set("hits", hits);
    // While the index is behind the store: how much of it is searchable, when known.
    if (results->index_complete) {
      page.set("index_notice", false);
    } else if (results->searchable_percent >= 0) {
      std::string notice = strings.Text("search.index_building");
      const std::string key = "{percent}";
      if (const size_t at = notice.find(key); at != std::string::npos) {
        notice.replace(at, key.size(), FormatPercent(results->searchable_percent, language));
      }
      page.set("index_notice", notice);
    } else {
      page.set("index_notice", strings.Text("search.index_incomplete"));
    }
    const int64_t pages = PageCount(results->total, page_size);
    page.set("past_last_page", results->hits.empty() && results->total > 0);
    SearchForm first = form;
    first.page.clear();
    page.set("first_page", SearchPath(language, first));
    // Nothing found: offer the spelling correction as a link that runs it.
    if (results->hits.empty() && results->total == 0 && !results->suggestion.empty()) {
      SearchForm corrected = form;
      corrected.q = results->suggestion;
      corrected.all.clear();
      corrected.any.clear();
      corrected.phrase.clear();
      corrected.none.clear();
      corrected.page.clear();
      Data suggestion = Object();
      suggestion.set("text", results->suggestion);
      suggestion.set("href", SearchPath(language, corrected));
      page.set("suggestion", suggestion);
    } else {
      page.set("suggestion", false);
    }
    SetPager(page, pages, page_number, language, [&](int64_t n) {
      SearchForm other = form;
      other.page = n == 1 ? std::string() : std::to_string(n);
      return SearchPath(language, other);
    });

    // Facets: each value narrows the search to it (from page 1); a value already applied is
    // shown as such, with a link that removes it.
    Data facets = List();
    for (const char* name : kFacets) {
      auto found = results->facets.find(name);
      if (found == results->facets.end() || found->second.empty()) continue;
      const std::string facet(name);
      Data values = List();
      for (const search::FacetValue& value : found->second) {
        SearchForm narrowed = form;
        narrowed.page.clear();
        SearchForm removed = narrowed;
        std::string label = value.value;
        bool link = true;
        bool selected = false;
        std::string value_lang;
        if (facet == "kind") {
          if (content::ParseKind(value.value)) {
            label = strings.Text("kind." + value.value);
          } else {
            link = false;
          }
          narrowed.kinds = {value.value};
          selected = form.kinds.size() == 1 && form.kinds[0] == value.value;
          removed.kinds.clear();
        } else if (facet == "year") {
          label = YearNameOfKey(value.value, language);
          narrowed.from = value.value + "-01-01";
          narrowed.to = value.value + "-12-31";
          selected = form.from == narrowed.from && form.to == narrowed.to;
          removed.from.clear();
          removed.to.clear();
        } else if (facet == "language") {
          const std::string primary = content::PrimarySubtag(value.value);
          label = content::NativeLanguageName(value.value);
          value_lang = value.value;
          link = impl_->FindLanguage(primary).has_value();
          narrowed.lang = primary;
          selected = form.lang == primary;
          removed.lang.clear();
        } else {  // person
          narrowed.person = value.value;
          selected = form.person == value.value;
          removed.person.clear();
        }
        Data item = Object();
        item.set("label", label);
        item.set("lang", Maybe(value_lang));
        item.set("dir", std::string(content::TextDirection(value_lang)));
        // Counts from a sample of a large match set are estimates: marked with "≈" (and the
        // note under the heading says why).
        item.set("count", (results->facets_exact ? "" : "≈") + FormatNumber(value.count, language));
        item.set("selected", selected);
        item.set("link", link && !selected);
        item.set("text", !link && !selected);
        item.set("href", SearchPath(language, narrowed));
        item.set("remove_href", SearchPath(language, removed));
        values.push_back(item);
      }
      Data group = Object();
      group.set("name", facet);
      group.set("heading", strings.Text("search.facet." + facet));
      group.set("values", values);
      facets.push_back(group);
    }
    page.set("facets_approximate", !results->facets_exact);
    page.set("has_facets", !facets.is_empty_list());
    page.set("facets", facets);
  } else {
    page.set("has_facets", false);
    page.set("suggestion", false);
  }

  Head head;
  const std::string shown_query = !form.q.empty() ? form.q : form.phrase;
  head.title = shown_query.empty()
                   ? fmt::format("{} — {}", strings.Text("search.title"), impl_->SiteName(language))
                   : fmt::format("{} — {} — {}", shown_query, strings.Text("search.title"),
                                 impl_->SiteName(language));
  head.noindex = true;  // result pages are not for search engines
  head.search_query = form.q;
  for (const std::string& tag : impl_->languages) {
    head.language_paths[tag] = SearchPath(tag, form);  // the same search, in that language
  }
  return impl_->Layout(language, head, impl_->Render("search", page, language));
}

}  // namespace assetpub::render
