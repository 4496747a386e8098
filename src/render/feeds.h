#pragma once
// The feeds of a publisher (DESIGN.md §5: /{lang}/{publisher}/feed.rss and feed.atom): RSS 2.0
// and Atom (RFC 4287) documents for one page of a publisher's items in one site language. They
// are written with libxml2's xmlTextWriter (render/xml_writer.h): titles, summaries and names
// come out escaped, as the same text, never as markup; characters XML 1.0 cannot carry are
// dropped. Thread-safety: pure functions.

#include <string>
#include <string_view>
#include <vector>

#include "content/instant.h"
#include "core/config.h"
#include "publish/publisher.h"
#include "store/store.h"

namespace assetpub::render {

// Everything a feed says besides its items.
struct FeedInfo {
  std::string base_url;        // Config::base_url (no trailing slash): every link is absolute
  std::string site_name;       // Config::site_name: the author, and the start of the RSS title
  std::string time_zone;       // Config::time_zone: the zone of the feed's own dates
  std::string language;        // the feed's site language tag ("en-GB")
  std::string title;           // the publisher's title in `language`
  std::string publisher_path;  // Publisher::path ("" for the home)
  // The site's language tags (Config order): an item's translations in one of these are linked
  // as hreflang alternates (Atom).
  std::vector<std::string> site_languages;
  // The other site languages the publisher exists in: Atom links their feeds as alternates.
  std::vector<std::string> alternate_languages;
  // The feed's date (lastBuildDate, Atom updated) when it has no items; otherwise the newest
  // item's modified_at (or published_at) is, so the document does not change while they do not.
  content::Instant now;
};

// The FeedInfo of `publisher` in the site language `language` (one of config.languages).
FeedInfo MakeFeedInfo(const Config& config, const publish::Publisher& publisher,
                      std::string_view language, content::Instant now);

// RSS 2.0: <channel> with title ("site — publisher"), link (the publisher's page), description,
// language, lastBuildDate and atom:link rel="self"; an <item> per asset of `list` that has a
// translation in feed.language (TranslationFor), in list order: title, link, guid (the item's
// URL, isPermaLink), pubDate, description (the summary, when there is one), category (the kind,
// then the tags). Dates are RFC 822 with a numeric zone. Descriptions are HTML to feed readers:
// they hold the text HTML-escaped (a summary "<b>" is sent as &amp;lt;b&amp;gt;).
std::string RssFeed(const FeedInfo& feed, const store::ListPage& list);

// Atom: id and link rel="self" (the feed's URL), title, updated, author (the site),
// link rel="alternate" type="text/html" (the publisher's page) and one alternate per
// feed.alternate_languages (hreflang, to that language's Atom feed); an <entry> per asset with
// id (the item's URL), title, published, updated (modified_at, else published_at),
// link rel="alternate" to the item's page and one per other translation in a site language
// (hreflang), summary (when there is one), category term (the kind, then the tags). Dates are
// RFC 3339 in the asset's zone.
std::string AtomFeed(const FeedInfo& feed, const store::ListPage& list);

// RFC 822 (as RSS 2.0 wants it: four-digit year, numeric zone) in `zone`:
// "Fri, 07 Jun 2013 16:29:00 +0400". Throws Error(kInvalidInput) for an unknown zone.
std::string ToRfc822(content::Instant instant, std::string_view zone);

}  // namespace assetpub::render
