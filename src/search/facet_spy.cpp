#include "search/facet_spy.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "search/document.h"

namespace assetpub::search::internal {
namespace {

std::vector<FacetValue> Sorted(const std::map<std::string, double>& counts) {
  std::vector<FacetValue> values;
  values.reserve(counts.size());
  for (const auto& [value, count] : counts) {
    values.push_back({value, std::max<int64_t>(1, std::llround(count))});
  }
  std::stable_sort(values.begin(), values.end(), [](const FacetValue& a, const FacetValue& b) {
    return a.count > b.count;  // map order keeps ties sorted by value
  });
  return values;
}

}  // namespace

void FacetSpy::operator()(const Xapian::Document& doc, double /*weight*/) {
  ++seen_;
  ++counts_[doc.get_value(kFacetSlot)];
}

std::map<std::string, std::vector<FacetValue>> FacetSpy::Facets(double scale) const {
  std::map<std::string, double> kind, year, language, person;
  for (const auto& [raw, count] : counts_) {
    const double scaled = static_cast<double>(count) * scale;
    std::string_view rest = raw;
    const auto next = [&rest]() {
      const size_t end = rest.find(kFacetSeparator);
      std::string_view field = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      return field;
    };
    const std::string_view kind_value = next();
    const std::string_view year_value = next();
    const std::string_view language_value = next();
    const std::string_view people = rest;
    if (!kind_value.empty()) kind[std::string(kind_value)] += scaled;
    if (!year_value.empty()) year[std::string(year_value)] += scaled;
    if (!language_value.empty()) language[std::string(language_value)] += scaled;
    size_t start = 0;
    while (start < people.size()) {
      size_t end = people.find(kPersonSeparator, start);
      if (end == std::string_view::npos) end = people.size();
      if (end > start) person[std::string(people.substr(start, end - start))] += scaled;
      start = end + 1;
    }
  }
  return {{"kind", Sorted(kind)},
          {"year", Sorted(year)},
          {"language", Sorted(language)},
          {"person", Sorted(person)}};
}

}  // namespace assetpub::search::internal
