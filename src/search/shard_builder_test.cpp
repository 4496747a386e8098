// The rebuild's shards and groups: the runs of shards compacted as they are written leave only
// their groups in the scratch, and the generation compacted from groups equals the one compacted
// from the plain shards, document for document.

#include "search/shard_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "corpus/generator.h"
#include "corpus/word_lists.h"
#include "search/document.h"
#include "support/temp_dir.h"

namespace assetpub::search::internal {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;

constexpr int64_t kItems = 25;

std::vector<content::Asset> Items() {
  const corpus::WordLists lists = corpus::LoadWordLists();
  corpus::Generator generator(lists, kItems, 11);
  std::vector<content::Asset> items;
  for (int64_t id = 1; id <= kItems; ++id) {
    items.push_back(generator.Next());
    items.back().id = id;
  }
  return items;
}

std::set<std::string> Names(const fs::path& folder) {
  std::set<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

// A document as text: its data, then every term with its wdf and positions.
std::string Describe(const Xapian::Document& doc) {
  std::string text = doc.get_data();
  for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
    text += "\n" + *term + " " + std::to_string(term.get_wdf());
    for (auto pos = term.positionlist_begin(); pos != term.positionlist_end(); ++pos) {
      text += " " + std::to_string(*pos);
    }
  }
  return text;
}

ShardBuilder::Output Build(const std::vector<content::Asset>& items, const fs::path& folder,
                           ShardSizes sizes) {
  fs::create_directories(folder);
  ShardBuilder builder(folder, 2, 0, sizes);
  for (const content::Asset& asset : items) builder.Add(asset);
  return builder.Finish();
}

TEST(ShardBuilder, RunsOfShardsAreCompactedIntoGroupsAsTheyAreWritten) {
  const assetpub::testing::TempDir dir("assetpub-shard-builder-");
  const std::vector<content::Asset> items = Items();
  // 25 assets, 2 a shard: 13 shards, the first 12 in four groups of 3, the last alone.
  const ShardBuilder::Output output = Build(items, dir.path() / "grouped", {2, 3});
  std::vector<std::string> names;
  for (const fs::path& path : output.paths) names.push_back(path.filename().string());
  EXPECT_THAT(names, ElementsAre("g0", "g1", "g2", "g3", "s12", "spelling0"));
  EXPECT_EQ(Names(dir.path() / "grouped"),
            (std::set<std::string>{"g0", "g1", "g2", "g3", "s12", "spelling0"}));
  EXPECT_EQ(output.assets, kItems);
  EXPECT_EQ(output.languages, (std::set<std::string>{"en", "ru"}));
}

TEST(ShardBuilder, AGenerationFromGroupsEqualsOneFromTheShards) {
  const assetpub::testing::TempDir dir("assetpub-shard-builder-");
  const std::vector<content::Asset> items = Items();
  // What a rebuild does with the output: one compaction, in the output's order.
  CompactInto(Build(items, dir.path() / "grouped", {2, 3}).paths, dir.path() / "from-groups");
  CompactInto(Build(items, dir.path() / "plain", {2, 1000}).paths, dir.path() / "from-shards");
  const Xapian::Database grouped((dir.path() / "from-groups").string());
  const Xapian::Database plain((dir.path() / "from-shards").string());
  ASSERT_EQ(grouped.get_doccount(), plain.get_doccount());
  ASSERT_GE(grouped.get_doccount(), static_cast<Xapian::doccount>(2 * kItems));
  int64_t last_asset = 0;
  for (Xapian::docid did = 1; did <= grouped.get_lastdocid(); ++did) {
    const Xapian::Document doc = grouped.get_document(did);
    EXPECT_EQ(Describe(doc), Describe(plain.get_document(did))) << "document " << did;
    // The store's order: the asset term of each document, never going back.
    auto term = doc.termlist_begin();
    term.skip_to(std::string(kAssetTerm));
    ASSERT_TRUE(term != doc.termlist_end() && (*term).starts_with(kAssetTerm));
    const int64_t asset = std::stoll((*term).substr(kAssetTerm.size()));
    EXPECT_GE(asset, last_asset);
    last_asset = asset;
  }
  EXPECT_EQ(last_asset, kItems);
  // The spelling dictionary is the same, word for word and count for count.
  std::vector<std::string> grouped_words, plain_words;
  for (auto it = grouped.spellings_begin(); it != grouped.spellings_end(); ++it) {
    grouped_words.push_back(*it + " " + std::to_string(it.get_termfreq()));
  }
  for (auto it = plain.spellings_begin(); it != plain.spellings_end(); ++it) {
    plain_words.push_back(*it + " " + std::to_string(it.get_termfreq()));
  }
  EXPECT_FALSE(grouped_words.empty());
  EXPECT_EQ(grouped_words, plain_words);
}

}  // namespace
}  // namespace assetpub::search::internal
