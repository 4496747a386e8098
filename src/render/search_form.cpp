#include "render/search_form.h"

#include <fmt/format.h>

#include "content/language.h"
#include "render/paths.h"

namespace assetpub::render {

bool SearchForm::HasAdvanced() const {
  return !all.empty() || !phrase.empty() || !any.empty() || !none.empty() || !from.empty() ||
         !to.empty() || !kinds.empty() || !person.empty() || !tag.empty() || !lang.empty() ||
         (!sort.empty() && sort != "relevance") ||
         (!per_page.empty() && per_page != std::to_string(kDefaultPerPage));
}

std::string SearchForm::QueryString() const {
  std::string out;
  const auto add = [&out](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += PercentEncode(value);
  };
  add("q", q);
  add("all", all);
  add("phrase", phrase);
  add("any", any);
  add("none", none);
  add("from", from);
  add("to", to);
  for (const std::string& kind : kinds) add("kind", kind);
  add("person", person);
  add("tag", tag);
  add("lang", lang);
  if (sort != "relevance") add("sort", sort);
  if (per_page != std::to_string(kDefaultPerPage)) add("per_page", per_page);
  if (page != "1") add("page", page);
  return out;
}

std::string SearchPath(std::string_view language, const SearchForm& form) {
  const std::string query = form.QueryString();
  const std::string path = fmt::format("/{}/search", content::PrimarySubtag(language));
  return query.empty() ? path : path + "?" + query;
}

}  // namespace assetpub::render
