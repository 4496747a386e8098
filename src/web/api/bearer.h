#pragma once
// The write API's credentials: `Authorization: Bearer <token>` (docs/api.md, "Writing").

#include <optional>

#include "auth/authenticator.h"
#include "http/message.h"
#include "web/context.h"

namespace assetpub::web {

// The principal of the request's bearer token; nullopt without a usable one (no header, another
// scheme, an unknown, revoked or disabled token). `context.auth` must be set.
std::optional<auth::Principal> BearerPrincipal(const Context& context, const Request& request);

// The principal of the request's bearer token. Throws Error(kUnauthorised) without a usable one
// (answered with WWW-Authenticate: Bearer, web/error_response.h), Error(kUnavailable) when
// `context.auth` is not set (no accounts are open).
auth::Principal RequireBearer(const Context& context, const Request& request);

}  // namespace assetpub::web
