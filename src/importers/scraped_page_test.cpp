#include "importers/scraped_page.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "content/instant.h"
#include "core/error.h"
#include "importers/testing/test_files.h"

namespace assetpub::importers {
namespace {

namespace fs = std::filesystem;
using content::Block;
using content::Kind;
using content::TurnRole;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::ReadReason;

constexpr char kZone[] = "Europe/Moscow";

fs::path TestData() { return testing::ScrapedPagesDir(); }

// The pages of tests/testdata/import/: NAME.txt with NAME.expected.json, or bad-NAME.txt with
// bad-NAME.reason (a substring of the rejection's message).
std::vector<std::string> PageNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(TestData())) {
    if (entry.path().extension() == ".txt") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

ParsedPage ParseFile(const std::string& name) {
  return ParseScrapedPage(ReadFile(TestData() / (name + ".txt")), kZone);
}

class ScrapedPageTable : public ::testing::TestWithParam<std::string> {};

// Set ASSETPUB_UPDATE_TESTDATA=1 to rewrite the expected JSON from the parser (then review the
// diff: the files are the specification).
TEST_P(ScrapedPageTable, MatchesExpectation) {
  const std::string& name = GetParam();
  if (name.starts_with("bad-")) {
    const fs::path reason_file = TestData() / (name + ".reason");
    ASSERT_TRUE(fs::exists(reason_file)) << reason_file;
    const std::string reason = ReadReason(reason_file);
    ASSERT_FALSE(reason.empty());
    try {
      ParseFile(name);
      FAIL() << name << " was accepted; expected a rejection with: " << reason;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
      EXPECT_THAT(e.what(), HasSubstr(reason));
    }
    return;
  }
  testing::ExpectMatchesJsonFile(TestData() / (name + ".expected.json"),
                                 ToJson(ParseFile(name)).dump(2) + "\n");
}

INSTANTIATE_TEST_SUITE_P(TestData, ScrapedPageTable, ::testing::ValuesIn(PageNames()),
                         testing::CaseName);

TEST(ScrapedPageTableData, HasTheCasesItPromises) {
  const auto names = PageNames();
  const auto bad = std::count_if(names.begin(), names.end(),
                                 [](const std::string& n) { return n.starts_with("bad-"); });
  EXPECT_GE(bad, 9);
  EXPECT_GE(static_cast<long>(names.size()) - bad, 24);
  for (const std::string& name : names) {
    if (name.starts_with("bad-")) continue;
    EXPECT_TRUE(fs::exists(TestData() / (name + ".expected.json"))) << name;
  }
}

// ---- The seed and its Russian version, spelled out ----

TEST(ScrapedPage, SeedIsParsedExactly) {
  const ParsedPage page = ParseFile("seed-en");
  EXPECT_EQ(content::ToIso8601(page.published_at, kZone), "2013-06-07T16:29:00+04:00");
  EXPECT_EQ(page.language, "en-GB");
  EXPECT_THAT(page.languages, ElementsAre("en-GB", "ru-RU"));
  EXPECT_THAT(page.title, ::testing::StartsWith("Speech of and answers to questions"));
  EXPECT_THAT(page.title, ::testing::EndsWith(", Moscow, 7 June 2013"));
  EXPECT_EQ(page.place, "Moscow");
  EXPECT_EQ(page.kind, Kind::kTranscript);
  ASSERT_EQ(page.blocks.size(), 9u);
  for (size_t i = 0; i < 7; ++i) EXPECT_EQ(page.blocks[i].type, Block::Type::kParagraph) << i;
  EXPECT_EQ(page.blocks[0].text, "Dear Ladies and Gentlemen,");
  const Block& question = page.blocks[7];
  EXPECT_EQ(question.type, Block::Type::kTurn);
  EXPECT_EQ(question.role, TurnRole::kQuestion);
  EXPECT_EQ(question.speaker, "Question");
  ASSERT_EQ(question.paragraphs.size(), 1u);
  EXPECT_THAT(question.paragraphs[0], ::testing::StartsWith("The latest statements"));
  const Block& answer = page.blocks[8];
  EXPECT_EQ(answer.role, TurnRole::kAnswer);
  EXPECT_EQ(answer.speaker, "Sergey Lavrov");
  ASSERT_EQ(answer.paragraphs.size(), 4u);
  EXPECT_THAT(answer.paragraphs[0], ::testing::StartsWith("I would like to express"));
  EXPECT_THAT(answer.paragraphs[3], ::testing::StartsWith("In fact, we all need"));
  EXPECT_THAT(page.speakers, ElementsAre("Sergey Lavrov"));
  EXPECT_TRUE(page.related.empty());
}

TEST(ScrapedPage, RussianVersionOfTheSeed) {
  const ParsedPage page = ParseFile("seed-ru");
  EXPECT_EQ(content::ToIso8601(page.published_at, kZone), "2013-06-07T16:29:00+04:00");
  EXPECT_EQ(page.language, "ru-RU");
  EXPECT_THAT(page.languages, ElementsAre("en-GB", "ru-RU"));
  EXPECT_EQ(page.place, "Москва");
  EXPECT_EQ(page.kind, Kind::kTranscript);
  ASSERT_EQ(page.blocks.size(), 9u);
  EXPECT_EQ(page.blocks[0].text, "Дамы и господа,");
  EXPECT_EQ(page.blocks[7].speaker, "Вопрос");
  EXPECT_EQ(page.blocks[8].speaker, "С.В.Лавров");
  EXPECT_EQ(page.blocks[8].paragraphs.size(), 4u);
  EXPECT_THAT(page.speakers, ElementsAre("С.В.Лавров"));
}

// ---- Smaller behaviours, on pages written inline ----

std::string Page(const std::string& body, const std::string& date = "7 June 201316:29",
                 const std::string& title = "Statement by the Ministry, Moscow, 7 June 2013") {
  return "Asset Publisher\n\n" + date + "\n\n" + title + "\n\n  • en-GB1 ru-RU1\n\n" + body +
         "\n\nAdditional materials\n\nAdvanced settings";
}

TEST(ScrapedPage, GluedYearAndTimeIsSplit) {
  for (const char* date : {"7 June 201316:29", "7 June 2013 16:29", "7 June 2013, 16:29"}) {
    const ParsedPage page = ParseScrapedPage(Page("Text.", date), kZone);
    EXPECT_EQ(content::ToIso8601(page.published_at, kZone), "2013-06-07T16:29:00+04:00") << date;
  }
  const ParsedPage morning = ParseScrapedPage(Page("Text.", "7 June 20139:05"), kZone);
  EXPECT_EQ(content::ToIso8601(morning.published_at, kZone), "2013-06-07T09:05:00+04:00");
}

TEST(ScrapedPage, LocalTimeIsReadInTheGivenZone) {
  const ParsedPage page = ParseScrapedPage(Page("Text.", "10 January 201509:05"), kZone);
  EXPECT_EQ(content::ToIso8601(page.published_at, kZone), "2015-01-10T09:05:00+03:00");
  const ParsedPage london = ParseScrapedPage(Page("Text."), "Europe/London");
  EXPECT_EQ(content::ToIso8601Utc(london.published_at), "2013-06-07T15:29:00Z");
  EXPECT_THROW(ParseScrapedPage(Page("Text."), "Mars/Olympus"), Error);
}

TEST(ScrapedPage, SentenceLeadInsAreNotSpeakers) {
  const ParsedPage page = ParseScrapedPage(
      Page("First: we agreed on consultations.\n\nThus: the plan is ready.\n\n"
           "Note: this is a note.\n\nDear Colleagues: welcome.\n\nNATO: no comment.\n\n"
           "The answer is simple: no.\n\nLadies and Gentlemen: thank you."),
      kZone);
  ASSERT_EQ(page.blocks.size(), 7u);
  for (const Block& block : page.blocks) EXPECT_EQ(block.type, Block::Type::kParagraph);
  EXPECT_EQ(page.blocks[0].text, "First: we agreed on consultations.");
  EXPECT_TRUE(page.speakers.empty());
}

TEST(ScrapedPage, NamesWithInitialsAndParticlesAreSpeakers) {
  const ParsedPage page = ParseScrapedPage(
      Page("Question: When?\n\nM.Zakharova: Soon.\n\nE.Ihsanoglu: Yes.\n\n"
           "S.V. Lavrov: Indeed.\n\nUrsula von der Leyen: Agreed.\n\nAdel al-Jubeir: Fine.\n\n"
           "Zakharova: Continues as the same speaker.\n\nThanks: to all."),
      kZone);
  EXPECT_THAT(page.speakers, ElementsAre("M.Zakharova", "E.Ihsanoglu", "S.V. Lavrov",
                                         "Ursula von der Leyen", "Adel al-Jubeir"));
  ASSERT_EQ(page.blocks.size(), 7u);
  // "Zakharova" alone is the surname of a speaker already seen: that speaker again.
  EXPECT_EQ(page.blocks[6].speaker, "M.Zakharova");
  // "Thanks" is a lone word that is nobody's surname: it continues the turn.
  EXPECT_THAT(page.blocks[6].paragraphs,
              ElementsAre("Continues as the same speaker.", "Thanks: to all."));
}

TEST(ScrapedPage, SpeakerAloneOnItsLineTakesTheNextParagraphs) {
  const ParsedPage page =
      ParseScrapedPage(Page("Sergey Lavrov:\n\nFirst paragraph.\n\nSecond paragraph."), kZone);
  ASSERT_EQ(page.blocks.size(), 1u);
  EXPECT_EQ(page.blocks[0].speaker, "Sergey Lavrov");
  EXPECT_THAT(page.blocks[0].paragraphs, ElementsAre("First paragraph.", "Second paragraph."));
}

TEST(ScrapedPage, NoBreakSpaceRunsBecomeOneSpaceAndTheRestIsKept) {
  const ParsedPage page = ParseScrapedPage(
      Page("\xC2\xA0 Dear\xC2\xA0\xC2\xA0 colleagues,  twice spaced\t and tabbed. \xC2\xA0"),
      kZone);
  ASSERT_EQ(page.blocks.size(), 1u);
  EXPECT_EQ(page.blocks[0].text, "Dear colleagues,  twice spaced\t and tabbed.");
}

TEST(ScrapedPage, CarriageReturnsAndByteOrderMarkAreIgnored) {
  std::string text = "\xEF\xBB\xBF" + Page("Line one.\n\nLine two.");
  std::string crlf;
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  const ParsedPage page = ParseScrapedPage(crlf, kZone);
  EXPECT_EQ(page.title, "Statement by the Ministry, Moscow, 7 June 2013");
  ASSERT_EQ(page.blocks.size(), 2u);
  EXPECT_EQ(page.blocks[1].text, "Line two.");
}

TEST(ScrapedPage, LanguageLineFallsBackToTheChromesLanguage) {
  const ParsedPage en =
      ParseScrapedPage("Asset Publisher\n\n7 June 201316:29\n\nA title\n\nBody text.", kZone);
  EXPECT_EQ(en.language, "en-GB");
  EXPECT_THAT(en.languages, ElementsAre("en-GB"));
  // A language line without the page's own language gets it appended.
  const ParsedPage ru = ParseScrapedPage(
      "Публикатор ресурсов\n\n7 июня 201316:29\n\nЗаголовок\n\n• fr-FR1\n\nТекст.", kZone);
  EXPECT_EQ(ru.language, "ru-RU");
  EXPECT_THAT(ru.languages, ElementsAre("fr-FR", "ru-RU"));
  // Without chrome, the month names tell the language.
  const ParsedPage months = ParseScrapedPage("7 июня 201316:29\n\nЗаголовок\n\nТекст.", kZone);
  EXPECT_EQ(months.language, "ru-RU");
}

// ---- Date lines in the other languages of the site ----

std::string Dated(const std::string& date, const std::string& body = "Texte.",
                  const std::string& languages = "") {
  return date + "\n\nTitre\n\n" + (languages.empty() ? "" : "• " + languages + "\n\n") + body;
}

TEST(ScrapedPage, DateLinesInEveryLanguageGiveTheInstantAndTheLanguage) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"12 March 201418:05", "en-GB"},
      {"12 марта 201418:05", "ru-RU"},
      {"12 mars 201418:05", "fr-FR"},
      {"12 MARS 2014 18:05", "fr-FR"},
      {"12 de marzo de 201418:05", "es-ES"},
      {"12 de marzo de 2014, 18:05", "es-ES"},
      {"12. März 201418:05", "de-DE"},
      {"12. märz 2014 18:05", "de-DE"},
      {"12 de março de 201418:05", "pt-PT"},
      {"12 مارس 201418:05", "ar-SA"},
      {"١٢ مارس ٢٠١٤١٨:٠٥", "ar-SA"},
      {"\u200F12 مارس 2014\u200F 18:05", "ar-SA"},
      {"۱۲ مارس ۲۰۱۴ ۱۸:۰۵", "ar-SA"},
      {"12 آذار 201418:05", "ar-SA"},  // the Levant's month names
      {"2014年3月12日18:05", "zh-CN"},
      {"2014年3月12日 18:05", "zh-CN"},
      {"２０１４年３月１２日１８：０５", "zh-CN"},
  };
  for (const auto& [date, tag] : cases) {
    SCOPED_TRACE(date);
    ParsedPage page;
    ASSERT_NO_THROW(page = ParseScrapedPage(Dated(date), kZone));
    EXPECT_EQ(content::ToIso8601(page.published_at, kZone), "2014-03-12T18:05:00+04:00");
    EXPECT_EQ(page.language, tag);
    EXPECT_THAT(page.languages, ElementsAre(tag));
    EXPECT_EQ(page.title, "Titre");
  }
}

