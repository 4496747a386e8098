#pragma once
// Test data only: the seed item (DESIGN.md §1) as the importers should produce it, in English
// and Russian, shortened but with the same structure: 7 opening paragraphs, a question, and an
// answer of 4 paragraphs (p1…p12). Header-only, for the render and http unit tests.

#include <string>

#include "content/asset.h"
#include "content/instant.h"

namespace assetpub::render::testing {

inline content::Asset SeedAsset(int64_t id = 1) {
  using content::Block;
  using content::TurnRole;
  content::Asset asset;
  asset.id = id;
  asset.kind = content::Kind::kTranscript;
  asset.status = content::Status::kPublished;
  asset.time_zone = "Europe/Moscow";
  asset.published_at = content::FromLocal({2013, 6, 7, 16, 29, 0}, "Europe/Moscow");
  asset.languages = {"en-GB", "ru-RU"};
  asset.people = {"Sergey Lavrov", "Ekmeleddin Ihsanoglu"};

  content::Translation en;
  en.language = "en-GB";
  en.title =
      "Speech of and answers to questions of mass media by Russian Foreign Minister Sergey Lavrov "
      "during joint press conference summarizing the results of negotiations with OIC Secretary "
      "General Ekmeleddin Ihsanoglu, Moscow, 7 June 2013";
  en.slug = "speech-of-and-answers-to-questions-of-mass-media-by-russian-foreign-minister";
  en.place = "Moscow";
  en.summary = "Russia and the OIC agreed to continue regular political consultations.";
  en.blocks = {
      Block::Paragraph("Dear Ladies and Gentlemen,"),
      Block::Paragraph("Today we are welcoming the Secretary General of the OIC."),
      Block::Paragraph("Russia in an observer to the OIC."),
      Block::Paragraph("We talked about Syria a lot."),
      Block::Paragraph("Russia advocates for the widest representation of the opposition."),
      Block::Paragraph("Together with OIC we are certainly united by our aspiration."),
      Block::Paragraph("We agreed to continue regular political consultations."),
      Block::Turn(TurnRole::kQuestion, "Question",
                  {"The latest statements of representatives of US Administration affirm that "
                   "the Syrian Army could not have freed Al-Qusayr. How could you comment?"}),
      Block::Turn(TurnRole::kAnswer, "Sergey Lavrov",
                  {"I would like to express some considerations.",
                   "The statements of US representatives quoted by you have another aspect.",
                   "We are very concerned with the fate of civilians in Syria.",
                   "In fact, we all need to find our position."}),
  };
  en.source = "000_c859f3be1a1edfd6.txt";
  asset.translations["en-GB"] = en;

  content::Translation ru;
  ru.language = "ru-RU";
  ru.title =
      "Выступление и ответы на вопросы СМИ Министра иностранных дел России С.В.Лаврова в ходе "
      "совместной пресс-конференции по итогам переговоров с Генеральным секретарем ОИС "
      "Э.Ихсаноглу, Москва, 7 июня 2013 года";
  ru.slug = "vystupleniye-i-otvety-na-voprosy-smi-ministra-inostrannykh-del-rossii-s-v-lavrova";
  ru.place = "Москва";
  ru.blocks = {
      Block::Paragraph("Дамы и господа,"),
      Block::Paragraph("Сегодня мы принимаем в Министерстве иностранных дел Генерального "
                       "секретаря ОИС."),
      Block::Paragraph("Россия является наблюдателем при ОИС."),
      Block::Paragraph("Мы много говорили о Сирии."),
      Block::Paragraph("Россия выступает за самое широкое представительство."),
      Block::Paragraph("С ОИС нас, безусловно, объединяет стремление к урегулированию."),
      Block::Paragraph("Мы договорились продолжать регулярные политические консультации."),
      Block::Turn(TurnRole::kQuestion, "Вопрос",
                  {"Последние заявления представителей администрации США утверждают…"}),
      Block::Turn(TurnRole::kAnswer, "С.В.Лавров",
                  {"Хотел бы высказать некоторые соображения.",
                   "У процитированных Вами заявлений есть и другой аспект.",
                   "Мы очень обеспокоены судьбой мирного населения Сирии.",
                   "По сути, всем нам нужно определиться с позицией."}),
  };
  ru.source = "ru-RU_2013-06-07_press-conference-oic.txt";
  asset.translations["ru-RU"] = ru;
  return asset;
}

}  // namespace assetpub::render::testing
