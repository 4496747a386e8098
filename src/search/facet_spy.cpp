#include "search/facet_spy.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "search/document.h"

namespace assetpub::search::internal {
namespace {

// Documents are counted first and scaled once, so the rounding does not depend on the order
// the counts were added in.
std::vector<FacetValue> Sorted(const std::map<std::string, int64_t>& counts, double scale) {
  std::vector<FacetValue> values;
  values.reserve(counts.size());
  for (const auto& [value, count] : counts) {
    values.push_back(
        {value, std::max<int64_t>(1, std::llround(static_cast<double>(count) * scale))});
  }
  std::stable_sort(values.begin(), values.end(), [](const FacetValue& a, const FacetValue& b) {
    return a.count > b.count;  // map order keeps ties sorted by value
  });
  return values;
}

}  // namespace

std::shared_ptr<const FacetTable> FacetTable::Load(const Xapian::Database& db) {
  auto table = std::make_shared<FacetTable>();
  table->ids_.assign(static_cast<size_t>(db.get_lastdocid()) + 1, 0);
  table->values_.emplace_back();
  std::unordered_map<std::string, uint32_t> numbers{{std::string(), 0}};
  for (auto it = db.valuestream_begin(kFacetSlot); it != db.valuestream_end(kFacetSlot); ++it) {
    const Xapian::docid did = it.get_docid();
    if (did >= table->ids_.size()) break;  // a commit since get_lastdocid(): not covered
    const auto [number, inserted] =
        numbers.try_emplace(*it, static_cast<uint32_t>(table->values_.size()));
    if (inserted) table->values_.push_back(*it);
    table->ids_[did] = number->second;
  }
  return table;
}

void FacetSpy::operator()(const Xapian::Document& doc, double /*weight*/) {
  ++seen_;
  const Xapian::docid did = doc.get_docid();
  // Id 0: no value in the table's revision (a document that reader's revision deleted, which an
  // older reader may still see): read it, as for documents the table does not cover.
  const uint32_t id = table_ != nullptr && did <= table_->Covers() ? table_->Id(did) : 0;
  if (id != 0) {
    ++counts_[id];
  } else {
    ++other_counts_[doc.get_value(kFacetSlot)];
  }
}

std::map<std::string, std::vector<FacetValue>> FacetSpy::Facets(double scale) const {
  std::map<std::string, int64_t> kind, year, language, person;
  const auto add = [&](const std::string& raw, int64_t count) {
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
    if (!kind_value.empty()) kind[std::string(kind_value)] += count;
    if (!year_value.empty()) year[std::string(year_value)] += count;
    if (!language_value.empty()) language[std::string(language_value)] += count;
    size_t start = 0;
    while (start < people.size()) {
      size_t end = people.find(kPersonSeparator, start);
      if (end == std::string_view::npos) end = people.size();
      if (end > start) person[std::string(people.substr(start, end - start))] += count;
      start = end + 1;
    }
  };
  for (const auto& [id, count] : counts_) add(table_->Value(id), count);
  for (const auto& [raw, count] : other_counts_) add(raw, count);
  return {{"kind", Sorted(kind, scale)},
          {"year", Sorted(year, scale)},
          {"language", Sorted(language, scale)},
          {"person", Sorted(person, scale)}};
}

}  // namespace assetpub::search::internal
