#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "content/asset_json.h"
#include "content/instant.h"
#include "content/validate.h"
#include "core/error.h"
#include "corpus/generator.h"
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
  Generator generator(Words(), 300, 3);
  std::map<std::string, int> counts;
  int total = 0;
  for (int i = 0; i < 300; ++i) {
    const Asset asset = generator.Next();
    for (const Block& block : asset.translations.at("en-GB").blocks) {
      if (block.type != Block::Type::kParagraph) continue;
      std::istringstream words(block.text);
      for (std::string word; words >> word;) {
        ++counts[word];
        ++total;
      }
    }
  }
  ASSERT_GT(total, 10000);
  // Rank 1 ("the") takes about 1/H(N) ≈ 8% of the words; rank 2 about half of that.
  EXPECT_GT(counts["the"], total / 20);
  EXPECT_LT(counts["the"], total / 8);
  EXPECT_GT(counts["of"], counts["the"] / 3);
  EXPECT_LT(counts["of"], counts["the"]);
  EXPECT_GT(counts.size(), 3000u) << "a long tail of rarer words";
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
    for (const auto& tag : asset.tags) {
      if (text.find(tag) != std::string::npos) {
        ++with_tag_in_text;
        break;
      }
    }
  }
  EXPECT_GT(with_tag_in_text, 150);
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
