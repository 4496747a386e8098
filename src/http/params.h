#pragma once
// Reading numbers out of URLs strictly: "12" is 12; "012", "+1", "1.0", " 1", "1e3" and numbers
// outside the range are refused, with a message naming the parameter. Thread-safe.

#include <cstdint>
#include <optional>
#include <string_view>

#include "http/message.h"

namespace assetpub::http {

// The decimal integer `text` if it is one in [min, max], written without sign or leading zero;
// nullopt otherwise.
std::optional<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max);

// The query parameter `name` as an integer in [min, max], or `fallback` when it is absent.
// Throws Error(kInvalidInput) naming the parameter when it is present but not such an integer.
int64_t QueryInteger(const Request& request, std::string_view name, int64_t fallback, int64_t min,
                     int64_t max);

}  // namespace assetpub::http
