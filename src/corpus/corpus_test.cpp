#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "content/asset_json.h"
#include "content/instant.h"
#include "content/validate.h"
#include "core/error.h"
#include "corpus/generator.h"
#include "corpus/vocabulary.h"
#include "corpus/word_count.h"
#include "corpus/word_lists.h"
#include "support/temp_dir.h"

namespace assetpub::corpus {
namespace {

namespace fs = std::filesystem;
using content::Asset;
using content::Block;
using content::Kind;
using ::testing::HasSubstr;

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const WordLists& Words() {
  static const WordLists words = LoadWordLists();
  return words;
}

class CorpusTest : public ::testing::Test {
 protected:
  assetpub::testing::TempDir temp_{"assetpub-corpus-"};
};

TEST_F(CorpusTest, SameSeedGivesIdenticalBytesAndAnotherSeedDiffers) {
  const auto a = GenerateCorpus(1500, 42, temp_.path() / "a");
  const auto b = GenerateCorpus(1500, 42, temp_.path() / "b");
  const auto c = GenerateCorpus(1500, 43, temp_.path() / "c");
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  ASSERT_EQ(c.size(), 2u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].filename(), b[i].filename());
    EXPECT_TRUE(Read(a[i]) == Read(b[i])) << a[i] << " and " << b[i] << " differ";
    EXPECT_FALSE(Read(a[i]) == Read(c[i])) << "seed 43 wrote what seed 42 did";
  }
}

TEST_F(CorpusTest, FilesHoldAThousandIdLessAssetsInOurExportShape) {
  const auto files = GenerateCorpus(1200, 1, temp_.path());
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].filename(), "corpus-00001.json");
  EXPECT_EQ(files[1].filename(), "corpus-00002.json");
  const auto first = nlohmann::json::parse(Read(files[0]));
  const auto second = nlohmann::json::parse(Read(files[1]));
  ASSERT_TRUE(first.is_array());
  EXPECT_EQ(first.size(), 1000u);
  EXPECT_EQ(second.size(), 200u);
  for (const auto& item : first) {
    EXPECT_FALSE(item.contains("id"));
    const Asset asset = content::AssetFromJson(item);
    EXPECT_EQ(asset.id, 0);
    EXPECT_NO_THROW(content::Validate(asset));
  }
}

TEST_F(CorpusTest, ASmallerCorpusReplacesABiggerOneInTheSameFolder) {
  GenerateCorpus(2100, 1, temp_.path());
  ASSERT_TRUE(fs::exists(temp_.path() / "corpus-00003.json"));
  std::ofstream(temp_.path() / "notes.txt") << "mine";
  GenerateCorpus(900, 1, temp_.path());
  EXPECT_TRUE(fs::exists(temp_.path() / "corpus-00001.json"));
  EXPECT_FALSE(fs::exists(temp_.path() / "corpus-00002.json"));
  EXPECT_FALSE(fs::exists(temp_.path() / "corpus-00003.json"));
  EXPECT_TRUE(fs::exists(temp_.path() / "notes.txt")) << "other files are left alone";
}

// A file the writers cannot write ends the run with an error naming it; the files after it are
// not left behind half-written.
TEST_F(CorpusTest, AFileThatCannotBeWrittenIsNamedInTheError) {
  fs::create_directories(temp_.path() / "corpus-00002.json.partial");  // in the way
  try {
    GenerateCorpus(5000, 1, temp_.path());
    FAIL() << "the corpus was written over a folder";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
    EXPECT_THAT(e.what(), HasSubstr("corpus-00002.json.partial"));
  }
  EXPECT_FALSE(fs::exists(temp_.path() / "corpus-00002.json"));
  for (const auto& entry : fs::directory_iterator(temp_.path())) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".partial")) {
      EXPECT_EQ(name, "corpus-00002.json.partial");
    }
  }
}

TEST_F(CorpusTest, ACountOutOfRangeIsRefused) {
  try {
    GenerateCorpus(0, 1, temp_.path());
    FAIL() << "count 0 was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_THAT(e.what(), HasSubstr("--count"));
  }
}

// The sequence of block shapes a translation has: what must be equal in both languages.
std::vector<std::string> Shape(const content::Translation& t) {
  std::vector<std::string> shape;
  for (const Block& block : t.blocks) {
    std::string entry(content::BlockTypeName(block.type));
    if (block.type == Block::Type::kTurn) {
      entry += fmt::format(":{}:{}", content::TurnRoleName(block.role), block.paragraphs.size());
    }
    shape.push_back(entry);
  }
  return shape;
}

