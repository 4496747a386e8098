#pragma once
// Question/answer turns of a transcript's body: which paragraph opens a question, which names
// the speaker of an answer, and the grouping of the paragraphs after them. Shared by the
// scraped-page parser and the HTML and Markdown bodies. Thread-safe: pure functions.

#include <string>
#include <vector>

#include "content/asset.h"

namespace assetpub::importers {

// Question/answer turns for a page's body, in any of the site's languages (the body's language
// need not be known). A paragraph block opening with a question label ("Question:", "Вопрос:",
// "Question :", "Pregunta:", "Frage:", "Pergunta:", "سؤال:", "问：", in any case, optionally
// with a note in parentheses, "Question (translated from Norwegian):", kept as the turn's note)
// starts a question turn under the label as that language writes it ("Question", "Pregunta",
// "问"). "Name:" starts an answer turn when Name is 1-4 capitalised words or initials ("Sergey
// Lavrov", "С.В.Лавров", "M.Zakharova"), or in a script without case, initials or a name dot
// ("س.لافروف", "谢·维·拉夫罗夫") or 2-4 Arabic words without the article ("سيرغي لافروف"); a
// lone plain word ("Thus:", "Lavrov:", "拉夫罗夫：") starts one only as the surname of exactly one
// speaker already seen, under that speaker's name. Words that open sentences in each language
// ("First", "Premièrement", "Zum", "أولا") never start a name. The colon may follow white space
// (French "Question\u00A0:") and may be the full-width one ("：", no space after it needed).
// The paragraph blocks after an opening continue its turn; any other block (heading, quote,
// list, turn) ends the current turn and is kept as it is. Turns left without text are dropped.
std::vector<content::Block> GroupTurns(std::vector<content::Block> blocks);

// The speakers of the answer turns of `blocks`, in order of first appearance, without repeats.
std::vector<std::string> AnswerSpeakers(const std::vector<content::Block>& blocks);

}  // namespace assetpub::importers
