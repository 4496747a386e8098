#pragma once
// App is everything `assetpub serve` answers, with no network in sight: the site's pages, the
// JSON API, static files and /healthz, behind one Router. Built once at start-up (templates,
// locales and static files are loaded then); Handle() is safe from any number of threads.

#include <string_view>

#include "auth/authenticator.h"
#include "core/config.h"
#include "http/context.h"
#include "http/message.h"
#include "http/router.h"
#include "http/static_files.h"
#include "publish/publisher.h"
#include "render/renderer.h"
#include "search/search_index.h"
#include "store/store.h"

namespace assetpub::http {

class App {
 public:
  // Loads the resources from config.resources_dir. Throws Error(kInvalidInput) naming the file
  // when a template, a locale or a static file is unusable. `store` and `search` (when not
  // nullptr) must outlive the App; without an index, /{lang}/search and /api/v1/search answer
  // 503. The App only reads the index (Search); keeping it caught up is the caller's job.
  // `publishers` nullptr means publish::Publishers::Defaults(config). `auth` (which must outlive
  // the App) authenticates writers: the write API and /admin/; nullptr: they answer 503.
  App(const Config& config, store::Store& store, const search::SearchIndex* search = nullptr,
      const publish::Publishers* publishers = nullptr, auth::Authenticator* auth = nullptr);
  // Handlers hold references into the App: it stays where it was built.
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // The response to `request`. Never throws: failures become error pages (HTML, in the language
  // of the path's prefix or else the default) or, under /api/, problem+json. Every response
  // carries the security headers. For HEAD, the GET response with its body (the server sends
  // only the body's length).
  Response Handle(const Request& request) const;
  // The same for a request as it came off the wire: a target that Request::Make refuses (not a
  // path, a malformed %-escape) gets a 400 in the form its path calls for. Never throws.
  // `remote_address` is the client's IP as text (Request::remote_address).
  Response Handle(std::string method, std::string_view target, HeaderList headers = {},
                  std::string body = {}, std::string remote_address = {}) const;

  // The error response for `request` (see Router's ErrorResponder). Never throws.
  Response ErrorResponse(const Request& request, int status, std::string_view type_name,
                         const std::string& detail) const;

  const render::Renderer& renderer() const { return renderer_; }
  // Subscribe the followers of the store here before serving (see ChangeNotifier).
  ChangeNotifier& changes() { return changes_; }

 private:
  Config config_;
  store::Store& store_;
  render::Renderer renderer_;
  publish::Publishers publishers_;
  StaticFiles static_files_;
  ChangeNotifier changes_;
  Context context_;
  Router router_;
};

// Adds the headers every response carries: X-Content-Type-Options, Referrer-Policy and
// Content-Security-Policy. The server uses it too, for answers it makes itself.
void AddSecurityHeaders(Response& response);

// True for paths under /api/, whose errors are problem+json rather than HTML.
bool IsApiPath(std::string_view path);

}  // namespace assetpub::http
