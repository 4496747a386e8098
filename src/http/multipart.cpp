#include "http/multipart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/error.h"
#include "core/text.h"
#include "http/message.h"

namespace assetpub::http {
namespace {

[[noreturn]] void Bad(const std::string& what) {
  throw Error(ErrorCode::kInvalidInput, "multipart/form-data: " + what);
}

bool IsTokenChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7f &&
         std::string_view("()<>@,;:\\\"/[]?={}").find(c) == std::string_view::npos;
}

// Parameters of a header value after its first ';' ("form-data; name=\"file\"; filename=…"):
// the value before them, then (lower-cased name, value) pairs. A quoted value keeps its bytes;
// `\"` and `\\` are unescaped (curl), any other backslash stays (browsers do not escape, and a
// Windows path has them).
struct HeaderValue {
  std::string value;
  std::vector<std::pair<std::string, std::string>> params;
};

HeaderValue ParseHeaderValue(std::string_view text, std::string_view header) {
  HeaderValue out;
  const size_t semi = text.find(';');
  out.value = AsciiLower(Trim(text.substr(0, semi), kBlanks));
  size_t i = semi == std::string_view::npos ? text.size() : semi + 1;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i == text.size()) break;
    const size_t name_start = i;
    while (i < text.size() && IsTokenChar(text[i]) && text[i] != '=') ++i;
    const std::string name = AsciiLower(text.substr(name_start, i - name_start));
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (name.empty() || i == text.size() || text[i] != '=') {
      Bad(fmt::format("{}: a parameter must be name=value", header));
    }
    ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::string value;
    if (i < text.size() && text[i] == '"') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        const char c = text[i];
        if (c == '"') {
          closed = true;
          ++i;
          break;
        }
        if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\')) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        value += c;
        ++i;
      }
      if (!closed) Bad(fmt::format("{}: an unterminated quoted {}", header, name));
    } else {
      const size_t start = i;
      while (i < text.size() && IsTokenChar(text[i])) ++i;
      value = std::string(text.substr(start, i - start));
      if (value.empty()) Bad(fmt::format("{}: {} has no value", header, name));
    }
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i < text.size() && text[i] != ';') {
      Bad(fmt::format("{}: unexpected text after {}", header, name));
    }
    if (i < text.size()) ++i;
    if (std::any_of(out.params.begin(), out.params.end(),
                    [&](const auto& p) { return p.first == name; })) {
      Bad(fmt::format("{}: {} is given twice", header, name));
    }
    out.params.emplace_back(name, std::move(value));
  }
  return out;
}

const std::string* Param(const HeaderValue& value, std::string_view name) {
  for (const auto& [n, v] : value.params) {
    if (n == name) return &v;
  }
  return nullptr;
}

