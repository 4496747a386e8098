#pragma once
// The `assetpub serve` start-up: the App and everything that runs beside the server while it
// serves (the search index's and the response cache's followers, the scheduler, the view
// counter's flusher), started before the server listens and stopped after it returns.

#include "auth/authenticator.h"
#include "core/config.h"
#include "http/server.h"
#include "publish/publisher.h"
#include "search/search_index.h"
#include "store/store.h"

namespace assetpub::web {

// Serves the site, the API and the editors' desk from `store` (http::Serve: prints "listening
// on http://HOST:PORT" with the real port, returns after SIGINT or SIGTERM). Throws
// Error(kUnavailable) when the address cannot be bound, Error(kInvalidInput) naming the file
// when a template, a locale or a static file under config.resources_dir is unusable.
// `index` (nullptr: search answers 503) catches up with the store while the site already
// answers (search says so until then), then follows the store's changes log until shutdown, so
// that writes of other processes become searchable within about a second. `publishers` are the
// site's lists (nullptr: publish::Publishers::Defaults(config)). Item page views are counted in
// memory and added to the store (Store::AddViews, for "most read" lists) every 10 s and once
// more at shutdown. `auth` (nullptr: writes answer 503) authenticates the write API and
// /admin/. An authoring::Scheduler publishes scheduled items at their second.
void Serve(const http::ServeOptions& options, const Config& config, store::Store& store,
           search::SearchIndex* index = nullptr, const publish::Publishers* publishers = nullptr,
           auth::Authenticator* auth = nullptr);

}  // namespace assetpub::web
