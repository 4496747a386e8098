#pragma once
// The site's sitemaps (sitemaps.org 0.9, with xhtml:link hreflang alternates) and robots.txt.
// /sitemap.xml is an index of per-language parts, /sitemaps/{primary}-{n}.xml ("en-1.xml"): a
// part lists the language's home and publisher pages, then every published item that has a
// translation in it (in id order), at most `max_urls` URLs a part (50,000, the protocol's
// limit). Written with libxml2 (render/xml_writer.h), so every value is escaped.
// Thread-safety: the free functions are pure; a Sitemaps is immutable and safe from any thread
// (it reads the store through Store's thread-safe calls).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "content/instant.h"
#include "core/config.h"
#include "publish/publisher.h"
#include "store/store.h"

namespace assetpub::render {

constexpr const char* kSitemapNamespace = "http://www.sitemaps.org/schemas/sitemap/0.9";
constexpr const char* kXhtmlNamespace = "http://www.w3.org/1999/xhtml";

// One <url> of a sitemap.
struct SitemapUrl {
  struct Alternate {
    std::string hreflang;  // a language tag, or "x-default"
    std::string href;      // absolute
    bool operator==(const Alternate&) const = default;
  };
  std::string loc;  // absolute
  std::optional<content::Instant> lastmod;
  // Every language version (the page itself among them) and then x-default.
  std::vector<Alternate> alternates;
};

// <urlset> of `urls`, in order: loc, lastmod (RFC 3339 UTC) when set, an xhtml:link
// rel="alternate" per alternate.
std::string UrlSetXml(const std::vector<SitemapUrl>& urls);
// <sitemapindex> with a <sitemap><loc> per entry of `locs` (absolute URLs), in order.
std::string SitemapIndexXml(const std::vector<std::string>& locs);

// The sitemap entry of an item in the site language `language`: its page there (the translation
// with that tag, else one with the same primary subtag), lastmod (modified_at, else
// published_at), and alternates for its versions in each of `site_languages` (Config order, the
// default first) plus x-default (the default language's version, else the first one). nullopt
// when the item has no translation in `language`.
std::optional<SitemapUrl> ItemSitemapUrl(const store::UrlEntry& entry, std::string_view language,
                                         const std::vector<std::string>& site_languages,
                                         std::string_view base_url);

// robots.txt: everything allowed but /api/, /admin/ and the search pages (/{lang}/search), and
// the Sitemap line ({base_url}/sitemap.xml).
std::string RobotsTxt(std::string_view base_url);

class Sitemaps {
 public:
  static constexpr int64_t kMaxUrlsPerPart = 50'000;

  // `config` and `publishers` must outlive the Sitemaps. Requires max_urls >= 1.
  Sitemaps(const Config& config, const publish::Publishers& publishers,
           int64_t max_urls = kMaxUrlsPerPart);

  // "/sitemaps/en-1.xml" for part 1 of "en-GB".
  static std::string PartPath(std::string_view language, int64_t number);
  // The site language and part number of a file name under /sitemaps/ ("en-1.xml" ->
  // ("en-GB", 1)); nullopt when the name is not of that form or the language is not the site's.
  std::optional<std::pair<std::string, int64_t>> ParsePartName(std::string_view file) const;

  // The list pages of `language`, the first URLs of its part 1: the home, then every
  // publisher with a path that exists in it (Publishers order), with their alternates; no
  // lastmod (Part adds it from the store).
  std::vector<SitemapUrl> ListPageUrls(std::string_view language) const;
  // How many parts `language` has: ceil((list pages + Store::CountPublished) / max_urls).
  int64_t PartCount(store::Store& store, std::string_view language) const;

  // /sitemap.xml: every part of every site language, in Config order.
  std::string Index(store::Store& store) const;
  // Part `number` (1-based) of the site language `language` (a full tag). A list page's lastmod
  // is the newest modified_at (or published_at) it selects as of `now`. Throws Error(kNotFound)
  // for a part past the last (or below 1).
  std::string Part(store::Store& store, std::string_view language, int64_t number,
                   content::Instant now) const;

 private:
  const Config& config_;
  const publish::Publishers& publishers_;
  int64_t max_urls_;
};

}  // namespace assetpub::render
