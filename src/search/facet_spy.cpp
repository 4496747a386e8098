#include "search/facet_spy.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
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

// Calls `add(facet, text)` for the kind, the year, the language and each person of a facet slot
// value (document.h), in that order; empty parts included (the caller skips them).
template <typename Add>
void SplitFacetValue(std::string_view raw, Add add) {
  std::string_view rest = raw;
  const auto next = [&rest]() {
    const size_t end = rest.find(kFacetSeparator);
    std::string_view field = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    return field;
  };
  add(FacetTable::kKind, next());
  add(FacetTable::kYear, next());
  add(FacetTable::kLanguage, next());
  const std::string_view people = rest;
  size_t start = 0;
  while (start < people.size()) {
    size_t end = people.find(kPersonSeparator, start);
    if (end == std::string_view::npos) end = people.size();
    if (end > start) add(FacetTable::kPerson, people.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace

std::shared_ptr<const FacetTable> FacetTable::Load(const Xapian::Database& db) {
  auto table = std::make_shared<FacetTable>();
  table->ids_.assign(static_cast<size_t>(db.get_lastdocid()) + 1, 0);
  table->parts_.emplace_back();
  table->names_.emplace_back(kKind, std::string());
  std::unordered_map<std::string, uint32_t> numbers{{std::string(), 0}};
  std::unordered_map<std::string, uint32_t> names;  // facet number + text -> name number
  const auto name = [&](Facet facet, std::string_view text) -> uint32_t {
    if (text.empty()) return 0;
    std::string key(1, static_cast<char>(facet));
    key.append(text);
    const auto [it, inserted] = names.try_emplace(key, static_cast<uint32_t>(table->names_.size()));
    if (inserted) table->names_.emplace_back(facet, std::string(text));
    return it->second;
  };
  for (auto it = db.valuestream_begin(kFacetSlot); it != db.valuestream_end(kFacetSlot); ++it) {
    const Xapian::docid did = it.get_docid();
    if (did >= table->ids_.size()) break;  // a commit since get_lastdocid(): not covered
    const std::string value = *it;
    const auto [number, inserted] =
        numbers.try_emplace(value, static_cast<uint32_t>(table->parts_.size()));
    if (inserted) {
      Parts parts;
      parts.people_begin = static_cast<uint32_t>(table->people_.size());
      SplitFacetValue(value, [&](Facet facet, std::string_view text) {
        const uint32_t number = name(facet, text);
        switch (facet) {
          case kKind:
            parts.kind = number;
            break;
          case kYear:
            parts.year = number;
            break;
          case kLanguage:
            parts.language = number;
            break;
          case kPerson:
            table->people_.push_back(number);
            break;
        }
      });
      parts.people_end = static_cast<uint32_t>(table->people_.size());
      table->parts_.push_back(parts);
    }
    table->ids_[did] = number->second;
  }
  // Each document's language, numbered densely.
  table->doc_languages_.assign(table->ids_.size(), 0);
  table->languages_.assign(1, 0);
  std::unordered_map<uint32_t, uint16_t> language_numbers;  // name number -> language number
  for (size_t did = 0; did < table->ids_.size(); ++did) {
    const uint32_t name = table->parts_[table->ids_[did]].language;
    if (name == 0) continue;
    auto [it, inserted] = language_numbers.try_emplace(name, 0);
    if (inserted) {
      if (table->languages_.size() > UINT16_MAX) {
        language_numbers.erase(it);
        continue;  // unknown: LanguageSource reads the term's posting list
      }
      it->second = static_cast<uint16_t>(table->languages_.size());
      table->languages_.push_back(name);
    }
    table->doc_languages_[did] = it->second;
  }
  return table;
}

LanguageSource::LanguageSource(const Xapian::Database& db, std::shared_ptr<const FacetTable> table,
                               std::string term)
    : db_(db), table_(std::move(table)), term_(std::move(term)) {
  if (table_ == nullptr) return;
  // A document has the terms L<tag lower-case> and L<primary subtag> (BuildDocuments).
  const std::string_view value = std::string_view(term_).substr(kLanguageTerm.size());
  const std::vector<uint32_t>& names = table_->Languages();
  languages_.assign(names.size(), false);
  for (size_t i = 1; i < names.size(); ++i) {
    const std::string& tag = table_->NameText(names[i]);
    languages_[i] = Lower(tag) == value || LanguageKey(tag) == value;
  }
}

void LanguageSource::init(const Xapian::Database& db) {
  current_ = 0;
  last_ = db.get_lastdocid();
  termfreq_ = db.get_termfreq(term_);
  postings_open_ = false;
}

void LanguageSource::next(double /*min_wt*/) { MoveTo(current_ + 1); }

void LanguageSource::skip_to(Xapian::docid did, double /*min_wt*/) {
  if (did > current_) MoveTo(did);
}

bool LanguageSource::Matches(Xapian::docid did) {
  if (table_ != nullptr && did <= table_->Covers()) {
    const uint16_t language = table_->Language(did);
    if (language != 0) return languages_[language];
  }
  // Not in the table: the term's posting list (asked in increasing document order).
  if (!postings_open_) {
    postings_ = db_.postlist_begin(term_);
    postings_open_ = true;
  }
  if (postings_ == db_.postlist_end(term_)) return false;
  if (*postings_ < did) postings_.skip_to(did);
  return postings_ != db_.postlist_end(term_) && *postings_ == did;
}

void LanguageSource::MoveTo(Xapian::docid did) {
  for (current_ = did; current_ <= last_ && !Matches(current_); ++current_) {
  }
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
  std::map<std::string, int64_t> maps[4];  // by FacetTable::Facet
  if (!counts_.empty()) {
    // Name number -> documents, then one string per name seen.
    std::unordered_map<uint32_t, int64_t> by_name;
    by_name.reserve(counts_.size() * 2);
    for (const auto& [id, count] : counts_) {
      const FacetTable::Parts& parts = table_->Split(id);
      by_name[parts.kind] += count;
      by_name[parts.year] += count;
      by_name[parts.language] += count;
      for (uint32_t i = parts.people_begin; i < parts.people_end; ++i) {
        by_name[table_->People()[i]] += count;
      }
    }
    for (const auto& [name, count] : by_name) {
      if (name != 0) maps[table_->NameFacet(name)][table_->NameText(name)] += count;
    }
  }
  for (const auto& [raw, count] : other_counts_) {
    SplitFacetValue(raw, [&maps, count = count](FacetTable::Facet facet, std::string_view text) {
      if (!text.empty()) maps[facet][std::string(text)] += count;
    });
  }
  return {{"kind", Sorted(maps[FacetTable::kKind], scale)},
          {"year", Sorted(maps[FacetTable::kYear], scale)},
          {"language", Sorted(maps[FacetTable::kLanguage], scale)},
          {"person", Sorted(maps[FacetTable::kPerson], scale)}};
}

}  // namespace assetpub::search::internal