TEST(ScrapedPage, AbbreviatedMonthsAndTheFirstOfTheMonth) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"1er févr. 201509:30", "2015-02-01T09:30:00+03:00"},
      {"3 déc. 2015 9:30", "2015-12-03T09:30:00+03:00"},
      {"1. Okt. 201509:30", "2015-10-01T09:30:00+03:00"},
      {"1º de septiembre de 201509:30", "2015-09-01T09:30:00+03:00"},
      {"5 de set. de 201509:30", "2015-09-05T09:30:00+03:00"},
      {"3. Jänner 2015 9:30", "2015-01-03T09:30:00+03:00"},
      {"3 جانفي 2015 9:30", "2015-01-03T09:30:00+03:00"},
  };
  for (const auto& [date, instant] : cases) {
    const ParsedPage page = ParseScrapedPage(Dated(date), kZone);
    EXPECT_EQ(content::ToIso8601(page.published_at, kZone), instant) << date;
  }
}

TEST(ScrapedPage, AMonthTwoLanguagesShareIsTheirsByTheDateLinesShape) {
  // "mai" is French and German; German writes the day with a dot.
  EXPECT_EQ(ParseScrapedPage(Dated("12 mai 201418:05"), kZone).language, "fr-FR");
  EXPECT_EQ(ParseScrapedPage(Dated("12. Mai 201418:05"), kZone).language, "de-DE");
  // "April" and "August" are English and German alike.
  EXPECT_EQ(ParseScrapedPage(Dated("12 August 201418:05"), kZone).language, "en-GB");
  EXPECT_EQ(ParseScrapedPage(Dated("12. August 201418:05"), kZone).language, "de-DE");
}

