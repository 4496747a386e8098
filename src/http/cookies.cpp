#include "http/cookies.h"

#include <fmt/format.h>

#include <cassert>

#include "core/text.h"

namespace assetpub::http {
namespace {

[[maybe_unused]] bool IsValueChar(char c) {
  return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
}

[[maybe_unused]] bool IsNameChar(char c) {
  constexpr std::string_view kSeparators = "()<>@,;:\\\"/[]?={} \t";
  return c > 0x20 && c < 0x7f && kSeparators.find(c) == std::string_view::npos;
}

}  // namespace

std::optional<std::string> CookieValue(const Request& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (!EqualsIgnoreCase(header, "Cookie")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const size_t semicolon = rest.find(';');
      const std::string_view pair = Trim(rest.substr(0, semicolon), kBlanks);
      rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
      const size_t equals = pair.find('=');
      if (equals == std::string_view::npos || Trim(pair.substr(0, equals), kBlanks) != name)
        continue;
      std::string_view found = Trim(pair.substr(equals + 1), kBlanks);
      if (found.size() >= 2 && found.front() == '"' && found.back() == '"') {
        found = found.substr(1, found.size() - 2);
      }
      return std::string(found);
    }
  }
  return std::nullopt;
}

std::string SetCookieHeader(std::string_view name, std::string_view value,
                            const CookieOptions& options) {
  assert(!name.empty());
  for ([[maybe_unused]] char c : name) assert(IsNameChar(c));
  for ([[maybe_unused]] char c : value) assert(IsValueChar(c));
  std::string header = fmt::format("{}={}; Path={}", name, value, options.path);
  if (options.max_age) header += fmt::format("; Max-Age={}", *options.max_age);
  if (options.secure) header += "; Secure";
  if (options.http_only) header += "; HttpOnly";
  if (!options.same_site.empty()) header += fmt::format("; SameSite={}", options.same_site);
  return header;
}

}  // namespace assetpub::http
