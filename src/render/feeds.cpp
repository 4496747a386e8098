#include "render/feeds.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <optional>

#include "content/language.h"
#include "core/error.h"
#include "core/text.h"
#include "render/paths.h"
#include "render/renderer.h"
#include "render/xml_writer.h"

namespace assetpub::render {
namespace {

constexpr const char* kAtomNamespace = "http://www.w3.org/2005/Atom";

// A version of an item on the site: the translation's own tag (for hreflang) and its page.
struct Version {
  std::string hreflang;
  std::string path;
};

// The item's pages in every site language but `language`, in site language order.
std::vector<Version> OtherVersions(const content::Asset& asset, std::string_view language,
                                   const std::vector<std::string>& site_languages) {
  std::vector<Version> versions;
  for (const std::string& site_language : site_languages) {
    if (content::PrimarySubtag(site_language) == content::PrimarySubtag(language)) continue;
    if (const content::Translation* translation = TranslationFor(asset, site_language)) {
      versions.push_back(
          {translation->language, ItemPath(asset.id, site_language, translation->slug)});
    }
  }
  return versions;
}

content::Instant Updated(const content::Asset& asset) {
  return asset.modified_at.value_or(asset.published_at);
}

content::Instant FeedUpdated(const FeedInfo& feed, const store::ListPage& list) {
  if (list.assets.empty()) return feed.now;
  content::Instant newest = Updated(list.assets.front());
  for (const content::Asset& asset : list.assets) newest = std::max(newest, Updated(asset));
  return newest;
}

int Number(std::string_view text, size_t pos, size_t count) {
  int value = 0;
  const auto result = std::from_chars(text.data() + pos, text.data() + pos + count, value);
  if (result.ec != std::errc()) throw Error(ErrorCode::kInternal, "unexpected date form");
  return value;
}

}  // namespace

FeedInfo MakeFeedInfo(const Config& config, const publish::Publisher& publisher,
                      std::string_view language, content::Instant now) {
  FeedInfo feed;
  feed.base_url = config.base_url;
  feed.site_name = config.SiteName(language);
  feed.time_zone = config.time_zone;
  feed.language = std::string(language);
  const std::string& default_language = config.languages.front();
  feed.title = publisher.Title(language, default_language);
  feed.publisher_path = publisher.path;
  feed.site_languages = config.languages;
  for (const std::string& other : config.languages) {
    if (other != language && publisher.HasLanguage(other)) {
      feed.alternate_languages.push_back(other);
    }
  }
  feed.now = now;
  return feed;
}

std::string ToRfc822(content::Instant instant, std::string_view zone) {
  // "2013-06-07T16:29:00+04:00": the local wall-clock time and the zone's offset then.
  const std::string iso = content::ToIso8601(instant, zone);
  const size_t t = iso.find('T');
  if (t == std::string::npos || iso.size() < t + 15) {
    throw Error(ErrorCode::kInternal, "unexpected date form " + iso);
  }
  const std::string_view text = iso;
  const int year = Number(text, 0, t);
  const int month = Number(text, t - 5, 2);
  const int day = Number(text, t - 2, 2);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::chrono::weekday weekday{std::chrono::sys_days{
      std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} /
      std::chrono::day{static_cast<unsigned>(day)}}};
  const std::string_view time = text.substr(t + 1, 8);
  const std::string_view offset = text.substr(t + 9);  // "+04:00"
  return fmt::format("{}, {:02} {} {:04} {} {}{}{}", kDays[weekday.c_encoding()], day,
                     kMonths[month - 1], year, time, offset.substr(0, 1), offset.substr(1, 2),
                     offset.substr(4, 2));
}

