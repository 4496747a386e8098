#include "web/site/feed_routes.h"

#include <fmt/format.h>

#include <optional>
#include <string>

#include "content/instant.h"
#include "core/error.h"
#include "render/feeds.h"
#include "render/sitemap.h"

namespace assetpub::web {
namespace {

enum class FeedFormat { kRss, kAtom };

Response Document(std::string content_type, std::string body) {
  Response response;
  response.status = 200;
  response.SetHeader("Content-Type", std::move(content_type));
  response.body = std::move(body);
  return response;
}

// The site language for a path's first segment ("en" -> "en-GB"). Throws Error(kNotFound) for a
// prefix that is not one of the site's languages.
std::string SiteLanguage(const Context& context, const std::string& prefix) {
  std::optional<std::string> language = context.renderer.FindLanguage(prefix);
  if (!language) throw Error(ErrorCode::kNotFound, fmt::format("no language '{}' here", prefix));
  return *language;
}

// The feed of `publisher` (nullptr: no such publisher) in the language of the prefix `lang`.
Response Feed(const Context& context, const std::string& lang, const publish::Publisher* publisher,
              FeedFormat format) {
  const std::string language = SiteLanguage(context, lang);
  if (publisher == nullptr || !publisher->feeds || !publisher->HasLanguage(language)) {
    throw Error(ErrorCode::kNotFound, "no such feed");
  }
  const content::Instant now = content::Now();
  const publish::PublisherPage page =
      publish::RunPublisher(*publisher, context.store, language, 1, now);
  const render::FeedInfo feed = render::MakeFeedInfo(context.config, *publisher, language, now);
  Response response =
      format == FeedFormat::kRss
          ? Document("application/rss+xml; charset=utf-8", render::RssFeed(feed, page.list))
          : Document("application/atom+xml; charset=utf-8", render::AtomFeed(feed, page.list));
  response.SetHeader("Content-Language", language);
  return response;
}

void AddFeeds(Router& router, const Context& context, const std::string& extension,
              FeedFormat format) {
  router.Get("/{lang}/feed." + extension,
             [context, format](const Request&, const RouteParams& params) {
               return Feed(context, params.Get("lang"), &context.publishers.Home(), format);
             });
  router.Get("/{lang}/{publisher}/feed." + extension,
             [context, format](const Request&, const RouteParams& params) {
               return Feed(context, params.Get("lang"),
                           context.publishers.FindByPath(params.Get("publisher")), format);
             });
}

Response SitemapPart(const Context& context, const std::string& file) {
  const render::Sitemaps sitemaps(context.config, context.publishers);
  const std::optional<std::pair<std::string, int64_t>> part = sitemaps.ParsePartName(file);
  if (!part) throw Error(ErrorCode::kNotFound, fmt::format("no sitemap '{}'", file));
  return Document("application/xml; charset=utf-8",
                  sitemaps.Part(context.store, part->first, part->second, content::Now()));
}

}  // namespace

void AddFeedRoutes(Router& router, const Context& context) {
  AddFeeds(router, context, "rss", FeedFormat::kRss);
  AddFeeds(router, context, "atom", FeedFormat::kAtom);
  router.Get("/sitemap.xml", [context](const Request&, const RouteParams&) {
    const render::Sitemaps sitemaps(context.config, context.publishers);
    return Document("application/xml; charset=utf-8", sitemaps.Index(context.store));
  });
  router.Get("/sitemaps/{file}", [context](const Request&, const RouteParams& params) {
    return SitemapPart(context, params.Get("file"));
  });
  router.Get("/robots.txt", [context](const Request&, const RouteParams&) {
    return Response::Text(200, render::RobotsTxt(context.config.base_url));
  });
}

}  // namespace assetpub::web
