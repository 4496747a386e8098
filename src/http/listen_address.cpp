#include "http/listen_address.h"

#include <fmt/format.h>

#include "core/error.h"
#include "http/params.h"

namespace assetpub::http {

ListenAddress ParseListenAddress(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return Error(ErrorCode::kInvalidInput,
                 fmt::format("listen address '{}': {} (expected HOST:PORT)", text, why));
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) throw bad("no port");
  std::string_view host = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    throw bad("an IPv6 host must be in brackets");
  }
  if (host.empty()) throw bad("no host");
  const std::optional<int64_t> number = ParseInteger(port, 0, 65535);
  if (!number) throw bad("the port must be a number from 0 to 65535");
  return ListenAddress{std::string(host), static_cast<uint16_t>(*number)};
}

std::string FormatHostPort(std::string_view host, uint16_t port) {
  if (host.find(':') != std::string_view::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

}  // namespace assetpub::http
