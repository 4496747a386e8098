#include "render/sitemap.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>

#include "content/language.h"
#include "core/error.h"
#include "render/paths.h"
#include "render/xml_writer.h"

namespace assetpub::render {
namespace {

// Keyset batch size for Store::PublishedUrls.
constexpr int64_t kBatch = 1000;

// Adds x-default: the default language's version (the first of `site_languages`), else the
// first version there is.
void AddDefault(std::vector<SitemapUrl::Alternate>& alternates, std::string_view default_href) {
  if (alternates.empty()) return;
  const std::string href =
      default_href.empty() ? alternates.front().href : std::string(default_href);
  alternates.push_back({"x-default", href});
}

// A list page and the publisher it shows (for its lastmod).
struct ListPage {
  const publish::Publisher* publisher;
  SitemapUrl url;
};

std::vector<ListPage> ListPages(const Config& config, const publish::Publishers& publishers,
                                std::string_view language) {
  std::vector<const publish::Publisher*> shown = {&publishers.Home()};
  for (const publish::Publisher& publisher : publishers.all()) {
    if (!publisher.path.empty() && publisher.HasLanguage(language)) shown.push_back(&publisher);
  }
  std::vector<ListPage> pages;
  for (const publish::Publisher* publisher : shown) {
    ListPage page{publisher, {}};
    page.url.loc = config.base_url + PublisherPath(language, publisher->path);
    std::string default_href;
    for (const std::string& version : config.languages) {
      // The home exists in every language (/{lang}/); other lists where configured.
      if (!publisher->path.empty() && !publisher->HasLanguage(version)) continue;
      std::string href = config.base_url + PublisherPath(version, publisher->path);
      if (version == config.languages.front()) default_href = href;
      page.url.alternates.push_back({version, std::move(href)});
    }
    AddDefault(page.url.alternates, default_href);
    pages.push_back(std::move(page));
  }
  return pages;
}

// The newest modified_at (or published_at) of what `publisher` selects in `language`.
std::optional<content::Instant> ListLastModified(store::Store& store,
                                                 const publish::Publisher& publisher,
                                                 std::string_view language, content::Instant now) {
  store::Selection selection = publisher.SelectionFor(language, 1, now);
  selection.order = {{store::SortKey::kModified, true}};
  selection.offset = 0;
  selection.limit = 1;
  selection.with_bodies = false;
  selection.count_total = false;
  const store::ListPage newest = store.Select(selection);
  if (newest.assets.empty()) return std::nullopt;
  const content::Asset& asset = newest.assets.front();
  return asset.modified_at.value_or(asset.published_at);
}

const std::string* SlugFor(const store::UrlEntry& entry, std::string_view language) {
  for (const auto& [tag, slug] : entry.translations) {
    if (tag == language) return &slug;
  }
  const std::string primary = content::PrimarySubtag(language);
  for (const auto& [tag, slug] : entry.translations) {
    if (content::PrimarySubtag(tag) == primary) return &slug;
  }
  return nullptr;
}

const std::string* TagFor(const store::UrlEntry& entry, const std::string* slug) {
  for (const auto& translation : entry.translations) {
    if (&translation.second == slug) return &translation.first;
  }
  return nullptr;
}

}  // namespace

std::string UrlSetXml(const std::vector<SitemapUrl>& urls) {
  XmlWriter xml;
  xml.Start("urlset");
  xml.Attribute("xmlns", kSitemapNamespace);
  xml.Attribute("xmlns:xhtml", kXhtmlNamespace);
  for (const SitemapUrl& url : urls) {
    xml.Start("url");
    xml.Element("loc", url.loc);
    if (url.lastmod) xml.Element("lastmod", content::ToIso8601Utc(*url.lastmod));
    for (const SitemapUrl::Alternate& alternate : url.alternates) {
      xml.Start("xhtml:link");
      xml.Attribute("rel", "alternate");
      xml.Attribute("hreflang", alternate.hreflang);
      xml.Attribute("href", alternate.href);
      xml.End();
    }
    xml.End();
  }
  return xml.Finish();
}

std::string SitemapIndexXml(const std::vector<std::string>& locs) {
  XmlWriter xml;
  xml.Start("sitemapindex");
  xml.Attribute("xmlns", kSitemapNamespace);
  for (const std::string& loc : locs) {
    xml.Start("sitemap");
    xml.Element("loc", loc);
    xml.End();
  }
  return xml.Finish();
}

std::optional<SitemapUrl> ItemSitemapUrl(const store::UrlEntry& entry, std::string_view language,
                                         const std::vector<std::string>& site_languages,
                                         std::string_view base_url) {
  const std::string* slug = SlugFor(entry, language);
  if (slug == nullptr) return std::nullopt;
  SitemapUrl url;
  url.loc = fmt::format("{}{}", base_url, ItemPath(entry.id, language, *slug));
  url.lastmod = entry.modified_at.value_or(entry.published_at);
  std::string default_href;
  for (const std::string& version : site_languages) {
    const std::string* version_slug = SlugFor(entry, version);
    if (version_slug == nullptr) continue;
    std::string href = fmt::format("{}{}", base_url, ItemPath(entry.id, version, *version_slug));
    if (version == site_languages.front()) default_href = href;
    url.alternates.push_back({*TagFor(entry, version_slug), std::move(href)});
  }
  AddDefault(url.alternates, default_href);
  return url;
}

std::string RobotsTxt(std::string_view base_url) {
  // "$" and "?" end the search pattern at the path's end or its query, so a list whose path
  // merely starts with "search" stays crawlable.
  return fmt::format(
      "User-agent: *\n"
      "Allow: /\n"
      "Disallow: /api/\n"
      "Disallow: /admin/\n"
      "Disallow: /*/search$\n"
      "Disallow: /*/search?\n"
      "\n"
      "Sitemap: {}/sitemap.xml\n",
      base_url);
}

Sitemaps::Sitemaps(const Config& config, const publish::Publishers& publishers, int64_t max_urls)
    : config_(config), publishers_(publishers), max_urls_(max_urls) {
  assert(max_urls_ >= 1);
}

std::string Sitemaps::PartPath(std::string_view language, int64_t number) {
  return fmt::format("/sitemaps/{}-{}.xml", content::PrimarySubtag(language), number);
}

std::optional<std::pair<std::string, int64_t>> Sitemaps::ParsePartName(
    std::string_view file) const {
  constexpr std::string_view kSuffix = ".xml";
  if (!file.ends_with(kSuffix)) return std::nullopt;
  file.remove_suffix(kSuffix.size());
  const size_t dash = file.rfind('-');
  if (dash == std::string_view::npos || dash == 0) return std::nullopt;
  const std::string_view primary = file.substr(0, dash);
  const std::string_view digits = file.substr(dash + 1);
  // A canonical positive number: no sign, no leading zero, at most 9 digits.
  if (digits.empty() || digits.size() > 9 || digits.front() == '0' ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const int64_t number = std::stoll(std::string(digits));
  for (const std::string& language : config_.languages) {
    if (content::PrimarySubtag(language) == primary) return std::make_pair(language, number);
  }
  return std::nullopt;
}

std::vector<SitemapUrl> Sitemaps::ListPageUrls(std::string_view language) const {
  std::vector<SitemapUrl> urls;
  for (ListPage& page : ListPages(config_, publishers_, language)) {
    urls.push_back(std::move(page.url));
  }
  return urls;
}

int64_t Sitemaps::PartCount(store::Store& store, std::string_view language) const {
  const int64_t lists = static_cast<int64_t>(ListPages(config_, publishers_, language).size());
  const int64_t total = lists + store.CountPublished(content::PrimarySubtag(language));
  return std::max<int64_t>(1, (total + max_urls_ - 1) / max_urls_);
}

std::string Sitemaps::Index(store::Store& store) const {
  std::vector<std::string> locs;
  for (const std::string& language : config_.languages) {
    const int64_t parts = PartCount(store, language);
    for (int64_t number = 1; number <= parts; ++number) {
      locs.push_back(config_.base_url + PartPath(language, number));
    }
  }
  return SitemapIndexXml(locs);
}

std::string Sitemaps::Part(store::Store& store, std::string_view language, int64_t number,
                           content::Instant now) const {
  std::vector<ListPage> lists = ListPages(config_, publishers_, language);
  const auto list_count = static_cast<int64_t>(lists.size());
  const int64_t total = list_count + store.CountPublished(content::PrimarySubtag(language));
  const int64_t parts = std::max<int64_t>(1, (total + max_urls_ - 1) / max_urls_);
  if (number < 1 || number > parts) {
    throw Error(ErrorCode::kNotFound,
                fmt::format("no sitemap part {} for {} (it has {})", number, language, parts));
  }
  const int64_t begin = (number - 1) * max_urls_;
  const int64_t end = begin + max_urls_;
  std::vector<SitemapUrl> urls;
  for (int64_t i = begin; i < std::min(end, list_count); ++i) {
    ListPage& page = lists[static_cast<size_t>(i)];
    page.url.lastmod = ListLastModified(store, *page.publisher, language, now);
    urls.push_back(std::move(page.url));
  }
  // The items: the store pages by id, not by language, so the ones before this part are
  // counted while skipping.
  int64_t skip = std::max<int64_t>(0, begin - list_count);
  int64_t after_id = 0;
  while (static_cast<int64_t>(urls.size()) < end - begin) {
    const std::vector<store::UrlEntry> batch = store.PublishedUrls(after_id, kBatch);
    for (const store::UrlEntry& entry : batch) {
      if (static_cast<int64_t>(urls.size()) >= end - begin) break;
      std::optional<SitemapUrl> url =
          ItemSitemapUrl(entry, language, config_.languages, config_.base_url);
      if (!url) continue;
      if (skip > 0) {
        --skip;
        continue;
      }
      urls.push_back(std::move(*url));
    }
    if (static_cast<int64_t>(batch.size()) < kBatch) break;
    after_id = batch.back().id;
  }
  return UrlSetXml(urls);
}

}  // namespace assetpub::render