std::string RssFeed(const FeedInfo& feed, const store::ListPage& list) {
  const std::string page_url = feed.base_url + PublisherPath(feed.language, feed.publisher_path);
  XmlWriter xml;
  xml.Start("rss");
  xml.Attribute("version", "2.0");
  xml.Attribute("xmlns:atom", kAtomNamespace);
  xml.Start("channel");
  xml.Element("title", fmt::format("{} — {}", feed.site_name, feed.title));
  xml.Element("link", page_url);
  // RSS 2.0's <description> is HTML to feed readers ("entity-encoded HTML"): plain text goes in
  // escaped, so that a reader shows "<script>" as text instead of running it (the XML writer then
  // escapes the escaped text once more).
  xml.Element("description", EscapeHtml(fmt::format("{}: {}", feed.site_name, feed.title)));
  xml.Element("language", feed.language);
  xml.Element("lastBuildDate", ToRfc822(FeedUpdated(feed, list), feed.time_zone));
  xml.Start("atom:link");
  xml.Attribute("href", feed.base_url + FeedPath(feed.language, feed.publisher_path, "rss"));
  xml.Attribute("rel", "self");
  xml.Attribute("type", "application/rss+xml");
  xml.End();
  for (const content::Asset& asset : list.assets) {
    const content::Translation* translation = TranslationFor(asset, feed.language);
    if (translation == nullptr) continue;
    const std::string url = feed.base_url + ItemPath(asset.id, feed.language, translation->slug);
    xml.Start("item");
    xml.Element("title", translation->title);
    xml.Element("link", url);
    xml.Start("guid");
    xml.Attribute("isPermaLink", "true");
    xml.Text(url);
    xml.End();
    xml.Element("pubDate", ToRfc822(asset.published_at, asset.time_zone));
    if (!translation->summary.empty()) {
      xml.Element("description", EscapeHtml(translation->summary));
    }
    xml.Element("category", content::KindName(asset.kind));
    for (const std::string& tag : asset.tags) xml.Element("category", tag);
    xml.End();
  }
  return xml.Finish();
}

std::string AtomFeed(const FeedInfo& feed, const store::ListPage& list) {
  const std::string self_url = feed.base_url + FeedPath(feed.language, feed.publisher_path, "atom");
  XmlWriter xml;
  xml.Start("feed");
  xml.Attribute("xmlns", kAtomNamespace);
  xml.Attribute("xml:lang", feed.language);
  xml.Element("id", self_url);
  xml.Element("title", fmt::format("{} — {}", feed.site_name, feed.title));
  xml.Element("updated", content::ToIso8601(FeedUpdated(feed, list), feed.time_zone));
  xml.Start("author");
  xml.Element("name", feed.site_name);
  xml.Element("uri", feed.base_url + "/");
  xml.End();
  xml.Start("link");
  xml.Attribute("rel", "self");
  xml.Attribute("type", "application/atom+xml");
  xml.Attribute("href", self_url);
  xml.End();
  xml.Start("link");
  xml.Attribute("rel", "alternate");
  xml.Attribute("type", "text/html");
  xml.Attribute("hreflang", feed.language);
  xml.Attribute("href", feed.base_url + PublisherPath(feed.language, feed.publisher_path));
  xml.End();
  for (const std::string& other : feed.alternate_languages) {
    xml.Start("link");
    xml.Attribute("rel", "alternate");
    xml.Attribute("type", "application/atom+xml");
    xml.Attribute("hreflang", other);
    xml.Attribute("href", feed.base_url + FeedPath(other, feed.publisher_path, "atom"));
    xml.End();
  }
  for (const content::Asset& asset : list.assets) {
    const content::Translation* translation = TranslationFor(asset, feed.language);
    if (translation == nullptr) continue;
    const std::string url = feed.base_url + ItemPath(asset.id, feed.language, translation->slug);
    xml.Start("entry");
    xml.Element("id", url);
    xml.Element("title", translation->title);
    xml.Element("published", content::ToIso8601(asset.published_at, asset.time_zone));
    xml.Element("updated", content::ToIso8601(Updated(asset), asset.time_zone));
    xml.Start("link");
    xml.Attribute("rel", "alternate");
    xml.Attribute("type", "text/html");
    xml.Attribute("hreflang", translation->language);
    xml.Attribute("href", url);
    xml.End();
    for (const Version& version : OtherVersions(asset, feed.language, feed.site_languages)) {
      xml.Start("link");
      xml.Attribute("rel", "alternate");
      xml.Attribute("type", "text/html");
      xml.Attribute("hreflang", version.hreflang);
      xml.Attribute("href", feed.base_url + version.path);
      xml.End();
    }
    if (!translation->summary.empty()) {
      xml.Start("summary");
      xml.Attribute("type", "text");
      xml.Text(translation->summary);
      xml.End();
    }
    xml.Start("category");
    xml.Attribute("term", content::KindName(asset.kind));
    xml.End();
    for (const std::string& tag : asset.tags) {
      xml.Start("category");
      xml.Attribute("term", tag);
      xml.End();
    }
    xml.End();
  }
  return xml.Finish();
}

}  // namespace assetpub::render
