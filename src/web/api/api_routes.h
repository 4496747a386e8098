#pragma once
// The read-only JSON API (DESIGN.md §5, §6): "/api/v1/assets/{id}" (one published asset) and
// "/api/v1/assets?page=N&page_size=N&lang=xx" (a page of published assets, newest first) and
// "/api/v1/search?…" (the search page's parameters, search_params.h; render::SearchResultsJson)
// and "/api/v1/publishers/{id}?lang=xx&page=N" (a page of a configured list,
// render::PublisherJson; 404 for an unknown id or a page past the last).
// Errors are application/problem+json (the App's error responder sees the /api/ prefix).
// Thread-safety: the handlers are safe to call from many threads at once.

#include "http/router.h"
#include "web/context.h"

namespace assetpub::web {

// The largest page_size the list accepts.
inline constexpr int64_t kMaxApiPageSize = 100;

// Adds the API routes to `router`; `context` must outlive it.
void AddApiRoutes(Router& router, const Context& context);

}  // namespace assetpub::web
