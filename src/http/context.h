#pragma once
// Context is what request handlers share: the site's settings, the store and the renderer. The
// App owns them and outlives every handler; handlers hold a Context by value (it holds only
// references). Thread-safety: each member is safe to use from many threads (see their headers).

#include "core/config.h"
#include "render/renderer.h"
#include "store/store.h"

namespace assetpub::http {

struct Context {
  const Config& config;
  store::Store& store;
  const render::Renderer& renderer;
};

}  // namespace assetpub::http
