// Cookie headers: http::CookieValue over any number of Cookie lines (one per line of the
// bytes), then the same headers on the desk (/admin/), where the session cookie is looked up in
// the accounts store. Never a crash; the desk answers a page, a redirect to the login or a 4xx.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "fuzz_request.h"
#include "fuzz_site.h"
#include "http/cookies.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  assetpub::fuzz::FuzzSite::Get();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assetpub;
  const std::string_view text = fuzz::Text(data, size);
  http::HeaderList headers;
  size_t at = 0;
  while (const std::optional<std::string_view> line = fuzz::NextLine(text, at)) {
    if (!fuzz::IsFieldText(*line)) return 0;  // the server would not have read it
    headers.emplace_back("Cookie", fuzz::Substitute(std::string(*line)));
  }
  const http::Request request = http::Request::Make("GET", "/admin/", headers);
  (void)http::CookieValue(request, http::kSessionCookie);
  (void)http::CookieValue(request, "");
  (void)http::CookieValue(request, "a");
  const http::Response response = fuzz::FuzzSite::Get().app().Handle(request);
  if (response.status >= 500) {
    std::fprintf(stderr, "cookies: /admin/ answered %d: %s\n", response.status,
                 response.body.substr(0, 2000).c_str());
    std::abort();
  }
  return 0;
}
