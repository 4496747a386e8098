#include "core/text.h"

namespace assetpub {
namespace {

// Not std::tolower/std::toupper: those follow the C locale, which a library (or a future
// setlocale call) may change; these never do.
char LowerChar(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char UpperChar(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The one decoder behind PercentDecode* (appends to `out`). A malformed escape: false, or with
// `keep_malformed` its '%' kept as an ordinary character.
bool DecodeEscapes(std::string_view text, bool plus_is_space, bool keep_malformed,
                   std::string& out) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const int high = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
      } else if (keep_malformed) {
        out.push_back(c);
      } else {
        return false;
      }
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

}  // namespace

std::string_view Trim(std::string_view text, std::string_view chars) {
  const size_t begin = text.find_first_not_of(chars);
  if (begin == std::string_view::npos) return text.substr(text.size());
  return text.substr(begin, text.find_last_not_of(chars) - begin + 1);
}

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  AsciiLowerInPlace(lower);
  return lower;
}

void AsciiLowerInPlace(std::string& text) {
  for (char& c : text) c = LowerChar(c);
}

std::string AsciiUpper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = UpperChar(c);
  return upper;
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  if (!DecodeEscapes(text, plus_is_space, /*keep_malformed=*/false, out)) return std::nullopt;
  return out;
}

bool PercentDecodeInto(std::string_view text, bool plus_is_space, std::string& out) {
  out.clear();
  return DecodeEscapes(text, plus_is_space, /*keep_malformed=*/false, out);
}

std::string PercentDecodeLenient(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  DecodeEscapes(text, /*plus_is_space=*/false, /*keep_malformed=*/true, out);
  return out;
}

}  // namespace assetpub
