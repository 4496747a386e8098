// Common grams: the pairs a document gets, the phrases they rewrite, and that an index with pairs
// finds exactly what the same index without them finds, for phrases taken from a generated
// corpus (the words the pairs are made of are measured from it, as a rebuild does).

#include "search/common_grams.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "content/instant.h"
#include "corpus/generator.h"
#include "search/document.h"
#include "search/generations.h"
#include "search/search_index.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace assetpub::search {
namespace {

using content::Asset;
using content::Block;
using internal::AddCommonGrams;
using internal::BuildDocuments;
using internal::CommonWords;
using internal::GramTerm;
using internal::WithCommonGrams;
using ::testing::HasSubstr;

Asset OneParagraphAsset(const std::string& title, const std::vector<std::string>& paragraphs) {
  Asset asset;
  asset.id = 7;
  asset.status = content::Status::kPublished;
  asset.kind = content::Kind::kStatement;
  asset.published_at = content::ParseIso8601("2013-05-01T09:00:00Z");
  asset.time_zone = "Europe/Moscow";
  content::Translation translation;
  translation.language = "en-GB";
  translation.title = title;
  for (const std::string& text : paragraphs) translation.blocks.push_back(Block::Paragraph(text));
  asset.translations.emplace("en-GB", std::move(translation));
  return asset;
}

std::set<std::string> GramTerms(const Xapian::Document& doc) {
  std::set<std::string> terms;
  for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
    if ((*term).starts_with(internal::kGramTerm)) terms.insert(*term);
  }
  return terms;
}

TEST(CommonGrams, WordsComeBackThroughTheirEncoding) {
  const CommonWords words = CommonWords::Decode("of\nthe\nв");
  EXPECT_EQ(words.size(), 3u);
  EXPECT_TRUE(words.Contains("в"));
  EXPECT_FALSE(words.Contains("minister"));
  EXPECT_EQ(CommonWords::Decode(words.Encode()).Encode(), "of\nthe\nв");
  EXPECT_TRUE(CommonWords::Decode("").empty());
}

TEST(CommonGrams, MeasuresTheWordsMostDocumentsOfALanguageHold) {
  std::vector<Asset> sample;
  for (int i = 0; i < 20; ++i) {
    sample.push_back(OneParagraphAsset(
        "Item " + std::to_string(i),
        {"The minister of foreign affairs spoke of word" + std::string(1, 'a' + i % 26) + "."}));
  }
  const CommonWords two = CommonWords::Measure(sample, 2);
  EXPECT_EQ(two.size(), 2u);
  // Every document holds "the", "minister", "of", …: the ties go alphabetically.
  EXPECT_TRUE(two.Contains("affairs"));
  EXPECT_TRUE(two.Contains("foreign"));
  const CommonWords many = CommonWords::Measure(sample, 200);
  EXPECT_TRUE(many.Contains("the"));
  EXPECT_TRUE(many.Contains("of"));
  EXPECT_TRUE(many.Contains("item"));        // a title word of every item
  EXPECT_FALSE(many.Contains("worda"));      // in one document of 20: not common
  EXPECT_FALSE(many.Contains("Sminister"));  // a title: term is no word
  EXPECT_TRUE(CommonWords::Measure(sample, 0).empty());
}

TEST(CommonGrams, PairTwoCommonNeighboursWithinAParagraphOnly) {
  std::vector<Xapian::Document> docs = BuildDocuments(OneParagraphAsset(
      "Meeting", {"The end of the talks of", "the ministers of foreign affairs"}));
  ASSERT_EQ(docs.size(), 1u);
  AddCommonGrams(docs[0], CommonWords::Decode("of\nthe"));
  // "of the" once: never across paragraphs ("of" | "the"), nor with an uncommon neighbour
  // ("the end", "of foreign"). The pair sits at its first word's position.
  EXPECT_EQ(GramTerms(docs[0]), (std::set<std::string>{GramTerm("of", "the")}));
  const Xapian::Document& doc = docs[0];
  for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
    if (*term != GramTerm("of", "the")) continue;
    EXPECT_EQ(term.positionlist_count(), 1u);
    for (auto talks = doc.termlist_begin(); talks != doc.termlist_end(); ++talks) {
      if (*talks != "talks") continue;
      EXPECT_EQ(*term.positionlist_begin() + 2, *talks.positionlist_begin());
    }
  }
  // No common words: no pairs.
  std::vector<Xapian::Document> plain = BuildDocuments(OneParagraphAsset("Talks", {"The end"}));
  AddCommonGrams(plain[0], CommonWords());
  EXPECT_TRUE(GramTerms(plain[0]).empty());
}

