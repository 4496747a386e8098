#pragma once
// Context is what request handlers share: the site's settings, the store, the renderer, the
// publishers and the search index. The App owns or borrows them and outlives every handler;
// handlers hold a Context by value (it holds only references). Thread-safety: each member is safe
// to use from many threads (see their headers).

#include <atomic>

#include "auth/authenticator.h"
#include "core/config.h"
#include "http/message.h"
#include "http/router.h"
#include "publish/publisher.h"
#include "render/renderer.h"
#include "search/index_coverage.h"
#include "search/search_index.h"
#include "store/store.h"
#include "web/change_notifier.h"

namespace assetpub::media {
class MediaStore;
}  // namespace assetpub::media

namespace assetpub::web {

class PublicMedia;

// The application speaks the transport's message and routing types.
using http::HeaderList;
using http::Request;
using http::Response;
using http::RouteParams;
using http::Router;

struct Context {
  const Config& config;
  store::Store& store;
  const render::Renderer& renderer;
  const publish::Publishers& publishers;
  // nullptr when the App was built without an index: search answers 503.
  const search::SearchIndex* search = nullptr;
  // False while the index is still being built or catching up after a start: searches answer
  // with what it holds and say so (search::Results::index_complete). Never nullptr inside an App.
  const std::atomic<bool>* search_ready = nullptr;
  // How much of the store `search` covers (nullptr exactly when `search` is): searches mark
  // their results with it (IndexCoverage::Mark).
  const search::IndexCoverage* coverage = nullptr;
  // nullptr when the App was built without accounts: writes (API, admin) answer 503.
  auth::Authenticator* auth = nullptr;
  // Every write the server makes (API, /admin/, scheduler) calls changes->Notify() after its
  // commit, so that the cache and the index catch up before the writer answers. Never nullptr
  // inside an App.
  ChangeNotifier* changes = nullptr;
  // The media library's files (nullptr without config.media_dir: media routes answer 503), and
  // whether a file may be served to anyone (media_routes.h, PublicMedia).
  const media::MediaStore* media = nullptr;
  PublicMedia* public_media = nullptr;
};

}  // namespace assetpub::web