TEST(ScrapedPage, SpanishAndPortugueseDatesWrittenAlikeGoByTheLanguageLineThenTheText) {
  const std::string date = "12 de abril de 201418:05";
  EXPECT_EQ(ParseScrapedPage(Dated(date, "Texto.", "en-GB1 pt-PT1"), kZone).language, "pt-PT");
  EXPECT_EQ(ParseScrapedPage(Dated(date, "Texto.", "en-GB1 es-ES1"), kZone).language, "es-ES");
  EXPECT_EQ(ParseScrapedPage(Dated(date, "Texto.", "pt-BR1 es-ES1"), kZone).language, "es-ES");
  EXPECT_EQ(
      ParseScrapedPage(Dated(date, "O Ministério não comentou a declaração do embaixador."), kZone)
          .language,
      "pt-PT");
  EXPECT_EQ(
      ParseScrapedPage(Dated(date, "El Ministerio y los embajadores del grupo."), kZone).language,
      "es-ES");
  const ParsedPage brazil = ParseScrapedPage(
      Dated("12 de agosto de 201418:05", "Os diplomatas do Brasil.", "en-GB1 pt-BR1"), kZone);
  EXPECT_EQ(brazil.language, "pt-BR");
  EXPECT_EQ(content::ToIso8601(brazil.published_at, kZone), "2014-08-12T18:05:00+04:00");
}

