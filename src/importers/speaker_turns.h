#pragma once
// Question/answer turns of a transcript's body: which paragraph opens a question, which names
// the speaker of an answer, and the grouping of the paragraphs after them. Shared by the
// scraped-page parser and the HTML and Markdown bodies. Thread-safe: pure functions.

#include <string>
#include <vector>

#include "content/asset.h"

namespace assetpub::importers {

// Question/answer turns for a page's body: each paragraph block opening with "Question:" /
// "Вопрос:" (optionally "Question (translated from Norwegian):", the parenthesis kept as the
// turn's note) starts a question turn; "Name:" where Name is 1-4 capitalised words or initials
// ("Sergey Lavrov", "С.В.Лавров", "M.Zakharova") starts an answer turn; a lone plain word
// ("Thus:", "Lavrov:") starts one only as the surname of exactly one speaker already seen, under
// that speaker's name. The paragraph blocks after an opening continue its turn; any other block
// (heading, quote, list, turn) ends the current turn and is kept as it is. Turns left without
// text are dropped.
std::vector<content::Block> GroupTurns(std::vector<content::Block> blocks);

// The speakers of the answer turns of `blocks`, in order of first appearance, without repeats.
std::vector<std::string> AnswerSpeakers(const std::vector<content::Block>& blocks);

}  // namespace assetpub::importers
