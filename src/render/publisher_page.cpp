// Renderer::PublisherPage: a page of a list (the home page included), with its groups, pager
// and feed links.

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "content/instant.h"
#include "render/month_name.h"
#include "render/paths.h"
#include "render/plural.h"
#include "render/renderer.h"
#include "render/renderer_impl.h"

namespace assetpub::render {

using internal::Data;
using internal::Head;
using internal::List;
using internal::Maybe;
using internal::Object;
using internal::PageEntry;
using internal::PageGap;

std::string Renderer::PublisherPage(const publish::Publisher& publisher, std::string_view language,
                                    const publish::PublisherPage& result) const {
  const LocaleStrings& strings = impl_->StringsFor(language);
  const bool home = publisher.path.empty();
  const std::string title = impl_->Title(publisher, language);
  const std::string base = PublisherPath(language, publisher.path);
  const int64_t page_number = result.page;
  const auto page_path = [&](int64_t n) {
    return n <= 1 ? base : fmt::format("{}?page={}", base, n);
  };

  Data page = Object();
  const std::string heading = home ? strings.Text("home.title") : title;
  page.set("page_heading", heading);
  page.set("display", std::string(publish::DisplayName(publisher.display)));
  page.set("empty", strings.Text(home ? "home.empty" : "list.empty"));

  Data feeds = List();
  if (publisher.feeds) {
    for (const char* format : {"rss", "atom"}) {
      Data feed = Object();
      feed.set("href", FeedPath(language, publisher.path, format));
      feed.set("type", fmt::format("application/{}+xml", format));
      feed.set("label", strings.Text(fmt::format("list.{}", format)));
      feed.set("last", std::string_view(format) == "atom");
      feeds.push_back(feed);
    }
  }
  page.set("has_feeds", !feeds.is_empty_list());
  page.set("feeds", feeds);

  const int64_t shown = static_cast<int64_t>(result.list.assets.size());
  if (publisher.paging == publish::Paging::kNumbered && result.list.total > 0 && shown > 0) {
    const int64_t from = (page_number - 1) * publisher.page_size + 1;
    std::string count = strings.Text("list.count");
    for (const auto& [key, value] : {std::pair<std::string, int64_t>{"{from}", from},
                                     {"{to}", from + shown - 1},
                                     {"{total}", result.list.total}}) {
      const size_t at = count.find(key);
      if (at != std::string::npos) count.replace(at, key.size(), FormatNumber(value, language));
    }
    page.set("count", count);
  } else {
    page.set("count", false);
  }

  const publish::Metadata& metadata = publisher.metadata;
  const bool table = publisher.display == publish::Display::kTable;
  const bool grouped = publisher.grouping != publish::Grouping::kNone;
  Data groups = List();
  int group_number = 0;
  bool any_item = false;
  for (const publish::Group& group : result.groups) {
    Data items = List();
    for (size_t index : group.items) {
      if (index >= result.list.assets.size()) continue;
      const content::Asset& asset = result.list.assets[index];
      const content::Translation* translation = TranslationFor(asset, language);
      if (translation == nullptr) continue;  // the store selected by language; be safe anyway
      Data item = Object();
      item.set("href", ItemPath(asset.id, language, translation->slug));
      item.set("title", translation->title);
      item.set("place", Maybe(translation->place));
      item.set("kind", strings.Text(fmt::format("kind.{}", content::KindName(asset.kind))));
      item.set("kind_name", std::string(content::KindName(asset.kind)));
      item.set("datetime", content::ToIso8601(asset.published_at, asset.time_zone));
      item.set("date", content::FormatDateTime(asset.published_at, asset.time_zone, language));
      item.set("short_date", content::FormatDate(asset.published_at, asset.time_zone, language));
      item.set("level", grouped ? "3" : "2");
      item.set("show_date", metadata.date);
      item.set("show_kind", metadata.kind);
      item.set("show_place", metadata.place);
      item.set("has_meta",
               metadata.date || metadata.kind || (metadata.place && !translation->place.empty()));
      const bool abstracts = publisher.display == publish::Display::kAbstracts;
      const bool full = publisher.display == publish::Display::kFull;
      const std::string summary =
          abstracts || (full && translation->blocks.empty())
              ? publish::Abstract(translation->summary, abstracts ? publisher.abstract_length
                                                                  : std::numeric_limits<int>::max())
              : std::string();
      item.set("summary", Maybe(summary));
      item.set("body",
               full && !translation->blocks.empty()
                   ? Data(impl_->Body(*translation, language, fmt::format("a{}-", asset.id)))
                   : Data(false));
      const Data people = metadata.people ? impl_->TermLinks(asset.people, language, true) : List();
      const Data tags = metadata.tags ? impl_->TermLinks(asset.tags, language, false) : List();
      item.set("has_people", !people.is_empty_list());
      item.set("people", people);
      item.set("has_tags", !tags.is_empty_list());
      item.set("tags", tags);
      items.push_back(item);
    }
    if (items.is_empty_list()) continue;
    any_item = true;
    std::string group_heading;
    switch (publisher.grouping) {
      case publish::Grouping::kNone:
        break;
      case publish::Grouping::kYear:
        group_heading = YearNameOfKey(group.key, language);
        break;
      case publish::Grouping::kMonth:
        group_heading = MonthNameOfKey(group.key, language);
        break;
      case publish::Grouping::kKind:
        group_heading = content::ParseKind(group.key)
                            ? strings.Text(fmt::format("kinds.{}", group.key))
                            : group.key;
        break;
    }
    Data data = Object();
    data.set("n", std::to_string(++group_number));
    data.set("heading", Maybe(group_heading));
    data.set("caption", group_heading.empty() ? heading : group_heading);
    data.set("table", table);
    data.set("items", items);
    groups.push_back(data);
  }
  page.set("has_items", any_item);
  page.set("groups", groups);

  // Pagers: numbered (first, previous, a window of page numbers with gaps, next, last),
  // simple (previous, next) or none.
  page.set("first_page", false);
  page.set("last_page", false);
  page.set("previous", false);
  page.set("next", false);
  page.set("pages", List());
  bool has_pager = false;
  if (publisher.paging == publish::Paging::kNumbered && result.pages > 1) {
    has_pager = true;
    constexpr int64_t kWindow = 2;  // page numbers either side of the current one
    const int64_t low = std::max<int64_t>(1, page_number - kWindow);
    const int64_t high = std::min<int64_t>(result.pages, page_number + kWindow);
    Data entries = List();
    if (low > 1) entries.push_back(PageGap());
    for (int64_t n = low; n <= high; ++n) {
      entries.push_back(PageEntry(n, page_path(n), n == page_number, language));
    }
    if (high < result.pages) entries.push_back(PageGap());
    page.set("pages", entries);
    if (low > 1) page.set("first_page", page_path(1));
    if (high < result.pages) page.set("last_page", page_path(result.pages));
    if (page_number > 1) page.set("previous", page_path(page_number - 1));
    if (page_number < result.pages) page.set("next", page_path(page_number + 1));
  } else if (publisher.paging == publish::Paging::kSimple && (page_number > 1 || result.has_next)) {
    has_pager = true;
    if (page_number > 1) page.set("previous", page_path(page_number - 1));
    if (result.has_next) page.set("next", page_path(page_number + 1));
  }
  page.set("has_pager", has_pager);

  Head head;
  head.title = page_number > 1 ? fmt::format("{} ({} {}) — {}", heading, strings.Text("pager.page"),
                                             page_number, impl_->SiteName(language))
                               : fmt::format("{} — {}", heading, impl_->SiteName(language));
  head.canonical = impl_->Url(page_path(page_number));
  head.nav_current = publisher.id;
  for (const std::string& tag : impl_->languages) {
    if (!publisher.HasLanguage(tag)) continue;
    const std::string path = PublisherPath(tag, publisher.path);
    head.language_paths[tag] = path;
    if (page_number == 1) head.alternates.push_back({tag, impl_->Url(path)});
  }
  if (page_number == 1 && publisher.HasLanguage(impl_->languages[0])) {
    head.alternates.push_back(
        {"x-default", impl_->Url(PublisherPath(impl_->languages[0], publisher.path))});
  }
  if (publisher.feeds) {
    head.feeds.push_back({"application/rss+xml", fmt::format("{} (RSS)", title),
                          impl_->Url(FeedPath(language, publisher.path, "rss"))});
    head.feeds.push_back({"application/atom+xml", fmt::format("{} (Atom)", title),
                          impl_->Url(FeedPath(language, publisher.path, "atom"))});
  }
  return impl_->Layout(language, head, impl_->Render("publisher", page, language));
}

}  // namespace assetpub::render
