#pragma once
// A WordPress export file (WXR, "WordPress eXtended RSS", versions 1.1 and 1.2) read into plain
// values: the site, its authors, its terms and every <item> as WordPress wrote it. Nothing is
// interpreted here (statuses, languages and translations are WxrImporter's business), so this is
// the one place that sees XML. Parsed with libxml2 without network access, without loading a
// DTD and without substituting entities; a DOCTYPE is refused before its internal subset is
// read, so an entity bomb or an external entity never runs. Thread-safe: a pure function.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace assetpub::importers {

// A term on an item: <category domain="post_tag" nicename="slug">Name</category>.
struct WxrItemTerm {
  std::string domain;  // "category", "post_tag", "language", "post_translations", …
  std::string slug;    // the nicename attribute
  std::string name;    // the element's text
  bool operator==(const WxrItemTerm&) const = default;
};

// A term declared on the channel (<wp:term>, <wp:category>, <wp:tag>).
struct WxrTerm {
  std::string taxonomy;  // "category", "post_tag", "language", "post_translations", …
  std::string slug;
  std::string name;
  std::string description;  // Polylang keeps a PHP-serialized array here
};

struct WxrAuthor {
  std::string login;
  std::string display_name;
};

struct WxrItem {
  int line = 0;  // where the <item> starts in the file (1-based)
  std::string title;
  std::string link;
  std::string guid;
  std::string creator;  // dc:creator: the author's login
  std::string content;  // content:encoded, HTML as WordPress stored it
  std::string excerpt;  // excerpt:encoded
  int64_t post_id = 0;
  int64_t post_parent = 0;
  std::string post_date;      // "2014-03-12 18:05:00", the site's local time
  std::string post_date_gmt;  // the same in UTC; "0000-00-00 00:00:00" for drafts
  std::string post_name;      // the slug, percent-encoded for non-ASCII titles
  std::string status;         // publish, draft, pending, future, private, trash, inherit, …
  std::string post_type;      // post, page, attachment, nav_menu_item, …
  std::string post_password;
  std::string attachment_url;  // attachments only
  std::vector<WxrItemTerm> terms;
  std::map<std::string, std::string> meta;  // wp:postmeta: the first value of each key
  int comments = 0;                         // how many wp:comment elements the item has
};

struct WxrSite {
  std::string version;        // wp:wxr_version: "1.1" or "1.2"
  std::string title;          // the channel's title
  std::string link;           // the channel's link
  std::string base_site_url;  // wp:base_site_url
  std::string base_blog_url;  // wp:base_blog_url
  std::string language;       // the channel's <language>, e.g. "en-US"
  std::vector<WxrAuthor> authors;
  std::vector<WxrTerm> terms;
  std::vector<WxrItem> items;  // in file order
};

// True when `text` looks like a WordPress export: an <rss> document declaring the wp namespace
// (http://wordpress.org/export/…) near its start. A cheap test for choosing the importer; Parse
// decides for real.
bool LooksLikeWxr(std::string_view text);

// Reads a whole WXR file. Throws Error(kInvalidInput) with the reason, and the line where there
// is one, for: malformed XML, a DOCTYPE (WordPress writes none; DTDs and entity declarations are
// refused before they are read), elements nested deeper than libxml2's limit (256), a root that
// is not <rss> with the wp namespace, a channel without wp:wxr_version, a version other than 1.1
// or 1.2, more than kMaxWxrItems items.
WxrSite ParseWxr(std::string_view text);

inline constexpr size_t kMaxWxrItems = 200'000;

}  // namespace assetpub::importers
