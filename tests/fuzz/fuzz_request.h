#pragma once
// Fuzz support only: a request written as text, for the fuzz targets that go through the whole
// App. The bytes are
//   METHOD TARGET\n
//   Name: value\n        (any number of header lines)
//   \n
//   body
// and $TOKEN, $SESSION, $CSRF, $MEDIA and $DRAFT in the target, header values and body stand for
// FuzzSite's editor token, session cookie, CSRF token, media URL and draft id, so seeds reach
// what needs them. What the server's parser (Beast) would refuse before the App sees it (control
// characters in the request line or a header, a method or header name that is not a token) is
// not a request: ParseFuzzRequest returns nullopt for it.

#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_site.h"
#include "http/message.h"

namespace assetpub::fuzz {

inline void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

inline std::string Substitute(std::string text) {
  if (text.find('$') == std::string::npos) return text;
  FuzzSite& site = FuzzSite::Get();
  ReplaceAll(text, "$TOKEN", site.token());
  ReplaceAll(text, "$SESSION", site.session());
  ReplaceAll(text, "$CSRF", site.csrf());
  ReplaceAll(text, "$MEDIA", site.media_url());
  ReplaceAll(text, "$DRAFT", std::to_string(site.draft_id()));
  return text;
}

// RFC 9110's token characters.
inline bool IsToken(std::string_view text) {
  if (text.empty()) return false;
  for (unsigned char c : text) {
    if (!std::isalnum(c) &&
        std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// No control character but HTAB (what Beast lets through in a field value and the target).
inline bool IsFieldText(std::string_view text) {
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

// A line of `text` from `at` (without its "\n"); `at` moves past it. nullopt at the end.
inline std::optional<std::string_view> NextLine(std::string_view text, size_t& at) {
  if (at >= text.size()) return std::nullopt;
  const size_t end = text.find('\n', at);
  const std::string_view line =
      text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
  at = end == std::string_view::npos ? text.size() : end + 1;
  return line;
}

// The request `text` writes (see above), with remote_address 127.0.0.1, path and query unset
// (the App sets them from the target); nullopt when the server would not have read it.
inline std::optional<http::Request> ParseFuzzRequest(std::string_view text) {
  size_t at = 0;
  const std::optional<std::string_view> first = NextLine(text, at);
  if (!first) return std::nullopt;
  const size_t space = first->find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  http::Request request;
  request.method = std::string(first->substr(0, space));
  request.target = Substitute(std::string(first->substr(space + 1)));
  if (!IsToken(request.method) || request.target.empty() || !IsFieldText(request.target) ||
      request.target.find(' ') != std::string::npos) {
    return std::nullopt;
  }
  while (const std::optional<std::string_view> line = NextLine(text, at)) {
    if (line->empty()) break;
    const size_t colon = line->find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string name(line->substr(0, colon));
    std::string_view value = line->substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (!IsToken(name) || !IsFieldText(value)) return std::nullopt;
    request.headers.emplace_back(std::move(name), Substitute(std::string(value)));
  }
  request.body = Substitute(std::string(text.substr(at)));
  request.remote_address = "127.0.0.1";
  return request;
}

}  // namespace assetpub::fuzz
