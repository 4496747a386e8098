#pragma once
// The plain-text form of an item's body in the admin UI's editor, both ways: paragraphs are
// separated by blank lines; "## text" is a heading, "> text" a quote, a paragraph of "- item"
// lines a list; a paragraph whose first line is "[question: Speaker]" or "[answer: Speaker]"
// (optionally "[answer: Speaker | note]") starts a turn, and every plain paragraph after it
// belongs to that turn until the next turn, heading, quote or list. BodyText(ParseBodyText(t))
// gives t back in its normal form, and ParseBodyText(BodyText(blocks)) gives blocks back for
// any body whose texts do not themselves start with these markers. Thread-safe: pure functions.

#include <string>
#include <string_view>
#include <vector>

#include "content/asset.h"

namespace assetpub::web {

// The blocks of `text` (CR LF or LF line ends). Lines inside a paragraph are joined with one
// space. Throws Error(kInvalidInput) naming the paragraph for a turn marker without a speaker
// or with an unknown role.
std::vector<content::Block> ParseBodyText(std::string_view text);

// The text of `blocks` in the form ParseBodyText reads.
std::string BodyText(const std::vector<content::Block>& blocks);

}  // namespace assetpub::web
