#pragma once
// The parser of pages scraped from the ministry's "Asset Publisher" site (DESIGN.md §1), in
// English and Russian chrome, dated in any of the site's languages: a pure function from text
// to a ParsedPage, no store, no I/O.
// Thread-safe: every function here may be called from many threads at once.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "content/asset.h"
#include "content/instant.h"
#include "importers/speaker_turns.h"

namespace assetpub::importers {

// What one scraped page says, before it is merged into an asset.
struct ParsedPage {
  std::string language;                // this page's tag, canonical ("en-GB")
  std::vector<std::string> languages;  // the declared versions, canonical, in the line's order
  content::Instant published_at;       // the date line, read in `time_zone`
  std::string time_zone;               // the zone the date line was read in
  std::string title;                   // the headline, whole
  std::string place;                   // from the title's tail ("Moscow"); empty if none
  content::Kind kind = content::Kind::kArticle;  // inferred from the title (InferKind)
  std::vector<content::Block> blocks;            // paragraphs and question/answer turns, in order
  std::vector<std::string> speakers;  // answer speakers, first appearance order, no repeats
  std::vector<std::string> related;   // titles under "Additional materials"
};

// Parses a scraped page whose local times are in `time_zone` (an IANA zone).
// The date line is read as English or Russian write it ("7 June 201316:29", "7 июня 2013
// 16:29") or as ICU's long date of French, Spanish, German, Portuguese, Arabic (ASCII or
// Arabic-Indic digits) or Chinese, the time glued to the year or after a space
// ("12 mars 201418:05", "12 de marzo de 201418:05", "12. März 201418:05",
// "12 de março de 201418:05", "12 مارس 201418:05", "2014年3月12日18:05"; localised_date.h).
// The page's language is that of an English or Russian date line unless its chrome ("Asset
// Publisher" / "Публикатор ресурсов", "Additional materials", …) says the other; the language
// of any other date line (when it reads in Spanish and Portuguese alike, the one the language
// line names, else the one whose common words the text uses more). Its tag is the one of the
// language line with that primary subtag, else en-GB, ru-RU, fr-FR, es-ES, de-DE, pt-PT,
// ar-SA or zh-CN, appended to the declared versions.
// Body: each non-empty line is a paragraph, until "Additional materials" or another chrome
// line, grouped into question/answer turns by GroupTurns (speaker_turns.h): a paragraph that
// opens no turn continues the current one, or is a paragraph block before the first turn.
// Lines are trimmed and runs of white space holding a no-break space become one space; the
// text is otherwise kept as written.
// Throws Error(kInvalidInput) with a reason that names the line where there is one, for: empty
// or whitespace-only text, binary data (NUL or a control character other than \t \r \n \f),
// invalid UTF-8, an unknown token in the language line, no date line, an impossible date or
// time (31 June, 25:10), no title after the date line. Throws Error(kInvalidInput) for an
// unknown `time_zone` too.
ParsedPage ParseScrapedPage(std::string_view text, std::string_view time_zone);

// The kind a headline announces, case-insensitively, in any of the site's languages (its
// language need not be known): a speech together with answers to questions ("answers to
// questions", "ответы на вопросы", "réponses aux questions", "respuestas a preguntas",
// "Antworten auf Fragen", "respostas às perguntas", "على أسئلة", "答记者问"), a press conference
// or a briefing ("пресс-конференция", "conférence de presse", "rueda de prensa",
// "Pressekonferenz", "coletiva de imprensa", "مؤتمر صحفي", "记者会") -> transcript; otherwise the
// earliest of speech (speech, address, remarks, выступление, речь, обращение, discours,
// allocution, discurso, Rede, Ansprache, كلمة, 讲话), interview (интервью, entretien,
// entrevista, مقابلة, 采访), statement (заявление, déclaration, declaración, Erklärung,
// declaração, بيان, 声明), comment (комментарий, commentaire, comentario, Kommentar, تعليق,
// 评论); article when there is none. Chinese words are found inside the title's runs of
// characters, the others as whole words.
content::Kind InferKind(std::string_view title);

// A page as JSON, for tests and debugging: language, languages, published_at (RFC 3339 in the
// page's zone), title, place, kind, speakers, related, blocks (as content::ToJson writes them).
nlohmann::ordered_json ToJson(const ParsedPage& page);

}  // namespace assetpub::importers
