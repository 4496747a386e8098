#pragma once
// Cookies as the admin UI uses them: reading one value out of a request's Cookie header(s) and
// writing a Set-Cookie header value (RFC 6265). Thread-safe: pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace assetpub::http {

// The name of the editors' session cookie (set by /admin/login with Path=/admin, so browsers do
// not send it elsewhere; the page cache still refuses a request that carries it).
inline constexpr const char* kSessionCookie = "ap_session";

// The value of the cookie `name` (exact, case-sensitive) in the request's Cookie headers, the
// first one when it is sent more than once; nullopt when absent. Surrounding double quotes are
// removed; the value is otherwise returned as sent (not decoded).
std::optional<std::string> CookieValue(const Request& request, std::string_view name);

struct CookieOptions {
  std::string path = "/";
  bool secure = false;
  bool http_only = true;
  std::string_view same_site = "Strict";  // "Strict", "Lax" or "None"
  // Seconds the cookie lives; nullopt: a session cookie (until the browser closes); 0 deletes it.
  std::optional<int64_t> max_age;
};

// The value of a Set-Cookie header that sets `name` to `value`. Both must be cookie tokens
// (name: RFC 7230 token characters; value: printable ASCII without space, '"', ',', ';' and
// '\\'): anything else is a programming error (asserted) since we only send our own values.
std::string SetCookieHeader(std::string_view name, std::string_view value,
                            const CookieOptions& options);

}  // namespace assetpub::http
