#pragma once
// Bodies written as HTML or Markdown, turned into our blocks (DESIGN.md §2). Blocks hold plain
// text only and every output path escapes it, so the conversion is the sanitiser: nothing of the
// markup survives but the text of allowed elements and the block structure they imply. No
// element, attribute, URL, comment or script can reach a page through these functions.
// Thread-safe: pure functions over their arguments, no shared state.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "content/asset.h"

namespace assetpub::importers {

// The largest HTML or Markdown text accepted (bytes), and how deep its elements may nest (as
// counted before parsing, see BlocksFromHtml): gumbo's tree building is quadratic in the depth,
// so a deeper document is refused instead of taking minutes.
inline constexpr size_t kMaxBodyBytes = 16u << 20;
inline constexpr int kMaxNesting = 512;

// The body an editor pasted as HTML (a fragment or a whole document), as our blocks: parsed with
// gumbo (the HTML5 algorithm, so unclosed and misnested tags mean what browsers make of them)
// and kept only through an allow-list:
// - p, div, section, td and the other block containers: a paragraph per run of text; a <br>
//   inside a paragraph starts a new one;
// - h1–h6: a heading; blockquote: a quote per paragraph; ul/ol (nested ones flattened): one
//   list, an item per li (or per paragraph inside one);
// - inline elements (a, em, strong, span, font, unknown ones, …): their text only;
// - script, style, iframe, object, embed, template, noscript, svg, math, img, media, form
//   controls, nav, <head>, comments: dropped with everything inside them;
// - attributes: never kept (so no event handler, style or javascript: URL survives).
// Text has its entities decoded, every run of white space (NBSP and other Unicode spaces
// included) made one space, control characters removed, and is trimmed; empty paragraphs are
// dropped. Text is not Unicode-normalised (kept as written, as for scraped pages).
// Paragraphs are then grouped into question/answer turns as on scraped pages (GroupTurns in
// scraped_page.h: "Question:", "Вопрос:", "Sergey Lavrov:" …).
// Throws Error(kInvalidInput), for input it cannot accept, with a message naming the line where
// there is one: invalid UTF-8, a NUL byte (binary data), more than kMaxBodyBytes, elements
// nested deeper than kMaxNesting (counted on the source text: unclosed elements count, as a
// browser would nest them). Returns an empty vector for input without text. Never crashes.
std::vector<content::Block> BlocksFromHtml(std::string_view html);

// Markdown (CommonMark, cmark 0.30 in its default safe mode: raw HTML dropped, javascript: and
// similar links emptied) as our blocks. cmark renders it to HTML, which goes through
// BlocksFromHtml's rules: one sanitiser for both formats. So "**Question:** Why?" is a turn, a
// "> quote" a quote, "# Title" a heading, "- item" a list, a code block a paragraph of its text.
// Throws Error(kInvalidInput) as BlocksFromHtml does (the nesting limit applies to the HTML cmark
// makes, so 600 nested "> " are refused).
std::vector<content::Block> BlocksFromMarkdown(std::string_view markdown);

// A whole HTML page, for importing .html files: what its <head> says, and its body's blocks.
struct HtmlDocument {
  struct Meta {
    std::string name;     // <meta name=…> or property=…, lower-cased; <link rel=alternate
                          // hreflang=…> gives name "hreflang" and the tag as its content
    std::string content;  // the content attribute, white space normalised
    int line = 0;         // where the element starts (1-based)
  };
  std::string language;  // <html lang=…>, as written (empty if none)
  int language_line = 0;
  std::string title;  // <title>'s text, normalised
  std::string h1;     // the body's first <h1> text, normalised; that heading is not in `blocks`
  int h1_line = 0;
  std::vector<Meta> meta;  // in document order
  std::vector<content::Block> blocks;
};

// Parses a whole page with the same rules and limits as BlocksFromHtml; `blocks` are the body's.
HtmlDocument ParseHtmlDocument(std::string_view html);

}  // namespace assetpub::importers
