// multipart/form-data (http/multipart.h): the first line of the bytes is a Content-Type value,
// the rest the body. Never a crash, only parts or an Error; every part's body lies inside the
// body parsed.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "http/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assetpub;
  const std::string_view text = fuzz::Text(data, size);
  const size_t end = text.find('\n');
  const std::string_view content_type = text.substr(0, end);
  // A copy of its own, so that ASan sees a read past the body's end.
  const std::string body(end == std::string_view::npos ? std::string_view() : text.substr(end + 1));
  fuzz::Swallow([&] {
    const std::optional<std::string> boundary = http::MultipartBoundary(content_type);
    if (!boundary) return;
    const std::vector<http::MultipartPart> parts = http::ParseMultipart(body, *boundary);
    for (const http::MultipartPart& part : parts) {
      if (part.body.data() < body.data() ||
          part.body.data() + part.body.size() > body.data() + body.size()) {
        std::fprintf(stderr, "multipart: part '%s' lies outside the body\n", part.name.c_str());
        std::abort();
      }
    }
    (void)http::FindPart(parts, "file");
  });
  return 0;
}