size_t Paragraphs(const content::Translation& t) {
  size_t n = 0;
  for (const Block& block : t.blocks) {
    n += block.type == Block::Type::kTurn ? block.paragraphs.size() : 1;
  }
  return n;
}

// A block's text: a paragraph's, or a turn's paragraphs one after the other.
std::string Text(const Block& block) {
  std::string text = block.text;
  for (const auto& p : block.paragraphs) text += (text.empty() ? "" : " ") + p;
  return text;
}

TEST(Generator, EveryItemIsValidBilingualAndShapedByItsKind) {
  Generator generator(Words(), 3000, 7);
  std::map<Kind, int> kinds;
  std::set<std::string> titles_so_far;
  const content::Instant earliest = content::FromLocal({2006, 1, 1, 0, 0, 0}, "Europe/Moscow");
  const content::Instant latest = content::FromLocal({2026, 1, 1, 0, 0, 0}, "Europe/Moscow");
  for (int i = 0; i < 3000; ++i) {
    const Asset asset = generator.Next();
    SCOPED_TRACE(fmt::format("item {}: {}", i, content::ToJson(asset).dump().substr(0, 300)));
    ASSERT_NO_THROW(content::Validate(asset));
    EXPECT_EQ(asset.id, 0);
    EXPECT_EQ(asset.status, content::Status::kPublished);
    EXPECT_EQ(asset.languages, (std::vector<std::string>{"en-GB", "ru-RU"}));
    ASSERT_EQ(asset.translations.size(), 2u);
    const content::Translation& en = asset.translations.at("en-GB");
    const content::Translation& ru = asset.translations.at("ru-RU");
    EXPECT_EQ(Shape(en), Shape(ru));
    EXPECT_NE(en.title, ru.title);
    EXPECT_FALSE(en.summary.empty());
    EXPECT_FALSE(ru.summary.empty());
    EXPECT_GE(Paragraphs(en), 3u);
    EXPECT_LE(Paragraphs(en), 12u);
    EXPECT_GE(asset.published_at, earliest);
    EXPECT_LT(asset.published_at, latest);
    EXPECT_FALSE(asset.tags.empty());
    EXPECT_EQ(asset.categories.count("region"), 1u);
    EXPECT_EQ(asset.categories.count("topic"), 1u);
    for (const auto& related : asset.related) {
      EXPECT_EQ(related.id, 0);
      EXPECT_TRUE(titles_so_far.contains(related.title)) << related.title;
    }
    ++kinds[asset.kind];

    std::set<std::string> answer_speakers;
    size_t turns = 0;
    for (const Block& block : en.blocks) {
      if (block.type != Block::Type::kTurn) continue;
      ++turns;
      if (block.role == content::TurnRole::kQuestion) {
        EXPECT_EQ(block.speaker, "Question");
      } else {
        answer_speakers.insert(block.speaker);
      }
    }
    for (const Block& block : ru.blocks) {
      if (block.type == Block::Type::kTurn && block.role == content::TurnRole::kQuestion) {
        EXPECT_EQ(block.speaker, "Вопрос");
      }
    }
    switch (asset.kind) {
      case Kind::kTranscript:
        ASSERT_GE(en.blocks.size(), 3u);
        EXPECT_EQ(en.blocks.front().type, Block::Type::kParagraph) << "opening speech first";
        EXPECT_GE(turns, 2u);
        EXPECT_GE(answer_speakers.size(), 1u);
        EXPECT_LE(answer_speakers.size(), 3u);
        EXPECT_THAT(en.title, HasSubstr(", "));
        EXPECT_THAT(ru.title, HasSubstr(" года"));
        // Only the ministry's own people answer (the questions ask for Russia's position), also
        // at a joint press conference after talks with a foreign guest.
        for (const auto& speaker : answer_speakers) {
          const auto person = std::find_if(kPeople.begin(), kPeople.end(),
                                           [&](const Person& p) { return p.en == speaker; });
          ASSERT_NE(person, kPeople.end()) << speaker;
          EXPECT_TRUE(person->russian) << speaker << " answers at " << en.title;
        }
        break;
      case Kind::kInterview:
        EXPECT_EQ(turns, en.blocks.size()) << "an interview is questions and answers";
        EXPECT_EQ(en.blocks.front().role, content::TurnRole::kQuestion);
        EXPECT_EQ(answer_speakers.size(), 1u);
        EXPECT_THAT(en.title, ::testing::StartsWith("Interview of "));
        EXPECT_THAT(ru.title, ::testing::StartsWith("Интервью "));
        break;
      default:
        EXPECT_EQ(turns, 0u) << "speeches, statements, comments and articles have no turns";
        break;
    }
    for (const auto& person : answer_speakers) {
      EXPECT_NE(std::find(asset.people.begin(), asset.people.end(), person), asset.people.end())
          << person << " answers but is not among the people";
    }
    titles_so_far.insert(en.title);
  }
  EXPECT_EQ(kinds.size(), 6u) << "transcript, speech, statement, comment, interview, article";
  EXPECT_GT(kinds[Kind::kTranscript], 500);
}

