#pragma once
// The text helpers of the WordPress import: what WordPress stores in a post's fields made into
// what our blocks hold. Shortcodes ([caption], [gallery], [embed], …) become HTML the body
// sanitiser understands, classic-editor text gets the paragraphs WordPress would have added at
// display time, HTML in titles and excerpts becomes plain text, and Polylang's PHP-serialized
// term descriptions are read. Thread-safe: pure functions.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace assetpub::importers {

// What ExpandShortcodes saw besides text.
struct ShortcodeFindings {
  std::vector<std::string> images;   // src of every <img> inside a [caption], in order
  std::vector<int64_t> gallery_ids;  // attachment ids a [gallery ids="…"] named, in order
};

// The URL of an attachment by its post id, or nullopt when the export has none.
using AttachmentUrl = std::function<std::optional<std::string>(int64_t)>;

// `html` with its shortcodes replaced, so none is ever shown raw:
// - [caption …]<img …> Text[/caption] (and the older caption="Text" attribute): the image, then
//   the caption as a paragraph of its own;
// - [gallery ids="1,2"]: a list of the attachments' URLs (attachment_url), ids without one left
//   out; [gallery] without ids: removed;
// - [embed]URL[/embed], [audio src=…], [video src=…|mp4=…]: the URL as a paragraph;
// - [[name]]: the literal text "[name]" (WordPress's escape);
// - any other [name …]content[/name]: its content; [name attr=…] (attributes, no closing tag)
//   or [name/]: removed; a bare [word] with neither attributes nor a closing tag ("[sic]",
//   "[1]") is text and stays.
// Nested shortcodes are expanded to a depth of 8; deeper ones are removed.
std::string ExpandShortcodes(std::string_view html, const AttachmentUrl& attachment_url,
                             ShortcodeFindings* findings);

// WordPress's classic editor stores paragraphs as blank lines and adds <p> and <br> when it
// shows a post (wpautop). The same here: each run of text between blank lines that does not
// start with a block element becomes <p>…</p>, its single line breaks <br>. Block-editor content
// (it has "<!-- wp:" comments, whose HTML is already complete) is returned as it is.
std::string AutoParagraphs(std::string_view html);

// `html` as one line of plain text (titles, excerpts): tags gone, entities decoded, white space
// collapsed; blocks joined with a space. Throws what BlocksFromHtml throws.
std::string PlainText(std::string_view html);

// The scalar entries of a PHP-serialized array (serialize()'s format, as Polylang keeps in term
// descriptions): a:2:{s:2:"en";i:12;s:2:"ru";i:15;} gives {en: "12", ru: "15"}. Keys and values
// come back as text (integers in decimal, booleans 0/1); nested arrays are skipped. nullopt when
// `text` is not a serialized array (or is cut short, or nests deeper than 8).
std::optional<std::map<std::string, std::string>> ParsePhpArray(std::string_view text);

}  // namespace assetpub::importers
