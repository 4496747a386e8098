#include "web/api/json_body.h"

#include "content/asset_json.h"
#include "core/error.h"

namespace assetpub::web {

nlohmann::json ParseJson(std::string_view body) {
  content::CheckJsonNesting(body);
  return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
}

nlohmann::json BodyObject(const http::Request& request, bool optional) {
  if (request.body.empty() && optional) return nlohmann::json::object();
  nlohmann::json body = ParseJson(request.body);
  if (body.is_discarded()) throw Error(ErrorCode::kInvalidInput, "the body is not JSON");
  if (!body.is_object()) throw Error(ErrorCode::kInvalidInput, "the body must be a JSON object");
  return body;
}

}  // namespace assetpub::web
