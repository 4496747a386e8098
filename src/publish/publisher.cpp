#include "publish/publisher.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "content/language.h"
#include "core/enum_names.h"
#include "core/error.h"

namespace assetpub::publish {
namespace {

constexpr EnumName<Grouping> kGroupings[] = {
    {Grouping::kNone, "none"},
    {Grouping::kYear, "by_year"},
    {Grouping::kMonth, "by_month"},
    {Grouping::kKind, "by_kind"},
};
constexpr EnumName<Paging> kPagings[] = {
    {Paging::kNumbered, "numbered"},
    {Paging::kSimple, "simple"},
    {Paging::kNone, "none"},
};
constexpr EnumName<Display> kDisplays[] = {
    {Display::kAbstracts, "abstracts"},
    {Display::kTitles, "titles"},
    {Display::kFull, "full"},
    {Display::kTable, "table"},
};
constexpr EnumName<store::SortKey> kSortKeys[] = {
    {store::SortKey::kPublished, "published"}, {store::SortKey::kModified, "modified"},
    {store::SortKey::kTitle, "title"},         {store::SortKey::kPriority, "priority"},
    {store::SortKey::kViews, "views"},         {store::SortKey::kKind, "kind"},
};

const std::string* FindTitle(const std::map<std::string, std::string>& titles,
                             std::string_view language) {
  if (language.empty()) return nullptr;
  for (const auto& [tag, title] : titles) {
    if (content::NamesLanguage(tag, language)) return &title;
  }
  return nullptr;
}

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The group an asset falls in: its local year or month (in its own zone) or its kind.
std::string GroupKey(const content::Asset& asset, Grouping grouping) {
  switch (grouping) {
    case Grouping::kNone:
      return {};
    case Grouping::kYear:
      return std::to_string(content::LocalYear(asset.published_at, asset.time_zone));
    case Grouping::kMonth:
      // "YYYY-MM-DDThh:mm:ss±hh:mm" in the asset's zone: its first seven characters are the
      // local month.
      return content::ToIso8601(asset.published_at, asset.time_zone).substr(0, 7);
    case Grouping::kKind:
      return std::string(content::KindName(asset.kind));
  }
  return {};
}

}  // namespace

std::string_view GroupingName(Grouping grouping) { return EnumNameOf(kGroupings, grouping); }
std::optional<Grouping> ParseGrouping(std::string_view name) {
  return EnumValueOf(kGroupings, name);
}
std::string_view PagingName(Paging paging) { return EnumNameOf(kPagings, paging); }
std::optional<Paging> ParsePaging(std::string_view name) { return EnumValueOf(kPagings, name); }
std::string_view DisplayName(Display display) { return EnumNameOf(kDisplays, display); }
std::optional<Display> ParseDisplay(std::string_view name) { return EnumValueOf(kDisplays, name); }
std::string_view SortKeyName(store::SortKey key) { return EnumNameOf(kSortKeys, key); }
std::optional<store::SortKey> ParseSortKey(std::string_view name) {
  return EnumValueOf(kSortKeys, name);
}

std::string Abstract(std::string_view summary, int length) {
  const size_t limit = length < 0 ? 0 : static_cast<size_t>(length);
  // Find the byte where character number `limit` starts (or learn the text is short enough).
  size_t end = 0;
  size_t characters = 0;
  while (end < summary.size() && characters < limit) {
    ++end;
    while (end < summary.size() && IsContinuation(static_cast<unsigned char>(summary[end]))) ++end;
    ++characters;
  }
  if (end >= summary.size()) return std::string(summary);
  // Cut back to the last space unless the cut already falls just before one.
  size_t cut = end;
  if (!IsSpace(summary[end])) {
    size_t space = end;
    while (space > 0 && !IsSpace(summary[space - 1])) --space;
    if (space > 0) cut = space;
  }
  while (cut > 0 && (IsSpace(summary[cut - 1]) || summary[cut - 1] == ',' ||
                     summary[cut - 1] == ';' || summary[cut - 1] == ':')) {
    --cut;
  }
  return std::string(summary.substr(0, cut)) + "…";
}

const std::string& Publisher::Title(std::string_view language,
                                    std::string_view default_language) const {
  if (const std::string* title = FindTitle(titles, language)) return *title;
  if (const std::string* title = FindTitle(titles, default_language)) return *title;
  // Implicit or defaults lists on a site whose languages the text did not name.
  if (!titles.empty()) return titles.begin()->second;
  return id;
}

bool Publisher::HasLanguage(std::string_view language) const {
  if (languages.empty()) return true;
  return std::any_of(languages.begin(), languages.end(),
                     [&](const std::string& tag) { return content::NamesLanguage(tag, language); });
}

store::Selection Publisher::SelectionFor(std::string_view language, int64_t page,
                                         content::Instant now) const {
  store::Selection selection;
  selection.status = content::Status::kPublished;
  // By primary subtag, as the item page falls back from en-GB to en-US (render::TranslationFor):
  // and the store answers a primary subtag from its narrow list indexes, where a full tag costs
  // a look-up per matching asset (a tag list of 4,000 items: ~10 ms instead of <1 ms).
  selection.language = content::PrimarySubtag(language);
  if (manual_ids) {
    selection.ids = manual_ids;
  } else {
    selection.kinds = kinds;
    selection.tags = tags;
    selection.people = people;
    selection.categories = categories;
    if (window.last_days) {
      selection.from = content::Instant{now.seconds - int64_t{*window.last_days} * 86400};
    } else {
      selection.from = window.from;
      selection.to = window.to;
    }
    if (grouping == Grouping::kKind &&
        (order.empty() || order.front().key != store::SortKey::kKind)) {
      selection.order.push_back({store::SortKey::kKind, false});
    }
    selection.order.insert(selection.order.end(), order.begin(), order.end());
  }
  const int64_t size = std::max(page_size, 1);
  // A page number so large that its offset overflows selects nothing (RunPublisher refuses it).
  const int64_t first = std::max<int64_t>(page, 1) - 1;
  selection.offset = first > std::numeric_limits<int64_t>::max() / size
                         ? std::numeric_limits<int64_t>::max()
                         : first * size;
  // Simple paging's look-ahead item (to know whether a next page exists) is RunPublisher's
  // business: the selection is exactly the page.
  selection.limit = size;
  selection.with_bodies = display == Display::kFull;
  selection.count_total = paging == Paging::kNumbered;
  return selection;
}

PublisherPage RunPublisher(const Publisher& publisher, store::Store& store,
                           std::string_view language, int64_t page, content::Instant now) {
  if (!publisher.HasLanguage(language)) {
    throw Error(ErrorCode::kNotFound,
                fmt::format("the list '{}' does not exist in {}", publisher.id, language));
  }
  const int64_t size = std::max(publisher.page_size, 1);
  if (page < 1 || (publisher.paging == Paging::kNone && page > 1) ||
      page - 1 > std::numeric_limits<int64_t>::max() / size - 1) {
    throw Error(ErrorCode::kNotFound,
                fmt::format("the list '{}' has no page {}", publisher.id, page));
  }
  store::Selection selection = publisher.SelectionFor(language, page, now);
  if (publisher.paging == Paging::kSimple) ++selection.limit;

  PublisherPage result;
  result.page = page;
  result.list = store.Select(selection);
  auto& assets = result.list.assets;
  switch (publisher.paging) {
    case Paging::kNumbered:
      result.pages = std::max<int64_t>(1, (result.list.total + size - 1) / size);
      result.has_next = page < result.pages;
      if (page > result.pages) {
        throw Error(ErrorCode::kNotFound, fmt::format("the list '{}' has {} pages, not {}",
                                                      publisher.id, result.pages, page));
      }
      break;
    case Paging::kSimple:
      result.pages = -1;
      result.has_next = static_cast<int64_t>(assets.size()) > size;
      if (result.has_next) assets.resize(static_cast<size_t>(size));
      if (page > 1 && assets.empty()) {
        throw Error(ErrorCode::kNotFound,
                    fmt::format("the list '{}' has no page {}", publisher.id, page));
      }
      break;
    case Paging::kNone:
      result.pages = 1;
      result.has_next = false;
      break;
  }

  if (publisher.grouping == Grouping::kNone) {
    Group all;
    for (size_t i = 0; i < assets.size(); ++i) all.items.push_back(i);
    result.groups.push_back(std::move(all));
  } else {
    // The store ordered the page by the group's key first, so a group is a run of equal keys.
    for (size_t i = 0; i < assets.size(); ++i) {
      std::string key = GroupKey(assets[i], publisher.grouping);
      if (result.groups.empty() || result.groups.back().key != key) {
        result.groups.push_back(Group{std::move(key), {}});
      }
      result.groups.back().items.push_back(i);
    }
  }
  return result;
}

Publishers::Publishers(std::vector<Publisher> publishers, const Config& config)
    : publishers_(std::move(publishers)),
      languages_(config.languages),
      page_size_(std::clamp(config.page_size, 1, 200)) {}

const Publisher* Publishers::FindById(std::string_view id) const {
  for (const auto& publisher : publishers_) {
    if (publisher.id == id) return &publisher;
  }
  return nullptr;
}

const Publisher* Publishers::FindByPath(std::string_view path) const {
  for (const auto& publisher : publishers_) {
    if (publisher.path == path) return &publisher;
  }
  if (path.empty()) return &default_home_;
  return nullptr;
}

const Publisher& Publishers::Home() const { return *FindByPath(""); }

Publisher Publishers::Implicit(std::string id, std::string path,
                               const std::vector<std::string>& names,
                               store::TermFilter Publisher::*filter) const {
  if (names.empty()) {
    throw Error(ErrorCode::kNotFound, fmt::format("nothing is listed at {}", path));
  }
  Publisher publisher;
  publisher.id = std::move(id);
  publisher.path = std::move(path);
  for (const auto& language : languages_) publisher.titles[language] = names.front();
  if (publisher.titles.empty()) publisher.titles[""] = names.front();
  (publisher.*filter).any = names;
  publisher.order = {{store::SortKey::kPublished, true}};
  publisher.paging = Paging::kNumbered;
  publisher.display = Display::kAbstracts;
  publisher.page_size = page_size_;
  return publisher;
}

Publisher Publishers::ForPerson(const std::vector<std::string>& names,
                                std::string_view slug) const {
  Publisher publisher = Implicit(fmt::format("people-{}", slug), fmt::format("people/{}", slug),
                                 names, &Publisher::people);
  publisher.people.slug = std::string(slug);  // the names are NamesBySlug's: one list term
  return publisher;
}

Publisher Publishers::ForTag(const std::vector<std::string>& names, std::string_view slug) const {
  return Implicit(fmt::format("tags-{}", slug), fmt::format("tags/{}", slug), names,
                  &Publisher::tags);
}

}  // namespace assetpub::publish
