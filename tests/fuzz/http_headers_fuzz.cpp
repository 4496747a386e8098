// The request headers the App interprets itself, each on the route that reads it, through the
// whole App (fuzz_request.h's FuzzSite): Range, If-Range and If-None-Match on a media file;
// Accept-Encoding, If-None-Match and If-Modified-Since on a cached page (asked twice: a miss,
// then a hit) and on a static file; If-Match on a write to the editor's draft; and
// http::ChooseEncoding on its own. The first byte picks the route, the lines after it are the
// headers' values in that order. Never a crash, never a 5xx but 503.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_request.h"
#include "fuzz_site.h"
#include "http/compression.h"

namespace {

using namespace assetpub;

void Check(const http::Request& request, int status) {
  if (status < 100 || status > 599 || (status >= 500 && status != 503)) {
    std::string headers;
    for (const auto& [name, value] : request.headers) headers += name + ": " + value + "\n";
    std::fprintf(stderr, "http_headers: %s %s answered %d\n%s", request.method.c_str(),
                 request.target.c_str(), status, headers.c_str());
    std::abort();
  }
}

// Answers `request` as the server would (Admit, then Respond) and checks the status.
void Ask(http::Request request) {
  web::App& app = fuzz::FuzzSite::Get().app();
  request.remote_address = "127.0.0.1";
  if (const std::optional<http::Response> refused = app.Admit(request)) {
    Check(request, refused->status);
    return;
  }
  std::string header_lines;
  Check(request, app.Respond(request, header_lines).response.status);
}

http::Request Make(std::string method, std::string target, const std::vector<std::string>& names,
                   const std::vector<std::string>& values, http::HeaderList headers = {}) {
  http::Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    headers.emplace_back(names[i], values[i]);
  }
  request.headers = std::move(headers);
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::FuzzSite::Get();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text = fuzz::Text(data + 1, size - 1);
  std::vector<std::string> values;
  size_t at = 0;
  while (const std::optional<std::string_view> line = fuzz::NextLine(text, at)) {
    if (!fuzz::IsFieldText(*line)) return 0;  // the server would not have read it
    values.push_back(fuzz::Substitute(std::string(*line)));
  }
  fuzz::FuzzSite& site = fuzz::FuzzSite::Get();
  const std::string method = (data[0] & 0x80) != 0 ? "HEAD" : "GET";
  switch (data[0] % 5) {
    case 0:
      Ask(Make(method, site.media_url(), {"Range", "If-Range", "If-None-Match"}, values));
      break;
    case 1: {
      const http::Request request =
          Make(method, "/en/", {"Accept-Encoding", "If-None-Match", "If-Modified-Since"}, values);
      Ask(request);
      Ask(request);
      break;
    }
    case 2:
      Ask(Make(method, "/static/css/site.css", {"Accept-Encoding", "If-None-Match"}, values));
      break;
    case 3: {
      http::Request request =
          Make("PATCH", "/api/v1/assets/" + std::to_string(site.draft_id()), {"If-Match"}, values,
               {{"Authorization", "Bearer " + site.token()},
                {"Content-Type", "application/merge-patch+json"}});
      request.body = R"({"tags": ["fuzz"]})";
      Ask(std::move(request));
      break;
    }
    default:
      for (const std::string& value : values) {
        (void)http::ChooseEncoding(value);
        (void)http::ChooseEncoding(value, {.gzip = true, .brotli = false});
        (void)http::ChooseEncoding(value, {.gzip = false, .brotli = false});
      }
  }
  return 0;
}