TEST(Generator, TextHasAZipfLikeWordDistribution) {
  Generator generator(Words(), 1000, 3);
  std::map<std::string, int> counts;
  int total = 0;
  for (int i = 0; i < 1000; ++i) {
    const Asset asset = generator.Next();
    for (const Block& block : asset.translations.at("en-GB").blocks) {
      for (const std::string& word : LowerCaseWords(Text(block))) {
        ++counts[word];
        ++total;
      }
    }
  }
  ASSERT_GT(total, 100000);
  // As in English prose: "the" about 6-10% of the words, "of" about half of that.
  EXPECT_GT(counts["the"], total / 20);
  EXPECT_LT(counts["the"], total / 8);
  EXPECT_GT(counts["of"], counts["the"] / 3);
  EXPECT_LT(counts["of"], counts["the"]);
  // A long tail: words seen once or twice are most of the vocabulary.
  size_t rare = 0;
  for (const auto& [word, n] : counts) rare += n <= 2 ? 1 : 0;
  EXPECT_GT(counts.size(), 2000u);
  EXPECT_GT(rare, counts.size() / 2) << counts.size() << " distinct words, " << rare << " rare";
}

TEST(Generator, SearchesFindTopicsPlacesAndPeopleInTheText) {
  Generator generator(Words(), 200, 5);
  int with_tag_in_text = 0;
  for (int i = 0; i < 200; ++i) {
    const Asset asset = generator.Next();
    std::string text;
    for (const Block& block : asset.translations.at("en-GB").blocks) {
      text += block.text + " ";
      for (const auto& p : block.paragraphs) text += p + " ";
    }
    text = LowerCase(text);
    for (const auto& tag : asset.tags) {
      if (text.find(LowerCase(tag)) != std::string::npos) {
        ++with_tag_in_text;
        break;
      }
    }
  }
  EXPECT_GT(with_tag_in_text, 150);
}

// Words a ministry's site must never show, in both languages (whole words, any case): the
// crude words the random-word generator once wrote and the commonest obscenities and slurs.
constexpr std::array<std::string_view, 44> kOffensiveWords{
    "harlot",  "harlots", "fecal",  "slaughtered", "fuck",   "fucking", "shit",   "cunt",
    "whore",   "slut",    "bitch",  "bastard",     "piss",   "cock",    "dick",   "ass",
    "asshole", "rape",    "raped",  "porn",        "semen",  "feces",   "nigger", "faggot",
    "retard",  "murder",  "corpse", "хуй",         "пизда",  "блядь",   "бляди",  "сука",
    "ебать",   "ебаный",  "жопа",   "говно",       "дерьмо", "шлюха",   "мудак",  "пидор",
    "залупа",  "гандон",  "труп",   "убийство",
};

TEST(Generator, NoItemHasAnOffensiveWordAndEveryParagraphEndsLikeASentence) {
  const std::set<std::string_view> offensive(kOffensiveWords.begin(), kOffensiveWords.end());
  Generator generator(Words(), 5000, 1);
  size_t paragraphs = 0;
  for (int i = 0; i < 5000; ++i) {
    const Asset asset = generator.Next();
    for (const auto& [language, t] : asset.translations) {
      std::vector<std::string> texts = {t.title, t.summary};
      for (const Block& block : t.blocks) {
        std::vector<std::string> block_paragraphs = block.paragraphs;
        if (block.type == Block::Type::kParagraph) block_paragraphs = {block.text};
        for (const std::string& paragraph : block_paragraphs) {
          ++paragraphs;
          ASSERT_FALSE(paragraph.empty()) << "item " << i << " " << language;
          EXPECT_THAT(std::string(1, paragraph.back()), ::testing::AnyOf(".", "?", "!"))
              << "item " << i << " " << language << ": " << paragraph;
          EXPECT_EQ(paragraph.find_first_of("{}"), std::string::npos)
              << "a template names an unknown slot: " << paragraph;
          texts.push_back(paragraph);
        }
        texts.push_back(block.speaker);
      }
      for (const std::string& text : texts) {
        for (const std::string& word : LowerCaseWords(text)) {
          ASSERT_FALSE(offensive.contains(word))
              << "item " << i << " " << language << " says '" << word << "': " << text;
        }
      }
    }
  }
  EXPECT_GT(paragraphs, 50000u);
}

