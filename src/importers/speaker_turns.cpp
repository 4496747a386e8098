#include "importers/speaker_turns.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "importers/unicode_text.h"

namespace assetpub::importers {
namespace {

using content::Block;

// ---- The words of each language ----

// How transcripts in one language label a question, and the words their sentences and headings
// open with that are never a name ("First: …", "Dear Colleagues: …"). A body is read without
// knowing its language: the labels and words of every row count on every page, which is safe as
// long as no row's label is a name. A new language is a new row; case does not matter.
struct TurnWords {
  std::string_view language;                      // primary subtag
  std::string_view question;                      // the question turn's speaker, as written
  std::vector<std::string_view> question_labels;  // labels that open a question turn
  std::vector<std::string_view> lead_ins;         // first words of labels that are no name
};

const std::vector<TurnWords>& TurnLanguages() {
  static const std::vector<TurnWords> rows = {
      {"en",
       "Question",
       {"question"},
       {"dear",        "ladies", "gentlemen", "colleagues", "friends",   "first",    "second",
        "third",       "fourth", "fifth",     "firstly",    "secondly",  "thirdly",  "finally",
        "lastly",      "thus",   "note",      "however",    "therefore", "moreover", "furthermore",
        "also",        "so",     "and",       "but",        "then",      "now",      "today",
        "here",        "there",  "the",       "this",       "that",      "these",    "those",
        "our",         "we",     "i",         "it",         "in",        "on",       "at",
        "as",          "for",    "to",        "of",         "with",      "by",       "question",
        "answer",      "joint",  "statement", "subject",    "topic",     "summary",  "background",
        "conclusion",  "update", "source",    "reference",  "quote",     "press",    "agenda",
        "participants"}},
      {"ru", "Вопрос", {"вопрос"}, {"уважаемые", "дамы",       "господа",   "коллеги",   "друзья",
                                    "во-первых", "во-вторых",  "в-третьих", "итак",      "таким",
                                    "однако",    "также",      "поэтому",   "например",  "вопрос",
                                    "ответ",     "примечание", "справка",   "справочно", "тема",
                                    "итоги",     "совместное", "заявление", "цитата",    "источник",
                                    "повестка",  "участники",  "сегодня"}},
      {"fr",
       "Question",
       {"question"},
       {"mesdames",     "messieurs",     "chers",       "chères",      "premièrement",
        "deuxièmement", "troisièmement", "enfin",       "ainsi",       "donc",
        "cependant",    "toutefois",     "aujourd'hui", "réponse",     "remarque",
        "nota",         "objet",         "sujet",       "déclaration", "communiqué"}},
      {"es",
       "Pregunta",
       {"pregunta"},
       {"señoras", "señores", "queridos", "queridas", "estimados", "estimadas", "primero",
        "segundo", "tercero", "finalmente", "así", "hoy", "respuesta", "nota", "asunto", "tema",
        "declaración", "participantes"}},
      {"de",
       "Frage",
       {"frage"},
       // German capitalises every noun, so its articles and contractions open many labels.
       {"meine",       "sehr",  "liebe",     "werte",      "erstens", "zweitens",  "drittens",
        "schließlich", "also",  "jedoch",    "heute",      "antwort", "anmerkung", "hinweis",
        "betreff",     "thema", "erklärung", "teilnehmer", "die",     "ein",       "eine",
        "zum",         "zur",   "im",        "am",         "wir",     "ich"}},
      {"pt",
       "Pergunta",
       {"pergunta"},
       {"senhoras", "senhores", "caros", "caras", "prezados", "prezadas", "primeiro", "segundo",
        "terceiro", "finalmente", "assim", "hoje", "resposta", "nota", "assunto", "tema",
        "declaração", "participantes"}},
      {"ar",
       "سؤال",
       {"سؤال", "السؤال"},
       // Arabic names have no capitals, so the words of a sentence count anywhere in the label.
       {"أولا", "ثانيا", "ثالثا", "أخيرا", "قال",  "وقال", "أضاف", "وأضاف", "ملاحظة",
        "جواب", "موضوع", "اليوم", "كما",   "في",   "وفي",  "من",   "ومن",   "على",
        "إلى",  "إن",    "أن",    "هذا",   "هذه",  "ثم",   "لكن",  "لذلك",  "نحن",
        "أنا",  "هو",    "هي",    "كذلك",  "أيضا", "بعد",  "قبل"}},
      {"zh", "问", {"问", "提问"}, {}},
  };
  return rows;
}

// The lead-ins of every row, case-folded.
const std::set<std::string, std::less<>>& NotNameStarts() {
  static const std::set<std::string, std::less<>> words = [] {
    std::set<std::string, std::less<>> folded;
    for (const TurnWords& row : TurnLanguages()) {
      for (std::string_view word : row.lead_ins) folded.insert(Fold(word));
    }
    return folded;
  }();
  return words;
}

std::optional<std::string> QuestionSpeaker(const std::string& label) {
  const std::string folded = Fold(label);
  for (const TurnWords& row : TurnLanguages()) {
    for (std::string_view question : row.question_labels) {
      if (folded == Fold(question)) return std::string(row.question);
    }
  }
  return std::nullopt;
}

// ---- A paragraph's label ----

struct Prefix {
  std::string label;  // "Sergey Lavrov", "Question"
  std::string note;   // "translated from Norwegian"
  std::string rest;   // the paragraph's text after the colon
};

constexpr size_t kMaxLabelCodePoints = 100;
// Chinese writes the colon and the parentheses full width ("问（译自英语）：…").
constexpr std::string_view kFullWidthColon = "\uFF1A";
constexpr std::string_view kFullWidthOpen = "\uFF08";
constexpr std::string_view kFullWidthClose = "\uFF09";

// `text` without the white space (IsSpace) at its ends.
std::string_view TrimSpaces(std::string_view text) {
  size_t begin = text.size();
  size_t end = 0;
  for (size_t pos = 0; pos < text.size();) {
    const size_t start = pos;
    if (IsSpace(NextCodePoint(text, pos))) continue;
    begin = std::min(begin, start);
    end = pos;
  }
  return begin < end ? text.substr(begin, end - begin) : std::string_view();
}

// Splits "Label (note): rest" at the first colon: an ASCII one followed by white space or the
// end, or a full-width one, after which Chinese puts no space. White space before the colon
// (French writes "Question : …", often with a no-break space) is not part of the label.
std::optional<Prefix> SplitPrefix(std::string_view paragraph) {
  const size_t ascii = paragraph.find(':');
  const size_t wide = paragraph.find(kFullWidthColon);
  const size_t colon = std::min(ascii, wide);
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const size_t after = colon + (colon == wide ? kFullWidthColon.size() : 1);
  if (colon == ascii && after < paragraph.size()) {
    size_t pos = after;
    if (!IsSpace(NextCodePoint(paragraph, pos))) return std::nullopt;
  }
  std::string_view label = paragraph.substr(0, colon);
  if (CodePointCount(label) > kMaxLabelCodePoints) return std::nullopt;
  Prefix prefix;
  prefix.rest = TrimSpaces(paragraph.substr(after));
  label = TrimSpaces(label);
  for (const auto& [open_mark, close_mark] :
       {std::pair{std::string_view("("), std::string_view(")")},
        std::pair{kFullWidthOpen, kFullWidthClose}}) {
    if (!label.ends_with(close_mark)) continue;
    const size_t open = label.find(open_mark);
    if (open == std::string_view::npos || open == 0) return std::nullopt;
    const size_t inside = open + open_mark.size();
    prefix.note = TrimSpaces(label.substr(inside, label.size() - inside - close_mark.size()));
    label = label.substr(0, open);
    break;
  }
  prefix.label = TrimSpaces(label);
  if (prefix.label.empty()) return std::nullopt;
  return prefix;
}

// ---- Names ----

// Lower-case name particles allowed inside a name ("Ursula von der Leyen").
bool IsParticle(std::string_view word) {
  static const std::set<std::string, std::less<>> particles = {
      "von", "van", "der", "den", "de", "da", "del", "della", "di",  "du",
      "la",  "le",  "bin", "ibn", "al", "el", "ter", "dos",   "das", "y"};
  return particles.contains(word);
}

// Scripts with case (Latin, Cyrillic) give a name its capitals; Arabic and Chinese have none.
enum class NameToken { kNone, kWord, kInitials, kParticle, kCaselessWord, kCaselessInitials };

bool IsCaselessLetter(UChar32 c) { return u_isalpha(c) && !u_hasBinaryProperty(c, UCHAR_CASED); }

// The dot between the parts of a foreign name written in Chinese or Japanese ("谢·维·拉夫罗夫").
bool IsNameDot(UChar32 c) { return c == 0xB7 || c == 0x30FB || c == 0x2027 || c == 0xFF65; }

// A token in a script without case: initials ("س.لافروف", "س.") or parts joined by a name dot
// ("谢·维·拉夫罗夫") -> kCaselessInitials; letters (and their marks) only -> kCaselessWord.
NameToken ClassifyCaselessToken(std::string_view token) {
  bool joined = false;
  size_t part_letters = 0;  // letters since the last initial's dot or name dot
  for (size_t pos = 0; pos < token.size();) {
    const UChar32 c = NextCodePoint(token, pos);
    if (IsCaselessLetter(c)) {
      ++part_letters;
    } else if (part_letters > 0 && (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0) {
      // a vowel sign or another mark on the letter before
    } else if ((c == '.' && part_letters == 1) ||
               (IsNameDot(c) && part_letters > 0 && pos < token.size())) {
      joined = true;
      part_letters = 0;
    } else {
      return NameToken::kNone;
    }
  }
  if (joined) return NameToken::kCaselessInitials;
  return part_letters > 0 ? NameToken::kCaselessWord : NameToken::kNone;
}

// "Lavrov", "Al-Jubeir", "O'Neill" -> kWord; "С.В.Лавров", "M.Zakharova", "S.V." -> kInitials;
// the caseless tokens as ClassifyCaselessToken says.
NameToken ClassifyNameToken(std::string_view token) {
  if (IsParticle(token)) return NameToken::kParticle;
  // "al-Jubeir", "el-Sisi": a particle joined to the name.
  if (const size_t dash = token.find('-');
      dash != std::string_view::npos && IsParticle(token.substr(0, dash))) {
    return ClassifyNameToken(token.substr(dash + 1)) == NameToken::kWord ? NameToken::kWord
                                                                         : NameToken::kNone;
  }
  size_t pos = 0;
  if (size_t first = 0; !token.empty() && IsCaselessLetter(NextCodePoint(token, first))) {
    return ClassifyCaselessToken(token);
  }
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

// A plain Arabic word that may be part of a name: not one with the article ("الوزير", "the
// minister"), which names an office or opens a sentence ("السيدات والسادة", "ladies and
// gentlemen"). The caller also rules out the lead-ins ("كما قال لافروف", "as Lavrov said").
bool IsArabicNameWord(std::string_view token) {
  size_t pos = 0;
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(NextCodePoint(token, pos), &status) == USCRIPT_ARABIC &&
         U_SUCCESS(status) && !token.starts_with("ال");
}

// The surname of a name: its last word without leading initials ("С.В.Лавров" -> "Лавров",
// "谢·维·拉夫罗夫" -> "拉夫罗夫").
std::string_view Surname(std::string_view name) {
  const auto tokens = SplitSpaces(name);
  if (tokens.empty()) return {};
  std::string_view last = tokens.back();
  size_t part = 0;
  for (size_t pos = 0; pos < last.size();) {
    const UChar32 c = NextCodePoint(last, pos);
    if (c == '.' || IsNameDot(c)) part = pos;
  }
  return last.substr(part);
}

// The speaker a label names, or nullopt when it does not look like a person: 1 to 4 capitalised
// words or initials, no sentence inside; in a script without case, initials or a name dot
// ("س.لافروف", "谢·维·拉夫罗夫"), or 2 to 4 Arabic words without the article ("سيرغي لافروف").
// A lone plain word is far more often a sentence's lead-in ("Thus:", "他说：") than a speaker,
// so it counts only as the surname of exactly one speaker already seen on the page, and is
// recorded under that speaker's name.
std::optional<std::string> SpeakerName(const std::string& label,
                                       const std::vector<std::string>& seen) {
  if (std::find(seen.begin(), seen.end(), label) != seen.end()) return label;
  const auto tokens = SplitSpaces(label);
  if (tokens.empty() || tokens.size() > 4) return std::nullopt;
  if (NotNameStarts().contains(Fold(tokens[0]))) return std::nullopt;
  bool any_initials = false;
  bool cased = false;
  bool caseless = false;
  bool arabic_words = true;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const NameToken kind = ClassifyNameToken(tokens[i]);
    if (kind == NameToken::kNone) return std::nullopt;
    if (kind == NameToken::kParticle && (i == 0 || i + 1 == tokens.size())) return std::nullopt;
    any_initials =
        any_initials || kind == NameToken::kInitials || kind == NameToken::kCaselessInitials;
    const bool without_case =
        kind == NameToken::kCaselessWord || kind == NameToken::kCaselessInitials;
    (without_case ? caseless : cased) = true;
    if (kind == NameToken::kCaselessWord &&
        (!IsArabicNameWord(tokens[i]) || NotNameStarts().contains(tokens[i]))) {
      arabic_words = false;
    }
  }
  if (cased && caseless) return std::nullopt;
  if (any_initials || (tokens.size() > 1 && (!caseless || arabic_words))) return label;
  if (tokens.size() > 1) return std::nullopt;
  std::optional<std::string> match;
  for (const std::string& speaker : seen) {
    if (Surname(speaker) != label) continue;
    if (match) return std::nullopt;  // two speakers share it: ambiguous
    match = speaker;
  }
  return match;
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
