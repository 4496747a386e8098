#include "store/sqlite/options.h"

#include <fmt/format.h>

#include <charconv>
#include <string>

#include "core/error.h"

namespace assetpub::store::sqlite {
namespace {

constexpr std::string_view kScheme = "sqlite:";
// A day: longer is surely a typo, and sqlite3_busy_timeout takes an int.
constexpr int64_t kMaxBusyTimeoutMs = 86'400'000;

[[noreturn]] void Invalid(std::string_view url, std::string_view why) {
  throw Error(ErrorCode::kInvalidInput, fmt::format("store URL '{}': {}", url, why));
}

void SetOption(std::string_view url, std::string_view option, Options& options) {
  const size_t equals = option.find('=');
  const std::string_view name = option.substr(0, equals);
  if (name != "busy_timeout_ms") {
    Invalid(url, fmt::format("unknown option '{}' (sqlite:PATH?busy_timeout_ms=N)", name));
  }
  const std::string_view value =
      equals == std::string_view::npos ? std::string_view() : option.substr(equals + 1);
  int64_t ms = -1;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), ms);
  if (value.empty() || error != std::errc() || end != value.data() + value.size() || ms < 0 ||
      ms > kMaxBusyTimeoutMs) {
    Invalid(url, fmt::format("busy_timeout_ms must be a whole number of milliseconds, 0 to {}",
                             kMaxBusyTimeoutMs));
  }
  options.busy_timeout = std::chrono::milliseconds(ms);
}

}  // namespace

std::optional<Url> ParseUrl(std::string_view url) {
  if (!url.starts_with(kScheme)) return std::nullopt;
  const std::string_view rest = url.substr(kScheme.size());
  const size_t question = rest.find('?');
  Url out;
  out.path = std::string(rest.substr(0, question));
  if (out.path.empty()) Invalid(url, "no database path (sqlite:PATH)");
  if (question == std::string_view::npos) return out;
  std::string_view query = rest.substr(question + 1);
  while (true) {
    const size_t amp = query.find('&');
    SetOption(url, query.substr(0, amp), out.options);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace assetpub::store::sqlite
