// A full disk, end to end, with the real binary under a file size limit (RLIMIT_FSIZE, set in the
// child before exec, SIGXFSZ ignored so that a write past it fails with EFBIG as a full disk
// fails with ENOSPC):
// - `assetpub import` of 400 items into a store allowed 2 MiB stops with a message naming the
//   problem and the file (exit code 4, no crash); the store is as it was (integrity, every
//   table), nothing is left in the data folder, and the same import completes once there is room;
// - `assetpub serve` allowed little more than its store takes answers the write that finds no
//   room 507 problem+json, keeps answering reads (item page, search, /healthz, a draft) 200,
//   keeps nothing of that write anywhere in the store, and writes again once it has room
//   (its limit raised from outside with prlimit, without a restart).
// Needs ASSETPUB_BINARY.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <boost/beast/http.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>  // before Asio: Asio 1.74 with g++ 12 needs std::exchange (DEPENDENCIES.md)
#include <vector>

#include "support/admin_browser.h"
#include "support/crash_checks.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/sqlite_file.h"
#include "support/temp_dir.h"

namespace {

namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;
namespace t = assetpub::testing;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// For the child, before exec: files may not grow past `bytes` (the soft limit; the hard one is
// left as it is, so that prlimit can lift the soft one later), and a write past it fails with
// EFBIG instead of ending the process.
t::InChild FileSizeLimit(rlim_t bytes) {
  return [bytes] {
    rlimit limit{};
    getrlimit(RLIMIT_FSIZE, &limit);
    limit.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limit);
    signal(SIGXFSZ, SIG_IGN);
  };
}

// `gen-corpus --count N --seed S` into `folder`.
void GenerateCorpus(const fs::path& folder, int count, int seed) {
  const auto [code, output] =
      t::RunCommand({ASSETPUB_BINARY, "gen-corpus", "--count", std::to_string(count), "--seed",
                     std::to_string(seed), "--out", folder.string()});
  ASSERT_EQ(code, 0) << output;
}

TEST(DiskFull, AnImportWithNoRoomStopsNamingTheProblemAndChangesNothing) {
  const t::TempDir temp("assetpub-disk-full-import-");
  const fs::path data = temp.path() / "data";
  GenerateCorpus(temp.path() / "small", 20, 1);
  GenerateCorpus(temp.path() / "large", 400, 2);
  const auto [first, first_output] =
      t::Assetpub(data, {"import", (temp.path() / "small").string()});
  ASSERT_EQ(first, 0) << first_output;
  const auto before = t::TableContents(data / "assetpub.db");
  const fs::path file = temp.path() / "large" / "corpus-00001.json";

  const auto [code, output] =
      t::RunCommand({ASSETPUB_BINARY, "--data", data.string(), "import", file.string()}, {}, true,
                    FileSizeLimit(2 << 20));
  EXPECT_EQ(code, 4) << output;  // not killed (-1), not an internal error (2)
  EXPECT_THAT(output, HasSubstr("assetpub: " + file.string() +
                                ": sqlite: COMMIT: no room left to write the store: "));
  EXPECT_THAT(output, HasSubstr(" (the disk is full, or a quota or file size limit is reached); "
                                "the import stopped at this file"));
  EXPECT_THAT(output, Not(HasSubstr("rejected")));  // a full disk is not the file's fault

  EXPECT_EQ(t::IntegrityCheck(data / "assetpub.db"), "ok");
  EXPECT_TRUE(t::TableContents(data / "assetpub.db") == before) << "the store changed";
  EXPECT_THAT(t::LeftBehind(data), IsEmpty());
  const auto [again, again_output] = t::Assetpub(data, {"import", file.string()});
  EXPECT_EQ(again, 0) << again_output;  // with room, the same file goes in
  EXPECT_THAT(again_output, HasSubstr("imported  " + file.string() + " (400 assets"));
}

// A draft of `paragraphs` paragraphs of 800 bytes: a few pages of the store each.
std::string Draft(const std::string& title, int paragraphs) {
  json blocks = json::array();
  for (int i = 0; i < paragraphs; ++i) {
    blocks.push_back({{"type", "paragraph"}, {"text", title + " " + std::string(800, 'x')}});
  }
  return json{{"kind", "statement"},
              {"translations", {{"en-GB", {{"title", title}, {"blocks", blocks}}}}}}
      .dump();
}

