#pragma once
// The HTTP entry point used by `assetpub serve`: Boost.Beast on Asio, one io_context per core.
// Only http/ includes Beast; this header deliberately shows none of it.

#include <string>

#include "auth/authenticator.h"
#include "core/config.h"
#include "publish/publisher.h"
#include "search/search_index.h"
#include "store/store.h"

namespace assetpub::http {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free port
  int threads = 0;                        // 0: one per core
};

// Binds, prints "listening on http://HOST:PORT" (the real port) on stdout and flushes, then serves
// the site and the API from `store` until SIGINT or SIGTERM. Throws Error(kUnavailable) when the
// address cannot be bound. `config.resources_dir` holds templates/, locales/ and static/.
// `index` (nullptr: search answers 503) is caught up with the store before the server listens
// (the count is logged; a failure is logged and retried), then followed by an IndexFollower
// until shutdown, so that writes of other processes become searchable within about a second.
// `publishers` are the site's lists (nullptr: publish::Publishers::Defaults(config)). Item page
// views are counted in memory and added to the store (Store::AddViews, for "most read" lists)
// every 10 s and once more at shutdown. `auth` (nullptr: writes answer 503) authenticates the
// write API and /admin/. An authoring::Scheduler publishes scheduled items at their second.
void Serve(const ServeOptions& options, const Config& config, store::Store& store,
           search::SearchIndex* index = nullptr, const publish::Publishers* publishers = nullptr,
           auth::Authenticator* auth = nullptr);

}  // namespace assetpub::http
