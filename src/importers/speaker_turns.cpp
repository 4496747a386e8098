#include "importers/speaker_turns.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "core/text.h"
#include "importers/unicode_text.h"

namespace assetpub::importers {
namespace {

using content::Block;

struct Prefix {
  std::string label;  // "Sergey Lavrov", "Question"
  std::string note;   // "translated from Norwegian"
  std::string rest;   // the paragraph's text after the colon
};

constexpr size_t kMaxLabelCodePoints = 100;

// Splits "Label (note): rest" at the first colon followed by a space or the end.
std::optional<Prefix> SplitPrefix(std::string_view paragraph) {
  const size_t colon = paragraph.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  if (colon + 1 < paragraph.size() && paragraph[colon + 1] != ' ' && paragraph[colon + 1] != '\t') {
    return std::nullopt;
  }
  std::string_view label = paragraph.substr(0, colon);
  if (CodePointCount(label) > kMaxLabelCodePoints) return std::nullopt;
  Prefix prefix;
  prefix.rest = Trim(paragraph.substr(colon + 1), kBlanks);
  if (label.ends_with(')')) {
    const size_t open = label.find('(');
    if (open == std::string_view::npos || open == 0) return std::nullopt;
    prefix.note = Trim(label.substr(open + 1, label.size() - open - 2), kBlanks);
    label = label.substr(0, open);
  }
  prefix.label = Trim(label, kBlanks);
  if (prefix.label.empty()) return std::nullopt;
  return prefix;
}

// First words that begin sentences or headings, never names ("First: …", "Dear Colleagues: …").
const std::set<std::string, std::less<>>& NotNameStarts() {
  static const std::set<std::string, std::less<>> words = {
      "dear",      "ladies",     "gentlemen",   "colleagues",   "friends",   "first",
      "second",    "third",      "fourth",      "fifth",        "firstly",   "secondly",
      "thirdly",   "finally",    "lastly",      "thus",         "note",      "however",
      "therefore", "moreover",   "furthermore", "also",         "so",        "and",
      "but",       "then",       "now",         "today",        "here",      "there",
      "the",       "this",       "that",        "these",        "those",     "our",
      "we",        "i",          "it",          "in",           "on",        "at",
      "as",        "for",        "to",          "of",           "with",      "by",
      "question",  "answer",     "joint",       "statement",    "subject",   "topic",
      "summary",   "background", "conclusion",  "update",       "source",    "reference",
      "quote",     "press",      "agenda",      "participants", "уважаемые", "дамы",
      "господа",   "коллеги",    "друзья",      "во-первых",    "во-вторых", "в-третьих",
      "итак",      "таким",      "однако",      "также",        "поэтому",   "например",
      "вопрос",    "ответ",      "примечание",  "справка",      "справочно", "тема",
      "итоги",     "совместное", "заявление",   "цитата",       "источник",  "повестка",
      "участники", "сегодня"};
  return words;
}

// Lower-case name particles allowed inside a name ("Ursula von der Leyen").
bool IsParticle(std::string_view word) {
  static const std::set<std::string, std::less<>> particles = {
      "von", "van", "der", "den", "de", "da", "del", "della", "di",  "du",
      "la",  "le",  "bin", "ibn", "al", "el", "ter", "dos",   "das", "y"};
  return particles.contains(word);
}

enum class NameToken { kNone, kWord, kInitials, kParticle };

// "Lavrov", "Al-Jubeir", "O'Neill" -> kWord; "С.В.Лавров", "M.Zakharova", "S.V." -> kInitials.
NameToken ClassifyNameToken(std::string_view token) {
  if (IsParticle(token)) return NameToken::kParticle;
  // "al-Jubeir", "el-Sisi": a particle joined to the name.
  if (const size_t dash = token.find('-');
      dash != std::string_view::npos && IsParticle(token.substr(0, dash))) {
    return ClassifyNameToken(token.substr(dash + 1)) == NameToken::kWord ? NameToken::kWord
                                                                         : NameToken::kNone;
  }
  size_t pos = 0;
  bool initials = false;
  // Leading initials: an upper-case letter followed by a dot, repeated.
  while (pos < token.size()) {
    size_t next = pos;
    const UChar32 c = NextCodePoint(token, next);
    if (!u_isupper(c) || next >= token.size() || token[next] != '.') break;
    initials = true;
    pos = next + 1;
  }
  if (pos == token.size()) return initials ? NameToken::kInitials : NameToken::kNone;
  // Then a capitalised word with at least one lower-case letter (so not "NATO", "OIC"), whose
  // parts may be joined by '-' or an apostrophe.
  bool expect_upper = true;
  bool has_lower = false;
  while (pos < token.size()) {
    const UChar32 c = NextCodePoint(token, pos);
    if (expect_upper) {
      if (!u_isupper(c)) return NameToken::kNone;
      expect_upper = false;
    } else if (c == '-' || c == '\'' || c == 0x2019) {
      if (pos >= token.size()) return NameToken::kNone;
      size_t peek = pos;
      expect_upper = u_isupper(NextCodePoint(token, peek));  // "Al-Jubeir", but "Rostov-on-Don"
    } else if (u_islower(c)) {
      has_lower = true;
    } else if (!u_isupper(c)) {
      return NameToken::kNone;
    }
  }
  if (!has_lower) return NameToken::kNone;
  return initials ? NameToken::kInitials : NameToken::kWord;
}

// The surname of a name: its last word without leading initials ("С.В.Лавров" -> "Лавров").
std::string_view Surname(std::string_view name) {
  const auto tokens = SplitSpaces(name);
  if (tokens.empty()) return {};
  std::string_view last = tokens.back();
  if (const size_t dot = last.rfind('.'); dot != std::string_view::npos)
    last.remove_prefix(dot + 1);
  return last;
}

// The speaker a label names, or nullopt when it does not look like a person: 1 to 4 capitalised
// words or initials, no sentence inside. A lone plain word is far more often a sentence's
// lead-in ("Thus:") than a speaker, so it counts only as the surname of exactly one speaker
// already seen on the page, and is recorded under that speaker's name.
std::optional<std::string> SpeakerName(const std::string& label,
                                       const std::vector<std::string>& seen) {
  if (std::find(seen.begin(), seen.end(), label) != seen.end()) return label;
  const auto tokens = SplitSpaces(label);
  if (tokens.empty() || tokens.size() > 4) return std::nullopt;
  if (NotNameStarts().contains(Fold(tokens[0]))) return std::nullopt;
  bool any_initials = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const NameToken kind = ClassifyNameToken(tokens[i]);
    if (kind == NameToken::kNone) return std::nullopt;
    if (kind == NameToken::kParticle && (i == 0 || i + 1 == tokens.size())) return std::nullopt;
    any_initials = any_initials || kind == NameToken::kInitials;
  }
  if (tokens.size() > 1 || any_initials) return label;
  std::optional<std::string> match;
  for (const std::string& speaker : seen) {
    if (Surname(speaker) != label) continue;
    if (match) return std::nullopt;  // two speakers share it: ambiguous
    match = speaker;
  }
  return match;
}

std::optional<std::string> QuestionSpeaker(const std::string& label) {
  const std::string folded = Fold(label);
  if (folded == "question") return std::string("Question");
  if (folded == "вопрос") return std::string("Вопрос");
  return std::nullopt;
}

}  // namespace