// The topics (indexes into kTopics) `text` names, in English or in any Russian case form.
std::set<size_t> TopicsNamed(const std::string& text, bool english) {
  const std::string lower = LowerCase(text);
  std::set<size_t> topics;
  for (size_t i = 0; i < kTopics.size(); ++i) {
    const Topic& topic = kTopics[i];
    const bool named = english ? lower.find(LowerCase(topic.en)) != std::string::npos
                               : lower.find(LowerCase(topic.ru_gen)) != std::string::npos ||
                                     lower.find(LowerCase(topic.ru_dat)) != std::string::npos ||
                                     lower.find(LowerCase(topic.ru_about)) != std::string::npos;
    if (named) topics.insert(i);
  }
  return topics;
}

TEST(Generator, QuestionsAskAboutATopicAndTheAnswerNamesIt) {
  Generator generator(Words(), 400, 9);
  int questions = 0;
  for (int i = 0; i < 400; ++i) {
    const Asset asset = generator.Next();
    for (const auto& [language, t] : asset.translations) {
      const bool english = language == "en-GB";
      for (size_t b = 0; b < t.blocks.size(); ++b) {
        const Block& question = t.blocks[b];
        if (question.type != Block::Type::kTurn || question.role != content::TurnRole::kQuestion) {
          continue;
        }
        ++questions;
        SCOPED_TRACE(fmt::format("item {} {}: {}", i, language, Text(question)));
        EXPECT_TRUE(question.paragraphs.back().ends_with("?")) << "a question asks";
        ASSERT_LT(b + 1, t.blocks.size()) << "a question is answered";
        const Block& answer = t.blocks[b + 1];
        ASSERT_EQ(answer.role, content::TurnRole::kAnswer);
        EXPECT_NE(answer.speaker, question.speaker);
        const std::set<size_t> asked = TopicsNamed(Text(question), english);
        const std::set<size_t> answered = TopicsNamed(answer.paragraphs.front(), english);
        ASSERT_FALSE(asked.empty()) << "the question names no topic";
        EXPECT_TRUE(std::any_of(asked.begin(), asked.end(),
                                [&](size_t topic) { return answered.contains(topic); }))
            << "the answer does not name what was asked: " << answer.paragraphs.front();
        const auto tag = std::find_if(asset.tags.begin(), asset.tags.end(), [&](const auto& tag) {
          return asked.contains(static_cast<size_t>(
              std::find_if(kTopics.begin(), kTopics.end(),
                           [&](const Topic& topic) { return topic.tag == tag; }) -
              kTopics.begin()));
        });
        EXPECT_NE(tag, asset.tags.end()) << "the question is about one of the item's tags";
      }
    }
  }
  EXPECT_GT(questions, 200);
}

TEST(Generator, BothLanguagesAreWrittenFromTheSameDraws) {
  Generator generator(Words(), 200, 4);
  for (int i = 0; i < 200; ++i) {
    const Asset asset = generator.Next();
    const content::Translation& en = asset.translations.at("en-GB");
    const content::Translation& ru = asset.translations.at("ru-RU");
    ASSERT_EQ(en.blocks.size(), ru.blocks.size());
    for (size_t b = 0; b < en.blocks.size(); ++b) {
      // The topics the Russian paragraph names, the English one names too: the Russian text
      // translates the English. (Not equal sets: "cooperation within the SCO" is a topic's
      // English form in any sentence, its Russian nominative is none of the forms looked for.)
      const std::set<size_t> english = TopicsNamed(Text(en.blocks[b]), true);
      const std::set<size_t> russian = TopicsNamed(Text(ru.blocks[b]), false);
      EXPECT_TRUE(std::includes(english.begin(), english.end(), russian.begin(), russian.end()))
          << "item " << i << ": " << Text(en.blocks[b]) << " | " << Text(ru.blocks[b]);
    }
  }
}