TEST(CommonGrams, RewritesPhrasesOfCommonWordsIntoPairs) {
  const CommonWords common = CommonWords::Decode("is\nof\nthe");
  const auto phrase = [](std::vector<std::string> words) {
    std::vector<Xapian::Query> terms(words.begin(), words.end());
    return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                         static_cast<Xapian::termcount>(terms.size()));
  };
  // Two common words: one term.
  EXPECT_EQ(WithCommonGrams(phrase({"of", "the"}), common).get_description(),
            Xapian::Query(GramTerm("of", "the")).get_description());
  // Every neighbour pair is common: a phrase of pairs.
  const std::string three = WithCommonGrams(phrase({"the", "is", "of"}), common).get_description();
  EXPECT_THAT(three, HasSubstr("PHRASE 2"));
  EXPECT_THAT(three, HasSubstr("XGthe is"));
  EXPECT_THAT(three, HasSubstr("XGis of"));
  // An uncommon word among them: the phrase, filtered by its pair.
  const std::string mixed =
      WithCommonGrams(phrase({"minister", "of", "the"}), common).get_description();
  EXPECT_THAT(mixed, HasSubstr("FILTER"));
  EXPECT_THAT(mixed, HasSubstr("PHRASE 3"));
  EXPECT_THAT(mixed, HasSubstr("XGof the"));
  // Inside other operators too; NEAR, uncommon phrases and prefixed (title:) words stay.
  const Xapian::Query nested(Xapian::Query::OP_AND, Xapian::Query("talks"), phrase({"of", "the"}));
  EXPECT_THAT(WithCommonGrams(nested, common).get_description(), HasSubstr("XGof the"));
  const Xapian::Query near(Xapian::Query::OP_NEAR, Xapian::Query("of"), Xapian::Query("the"));
  for (const Xapian::Query& same :
       {near, phrase({"foreign", "affairs"}), phrase({"the", "minister"}), phrase({"Sthe", "Sis"}),
        Xapian::Query("of")}) {
    EXPECT_EQ(WithCommonGrams(same, common).get_description(), same.get_description());
  }
  EXPECT_EQ(WithCommonGrams(phrase({"the", "is"}), CommonWords()).get_description(),
            phrase({"the", "is"}).get_description());
}

// Two indexes of the same generated corpus, with and without pairs: every phrase of two or three
// consecutive words of its text finds the same items in both.
TEST(CommonGrams, AnIndexWithPairsFindsWhatOneWithoutFinds) {
  const assetpub::testing::TempDir temp("assetpub-common-grams-");
  auto store = store::OpenStore("sqlite:" + (temp.path() / "store.db").string());
  const corpus::WordLists lists = corpus::LoadWordLists();
  corpus::Generator items(lists, 150, 3);
  std::vector<std::string> paragraphs;
  {
    auto transaction = store->Begin();
    for (int i = 0; i < 150; ++i) {
      Asset asset = items.Next();
      for (const auto& [tag, translation] : asset.translations) {
        for (const Block& block : translation.blocks) {
          if (block.type == Block::Type::kParagraph) paragraphs.push_back(block.text);
          for (const std::string& text : block.paragraphs) paragraphs.push_back(text);
        }
      }
      transaction->Put(asset);
    }
    transaction->Commit();
  }
  SearchIndex with(temp.path() / "with");
  with.SetCommonWords(200);  // the default is none (common_grams.h)
  with.Rebuild(*store);
  SearchIndex without(temp.path() / "without");
  without.SetCommonWords(0);
  without.Rebuild(*store);

  internal::Generations generations(temp.path() / "with");
  Xapian::Database db((temp.path() / "with" / generations.Current()).string());
  const CommonWords common = CommonWords::Decode(db.get_metadata(internal::kCommonWordsKey));
  ASSERT_GT(common.size(), 100u);  // English and Russian, up to 200 each
  EXPECT_TRUE(common.Contains("the"));
  EXPECT_TRUE(common.Contains("в"));
  EXPECT_NE(db.allterms_begin(std::string(internal::kGramTerm)),
            db.allterms_end(std::string(internal::kGramTerm)));
  // Format 3 with pairs; 2 without, so that an index without them is never rebuilt for them.
  EXPECT_EQ(db.get_metadata(internal::kFormatKey), internal::kIndexFormatWithGrams);
  internal::Generations plain(temp.path() / "without");
  EXPECT_EQ(Xapian::Database((temp.path() / "without" / plain.Current()).string())
                .get_metadata(internal::kFormatKey),
            internal::kIndexFormat);

  // Phrases from every 101st paragraph: its words two and three at a time.
  int compared = 0, all_common = 0;
  for (size_t p = 0; p < paragraphs.size(); p += 101) {
    // Its words as the index holds them ("Russia's" is one word): a TermGenerator's positions.
    Xapian::Document scratch;
    Xapian::TermGenerator generator;
    generator.set_document(scratch);
    generator.index_text(paragraphs[p]);
    std::vector<std::pair<Xapian::termpos, std::string>> positioned;
    for (auto term = scratch.termlist_begin(); term != scratch.termlist_end(); ++term) {
      for (auto pos = term.positionlist_begin(); pos != term.positionlist_end(); ++pos) {
        positioned.emplace_back(*pos, *term);
      }
    }
    std::sort(positioned.begin(), positioned.end());
    std::vector<std::string> words;
    for (const auto& [pos, word] : positioned) words.push_back(word);
    for (size_t n = 2; n <= 3; ++n) {
      for (size_t at = 0; at + n <= words.size(); at += 3) {
        std::string text;
        bool every_pair = true;
        for (size_t i = at; i < at + n; ++i) {
          text += (text.empty() ? "" : " ") + words[i];
          if (i > at)
            every_pair = every_pair && common.Contains(words[i - 1]) && common.Contains(words[i]);
        }
        Query query;
        query.text = "\"" + text + "\"";
        query.sort = Sort::kNewest;
        query.page_size = 100;
        query.facets = false;
        const Results a = with.Search(query);
        const Results b = without.Search(query);
        if (b.total > 100) continue;  // compared whole only
        std::set<std::string> found_a, found_b;
        for (const Hit& hit : a.hits) found_a.insert(std::to_string(hit.asset_id) + hit.language);
        for (const Hit& hit : b.hits) found_b.insert(std::to_string(hit.asset_id) + hit.language);
        EXPECT_EQ(found_a, found_b) << query.text;
        EXPECT_FALSE(found_b.empty()) << query.text;  // the phrase is from the corpus
        ++compared;
        all_common += every_pair;
      }
    }
  }
  std::printf("%d phrases compared, %d of them matched by pairs alone\n", compared, all_common);
  EXPECT_GT(compared, 100);
  EXPECT_GT(all_common, 20);  // phrases matched by pairs alone
}

}  // namespace
}  // namespace assetpub::search
