#include "importers/scraped_page.h"

#include <fmt/format.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <utility>

#include "content/asset_json.h"
#include "content/language.h"
#include "content/validate.h"
#include "core/error.h"
#include "core/text.h"
#include "importers/localised_date.h"
#include "importers/unicode_text.h"

namespace assetpub::importers {
namespace {

using content::Block;
using content::Kind;

[[noreturn]] void Reject(const std::string& reason) {
  throw Error(ErrorCode::kInvalidInput, reason);
}

[[noreturn]] void RejectAt(int line, const std::string& reason) {
  Reject(fmt::format("line {}: {}", line, reason));
}

// ---- Lines ----

// Trims the line and turns every run of white space that is not plain spaces and tabs (NBSP,
// narrow NBSP, form feed, …) into one space; plain runs are kept as written.
std::string NormaliseLine(std::string_view raw) {
  std::string out;
  std::string run;
  bool run_is_plain = true;
  for (size_t pos = 0; pos < raw.size();) {
    const size_t start = pos;
    const UChar32 c = NextCodePoint(raw, pos);
    if (IsSpace(c)) {
      run.append(raw.substr(start, pos - start));
      run_is_plain = run_is_plain && (c == ' ' || c == '\t');
      continue;
    }
    if (!run.empty() && !out.empty()) out += run_is_plain ? run : std::string(" ");
    run.clear();
    run_is_plain = true;
    out.append(raw.substr(start, pos - start));
  }
  return out;
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// ---- Chrome and months ----

enum class ChromeRole { kPublisher, kAdditional, kAdvanced };

struct Chrome {
  std::string_view text;  // folded
  std::string_view language;
  ChromeRole role;
};

constexpr std::array<Chrome, 6> kChrome{{
    {"asset publisher", "en", ChromeRole::kPublisher},
    {"публикатор ресурсов", "ru", ChromeRole::kPublisher},
    {"additional materials", "en", ChromeRole::kAdditional},
    {"дополнительные материалы", "ru", ChromeRole::kAdditional},
    {"advanced settings", "en", ChromeRole::kAdvanced},
    {"расширенные настройки", "ru", ChromeRole::kAdvanced},
}};

const Chrome* FindChrome(std::string_view line) {
  if (line.size() > 64) return nullptr;
  const std::string folded = Fold(line);
  for (const Chrome& chrome : kChrome) {
    if (folded == chrome.text) return &chrome;
  }
  return nullptr;
}

struct Month {
  std::string_view name;  // folded
  int number;
  std::string_view language;
};

constexpr std::array<Month, 59> kMonths{{
    {"january", 1, "en"},
    {"february", 2, "en"},
    {"march", 3, "en"},
    {"april", 4, "en"},
    {"may", 5, "en"},
    {"june", 6, "en"},
    {"july", 7, "en"},
    {"august", 8, "en"},
    {"september", 9, "en"},
    {"october", 10, "en"},
    {"november", 11, "en"},
    {"december", 12, "en"},
    {"jan", 1, "en"},
    {"feb", 2, "en"},
    {"mar", 3, "en"},
    {"apr", 4, "en"},
    {"jun", 6, "en"},
    {"jul", 7, "en"},
    {"aug", 8, "en"},
    {"sep", 9, "en"},
    {"sept", 9, "en"},
    {"oct", 10, "en"},
    {"nov", 11, "en"},
    {"dec", 12, "en"},
    // Russian dates use the genitive ("7 июня"); the nominative is accepted too.
    {"января", 1, "ru"},
    {"февраля", 2, "ru"},
    {"марта", 3, "ru"},
    {"апреля", 4, "ru"},
    {"мая", 5, "ru"},
    {"июня", 6, "ru"},
    {"июля", 7, "ru"},
    {"августа", 8, "ru"},
    {"сентября", 9, "ru"},
    {"октября", 10, "ru"},
    {"ноября", 11, "ru"},
    {"декабря", 12, "ru"},
    {"январь", 1, "ru"},
    {"февраль", 2, "ru"},
    {"март", 3, "ru"},
    {"апрель", 4, "ru"},
    {"май", 5, "ru"},
    {"июнь", 6, "ru"},
    {"июль", 7, "ru"},
    {"август", 8, "ru"},
    {"сентябрь", 9, "ru"},
    {"октябрь", 10, "ru"},
    {"ноябрь", 11, "ru"},
    {"декабрь", 12, "ru"},
    {"янв", 1, "ru"},
    {"фев", 2, "ru"},
    {"апр", 4, "ru"},
    {"авг", 8, "ru"},
    {"сен", 9, "ru"},
    {"окт", 10, "ru"},
    {"ноя", 11, "ru"},
    {"дек", 12, "ru"},
    {"sep.", 9, "en"},
    {"oct.", 10, "en"},
    {"nov.", 11, "en"},
}};

const Month* FindMonth(std::string_view word) {
  const std::string folded = Fold(word);
  for (const Month& month : kMonths) {
    if (folded == month.name) return &month;
  }
  return nullptr;
}

struct DateLine {
  content::LocalDateTime local;
  // The languages (primary subtags) the line is a date of: one, or two that write it alike
  // ("12 de abril de 2014", Spanish or Portuguese), in LocalisedDateLanguages()'s order.
  std::vector<std::string_view> languages;
};

// "7 June 201316:29" (year and time glued by the scrape), "7 June 2013 16:29",
// "7 June 2013, 16:29", "7 июня 201316:29". nullopt when the line does not have this shape;
// whether the date exists is FromLocal's business.
std::optional<DateLine> ParseEnglishOrRussianDateLine(std::string_view line) {
  const auto tokens = SplitSpaces(line);
  if (tokens.size() != 3 && tokens.size() != 4) return std::nullopt;
  if (!AllDigits(tokens[0]) || tokens[0].size() > 2) return std::nullopt;
  const Month* month = FindMonth(tokens[1]);
  if (month == nullptr) return std::nullopt;
  std::string_view year;
  std::string_view time;
  if (tokens.size() == 3) {
    const size_t colon = tokens[2].find(':');
    if (colon == std::string_view::npos || colon < 5 || colon > 6) return std::nullopt;
    year = tokens[2].substr(0, 4);
    time = tokens[2].substr(4);
  } else {
    year = tokens[2];
    if (year.ends_with(',')) year.remove_suffix(1);
    time = tokens[3];
  }
  const size_t colon = time.find(':');
  if (year.size() != 4 || !AllDigits(year) || colon == std::string_view::npos) return std::nullopt;
  const std::string_view hour = time.substr(0, colon);
  const std::string_view minute = time.substr(colon + 1);
  if (!AllDigits(hour) || hour.size() > 2 || !AllDigits(minute) || minute.size() != 2) {
    return std::nullopt;
  }
  DateLine date;
  date.local = {ToInt(year), month->number, ToInt(tokens[0]), ToInt(hour), ToInt(minute), 0};
  date.languages = {month->language};
  return date;
}

// English and Russian by the table above, then the long dates of the other languages as ICU
// writes them (localised_date.h): "12 mars 201418:05", "12 de marzo de 201418:05",
// "12. März 201418:05", "12 de março de 201418:05", "12 مارس 201418:05", "2014年3月12日18:05".
std::optional<DateLine> ParseDateLine(std::string_view line) {
  if (auto date = ParseEnglishOrRussianDateLine(line)) return date;
  const auto readings = LocalisedDates(line);
  if (readings.empty()) return std::nullopt;
  DateLine date;
  date.local = readings.front().local;
  for (const LocalisedDate& reading : readings) date.languages.push_back(reading.language);
  return date;
}

// The rejection of a page without a date line, naming the languages it may be in.
std::string NoDateLine() {
  std::string languages = "en, ru";
  for (std::string_view language : LocalisedDateLanguages()) {
    languages += ", ";
    languages += language;
  }
  return fmt::format("no date line such as '7 June 2013 16:29' in any of {}", languages);
}

// The title's tail "7 June 2013", "7-8 June 2013", "7 июня 2013 года", "7 июня 2013 г.".
bool IsTailDate(std::string_view segment) {
  auto tokens = SplitSpaces(segment);
  if (tokens.size() == 4) {
    const std::string last = Fold(tokens[3]);
    if (last != "года" && last != "г." && last != "г") return false;
    tokens.pop_back();
  }
  if (tokens.size() != 3) return false;
  std::string_view day = tokens[0];
  for (std::string_view dash : {"-", "–", "—"}) {
    if (const size_t at = day.find(dash); at != std::string_view::npos) {
      if (!AllDigits(day.substr(at + dash.size()))) return false;
      day = day.substr(0, at);
      break;
    }
  }
  return AllDigits(day) && day.size() <= 2 && FindMonth(tokens[1]) != nullptr &&
         tokens[2].size() == 4 && AllDigits(tokens[2]);
}

// IsTailDate, or a date as one of the other languages writes it ("12 de marzo de 2014").
bool IsAnyTailDate(std::string_view segment) {
  return IsTailDate(segment) || !LocalisedDatesWithoutTime(segment).empty();
}

// "…, Moscow, 7 June 2013" -> "Moscow" (also "…، موسكو، 12 مارس 2014"); empty unless the tail
// is a date after a short, capitalised (or caseless), digit-free segment that itself follows the
// headline.
std::string PlaceFromTitle(std::string_view written) {
  // The Arabic comma and the full-width one separate the same parts.
  std::string commas(written);
  for (std::string_view comma : {"،", "，"}) {
    for (size_t at = commas.find(comma); at != std::string::npos; at = commas.find(comma, at)) {
      commas.replace(at, comma.size(), ",");
    }
  }
  const std::string_view title = commas;
  const size_t last_comma = title.rfind(',');
  if (last_comma == std::string_view::npos ||
      !IsAnyTailDate(Trim(title.substr(last_comma + 1), kBlanks))) {
    return {};
  }
  const size_t place_comma = title.rfind(',', last_comma == 0 ? 0 : last_comma - 1);
  if (place_comma == std::string_view::npos || place_comma == 0) return {};
  std::string place(Trim(title.substr(place_comma + 1, last_comma - place_comma - 1), kBlanks));
  if (place.empty() || CodePointCount(place) > 40 || SplitSpaces(place).size() > 4) return {};
  if (std::any_of(place.begin(), place.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return {};
  }
  // Capitalised, or in a script without case (Arabic, Chinese).
  size_t pos = 0;
  const UChar32 first = NextCodePoint(place, pos);
  if (!u_isupper(first) && (!u_isalpha(first) || u_hasBinaryProperty(first, UCHAR_CASED))) {
    return {};
  }
  return place;
}

// ---- Language line ----

bool LooksLikeTag(std::string_view token) {
  // Letters for the language, then '-'-separated alphanumeric subtags ("en-GB", "sr-Latn-RS").
  size_t pos = 0;
  while (pos < token.size() && std::isalpha(static_cast<unsigned char>(token[pos]))) ++pos;
  if (pos < 2 || pos > 3) return false;
  while (pos < token.size()) {
    if (token[pos] != '-') return false;
    const size_t start = ++pos;
    while (pos < token.size() && std::isalnum(static_cast<unsigned char>(token[pos]))) ++pos;
    if (pos - start < 1 || pos - start > 8) return false;
  }
  return true;
}

std::string_view WithoutTrailingDigits(std::string_view token) {
  while (!token.empty() && token.back() >= '0' && token.back() <= '9') token.remove_suffix(1);
  return token;
}

// "en-GB" or "ru-RU1" exactly: how a language line looks when the scrape lost its bullet.
bool IsStrictTag(std::string_view token) {
  token = WithoutTrailingDigits(token);
  return token.size() == 5 && std::islower(static_cast<unsigned char>(token[0])) &&
         std::islower(static_cast<unsigned char>(token[1])) && token[2] == '-' &&
         std::isupper(static_cast<unsigned char>(token[3])) &&
         std::isupper(static_cast<unsigned char>(token[4]));
}

constexpr std::string_view kBullet = "•";

// The canonical tags of a language line ("• en-GB1 ru-RU1"), or nullopt when the line is not
// one. Throws for a token that is not a language.
std::optional<std::vector<std::string>> ParseLanguageLine(std::string_view line, int number) {
  const bool bullet = line.starts_with(kBullet);
  if (bullet) line.remove_prefix(kBullet.size());
  const auto tokens = SplitSpaces(line);
  if (tokens.empty()) {
    if (bullet) return std::vector<std::string>{};
    return std::nullopt;
  }
  if (bullet) {
    if (!LooksLikeTag(WithoutTrailingDigits(tokens[0])) && !LooksLikeTag(tokens[0])) {
      return std::nullopt;
    }
  } else if (!std::all_of(tokens.begin(), tokens.end(), IsStrictTag)) {
    return std::nullopt;
  }
  std::vector<std::string> tags;
  for (std::string_view token : tokens) {
    // The digits glued to each tag are scrape noise (a count): drop them first.
    auto tag = content::CanonicalLanguageTag(WithoutTrailingDigits(token));
    if (!tag) tag = content::CanonicalLanguageTag(token);
    if (!tag) {
      RejectAt(number, fmt::format("'{}' in the language line is not a known language tag", token));
    }
    if (std::find(tags.begin(), tags.end(), *tag) == tags.end()) tags.push_back(*tag);
  }
  return tags;
}

// ---- Kind ----

// How a keyword's last word matches a title's word: kPlural also takes "s" or "es" after it,
// kStem any ending, kInfix any place inside the word (Chinese writes a title without spaces).
enum class Match { kExact, kPlural, kStem, kInfix };

struct KindKeyword {
  std::vector<std::string_view> words;  // folded; all but the last must match exactly
  Match match;                          // how the last word matches
  Kind kind;
  bool answers = false;  // "answers to questions": makes a speech a transcript
};

// Every language's words in one table: a title is read without knowing its language, so a
// word here must not mean something else in another language ("intervention" is English too,
// hence only "intervention de/du"). At the same place in a title the earlier row wins.
const std::vector<KindKeyword>& KindKeywords() {
  static const std::vector<KindKeyword> keywords = {
      {{"answers", "to", "question"}, Match::kPlural, Kind::kTranscript, true},
      {{"answer", "to", "question"}, Match::kPlural, Kind::kTranscript, true},
      {{"ответы", "на", "вопрос"}, Match::kStem, Kind::kTranscript, true},
      {{"ответ", "на", "вопрос"}, Match::kStem, Kind::kTranscript, true},
      {{"réponses", "aux", "questions"}, Match::kExact, Kind::kTranscript, true},
      {{"réponse", "aux", "questions"}, Match::kExact, Kind::kTranscript, true},
      {{"respuestas", "a", "preguntas"}, Match::kExact, Kind::kTranscript, true},
      {{"respuestas", "a", "las", "preguntas"}, Match::kExact, Kind::kTranscript, true},
      {{"antworten", "auf", "frage"}, Match::kStem, Kind::kTranscript, true},
      {{"respostas", "às", "perguntas"}, Match::kExact, Kind::kTranscript, true},
      {{"respostas", "a", "perguntas"}, Match::kExact, Kind::kTranscript, true},
      {{"على", "أسئلة"}, Match::kExact, Kind::kTranscript, true},
      {{"على", "الأسئلة"}, Match::kExact, Kind::kTranscript, true},
      {{"答记者问"}, Match::kInfix, Kind::kTranscript, true},
      {{"press", "conference"}, Match::kPlural, Kind::kTranscript},
      {{"news", "conference"}, Match::kPlural, Kind::kTranscript},
      {{"press-conference"}, Match::kPlural, Kind::kTranscript},
      {{"briefing"}, Match::kPlural, Kind::kTranscript},
      {{"transcript"}, Match::kPlural, Kind::kTranscript},
      {{"пресс-конференци"}, Match::kStem, Kind::kTranscript},
      {{"пресс", "конференци"}, Match::kStem, Kind::kTranscript},
      {{"брифинг"}, Match::kStem, Kind::kTranscript},
      {{"стенограмм"}, Match::kStem, Kind::kTranscript},
      {{"conférence", "de", "presse"}, Match::kExact, Kind::kTranscript},
      {{"conférences", "de", "presse"}, Match::kExact, Kind::kTranscript},
      {{"point", "de", "presse"}, Match::kExact, Kind::kTranscript},
      {{"rueda", "de", "prensa"}, Match::kExact, Kind::kTranscript},
      {{"conferencia", "de", "prensa"}, Match::kExact, Kind::kTranscript},
      {{"sesión", "informativa"}, Match::kExact, Kind::kTranscript},
      {{"pressekonferenz"}, Match::kStem, Kind::kTranscript},
      {{"pressebriefing"}, Match::kStem, Kind::kTranscript},
      {{"conferência", "de", "imprensa"}, Match::kExact, Kind::kTranscript},
      {{"coletiva", "de", "imprensa"}, Match::kExact, Kind::kTranscript},
      {{"entrevista", "coletiva"}, Match::kExact, Kind::kTranscript},  // Brazil's press conference
      {{"مؤتمر", "صحفي"}, Match::kExact, Kind::kTranscript},
      {{"المؤتمر", "الصحفي"}, Match::kExact, Kind::kTranscript},
      {{"إحاطة"}, Match::kStem, Kind::kTranscript},
      {{"记者会"}, Match::kInfix, Kind::kTranscript},
      {{"发布会"}, Match::kInfix, Kind::kTranscript},
      {{"吹风会"}, Match::kInfix, Kind::kTranscript},
      {{"speech"}, Match::kPlural, Kind::kSpeech},
      {{"address"}, Match::kPlural, Kind::kSpeech},
      {{"remarks"}, Match::kExact, Kind::kSpeech},
      {{"выступлени"}, Match::kStem, Kind::kSpeech},
      {{"речь"}, Match::kExact, Kind::kSpeech},
      {{"речи"}, Match::kExact, Kind::kSpeech},
      {{"обращени"}, Match::kStem, Kind::kSpeech},
      {{"discours"}, Match::kExact, Kind::kSpeech},
      {{"allocution"}, Match::kPlural, Kind::kSpeech},
      {{"intervention", "de"}, Match::kExact, Kind::kSpeech},
      {{"intervention", "du"}, Match::kExact, Kind::kSpeech},
      {{"discurso"}, Match::kPlural, Kind::kSpeech},
      {{"intervención"}, Match::kExact, Kind::kSpeech},
      {{"intervenciones"}, Match::kExact, Kind::kSpeech},
      {{"intervenção"}, Match::kExact, Kind::kSpeech},
      {{"rede"}, Match::kExact, Kind::kSpeech},
      {{"reden"}, Match::kExact, Kind::kSpeech},
      {{"ansprache"}, Match::kStem, Kind::kSpeech},
      {{"كلمة"}, Match::kExact, Kind::kSpeech},
      {{"خطاب"}, Match::kExact, Kind::kSpeech},
      {{"讲话"}, Match::kInfix, Kind::kSpeech},
      {{"致辞"}, Match::kInfix, Kind::kSpeech},
      {{"演讲"}, Match::kInfix, Kind::kSpeech},
      {{"interview"}, Match::kPlural, Kind::kInterview},
      {{"интервью"}, Match::kExact, Kind::kInterview},
      {{"entretien"}, Match::kExact, Kind::kInterview},
      {{"entrevista"}, Match::kPlural, Kind::kInterview},
      {{"مقابلة"}, Match::kExact, Kind::kInterview},
      {{"采访"}, Match::kInfix, Kind::kInterview},
      {{"专访"}, Match::kInfix, Kind::kInterview},
      {{"statement"}, Match::kPlural, Kind::kStatement},
      {{"заявлени"}, Match::kStem, Kind::kStatement},
      {{"déclaration"}, Match::kPlural, Kind::kStatement},
      {{"declaración"}, Match::kExact, Kind::kStatement},
      {{"declaraciones"}, Match::kExact, Kind::kStatement},
      {{"erklärung"}, Match::kStem, Kind::kStatement},
      {{"declaração"}, Match::kExact, Kind::kStatement},
      {{"declarações"}, Match::kExact, Kind::kStatement},
      {{"بيان"}, Match::kExact, Kind::kStatement},
      {{"声明"}, Match::kInfix, Kind::kStatement},
      {{"comment"}, Match::kPlural, Kind::kComment},
      {{"commentary"}, Match::kExact, Kind::kComment},
      {{"комментари"}, Match::kStem, Kind::kComment},
      {{"commentaire"}, Match::kPlural, Kind::kComment},
      {{"comentario"}, Match::kPlural, Kind::kComment},
      {{"kommentar"}, Match::kStem, Kind::kComment},
      {{"comentário"}, Match::kPlural, Kind::kComment},
      {{"تعليق"}, Match::kExact, Kind::kComment},
      {{"评论"}, Match::kInfix, Kind::kComment},
  };
  return keywords;
}

// Where in `word` the keyword `keyword` matches: 0 or, for kInfix, the byte offset of its first
// occurrence; npos when it does not.
size_t MatchAt(std::string_view word, std::string_view keyword, Match match) {
  switch (match) {
    case Match::kExact:
      return word == keyword ? 0 : std::string_view::npos;
    case Match::kPlural:
      return word == keyword || (word.starts_with(keyword) && (word.substr(keyword.size()) == "s" ||
                                                               word.substr(keyword.size()) == "es"))
                 ? 0
                 : std::string_view::npos;
    case Match::kStem:
      return word.starts_with(keyword) ? 0 : std::string_view::npos;
    case Match::kInfix:
      return word.find(keyword);
  }
  return std::string_view::npos;
}

// The folded words of `text`: runs of letters, digits and hyphens.
std::vector<std::string> Words(std::string_view text) {
  const std::string folded = Fold(text);
  std::vector<std::string> words;
  std::string word;
  for (size_t pos = 0; pos < folded.size();) {
    const size_t start = pos;
    const UChar32 c = NextCodePoint(folded, pos);
    if (u_isalnum(c) || c == '-') {
      word.append(folded, start, pos - start);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// Words that are common in one of two languages that write some dates alike and rare in the
// other (folded).
struct MarkerWords {
  std::string_view language;
  std::vector<std::string_view> words;
};

const std::vector<MarkerWords>& Markers() {
  static const std::vector<MarkerWords> markers = {
      {"es", {"el", "los", "las", "del", "y", "muy", "pero", "hay", "también", "está", "al"}},
      {"pt", {"os", "do", "da", "dos", "das", "em", "não", "também", "uma", "ao", "é"}},
  };
  return markers;
}

// The primary subtag of the page's language. An English or Russian date line gives way to the
// chrome's language, as it always has; another language's date line decides by itself (its
// pages may keep English chrome). When the line is a date in two languages ("12 de abril de
// 2014": Spanish or Portuguese), the one the language line declares, else the one whose common
// words the title and body use more, else the first.
std::string_view PageLanguage(const DateLine& date, std::optional<std::string_view> chrome,
                              const std::vector<std::string>& declared, const ParsedPage& page) {
  const std::string_view first = date.languages.front();
  if (first == "en" || first == "ru") return chrome ? *chrome : first;
  if (date.languages.size() == 1) return first;
  std::vector<std::string_view> candidates;
  for (std::string_view language : date.languages) {
    const bool named = std::any_of(declared.begin(), declared.end(), [&](const std::string& tag) {
      return content::PrimarySubtag(tag) == language;
    });
    if (named) candidates.push_back(language);
  }
  if (candidates.size() == 1) return candidates.front();
  if (candidates.empty()) candidates = date.languages;
  std::string text = page.title;
  for (const Block& block : page.blocks) {
    text += ' ';
    text += block.text;
    for (const std::string& paragraph : block.paragraphs) {
      text += ' ';
      text += paragraph;
    }
  }
  const auto words = Words(text);
  std::string_view best = candidates.front();
  long best_count = -1;
  for (std::string_view language : candidates) {
    long count = 0;
    for (const MarkerWords& markers : Markers()) {
      if (markers.language != language) continue;
      count = std::count_if(words.begin(), words.end(), [&](const std::string& word) {
        return std::find(markers.words.begin(), markers.words.end(), word) != markers.words.end();
      });
    }
    if (count > best_count) {
      best = language;
      best_count = count;
    }
  }
  return best;
}

}  // namespace

Kind InferKind(std::string_view title) {
  const auto words = Words(title);
  const KindKeyword* earliest = nullptr;
  std::pair<size_t, size_t> earliest_at;  // word, then byte within the word
  bool answers = false;
  for (size_t i = 0; i < words.size(); ++i) {
    for (const KindKeyword& keyword : KindKeywords()) {
      const size_t n = keyword.words.size();
      if (i + n > words.size()) continue;
      bool matched = true;
      for (size_t k = 0; k + 1 < n && matched; ++k) matched = words[i + k] == keyword.words[k];
      if (!matched) continue;
      const size_t at = MatchAt(words[i + n - 1], keyword.words[n - 1], keyword.match);
      if (at == std::string_view::npos) continue;
      answers = answers || keyword.answers;
      if (earliest == nullptr || std::pair(i, at) < earliest_at) {
        earliest = &keyword;
        earliest_at = {i, at};
      }
    }
  }
  if (earliest == nullptr) return Kind::kArticle;
  if (earliest->kind == Kind::kSpeech && answers) return Kind::kTranscript;
  return earliest->kind;
}

ParsedPage ParseScrapedPage(std::string_view text, std::string_view time_zone) {
  if (text.empty()) Reject("the page is empty");
  if (!content::IsKnownTimeZone(time_zone)) {
    throw Error(ErrorCode::kInvalidInput, fmt::format("unknown time zone '{}'", time_zone));
  }
  {
    int line = 1;
    for (char ch : text) {
      const auto c = static_cast<unsigned char>(ch);
      if (c == '\n') ++line;
      if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f') || c == 0x7f) {
        RejectAt(line, fmt::format("binary data (control character 0x{:02X}), not a text page",
                                   static_cast<unsigned>(c)));
      }
    }
  }

  struct Line {
    int number;
    std::string text;  // trimmed and normalised
  };
  std::vector<Line> lines;
  {
    int number = 0;
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view raw = text.substr(start, end - start);
      ++number;
      if (!content::IsValidUtf8(raw)) RejectAt(number, "invalid UTF-8");
      if (number == 1 && raw.starts_with("\xEF\xBB\xBF")) raw.remove_prefix(3);  // BOM
      lines.push_back({number, NormaliseLine(raw)});
      start = end + 1;
    }
  }
  if (std::all_of(lines.begin(), lines.end(), [](const Line& l) { return l.text.empty(); })) {
    Reject("the page has only white space");
  }

  ParsedPage page;
  page.time_zone = std::string(time_zone);
  std::optional<std::string_view> chrome_language;
  std::vector<std::string> declared;
  auto note_chrome = [&](const Chrome* chrome) {
    if (chrome != nullptr && !chrome_language) chrome_language = chrome->language;
  };
  auto take_language_line = [&](const Line& line) {
    auto tags = ParseLanguageLine(line.text, line.number);
    if (!tags) return false;
    for (auto& tag : *tags) {
      if (std::find(declared.begin(), declared.end(), tag) == declared.end()) {
        declared.push_back(std::move(tag));
      }
    }
    return true;
  };

  // Header: chrome and a language line may come before the date line; the title follows it.
  size_t i = 0;
  std::optional<DateLine> date;
  int date_line = 0;
  for (; i < lines.size() && !date; ++i) {
    const Line& line = lines[i];
    if (line.text.empty()) continue;
    const Chrome* chrome = FindChrome(line.text);
    note_chrome(chrome);
    if (chrome != nullptr && chrome->role == ChromeRole::kPublisher) continue;
    if (chrome == nullptr && take_language_line(line)) continue;
    date = ParseDateLine(line.text);
    if (!date) RejectAt(line.number, NoDateLine());
    date_line = line.number;
    try {
      page.published_at = content::FromLocal(date->local, time_zone);
    } catch (const Error& e) {
      RejectAt(line.number, e.what());
    }
  }
  if (!date) Reject(NoDateLine());

  for (; i < lines.size() && page.title.empty(); ++i) {
    const Line& line = lines[i];
    if (line.text.empty() || take_language_line(line)) continue;
    if (FindChrome(line.text) != nullptr) {
      RejectAt(line.number, fmt::format("no title after the date line, found '{}'", line.text));
    }
    page.title = line.text;
  }
  if (page.title.empty()) RejectAt(date_line, "no title after the date line");
  page.place = PlaceFromTitle(page.title);
  page.kind = InferKind(page.title);

  // Between the title and the body: blank lines, the language line, stray publisher chrome.
  for (; i < lines.size(); ++i) {
    const Line& line = lines[i];
    if (line.text.empty()) continue;
    const Chrome* chrome = FindChrome(line.text);
    if (chrome != nullptr && chrome->role == ChromeRole::kPublisher) {
      note_chrome(chrome);
      continue;
    }
    if (chrome == nullptr && take_language_line(line)) continue;
    break;
  }

  // Body: paragraphs until chrome, then grouped into question/answer turns.
  const Chrome* stop = nullptr;
  for (; i < lines.size(); ++i) {
    const Line& line = lines[i];
    if (line.text.empty()) continue;
    if ((stop = FindChrome(line.text)) != nullptr) {
      note_chrome(stop);
      ++i;
      break;
    }
    page.blocks.push_back(Block::Paragraph(line.text));
  }
  page.blocks = GroupTurns(std::move(page.blocks));
  page.speakers = AnswerSpeakers(page.blocks);

  // "Additional materials": titles until the next chrome line; everything after that is chrome.
  if (stop != nullptr && stop->role == ChromeRole::kAdditional) {
    for (; i < lines.size(); ++i) {
      std::string entry = lines[i].text;
      if (entry.empty()) continue;
      if (FindChrome(entry) != nullptr) break;
      if (entry.starts_with(kBullet)) {
        entry = std::string(Trim(std::string_view(entry).substr(kBullet.size()), kBlanks));
      }
      if (!entry.empty()) page.related.push_back(std::move(entry));
    }
  }

  const std::string primary(PageLanguage(*date, chrome_language, declared, page));
  for (const std::string& tag : declared) {
    if (content::PrimarySubtag(tag) == primary) {
      page.language = tag;
      break;
    }
  }
  page.languages = std::move(declared);
  if (page.language.empty()) {
    page.language = primary == "ru"   ? std::string("ru-RU")
                    : primary == "en" ? std::string("en-GB")
                                      : std::string(DefaultTagOf(primary));
    page.languages.push_back(page.language);
  }
  return page;
}

nlohmann::ordered_json ToJson(const ParsedPage& page) {
  nlohmann::ordered_json j;
  j["language"] = page.language;
  j["languages"] = page.languages;
  j["published_at"] = content::ToIso8601(page.published_at, page.time_zone);
  j["title"] = page.title;
  j["place"] = page.place;
  j["kind"] = content::KindName(page.kind);
  j["speakers"] = page.speakers;
  j["related"] = page.related;
  j["blocks"] = nlohmann::ordered_json::array();
  for (const Block& block : page.blocks) j["blocks"].push_back(content::ToJson(block));
  return j;
}

}  // namespace assetpub::importers
