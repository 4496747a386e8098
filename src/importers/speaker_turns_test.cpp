#include "importers/speaker_turns.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace assetpub::importers {
namespace {

using content::Block;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

// A block as one line: "Q speaker (note) | paragraph | paragraph …", "A speaker | paragraph …"
// or "P text", so that a case's expectation reads like the page.
std::string Describe(const Block& block) {
  if (block.type != Block::Type::kTurn) return "P " + block.text;
  std::string line = block.role == content::TurnRole::kQuestion ? "Q " : "A ";
  line += block.speaker;
  if (!block.note.empty()) line += " (" + block.note + ")";
  for (const std::string& paragraph : block.paragraphs) line += " | " + paragraph;
  return line;
}

std::vector<std::string> Turns(const std::vector<std::string>& paragraphs) {
  std::vector<Block> blocks;
  for (const std::string& text : paragraphs) blocks.push_back(Block::Paragraph(text));
  std::vector<std::string> lines;
  for (const Block& block : GroupTurns(std::move(blocks))) lines.push_back(Describe(block));
  return lines;
}

struct TurnCase {
  std::string language;
  std::vector<std::string> paragraphs;  // as a page's body has them
  std::vector<std::string> expected;    // Describe() of each block GroupTurns makes
};

// Transcripts as the ministry's French, Spanish, German, Portuguese, Arabic and Chinese sites
// write them: the question label in the page's language, the minister named in its script.
const std::vector<TurnCase>& TurnCases() {
  static const std::vector<TurnCase> cases = {
      {"fr",
       {"Question : Monsieur le Ministre, quelles sont vos attentes ?",
        "S.Lavrov : Nous sommes prêts à poursuivre le dialogue.", "Premièrement : la sécurité.",
        "Question\u00A0: Et les sanctions ?", "Sergueï Riabkov\u202F: Elles ne mènent à rien.",
        "Question (traduit de l'anglais) : Quand ?", "Lavrov : Bientôt."},
       {"Q Question | Monsieur le Ministre, quelles sont vos attentes ?",
        "A S.Lavrov | Nous sommes prêts à poursuivre le dialogue. | Premièrement : la sécurité.",
        "Q Question | Et les sanctions ?", "A Sergueï Riabkov | Elles ne mènent à rien.",
        "Q Question (traduit de l'anglais) | Quand ?", "A S.Lavrov | Bientôt."}},
      {"fr, before any turn",
       {"Mesdames et Messieurs : merci.", "Chers Collègues : bienvenue.",
        "Le Ministre a déclaré : « Non ».", "Déclaration Commune : texte."},
       {"P Mesdames et Messieurs : merci.", "P Chers Collègues : bienvenue.",
        "P Le Ministre a déclaré : « Non ».", "P Déclaration Commune : texte."}},
      {"es",
       {"Pregunta: Señor Ministro, ¿cómo valora las conversaciones?",
        "S.V.Lavrov: Las valoramos positivamente.", "Primero: la seguridad.",
        "Señoras y Señores: gracias.", "PREGUNTA: ¿Y el calendario?",
        "Serguéi Lavrov: Lo acordaremos."},
       {"Q Pregunta | Señor Ministro, ¿cómo valora las conversaciones?",
        "A S.V.Lavrov | Las valoramos positivamente. | Primero: la seguridad. | Señoras y "
        "Señores: gracias.",
        "Q Pregunta | ¿Y el calendario?", "A Serguéi Lavrov | Lo acordaremos."}},
      {"de",
       {"Frage: Herr Minister, wie bewerten Sie die Gespräche?",
        "S.Lawrow: Wir bewerten sie positiv.", "Zum Beispiel: die Wirtschaft.",
        "Die Ergebnisse der Gespräche: gut.", "Sehr geehrte Damen: danke.",
        "Frage (aus dem Englischen übersetzt): Wann?", "Sergej Lawrow: Bald."},
       {"Q Frage | Herr Minister, wie bewerten Sie die Gespräche?",
        "A S.Lawrow | Wir bewerten sie positiv. | Zum Beispiel: die Wirtschaft. | Die "
        "Ergebnisse der Gespräche: gut. | Sehr geehrte Damen: danke.",
        "Q Frage (aus dem Englischen übersetzt) | Wann?", "A Sergej Lawrow | Bald."}},
      {"pt",
       {"Pergunta: Senhor Ministro, como avalia as negociações?",
        "S.Lavrov: Avaliamos positivamente.", "Primeiro: a segurança.",
        "Senhoras e Senhores: obrigado.", "Serguei Riabkov: Continuaremos."},
       {"Q Pergunta | Senhor Ministro, como avalia as negociações?",
        "A S.Lavrov | Avaliamos positivamente. | Primeiro: a segurança. | Senhoras e Senhores: "
        "obrigado.",
        "A Serguei Riabkov | Continuaremos."}},
      {"ar",
       {"سؤال: ما هو تقييمكم للمحادثات؟", "س.لافروف: نحن نقيمها بشكل إيجابي.", "أولا: الأمن.",
        "وقال الوزير: لا.", "السيدات والسادة: شكرا.", "كما قال لافروف: نعم.",
        "سؤال (مترجم عن الإنجليزية): ومتى؟", "ماريا زاخاروفا: قريبا.", "لافروف: شكرا."},
       {"Q سؤال | ما هو تقييمكم للمحادثات؟",
        "A س.لافروف | نحن نقيمها بشكل إيجابي. | أولا: الأمن. | وقال الوزير: لا. | السيدات "
        "والسادة: شكرا. | كما قال لافروف: نعم.",
        "Q سؤال (مترجم عن الإنجليزية) | ومتى؟", "A ماريا زاخاروفا | قريبا.", "A س.لافروف | شكرا."}},
      {"zh",
       {"问：您如何评价会谈的结果？", "谢·维·拉夫罗夫：我们对会谈结果表示满意。",
        "双方商定：继续定期磋商。", "问（译自英语）：何时？", "拉夫罗夫：很快。", "他说：是的。",
        "第一：安全。"},
       {"Q 问 | 您如何评价会谈的结果？",
        "A 谢·维·拉夫罗夫 | 我们对会谈结果表示满意。 | 双方商定：继续定期磋商。",
        "Q 问 (译自英语) | 何时？", "A 谢·维·拉夫罗夫 | 很快。 | 他说：是的。 | 第一：安全。"}},
  };
  return cases;
}

TEST(GroupTurns, QuestionsAndAnswersInEveryLanguageOfTheSite) {
  for (const TurnCase& c : TurnCases()) {
    SCOPED_TRACE(c.language);
    EXPECT_THAT(Turns(c.paragraphs), ElementsAreArray(c.expected));
  }
}

TEST(GroupTurns, AParagraphOpeningNoTurnContinuesTheCurrentOne) {
  const std::vector<Block> blocks =
      GroupTurns({Block::Paragraph("问：会谈如何？"), Block::Paragraph("谢·维·拉夫罗夫："),
                  Block::Paragraph("双方商定：继续定期磋商。"), Block::Paragraph("他说：是的。")});
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[1].speaker, "谢·维·拉夫罗夫");
  EXPECT_THAT(blocks[1].paragraphs, ElementsAre("双方商定：继续定期磋商。", "他说：是的。"));
}