// One part's header section (without its final empty line) into `part`.
void ParseHeaders(std::string_view headers, MultipartPart& part, size_t index) {
  if (headers.starts_with(' ') || headers.starts_with('\t') ||
      headers.find("\r\n ") != std::string_view::npos ||
      headers.find("\r\n\t") != std::string_view::npos) {
    Bad(fmt::format("part {}: folded header lines are not accepted", index + 1));
  }
  bool disposition = false;
  size_t at = 0;
  while (at < headers.size()) {
    size_t end = headers.find("\r\n", at);
    if (end == std::string_view::npos) end = headers.size();
    const std::string_view line = headers.substr(at, end - at);
    at = end + 2;
    if (line.empty()) continue;
    if (line.find('\n') != std::string_view::npos || line.find('\r') != std::string_view::npos) {
      Bad(fmt::format("part {}: header lines must end with CRLF", index + 1));
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      Bad(fmt::format("part {}: '{}' is not a header line", index + 1,
                      std::string(line.substr(0, 60))));
    }
    const std::string_view name = line.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(), IsTokenChar)) {
      Bad(fmt::format("part {}: a header name has an invalid character", index + 1));
    }
    const std::string_view value = Trim(line.substr(colon + 1), kBlanks);
    if (EqualsIgnoreCase(name, "Content-Disposition")) {
      if (disposition) Bad(fmt::format("part {}: two Content-Disposition headers", index + 1));
      disposition = true;
      const HeaderValue parsed = ParseHeaderValue(value, "Content-Disposition");
      if (parsed.value != "form-data") {
        Bad(fmt::format("part {}: Content-Disposition must be form-data, not '{}'", index + 1,
                        parsed.value));
      }
      const std::string* field = Param(parsed, "name");
      if (field == nullptr || field->empty()) {
        Bad(fmt::format("part {}: Content-Disposition has no name", index + 1));
      }
      part.name = *field;
      if (const std::string* filename = Param(parsed, "filename")) part.filename = *filename;
    } else if (EqualsIgnoreCase(name, "Content-Type")) {
      part.content_type = std::string(value);
    }
    // Other headers (Content-Transfer-Encoding is deprecated by RFC 7578) are ignored.
  }
  if (!disposition) Bad(fmt::format("part {}: no Content-Disposition header", index + 1));
}

}  // namespace

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  HeaderValue parsed;
  try {
    parsed = ParseHeaderValue(content_type, "Content-Type");
  } catch (const Error&) {
    if (AsciiLower(Trim(content_type.substr(0, content_type.find(';')), kBlanks)) !=
        "multipart/form-data") {
      return std::nullopt;
    }
    throw;
  }
  if (parsed.value != "multipart/form-data") return std::nullopt;
  const std::string* boundary = Param(parsed, "boundary");
  if (boundary == nullptr) Bad("the Content-Type has no boundary");
  static constexpr std::string_view kBoundaryChars =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ";
  if (boundary->empty() || boundary->size() > 70 || boundary->back() == ' ' ||
      boundary->find_first_not_of(kBoundaryChars) != std::string::npos) {
    Bad("the boundary must be 1 to 70 letters, digits or '()+_,-./:=? (RFC 2046)");
  }
  return *boundary;
}

std::vector<MultipartPart> ParseMultipart(std::string_view body, std::string_view boundary,
                                          const MultipartLimits& limits) {
  const std::string delimiter = "--" + std::string(boundary);
  const std::string next_delimiter = "\r\n" + delimiter;
  // The first delimiter: at the very start, or after a preamble and its CRLF.
  size_t at = 0;
  if (!body.starts_with(delimiter)) {
    const size_t found = body.find(next_delimiter);
    if (found == std::string_view::npos) Bad("the body has no boundary delimiter");
    at = found + 2;
  }
  std::vector<MultipartPart> parts;
  while (true) {
    at += delimiter.size();
    if (body.substr(at, 2) == "--") return parts;  // the closing delimiter; the rest is epilogue
    while (at < body.size() && (body[at] == ' ' || body[at] == '\t')) ++at;  // transport padding
    if (body.substr(at, 2) != "\r\n") Bad("a boundary delimiter must be followed by CRLF");
    at += 2;
    if (parts.size() == limits.max_parts) {
      Bad(fmt::format("more than {} parts", limits.max_parts));
    }
    const size_t headers_end = body.find("\r\n\r\n", at);
    MultipartPart part;
    std::string_view headers;
    size_t content = 0;
    if (body.substr(at, 2) == "\r\n") {
      content = at + 2;  // no header lines at all
    } else {
      if (headers_end == std::string_view::npos) {
        Bad(fmt::format("part {}: the headers do not end with an empty line", parts.size() + 1));
      }
      headers = body.substr(at, headers_end - at);
      content = headers_end + 4;
    }
    if (headers.size() > limits.max_header_bytes) {
      Bad(fmt::format("part {}: its headers exceed {} bytes", parts.size() + 1,
                      limits.max_header_bytes));
    }
    ParseHeaders(headers, part, parts.size());
    const size_t end = body.find(next_delimiter, content);
    if (end == std::string_view::npos) {
      Bad(fmt::format("part {} ('{}') is not closed: the body ends before the next boundary",
                      parts.size() + 1, part.name));
    }
    part.body = body.substr(content, end - content);
    parts.push_back(std::move(part));
    at = end + 2;
  }
}

const MultipartPart* FindPart(const std::vector<MultipartPart>& parts, std::string_view name) {
  for (const MultipartPart& part : parts) {
    if (part.name == name) return &part;
  }
  return nullptr;
}

}  // namespace assetpub::http
