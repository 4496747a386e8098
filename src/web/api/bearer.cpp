#include "web/api/bearer.h"

#include <string>
#include <string_view>

#include "core/error.h"

namespace assetpub::web {

std::optional<auth::Principal> BearerPrincipal(const Context& context, const Request& request) {
  const std::optional<std::string> header = request.Header("Authorization");
  if (!header) return std::nullopt;
  constexpr std::string_view kScheme = "Bearer ";
  if (header->size() <= kScheme.size() ||
      !http::EqualsIgnoreCase(std::string_view(*header).substr(0, kScheme.size()), kScheme)) {
    return std::nullopt;
  }
  return context.auth->Authenticate(std::string_view(*header).substr(kScheme.size()));
}

auth::Principal RequireBearer(const Context& context, const Request& request) {
  if (context.auth == nullptr) {
    throw Error(ErrorCode::kUnavailable, "writes are not available: no accounts are open");
  }
  std::optional<auth::Principal> principal = BearerPrincipal(context, request);
  if (!principal) {
    throw Error(ErrorCode::kUnauthorised,
                "this needs an API token: send 'Authorization: Bearer TOKEN' with a token that is "
                "valid and not revoked");
  }
  return std::move(*principal);
}

}  // namespace assetpub::web