TEST(ScrapedPage, AnotherLanguagesDateLineOutweighsEnglishChrome) {
  const ParsedPage page = ParseScrapedPage(
      "Asset Publisher\n\n12 mars 201418:05\n\nDéclaration\n\n• en-GB1 fr-FR1\n\nTexte."
      "\n\nAdditional materials\n\nAdvanced settings",
      kZone);
  EXPECT_EQ(page.language, "fr-FR");
  EXPECT_THAT(page.languages, ElementsAre("en-GB", "fr-FR"));
}

TEST(ScrapedPage, LinesThatAreNoDateInAnyLanguageAreRejected) {
  for (const char* line : {"12 marzo 201418:05", "12 de mars de 201418:05", "12 März 201418:05",
                           "2014年3月12日", "12 mars 2014", "12 mars 201418:05 Paris",
                           "12 mars 14 18:05", "12 مارس 2014 18", "12 Mars2014-18:05"}) {
    try {
      ParseScrapedPage(std::string("Asset Publisher\n\n") + line + "\n\nTitre\n\nTexte.", kZone);
      ADD_FAILURE() << line << " was accepted";
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), HasSubstr("line 3: no date line such as '7 June 2013 16:29' in any of "
                                      "en, ru, fr, es, de, pt, ar, zh"))
          << line;
    }
  }
  // A date that reads but does not exist says so.
  EXPECT_THROW(ParseScrapedPage(Dated("31 de junio de 201418:05"), kZone), Error);
  EXPECT_THROW(ParseScrapedPage(Dated("2014年2月30日18:05"), kZone), Error);
}

