#pragma once
// The machine-readable routes (DESIGN.md §5): the publishers' feeds — "/{lang}/feed.rss" and
// "/{lang}/feed.atom" (the home publisher's), "/{lang}/{publisher}/feed.rss" and
// "/{lang}/{publisher}/feed.atom" (404 for an unknown publisher, one without feeds, or a language
// it does not exist in) — "/sitemap.xml" (the index), "/sitemaps/{primary}-{n}.xml" (a part; 404
// for a language not on the site or a part past the last) and "/robots.txt".
// Thread-safety: the handlers are safe to call from many threads at once.

#include "http/router.h"
#include "web/context.h"

namespace assetpub::web {

// Adds the feed, sitemap and robots.txt routes to `router`; `context` must outlive it. Add these
// before AddSiteRoutes: its "/{lang}/…" patterns would take "/sitemap.xml" and "/en/feed.rss".
void AddFeedRoutes(Router& router, const Context& context);

}  // namespace assetpub::web
