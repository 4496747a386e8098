#include "http/bearer.h"

#include <string>
#include <string_view>

namespace assetpub::http {

std::optional<auth::Principal> BearerPrincipal(const Context& context, const Request& request) {
  const std::optional<std::string> header = request.Header("Authorization");
  if (!header) return std::nullopt;
  constexpr std::string_view kScheme = "Bearer ";
  if (header->size() <= kScheme.size() ||
      !EqualsIgnoreCase(std::string_view(*header).substr(0, kScheme.size()), kScheme)) {
    return std::nullopt;
  }
  return context.auth->Authenticate(std::string_view(*header).substr(kScheme.size()));
}

}  // namespace assetpub::http