TEST(ScrapedPage, PlaceFromATitleDatedInAnotherLanguage) {
  auto place = [](const std::string& date, const std::string& title) {
    return ParseScrapedPage(date + "\n\n" + title + "\n\nTexte.", kZone).place;
  };
  EXPECT_EQ(place("12 mars 201418:05", "Déclaration du Ministère, Paris, 12 mars 2014"), "Paris");
  EXPECT_EQ(place("12 de marzo de 201418:05",
                  "Declaración del Ministerio, Buenos Aires, 12 de marzo de 2014"),
            "Buenos Aires");
  EXPECT_EQ(place("12. März 201418:05", "Erklärung des Ministeriums, Berlin, 12. März 2014"),
            "Berlin");
  EXPECT_EQ(place("12 مارس 201418:05", "بيان وزارة الخارجية، القاهرة، 12 مارس 2014"), "القاهرة");
  EXPECT_EQ(place("12 mars 201418:05", "Déclaration, à Paris, 12 mars 2014"), "");
}

TEST(ScrapedPage, BinaryAndBrokenTextIsRejectedWithTheLine) {
  const std::string nul("Asset Publisher\n\n7 June 2013\0 16:29", 34);
  try {
    ParseScrapedPage(nul, kZone);
    FAIL() << "a NUL byte was accepted";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("line 3: binary data"));
  }
  try {
    ParseScrapedPage(Page("Good.\n\nBad \xC3\x28 byte."), kZone);
    FAIL() << "invalid UTF-8 was accepted";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("line 11: invalid UTF-8"));
  }
  EXPECT_THROW(ParseScrapedPage("\x1b[31mAsset Publisher", kZone), Error);
}

