#pragma once
// CSRF tokens bound to a login session: the token is BLAKE2b keyed with the session's secret
// cookie value (a MAC), so only someone who holds the cookie can make or check it, nothing is
// stored, and the token (which a page embeds) reveals nothing about the cookie. A token is valid
// for its session only, and dies with it. Thread-safe: pure functions.

#include <string>
#include <string_view>

namespace assetpub::auth {

// The CSRF token for the session whose cookie value is `session_cookie`: 43 URL-safe base64
// characters. The same cookie always gives the same token.
std::string CsrfToken(std::string_view session_cookie);

// True when `token` is the CSRF token of `session_cookie`; compared in constant time. False for
// an empty cookie or token. It does not check that the session is alive: use
// Authenticator::VerifyCsrf for that.
bool CsrfTokenMatches(std::string_view session_cookie, std::string_view token);

}  // namespace assetpub::auth