std::vector<std::string> AnswerSpeakers(const std::vector<Block>& blocks) {
  std::vector<std::string> speakers;
  for (const Block& block : blocks) {
    if (block.type != Block::Type::kTurn || block.role != content::TurnRole::kAnswer) continue;
    if (std::find(speakers.begin(), speakers.end(), block.speaker) == speakers.end()) {
      speakers.push_back(block.speaker);
    }
  }
  return speakers;
}

std::vector<Block> GroupTurns(std::vector<Block> blocks) {
  std::vector<Block> out;
  std::vector<std::string> seen_speakers;
  std::optional<size_t> turn;  // index into `out` of the current turn
  for (Block& block : blocks) {
    if (block.type != Block::Type::kParagraph) {
      turn.reset();
      out.push_back(std::move(block));
      continue;
    }
    if (auto prefix = SplitPrefix(block.text)) {
      std::vector<std::string> paragraphs;
      if (!prefix->rest.empty()) paragraphs.push_back(prefix->rest);
      if (auto question = QuestionSpeaker(prefix->label)) {
        out.push_back(Block::Turn(content::TurnRole::kQuestion, *question, std::move(paragraphs),
                                  prefix->note));
        turn = out.size() - 1;
        continue;
      }
      if (auto speaker = SpeakerName(prefix->label, seen_speakers)) {
        if (std::find(seen_speakers.begin(), seen_speakers.end(), *speaker) ==
            seen_speakers.end()) {
          seen_speakers.push_back(*speaker);
        }
        out.push_back(
            Block::Turn(content::TurnRole::kAnswer, *speaker, std::move(paragraphs), prefix->note));
        turn = out.size() - 1;
        continue;
      }
    }
    if (turn) {
      out[*turn].paragraphs.push_back(std::move(block.text));
    } else {
      out.push_back(std::move(block));
    }
  }
  // A speaker's label with nothing said after it is not a turn.
  std::erase_if(
      out, [](const Block& b) { return b.type == Block::Type::kTurn && b.paragraphs.empty(); });
  return out;
}

}  // namespace assetpub::importers