TEST(ScrapedPage, PlaceNeedsADateInTheTitlesTail) {
  auto place = [](const std::string& title) {
    return ParseScrapedPage(Page("Text.", "7 June 201316:29", title), kZone).place;
  };
  EXPECT_EQ(place("Remarks at the reception, New York, 24 September 2013"), "New York");
  EXPECT_EQ(place("Выступление на приеме, Нижний Новгород, 7 июня 2013 г."), "Нижний Новгород");
  EXPECT_EQ(place("Talks in Brussels, Brussels, 17-18 June 2013"), "Brussels");
  EXPECT_EQ(place("Interview to the newspaper Kommersant, 3 October 2013"), "");
  EXPECT_EQ(place("Statement on the talks, Moscow"), "");
  EXPECT_EQ(place("Statement, on the results of the talks of 2013, 7 June 2013"), "");
}

TEST(InferKind, TitlesInEnglishAndRussian) {
  const std::vector<std::pair<std::string, Kind>> cases = {
      {"Speech of and answers to questions of mass media by Sergey Lavrov", Kind::kTranscript},
      {"Выступление и ответы на вопросы СМИ С.В.Лаврова", Kind::kTranscript},
      {"Joint press conference of Sergey Lavrov and John Kerry", Kind::kTranscript},
      {"Совместная пресс-конференция С.В.Лаврова и Дж.Керри", Kind::kTranscript},
      {"Briefing by Official Spokesperson M.Zakharova", Kind::kTranscript},
      {"SPEECH BY SERGEY LAVROV AT THE UN GENERAL ASSEMBLY", Kind::kSpeech},
      {"Address by the Minister to the participants of the forum", Kind::kSpeech},
      {"Opening remarks by Sergey Lavrov", Kind::kSpeech},
      {"ВЫСТУПЛЕНИЕ С.В.ЛАВРОВА НА ГЕНЕРАЛЬНОЙ АССАМБЛЕЕ ООН", Kind::kSpeech},
      {"Речь Министра на церемонии", Kind::kSpeech},
      {"Interview of Sergey Lavrov to Kommersant", Kind::kInterview},
      {"Интервью С.В.Лаврова газете «Коммерсантъ»", Kind::kInterview},
      {"Statement by the Ministry on the Korean Peninsula", Kind::kStatement},
      {"Заявление МИД России", Kind::kStatement},
      {"Comment by the Information and Press Department on the statement of the EU",
       Kind::kComment},
      {"Комментарий ДИП МИД России в связи с заявлением ЕС", Kind::kComment},
      {"Statement addressed to the participants of the conference", Kind::kStatement},
      {"Russia and the Asia-Pacific region: new horizons", Kind::kArticle},
      {"Россия и АТР: новые горизонты", Kind::kArticle},
  };
  for (const auto& [title, kind] : cases) {
    EXPECT_EQ(content::KindName(InferKind(title)), content::KindName(kind)) << title;
  }
}

