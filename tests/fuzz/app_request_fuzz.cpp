// A request through the whole App as the server hands it over (http::Service: Admit, then
// Respond), on FuzzSite's store, index, accounts and media: method, target, headers and body
// from the bytes (fuzz_request.h). Never a crash, and never a 5xx but 503: a bad request is the
// client's fault (4xx), so a 500 here is a bug the fuzzer found.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "fuzz_request.h"
#include "fuzz_site.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  assetpub::fuzz::FuzzSite::Get();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assetpub;
  std::optional<http::Request> request = fuzz::ParseFuzzRequest(fuzz::Text(data, size));
  if (!request) return 0;
  web::App& app = fuzz::FuzzSite::Get().app();
  int status = 0;
  std::string body;
  if (std::optional<http::Response> refused = app.Admit(*request)) {
    status = refused->status;
    body = refused->body;
  } else {
    std::string header_lines;
    const http::Answer answer = app.Respond(*request, header_lines);
    status = answer.response.status;
    body = std::string(answer.body());
  }
  http::Outcome outcome;
  outcome.status = status;
  app.Answered(0, *request, outcome);
  if (status < 100 || status > 599 || (status >= 500 && status != 503)) {
    std::fprintf(stderr, "app_request: %s %s answered %d: %s\n", request->method.c_str(),
                 request->target.c_str(), status, body.substr(0, 2000).c_str());
    std::abort();
  }
  return 0;
}
