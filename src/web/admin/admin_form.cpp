#include "web/admin/admin_form.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/text.h"
#include "http/multipart.h"

namespace assetpub::web {
namespace {

// UTF-8 (no overlongs, surrogates or code points past U+10FFFF) without control characters
// other than tab, CR and LF.
bool IsCleanText(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) return false;
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t code = 0;
    if ((c & 0xe0) == 0xc0) {
      length = 2;
      code = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      length = 3;
      code = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      length = 4;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
    i += length;
  }
  return true;
}

}  // namespace

const std::string& Form::Get(std::string_view name) const {
  static const std::string kEmpty;
  for (const auto& [key, value] : fields_) {
    if (key == name) return value;
  }
  return kEmpty;
}

bool Form::Has(std::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (key == name) return true;
  }
  return false;
}

std::vector<std::string> Form::All(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : fields_) {
    if (key == name) values.push_back(value);
  }
  return values;
}

Form ParseForm(const http::Request& request) {
  const std::string type = request.Header("Content-Type").value_or("");
  const std::string_view media = std::string_view(type).substr(0, type.find(';'));
  // An upload form (multipart/form-data): its text fields; its files are the handler's to read
  // (ParseMultipart again). The server bounds such bodies (media_routes.h, UploadBodyLimit).
  if (const std::optional<std::string> boundary = http::MultipartBoundary(type)) {
    std::vector<std::pair<std::string, std::string>> fields;
    for (const http::MultipartPart& part : http::ParseMultipart(request.Body(), *boundary)) {
      if (part.filename) continue;
      if (!IsCleanText(part.name) || !IsCleanText(part.body)) {
        throw Error(ErrorCode::kInvalidInput, "a form field is not valid text");
      }
      fields.emplace_back(part.name, std::string(part.body));
    }
    return Form(std::move(fields));
  }
  if (!http::EqualsIgnoreCase(media, "application/x-www-form-urlencoded")) {
    throw Error(ErrorCode::kInvalidInput,
                "the form must be sent as application/x-www-form-urlencoded");
  }
  if (request.Body().size() > kMaxFormBytes) {
    throw Error(ErrorCode::kTooLarge,
                fmt::format("the form is larger than {} bytes", kMaxFormBytes));
  }
  std::vector<std::pair<std::string, std::string>> fields;
  std::string_view rest = request.Body();
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    std::optional<std::string> name = PercentDecode(pair.substr(0, equals), true);
    std::optional<std::string> value =
        PercentDecode(equals == std::string_view::npos ? "" : pair.substr(equals + 1), true);
    if (!name || !value) throw Error(ErrorCode::kInvalidInput, "the form has a malformed %-escape");
    if (!IsCleanText(*name) || !IsCleanText(*value)) {
      throw Error(ErrorCode::kInvalidInput, fmt::format("the form field '{}' is not valid text",
                                                        IsCleanText(*name) ? *name : "?"));
    }
    fields.emplace_back(std::move(*name), std::move(*value));
  }
  return Form(std::move(fields));
}

}  // namespace assetpub::web
