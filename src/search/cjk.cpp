#include "search/cjk.h"

#include <xapian.h>

#include <algorithm>

namespace assetpub::search::internal {
namespace {

constexpr std::string_view kOpen = "<mark>";
constexpr std::string_view kClose = "</mark>";
constexpr std::string_view kEllipsis = "…";

bool IsCjkWordChar(unsigned c) { return IsCjk(c) && Xapian::Unicode::is_wordchar(c); }

// Word characters of Xapian's HTML: not those of tags ("<mark>") nor of entities ("&amp;").
size_t HtmlWordChars(std::string_view html) {
  size_t count = 0;
  Xapian::Utf8Iterator it(html.data(), html.size()), end;
  while (it != end) {
    if (*it == '&' || *it == '<') {
      const unsigned close = *it == '&' ? ';' : '>';
      while (it != end && *it != close) ++it;
      if (it != end) ++it;
      continue;
    }
    count += Xapian::Unicode::is_wordchar(*it) ? 1 : 0;
    ++it;
  }
  return count;
}

}  // namespace

bool IsCjk(unsigned c) {
  return (c >= 0x2E80 && c <= 0x2EFF) || (c >= 0x3000 && c <= 0x9FFF) ||
         (c >= 0xA700 && c <= 0xA71F) || (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x2A6DF) ||
         (c >= 0x2F800 && c <= 0x2FA1F);
}

bool HasCjk(std::string_view text) {
  for (Xapian::Utf8Iterator it(text.data(), text.size()), end; it != end; ++it) {
    if (IsCjk(*it)) return true;
  }
  return false;
}

void AppendCjkWords(std::string_view text, std::vector<std::string>& words) {
  std::string word;
  const auto flush = [&] {
    if (!word.empty() && std::find(words.begin(), words.end(), word) == words.end()) {
      words.push_back(word);
    }
    word.clear();
  };
  for (Xapian::Utf8Iterator it(text.data(), text.size()), end; it != end; ++it) {
    if (IsCjkWordChar(*it)) {
      Xapian::Unicode::append_utf8(word, *it);
    } else {
      flush();
    }
  }
  flush();
}

std::string FixCjkSnippet(const std::string& snippet, std::string_view text,
                          const std::vector<std::string>& words) {
  // 1. Xapian's marks around CJK characters go (those around other words stay).
  std::string plain;
  plain.reserve(snippet.size());
  for (size_t i = 0; i < snippet.size();) {
    if (snippet.compare(i, kOpen.size(), kOpen) == 0) {
      const size_t close = snippet.find(kClose, i + kOpen.size());
      if (close != std::string::npos) {
        const std::string_view inner(snippet.data() + i + kOpen.size(), close - i - kOpen.size());
        if (HasCjk(inner)) {
          plain.append(inner);
          i = close + kClose.size();
          continue;
        }
      }
    }
    plain.push_back(snippet[i++]);
  }
  // 2. A whole text ends with its own punctuation, not "…".
  if (plain.size() >= kEllipsis.size() &&
      plain.compare(plain.size() - kEllipsis.size(), kEllipsis.size(), kEllipsis) == 0) {
    size_t tail = 0;  // the byte just after the text's last word character
    size_t word_chars = 0;
    for (Xapian::Utf8Iterator it(text.data(), text.size()), end; it != end;) {
      const bool word = Xapian::Unicode::is_wordchar(*it);
      ++it;
      if (word) {
        ++word_chars;
        tail = text.size() - it.left();
      }
    }
    const std::string_view rest = text.substr(tail);
    const std::string_view shown(plain.data(), plain.size() - kEllipsis.size());
    if (!rest.empty() && HtmlWordChars(shown) == word_chars) {
      std::string escaped;  // as Xapian escapes (quotes are the caller's)
      for (const char c : rest) {
        if (c == '&') {
          escaped += "&amp;";
        } else if (c == '<') {
          escaped += "&lt;";
        } else if (c == '>') {
          escaped += "&gt;";
        } else {
          escaped += c;
        }
      }
      // Xapian kept the punctuation up to some point ("气候\"…" for 气候"。): the rest of it.
      size_t kept = std::min(escaped.size(), shown.size());
      while (kept > 0 && shown.substr(shown.size() - kept) != escaped.substr(0, kept)) --kept;
      plain.resize(plain.size() - kEllipsis.size());
      plain.append(escaped, kept);
    }
  }
  // 3. Each occurrence of a query word, longest first, marked whole.
  std::vector<std::string> sorted = words;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::vector<std::pair<size_t, size_t>> marks;  // [begin, end) in `plain`
  for (const std::string& word : sorted) {
    for (size_t at = plain.find(word); at != std::string::npos;
         at = plain.find(word, at + word.size())) {
      const size_t stop = at + word.size();
      const bool overlaps = std::any_of(marks.begin(), marks.end(), [&](const auto& mark) {
        return at < mark.second && mark.first < stop;
      });
      if (!overlaps) marks.emplace_back(at, stop);
    }
  }
  if (marks.empty()) return plain;
  std::sort(marks.begin(), marks.end());
  std::string out;
  out.reserve(plain.size() + marks.size() * (kOpen.size() + kClose.size()));
  size_t done = 0;
  for (const auto& [begin, stop] : marks) {
    out.append(plain, done, begin - done);
    out.append(kOpen);
    out.append(plain, begin, stop - begin);
    out.append(kClose);
    done = stop;
  }
  out.append(plain, done);
  return out;
}

}  // namespace assetpub::search::internal
