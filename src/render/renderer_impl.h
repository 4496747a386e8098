#pragma once
// Internal to render/: what Renderer's page files (renderer.cpp, item_page.cpp,
// compare_page.cpp, publisher_page.cpp, search_page.cpp) share: Renderer::Impl (the templates,
// the locales, the layout) and the small builders of Mustache data. Nothing outside render/
// includes it. Thread-safety: as Renderer's: Impl is immutable after construction but for its
// template pools and layout cache, each behind its own mutex.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "content/asset.h"
#include "content/language.h"
#include "core/config.h"
#include "publish/publisher.h"
#include "render/locale_strings.h"
#include "render/renderer.h"

namespace assetpub::render {
namespace internal {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

Data Object();
Data List();
// An optional string for a {{#x}}…{{/x}} section: false when empty, so that the lookup does not
// fall through to an outer context that happens to have the same key.
Data Maybe(const std::string& text);

struct Alternate {
  std::string hreflang;
  std::string href;
};

// What the layout needs besides the page's own content.
struct Head {
  std::string title;
  std::string description;
  std::string canonical;
  std::vector<Alternate> alternates;
  bool noindex = false;
  // The words in the header's search box (the search page's own query).
  std::string search_query;
  // For the header's language switch: the page's URL path in each site language.
  std::map<std::string, std::string> language_paths;
  // Feed links (<link rel="alternate" type=…>).
  struct Feed {
    std::string type;
    std::string title;
    std::string href;
  };
  std::vector<Feed> feeds;
  // OpenGraph, for pages that are articles: set when `og_locale` is not empty.
  std::string og_title;
  std::string og_locale;  // "en_GB"
  std::vector<std::string> og_locale_alternates;
  std::string og_published_time;
  // A JSON-LD document (already made script-safe by SafeJsonText), or empty.
  std::string json_ld;
  // The id of the publisher the page belongs to, marked as current in the navigation.
  std::string nav_current;
  // The print layout: no navigation, no search, the source URL in the footer.
  bool print_view = false;
};

// One entry of a numbered pager: page `n` at `href`, marked when it is the current one; the
// number shown in `language`'s digits (FormatDigits).
Data PageEntry(int64_t n, const std::string& href, bool current, std::string_view language);
// The pager's mark where pages are skipped.
Data PageGap();

// Marks `entry` as naming the language `tag`: "tag", "name" (the language's own name) and "dir"
// (its direction), so a template can write lang="{{tag}}" dir="{{dir}}" on text in that language.
void SetLanguage(Data& entry, const std::string& tag);

// Links to the side-by-side view of `asset` at `item_path` with each of its versions in one of
// `languages` (the site's), but those whose primary subtag is one of `skip`.
Data CompareLinks(const std::vector<std::string>& languages, const content::Asset& asset,
                  const std::string& item_path, std::initializer_list<std::string_view> skip);

}  // namespace internal

struct Renderer::Impl {
  using Data = internal::Data;

  Config config;
  // The home publisher first, then the others in configured order: the navigation.
  std::vector<publish::Publisher> publishers;
  std::vector<std::string> languages;
  // The default language, then those whose own locale file translates the editors' desk.
  std::vector<std::string> desk_languages;
  // A parsed template and the copies requests render (kainjow's render() is not const, so two
  // requests never share one): copying the parse tree per render cost 8% of an item page.
  struct TemplatePool {
    explicit TemplatePool(internal::mustache::mustache parsed_in) : parsed(std::move(parsed_in)) {}
    internal::mustache::mustache parsed;
    std::mutex mutex;
    // At most one per concurrent render.
    std::vector<std::unique_ptr<internal::mustache::mustache>> idle;
  };
  std::map<std::string, std::unique_ptr<TemplatePool>, std::less<>> templates;
  std::map<std::string, LocaleStrings, std::less<>> strings;  // by site language tag
  std::map<std::string, Data, std::less<>> locale_data;       // by site language tag

  // Reads the templates, the stylesheet and the locales; throws as Renderer's constructor says.
  Impl(const Config& config_in, const publish::Publishers* publishers_in);

  const Data& LocaleDataFor(std::string_view language) const {
    auto it = locale_data.find(language);
    return it != locale_data.end() ? it->second : locale_data.find(languages[0])->second;
  }
  const LocaleStrings& StringsFor(std::string_view language) const {
    auto it = strings.find(language);
    return it != strings.end() ? it->second : strings.find(languages[0])->second;
  }
  std::optional<std::string> FindLanguage(std::string_view primary) const {
    for (const std::string& tag : languages) {
      if (content::PrimarySubtag(tag) == primary) return tag;
    }
    return std::nullopt;
  }

  // Template `name` (one of templates/*.mustache) rendered with `page`, over the locale strings
  // of `language`. `shared`, when given, is a layer of values under `page` (looked up when
  // `page` lacks a name). Throws Error(kInternal) when the template fails to render.
  std::string Render(std::string_view name, const Data& page, std::string_view language,
                     const Data* shared = nullptr) const;
  // The layout's values that are the same for every page of a language with the same current
  // navigation entry (site name, paths, stylesheet, the navigation): built once, then shared by
  // every render, rather than built and deep-copied per page.
  const Data& LayoutShared(std::string_view language, std::string_view nav_current) const;
  mutable std::shared_mutex layout_shared_mutex;
  mutable std::map<std::string, std::unique_ptr<Data>, std::less<>> layout_shared;
  // The whole page: `content` (HTML from our own templates, inserted raw) inside the layout.
  std::string Layout(std::string_view language, const internal::Head& head,
                     const std::string& content) const;
  std::string Url(const std::string& path) const { return config.base_url + path; }
  // The stylesheet's URL with a fingerprint of its bytes, so a changed stylesheet is never
  // served from a browser's cache under the old page.
  std::string stylesheet;
  // The asset's language versions for the switcher, `current` marked.
  Data VersionList(const content::Asset& asset, std::string_view current) const;
  // The body's blocks rendered by body.mustache; paragraph anchors are "{prefix}p1", ….
  std::string Body(const content::Translation& translation, std::string_view language,
                   const std::string& prefix) const;
  // Links to the lists of `names` (people or tags) in `language`; "last" marks the last one.
  Data TermLinks(const std::vector<std::string>& names, std::string_view language,
                 bool people) const;
  // The publisher that selects exactly `kind` and nothing else, in `language`, or nullptr.
  const publish::Publisher* KindPublisher(content::Kind kind, std::string_view language) const;
  // The site's name in `language` (Config::site_names, else Config::site_name).
  const std::string& SiteName(std::string_view language) const { return config.SiteName(language); }
  std::string Title(const publish::Publisher& publisher, std::string_view language) const {
    return publisher.Title(language, languages[0]);
  }
};

}  // namespace assetpub::render