TEST(Generator, EveryPersonHasARussianNameAndItemsCarryIt) {
  for (const Person& person : kPeople) {
    EXPECT_FALSE(person.ru_full.empty()) << person.en;
    EXPECT_EQ(LowerCaseWords(person.ru_full).size(), LowerCaseWords(person.en).size())
        << person.en << " / " << person.ru_full;
    for (const std::string& word : LowerCaseWords(person.ru_full)) {
      EXPECT_EQ(word.find_first_of("abcdefghijklmnopqrstuvwxyz"), std::string::npos)
          << person.ru_full << " is not all Cyrillic";
    }
  }
  Generator generator(Words(), 500, 6);
  int with_people = 0;
  for (int i = 0; i < 500; ++i) {
    const Asset asset = generator.Next();
    std::vector<std::string> english;
    std::vector<std::string> russian;
    for (const std::string& name : asset.people) {
      const auto person = std::find_if(kPeople.begin(), kPeople.end(), [&](const Person& p) {
        return p.en == name || p.ru_full == name;
      });
      ASSERT_NE(person, kPeople.end()) << "item " << i << ": " << name;
      (person->en == name ? english : russian).push_back(name);
    }
    // The English names, then the same people's Russian names in the same order.
    ASSERT_EQ(english.size(), russian.size()) << "item " << i;
    for (size_t k = 0; k < english.size(); ++k) {
      const auto person = std::find_if(kPeople.begin(), kPeople.end(),
                                       [&](const Person& p) { return p.en == english[k]; });
      EXPECT_EQ(russian[k], person->ru_full) << "item " << i;
    }
    with_people += english.empty() ? 0 : 1;
  }
  EXPECT_GT(with_people, 400);
}

// Real press items of a ministry have thousands of distinct words per thousand items (the one
// sample, a Russian transcript, has 519 in 776 words); the generator's text must not fall back to
// a phrasebook, which would make index and search benchmarks flatter than real text.
TEST(Generator, AThousandItemsHaveAVocabularyLikePressProse) {
  Generator generator(Words(), 1000, 1);
  WordCount count;
  for (int i = 0; i < 1000; ++i) count.Add(generator.Next());
  const auto totals = count.Totals();
  EXPECT_GT(totals.at("en-GB").distinct, 5000) << "English words: " << totals.at("en-GB").words;
  EXPECT_GT(totals.at("ru-RU").distinct, 6000) << "Russian words: " << totals.at("ru-RU").words;
  EXPECT_GT(totals.at("all").distinct, 11000);
  EXPECT_GT(totals.at("en-GB").words, 300'000);
}

TEST(WordLists, OffensiveWordsAreBlockedAndLeftOutOfTheLists) {
  for (const std::string_view word : kOffensiveWords) EXPECT_TRUE(IsBlocked(word)) << word;
  for (const std::string_view word : {"class", "cooperation", "assembly", "переговоры", "сукно"}) {
    EXPECT_FALSE(IsBlocked(word)) << word;
  }
  const WordLists& words = Words();
  for (const auto& word : words.english) ASSERT_FALSE(IsBlocked(word)) << word;
  for (const auto& word : words.russian) ASSERT_FALSE(IsBlocked(word)) << word;
}

TEST(WordLists, SystemListsAreLowerCaseWithoutApostrophesOrFlags) {
  const WordLists& words = Words();
  EXPECT_GT(words.english.size(), 50000u);
  EXPECT_GT(words.russian.size(), 50000u);
  for (const auto& word : words.english) {
    ASSERT_EQ(word.find_first_not_of("abcdefghijklmnopqrstuvwxyz"), std::string::npos) << word;
  }
  for (const auto& word : words.russian) {
    ASSERT_EQ(word.find('/'), std::string::npos) << word;
    ASSERT_TRUE(content::IsValidUtf8(word)) << word;
  }
}

TEST(WordLists, AMissingListNamesThePackageToInstall) {
  try {
    LoadWordLists("/nonexistent/american-english", kRussianDictionary);
    FAIL() << "a missing list was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
    EXPECT_THAT(e.what(), HasSubstr("wamerican"));
  }
  try {
    LoadWordLists(kEnglishWordList, "/nonexistent/ru_RU.dic");
    FAIL() << "a missing list was accepted";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("hunspell-ru"));
  }
}

TEST(WordLists, AKoi8rDictionaryIsConvertedToUtf8) {
  const assetpub::testing::TempDir temp("assetpub-corpus-");
  std::ofstream(temp.path() / "ru_RU.aff") << "SET KOI8-R\nTRY abc\n";
  // "мир/A" and "слово" in KOI8-R, and a capitalised name that is skipped.
  std::ofstream(temp.path() / "ru_RU.dic", std::ios::binary)
      << "3\n\xCD\xC9\xD2/A\n\xD3\xCC\xCF\xD7\xCF\n\xED\xC9\xD2\n";
  const WordLists words = LoadWordLists(kEnglishWordList, temp.path() / "ru_RU.dic");
  EXPECT_EQ(words.russian, (std::vector<std::string>{"мир", "слово"}));
}

}  // namespace
}  // namespace assetpub::corpus
