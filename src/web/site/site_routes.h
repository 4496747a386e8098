#pragma once
// The public site's pages (DESIGN.md §5): "/" (redirect to the default language), "/{lang}/"
// (the home publisher, paged with ?page=N), "/{lang}/assets/{id}-{slug}" (an item; a wrong
// or missing slug redirects to the canonical URL; ?compare=xx the side-by-side view with the
// xx version, 404 when there is none; ?print=1 the print layout), "/{lang}/search?…" (search,
// with the parameters of search_params.h; 400 with the form kept for a refused query, 503
// without an index), "/{lang}/people/{slug}/" and "/{lang}/tags/{slug}/" (the lists of a person
// or tag; 404 when no name has that slug) and "/{lang}/{publisher}/" (a configured list by its
// path; 404 for an unknown one; without the slash, a 301 to it). A list page past the last is a
// 404. Only published assets are visible.
// Thread-safety: the handlers are safe to call from many threads at once.

#include "http/router.h"
#include "web/context.h"

namespace assetpub::web {

// Adds the page routes to `router`; `context` must outlive it. Add these after every route with
// a literal first segment ("/api/…", "/static/…"): "/{lang}/" matches any first segment.
void AddSiteRoutes(Router& router, const Context& context);

}  // namespace assetpub::web