TEST(GroupTurns, EnglishAndRussianAreReadAsBefore) {
  EXPECT_THAT(
      Turns({"Question: When?", "Sergey Lavrov: Soon.", "QUESTION: Where?", "Lavrov: Here.",
             "Вопрос: Когда?", "С.В.Лавров: Скоро.", "Question (translated from Norwegian): Why?",
             "First: we agreed.", "At 18:05: the talks began.", "NATO: no comment."}),
      ElementsAre("Q Question | When?", "A Sergey Lavrov | Soon.", "Q Question | Where?",
                  "A Sergey Lavrov | Here.", "Q Вопрос | Когда?", "A С.В.Лавров | Скоро.",
                  "Q Question (translated from Norwegian) | Why? | First: we agreed. | At "
                  "18:05: the talks began. | NATO: no comment."));
}

TEST(AnswerSpeakers, InOrderOfFirstAppearance) {
  const auto blocks =
      GroupTurns({Block::Paragraph("سيرغي لافروف: نعم."), Block::Paragraph("S.Lavrov : Oui."),
                  Block::Paragraph("لافروف: شكرا.")});
  EXPECT_THAT(AnswerSpeakers(blocks), ElementsAre("سيرغي لافروف", "S.Lavrov"));
}

}  // namespace
}  // namespace assetpub::importers
