#include "auth/csrf.h"

#include "auth/crypto.h"

namespace assetpub::auth {
namespace {

constexpr std::string_view kLabel = "assetpub csrf v1";

}  // namespace

std::string CsrfToken(std::string_view session_cookie) {
  // The MAC key is derived from the cookie with a label, so it is 32 bytes whatever the
  // cookie's length, and differs from the cookie's stored hash (HashSecret): someone who reads
  // the sessions table cannot make tokens.
  const std::string key = Digest(std::string(kLabel) + " key:" + std::string(session_cookie));
  return Base64Url(KeyedHash(key, kLabel));
}

bool CsrfTokenMatches(std::string_view session_cookie, std::string_view token) {
  if (session_cookie.empty() || token.empty()) return false;
  return ConstantTimeEquals(CsrfToken(session_cookie), token);
}

}  // namespace assetpub::auth
