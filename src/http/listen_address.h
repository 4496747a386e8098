#pragma once
// The HOST:PORT a server listens on, as `--listen` and config.toml's `listen` give it.
// Thread-safe: pure functions.

#include <cstdint>
#include <string>
#include <string_view>

namespace assetpub::http {

struct ListenAddress {
  std::string host;   // "127.0.0.1", "::1", "localhost", "0.0.0.0" (no brackets)
  uint16_t port = 0;  // 0: any free port
};

// Parses "HOST:PORT" or "[IPv6]:PORT". Throws Error(kInvalidInput) naming the text when the host
// is missing or the port is not a number from 0 to 65535.
ListenAddress ParseListenAddress(std::string_view text);

// "127.0.0.1:8080", "[::1]:8080": the form people paste into a browser after "http://".
std::string FormatHostPort(std::string_view host, uint16_t port);

}  // namespace assetpub::http
