#pragma once
// The write API's credentials: `Authorization: Bearer <token>` (docs/api.md, "Writing").

#include <optional>

#include "auth/authenticator.h"
#include "http/context.h"
#include "http/message.h"

namespace assetpub::http {

// The principal of the request's bearer token; nullopt without a usable one (no header, another
// scheme, an unknown, revoked or disabled token). `context.auth` must be set.
std::optional<auth::Principal> BearerPrincipal(const Context& context, const Request& request);

}  // namespace assetpub::http
