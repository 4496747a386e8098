#pragma once
// Chinese, Japanese and Korean in the index: which characters Xapian's CJK n-gram tokenizer
// takes (FLAG_CJK_NGRAM indexes each run of them as its characters and their pairs), the CJK
// words of a query, and a snippet that marks those words whole. Internal to search/.
// Thread-safety: free functions over values.

#include <string>
#include <string_view>
#include <vector>

namespace assetpub::search::internal {

// True for the code points Xapian 1.4's CJK n-gram tokenizer treats as CJK
// (cjk-tokenizer.cc, CJK::codepoint_is_cjk).
bool IsCjk(unsigned code_point);
bool HasCjk(std::string_view text);

// Appends to `words` each run of CJK word characters in `text` ("日内瓦 会议 -走廊" gives 日内瓦,
// 会议, 走廊), once each.
void AppendCjkWords(std::string_view text, std::vector<std::string>& words);

// Xapian's snippet of a CJK text, made readable. With SNIPPET_CJK_NGRAM Xapian marks every
// character of the text that is a query unigram on its own ("<mark>日</mark><mark>内</mark>
// <mark>瓦</mark>", and each 内 elsewhere too) and ends a whole text that closes with CJK
// punctuation with "…" instead of the punctuation. So: the marks around CJK characters are
// removed and each occurrence of a query word (`words`, longest first) is marked whole; when
// the snippet holds every word character of `text`, its closing "…" becomes `text`'s own closing
// punctuation. `snippet` is Xapian's HTML (marks "<mark>" "</mark>", ellipsis "…").
std::string FixCjkSnippet(const std::string& snippet, std::string_view text,
                          const std::vector<std::string>& words);

}  // namespace assetpub::search::internal
