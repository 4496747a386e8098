#pragma once
// The one place an assetpub::Error becomes an HTTP answer, for every route: problem+json
// (RFC 9457) under /api/, the site's error page elsewhere. The status is HttpStatus(code)
// (core/error.h). A new ErrorCode needs nothing here; a new kind of data an Error carries (as
// fields(), current_revision(), retry_after_seconds()) is written out in ProblemJson and, when it
// is a header, in ErrorResponse. Thread-safety: plain functions, safe from any thread.

#include <string>
#include <string_view>

#include "core/error.h"
#include "http/message.h"
#include "render/renderer.h"

namespace assetpub::web {

// True for paths under /api/, whose errors are problem+json rather than HTML.
bool IsApiPath(std::string_view path);

// The problem+json text: "type" ("urn:assetpub:problem:" + ErrorCodeName), "title" (the status's
// reason phrase), "status", "detail" (PublicMessage); "errors" with one {"pointer", "detail"} per
// field, when the error names fields (a content path such as "translations.en-GB.title" becomes
// a JSON Pointer under `field_prefix`, "/asset/translations/en-GB/title"; a field that is already
// a pointer stays as it is); "current_revision" when it names one.
std::string ProblemJson(const Error& error, std::string_view field_prefix = {});

// The answer to `request` that failed with `error`: under /api/ problem+json (ProblemJson), with
// WWW-Authenticate for kUnauthorised (bearer tokens are the API's credentials); elsewhere the
// site's error page in the language of the path's first segment when that is a site language,
// else the default (plain text if even that cannot be rendered). Both carry Retry-After when the
// error says when to retry, and ETag ("N") when it names the current revision. A 5xx is logged
// with the request's method and target. Never throws.
http::Response ErrorResponse(const render::Renderer& renderer, const http::Request& request,
                             const Error& error, std::string_view field_prefix = {});

}  // namespace assetpub::web
