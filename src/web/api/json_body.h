#pragma once
// Reading the JSON body of a write request, the same way on every write route (write_routes.h,
// redirect_routes.h): text nested deeper than content::kMaxJsonNesting is refused before anything
// recurses over it (content::CheckJsonNesting). Thread-safe: pure functions.

#include <nlohmann/json.hpp>
#include <string_view>

#include "http/message.h"

namespace assetpub::web {

// `body` parsed; a discarded value when it is not JSON. Throws Error(kInvalidInput) for JSON
// nested too deep.
nlohmann::json ParseJson(std::string_view body);

// The request's body as a JSON object; an empty body is an empty object when `optional`. Throws
// Error(kInvalidInput) for a body that is not JSON, not an object, or nested too deep.
nlohmann::json BodyObject(const http::Request& request, bool optional);

}  // namespace assetpub::web
