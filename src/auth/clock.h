#pragma once
// The clock auth/ reads: content::Now in production, a fake in tests (session expiry, rate
// limits). A Clock must be callable from any thread.

#include <functional>

#include "content/instant.h"

namespace assetpub::auth {

using Clock = std::function<content::Instant()>;

}  // namespace assetpub::auth
