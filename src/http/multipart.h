#pragma once
// A strict parser of multipart/form-data bodies (RFC 7578 over RFC 2046's framing), for uploads:
// Beast has none. Strict means: CRLF line ends only, every part has a Content-Disposition of
// form-data with a name, header lines are not folded, the closing delimiter is required, and the
// number of parts and the size of each part's header section are bounded. Anything else is an
// Error(kInvalidInput) whose message says what is wrong. Thread-safe: pure functions.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace assetpub::http {

struct MultipartPart {
  std::string name;                     // the form field's name
  std::optional<std::string> filename;  // as the client sent it (display text only)
  std::string content_type;             // the part's Content-Type; "" when absent
  std::string_view body;                // points into the parsed body: valid while it lives
};

struct MultipartLimits {
  size_t max_parts = 16;
  size_t max_header_bytes = 8 * 1024;  // of one part's header section
};

// The boundary of a `Content-Type: multipart/form-data; boundary=…` value (quoted or not), or
// nullopt when the type is not multipart/form-data. Throws Error(kInvalidInput) when it is but
// the boundary is missing or not 1 to 70 of RFC 2046's characters.
std::optional<std::string> MultipartBoundary(std::string_view content_type);

// The parts of `body`, in order. A preamble before the first delimiter and an epilogue after
// the closing one are ignored.
std::vector<MultipartPart> ParseMultipart(std::string_view body, std::string_view boundary,
                                          const MultipartLimits& limits = {});

// The first part named `name`, or nullptr.
const MultipartPart* FindPart(const std::vector<MultipartPart>& parts, std::string_view name);

}  // namespace assetpub::http
