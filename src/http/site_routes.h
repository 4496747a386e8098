#pragma once
// The public site's pages (DESIGN.md §5): "/" (redirect to the default language), "/{lang}/"
// (the home publisher, paged with ?page=N), "/{lang}/assets/{id}-{slug}" (an item; a wrong
// or missing slug redirects to the canonical URL) and "/{lang}/search?…" (search, with the
// parameters of search_params.h; 400 with the form kept for a refused query, 503 without an
// index). Only published assets are visible.
// Thread-safety: the handlers are safe to call from many threads at once.

#include "http/context.h"
#include "http/router.h"

namespace assetpub::http {

// Adds the page routes to `router`; `context` must outlive it. Add these after every route with
// a literal first segment ("/api/…", "/static/…"): "/{lang}/" matches any first segment.
void AddSiteRoutes(Router& router, const Context& context);

}  // namespace assetpub::http