// Titles as the ministry's French, Spanish, German, Portuguese, Arabic and Chinese sites write
// them.
TEST(InferKind, TitlesInTheOtherLanguagesOfTheSite) {
  const std::vector<std::pair<std::string, Kind>> cases = {
      {"Déclaration du Ministère des Affaires étrangères de la Russie", Kind::kStatement},
      {"Discours de Sergueï Lavrov à l'Assemblée générale des Nations unies", Kind::kSpeech},
      {"Allocution du Ministre aux participants du forum", Kind::kSpeech},
      {"Intervention de Sergueï Lavrov au Conseil de sécurité", Kind::kSpeech},
      {"Intervention et réponses aux questions des médias de Sergueï Lavrov", Kind::kTranscript},
      {"Entretien de Sergueï Lavrov accordé au journal Le Figaro", Kind::kInterview},
      {"Conférence de presse conjointe de Sergueï Lavrov et de Laurent Fabius", Kind::kTranscript},
      {"Point de presse de la porte-parole Maria Zakharova", Kind::kTranscript},
      {"Commentaire du Département de l'information et de la presse", Kind::kComment},
      {"Declaración del Ministerio de Asuntos Exteriores de Rusia", Kind::kStatement},
      {"Discurso de Serguéi Lavrov en la Asamblea General de la ONU", Kind::kSpeech},
      {"Intervención y respuestas a preguntas de los medios de Serguéi Lavrov", Kind::kTranscript},
      {"Entrevista de Serguéi Lavrov al diario El País", Kind::kInterview},
      {"Rueda de prensa conjunta de Serguéi Lavrov", Kind::kTranscript},
      {"Conferencia de prensa de Serguéi Lavrov", Kind::kTranscript},
      {"Comentario del Departamento de Información y Prensa", Kind::kComment},
      {"Erklärung des Außenministeriums Russlands", Kind::kStatement},
      {"Rede von Sergej Lawrow vor der UN-Generalversammlung", Kind::kSpeech},
      {"Rede und Antworten auf Fragen der Medien von Sergej Lawrow", Kind::kTranscript},
      {"Ansprache des Ministers an die Teilnehmer des Forums", Kind::kSpeech},
      {"Interview von Sergej Lawrow für die Zeitung „Die Welt“", Kind::kInterview},
      {"Gemeinsame Pressekonferenz von Sergej Lawrow und Frank-Walter Steinmeier",
       Kind::kTranscript},
      {"Kommentar der Informations- und Presseabteilung", Kind::kComment},
      {"Declaração do Ministério dos Negócios Estrangeiros da Rússia", Kind::kStatement},
      {"Discurso de Serguei Lavrov na Assembleia Geral da ONU", Kind::kSpeech},
      {"Discurso e respostas às perguntas da imprensa de Serguei Lavrov", Kind::kTranscript},
      {"Entrevista de Serguei Lavrov ao jornal Folha de S.Paulo", Kind::kInterview},
      {"Conferência de imprensa conjunta de Serguei Lavrov", Kind::kTranscript},
      {"Coletiva de imprensa de Serguei Lavrov", Kind::kTranscript},
      {"Entrevista coletiva de Serguei Lavrov em Brasília", Kind::kTranscript},
      {"Comentário do Departamento de Informação e Imprensa", Kind::kComment},
      {"بيان وزارة الخارجية الروسية", Kind::kStatement},
      {"كلمة وزير الخارجية الروسي سيرغي لافروف أمام الجمعية العامة للأمم المتحدة", Kind::kSpeech},
      {"كلمة وزير الخارجية سيرغي لافروف وأجوبته على أسئلة وسائل الإعلام", Kind::kTranscript},
      {"مقابلة وزير الخارجية سيرغي لافروف مع صحيفة الأهرام", Kind::kInterview},
      {"مؤتمر صحفي مشترك لوزير الخارجية سيرغي لافروف", Kind::kTranscript},
      {"المؤتمر الصحفي لوزير الخارجية الروسي", Kind::kTranscript},
      {"تعليق إدارة الإعلام والصحافة", Kind::kComment},
      {"俄罗斯外交部声明", Kind::kStatement},
      {"谢·维·拉夫罗夫在联合国大会上的讲话", Kind::kSpeech},
      {"谢·维·拉夫罗夫的讲话及答记者问", Kind::kTranscript},
      {"谢·维·拉夫罗夫接受《人民日报》采访", Kind::kInterview},
      {"谢·维·拉夫罗夫与洛朗·法比尤斯举行联合记者会", Kind::kTranscript},
      {"外交部发言人玛·扎哈罗娃例行新闻发布会", Kind::kTranscript},
      {"外交部新闻与出版司评论", Kind::kComment},
      // No kind word: an article, whatever the language.
      {"La Russie et l'Asie-Pacifique : de nouveaux horizons", Kind::kArticle},
      {"Rusia y Asia-Pacífico: nuevos horizontes", Kind::kArticle},
      {"Russland und der Asien-Pazifik-Raum: neue Horizonte", Kind::kArticle},
      {"موسكو والعالم العربي: آفاق جديدة", Kind::kArticle},
      {"俄罗斯与亚太地区：新的前景", Kind::kArticle},
      // A French or Spanish word that is English too keeps its English reading.
      {"Military intervention is no answer", Kind::kArticle},
  };
  for (const auto& [title, kind] : cases) {
    EXPECT_EQ(content::KindName(InferKind(title)), content::KindName(kind)) << title;
  }
}

}  // namespace
}  // namespace assetpub::importers
