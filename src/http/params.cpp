#include "http/params.h"

#include <fmt/format.h>

#include <charconv>

#include "core/error.h"

namespace assetpub::http {

std::optional<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < min || value > max) return std::nullopt;
  return value;
}

int64_t QueryInteger(const Request& request, std::string_view name, int64_t fallback, int64_t min,
                     int64_t max) {
  const std::optional<std::string> text = request.Query(name);
  if (!text) return fallback;
  const std::optional<int64_t> value = ParseInteger(*text, min, max);
  if (!value) {
    throw Error(
        ErrorCode::kInvalidInput,
        fmt::format("query parameter '{}' must be a whole number from {} to {}", name, min, max));
  }
  return *value;
}

}  // namespace assetpub::http
