// `assetpub import` writes the store and returns; the search index catches up in `serve`. While
// the index is behind, the site serves every page and search says how much is searchable (the
// page's notice, the API's `index` field, /readyz). "Behind" is made deterministic the way it
// happens on a real server: another process (here the test itself) holds the index's write lock,
// as a `reindex` or an `import --wait-index` does, so serve's follower cannot catch up until it
// lets go.

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/test_paths.h"

namespace {

using assetpub::testing::HttpClient;
using assetpub::testing::Reply;
using assetpub::testing::RunCommand;
using assetpub::testing::ServerProcess;
using ::testing::HasSubstr;
using ::testing::Not;

// Eight published items the sample content does not have, in our JSON import format.
nlohmann::json EightItems() {
  nlohmann::json items = nlohmann::json::array();
  for (int i = 1; i <= 8; ++i) {
    const std::string n = std::to_string(i);
    items.push_back(
        {{"kind", "statement"},
         {"status", "published"},
         {"published_at", "2015-05-1" + std::to_string(i % 10) + "T12:00:00+03:00"},
         {"time_zone", "Europe/Moscow"},
         {"languages", {"en-GB"}},
         {"translations",
          {{"en-GB",
            {{"title", "Numbat statement " + n},
             {"slug", "numbat-statement-" + n},
             {"blocks", {{{"type", "paragraph"}, {"text", "The numbat count " + n + "."}}}}}}}}});
  }
  return items;
}

// The index's write lock (DATA/index/write.lock), held as another index writer holds it.
class IndexWriteLock {
 public:
  explicit IndexWriteLock(const std::filesystem::path& index) {
    fd_ = ::open((index / "write.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    held_ = fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) == 0;
  }
  IndexWriteLock(const IndexWriteLock&) = delete;
  IndexWriteLock& operator=(const IndexWriteLock&) = delete;
  ~IndexWriteLock() { Release(); }
  bool held() const { return held_; }
  void Release() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
    fd_ = -1;
    held_ = false;
  }

 private:
  int fd_ = -1;
  bool held_ = false;
};

nlohmann::json Json(const Reply& reply) {
  return nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
}

TEST(IndexLag, ImportReturnsAndSearchSaysHowMuchIsSearchableUntilServeCatchesUp) {
  const assetpub::testing::TempDir temp("assetpub-it-index-lag-");
  const std::filesystem::path data = temp.path() / "data";
  const std::string binary = ASSETPUB_BINARY;

  // Two items indexed (asked to wait), then eight more imported without waiting while another
  // writer holds the index: the store has ten published items, the index two.
  auto [first, first_output] =
      RunCommand({binary, "--data", data.string(), "import", "--wait-index",
                  std::string(ASSETPUB_SOURCE_DIR) + "/sample-content"});
  ASSERT_EQ(first, 0) << first_output;
  EXPECT_THAT(first_output, HasSubstr("search index: 2 asset(s) indexed"));
  IndexWriteLock lock(data / "index");
  ASSERT_TRUE(lock.held());
  const std::filesystem::path file = temp.path() / "numbats.json";
  std::ofstream(file) << EightItems().dump();
  auto [second, second_output] =
      RunCommand({binary, "--data", data.string(), "import", file.string()});
  ASSERT_EQ(second, 0) << second_output;
  EXPECT_THAT(second_output, HasSubstr("search index: not updated here"));
  EXPECT_THAT(second_output, Not(HasSubstr("asset(s) indexed")));

  ServerProcess server(data);
  ASSERT_NE(server.port(), 0) << server.startup_output();
  HttpClient client(server.port());

  // Every page is served: the new items' pages and lists come from the store.
  const Reply list = client.Fetch("/api/v1/assets?page_size=20");
  ASSERT_EQ(list.status, 200) << list.body;
  int64_t numbat_id = 0;
  const nlohmann::json listed = Json(list);
  for (const auto& asset : listed["items"]) {
    if (asset["translations"]["en-GB"].value("slug", "") == "numbat-statement-3") {
      numbat_id = asset["id"];
    }
  }
  ASSERT_NE(numbat_id, 0) << list.body;
  const Reply item =
      client.Fetch("/en/assets/" + std::to_string(numbat_id) + "-numbat-statement-3");
  EXPECT_EQ(item.status, 200);
  EXPECT_THAT(item.body, HasSubstr("Numbat statement 3"));

  // Search answers from what is indexed and says how much that is: 2 of 10 items.
  const nlohmann::json behind = Json(client.Fetch("/api/v1/search?q=numbat"));
  EXPECT_EQ(behind["total"], 0) << behind.dump();
  EXPECT_EQ(behind["index_complete"], false);
  EXPECT_EQ(behind["index"],
            nlohmann::json({{"complete", false}, {"indexed", 2}, {"total", 10}, {"percent", 20}}));
  const Reply page = client.Fetch("/en/search?q=Lavrov");
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("<p class=\"search-incomplete notice\">The search index is "
                                   "being built: 20% of items are searchable.</p>"));
  EXPECT_THAT(page.body, HasSubstr("Speech of and answers to questions"));  // what it holds
  // In the page's language, with ICU's percent sign and spacing (a no-break space in Russian).
  EXPECT_THAT(client.Fetch("/ru/search?q=Lavrov").body, HasSubstr("20\u00A0%"));

  // The readiness report shows the lag, in changes and in items (whether the node takes traffic
  // is the lag in seconds' call, /readyz's rule: here the changes are a second old).
  const Reply ready = client.Fetch("/readyz");
  const nlohmann::json readiness = Json(ready);
  EXPECT_GE(readiness["search"]["lag_changes"].get<int64_t>(), 8) << ready.body;
  EXPECT_EQ(readiness["search"]["items"]["lag"], 8) << ready.body;
  EXPECT_EQ(readiness["search"]["items"]["percent"], 20) << ready.body;

  // The other writer lets go: serve's follower catches up, and the notice goes.
  lock.Release();
  nlohmann::json caught_up;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  do {
    caught_up = Json(client.Fetch("/api/v1/search?q=numbat"));
    if (caught_up.contains("index") && caught_up["index"].value("complete", false)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (std::chrono::steady_clock::now() < deadline);
  ASSERT_EQ(caught_up["index"],
            nlohmann::json({{"complete", true}, {"indexed", 10}, {"total", 10}, {"percent", 100}}))
      << caught_up.dump();
  EXPECT_EQ(caught_up["total"], 8);
  EXPECT_THAT(client.Fetch("/en/search?q=numbat").body, Not(HasSubstr("search-incomplete")));
  const nlohmann::json readiness_after = Json(client.Fetch("/readyz"));
  EXPECT_EQ(readiness_after["search"]["lag_changes"], 0);
  EXPECT_EQ(readiness_after["search"]["items"]["lag"], 0);
  EXPECT_EQ(server.Terminate(std::chrono::seconds(15)), 0);
}

}  // namespace