t::Reply Post(unsigned short port, const std::string& token, const std::string& body) {
  return t::Fetch(port, "/api/v1/assets",
                  {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
                  bhttp::verb::post, body);
}

TEST(DiskFull, AServerWithNoRoomAnswersTheWrite507AndKeepsServingReads) {
  const t::TempDir temp("assetpub-disk-full-serve-");
  const fs::path data = temp.path() / "data";
  GenerateCorpus(temp.path() / "corpus", 20, 3);
  const auto [imported, import_output] =
      t::Assetpub(data, {"import", (temp.path() / "corpus").string()});
  ASSERT_EQ(imported, 0) << import_output;
  const auto [indexed, index_output] = t::Assetpub(data, {"reindex"});  // nothing left to index
  ASSERT_EQ(indexed, 0) << index_output;
  const std::string token = t::MakeApiToken(ASSETPUB_BINARY, data.string(), "ed", "editor");
  ASSERT_FALSE(token.empty());
  const auto [exported, export_text] = t::Assetpub(data, {"export"}, false);
  ASSERT_EQ(exported, 0);
  const json published = json::parse(export_text).at(0);
  const std::string page = "/en/assets/" + std::to_string(published.at("id").get<int64_t>()) + "-" +
                           published.at("translations").at("en-GB").at("slug").get<std::string>();
  const std::string word = published.at("people").at(0).get<std::string>();

  // Files may grow to the store's size and 256 KiB more: the write-ahead log fills after a few
  // drafts.
  const rlim_t limit = fs::file_size(data / "assetpub.db") + 256 * 1024;
  t::ServerProcess server(data, {"--threads", "2"}, std::chrono::seconds(30), FileSizeLimit(limit));
  ASSERT_NE(server.port(), 0) << server.startup_output();
  std::vector<int64_t> saved;
  t::Reply refused;
  std::string refused_title;
  for (int i = 0; i < 1000 && refused.status == 0; ++i) {
    const std::string title = "Disk full draft " + std::to_string(i) + " Qzfull";
    const t::Reply reply = Post(server.port(), token, Draft(title, 20));
    if (reply.status == 201) {
      saved.push_back(json::parse(reply.body).at("id").get<int64_t>());
    } else {
      refused = reply;
      refused_title = title;
    }
  }
  ASSERT_NE(refused.status, 0) << "1,000 drafts went past a limit of " << limit << " bytes";
  EXPECT_EQ(refused.status, 507) << refused.body;
  EXPECT_EQ(refused.Header("content-type"), "application/problem+json; charset=utf-8");
  const json problem = json::parse(refused.body);
  EXPECT_EQ(problem.at("status"), 507);
  EXPECT_EQ(problem.at("type"), "urn:assetpub:problem:insufficient-storage");
  EXPECT_EQ(problem.at("detail"), "the server has no room left to store this; nothing was changed");

  // Still no room: reads are answered.
  EXPECT_EQ(t::Fetch(server.port(), "/healthz").status, 200);
  const t::Reply item = t::Fetch(server.port(), page);
  EXPECT_EQ(item.status, 200) << page;
  EXPECT_THAT(item.body, HasSubstr(word));
  const t::Reply search =
      t::Fetch(server.port(), "/api/v1/search?q=" + word.substr(0, word.find(' ')));
  EXPECT_EQ(search.status, 200) << search.body;
  EXPECT_GT(json::parse(search.body).value("total", 0), 0) << search.body;
  EXPECT_EQ(t::Fetch(server.port(), "/en/search?q=" + word.substr(0, word.find(' '))).status, 200);
  if (!saved.empty()) {
    const t::Reply draft =
        t::Fetch(server.port(), "/api/v1/assets/" + std::to_string(saved.back()) + "/draft",
                 {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(draft.status, 200) << draft.body;
  }

  // Room again (the limit lifted from outside): the server writes without a restart.
  rlimit lifted{};
  ASSERT_EQ(prlimit(server.pid(), RLIMIT_FSIZE, nullptr, &lifted), 0);
  lifted.rlim_cur = lifted.rlim_max;
  ASSERT_EQ(prlimit(server.pid(), RLIMIT_FSIZE, &lifted, nullptr), 0);
  const t::Reply after = Post(server.port(), token, Draft("Room again Qzfull", 2));
  EXPECT_EQ(after.status, 201) << after.body;
  ASSERT_EQ(server.Terminate(std::chrono::seconds(15)), 0);

  // The refused draft left nothing; every saved one is whole.
  EXPECT_EQ(t::IntegrityCheck(data / "assetpub.db"), "ok");
  for (const auto& [table, rows] : t::TableContents(data / "assetpub.db")) {
    EXPECT_THAT(rows, Not(HasSubstr(refused_title))) << "table " << table;
  }
  const auto [exported_after, after_text] = t::Assetpub(data, {"export"}, false);
  ASSERT_EQ(exported_after, 0);
  std::map<int64_t, json> assets;
  for (const json& asset : json::parse(after_text)) assets[asset.at("id")] = asset;
  EXPECT_EQ(assets.size(), 20 + saved.size() + (after.status == 201 ? 1 : 0));
  for (const int64_t id : saved) {
    ASSERT_TRUE(assets.contains(id)) << "draft " << id;
    EXPECT_EQ(assets[id].at("translations").at("en-GB").at("blocks").size(), 20u) << id;
  }
}

}  // namespace
