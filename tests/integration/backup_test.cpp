// `assetpub backup` and `restore` with the real binary, on SQLite and on PostgreSQL (a database
// of the test process's own server, support/postgres_server.h): a quiet store restores into an
// empty folder with the same export, accounts and search; a backup taken while a thread creates
// items through the write API of a running server restores exactly a prefix of those writes, in
// commit order, each as the source has it and with its media; a damaged backup and a non-empty
// target are refused with nothing written.
// Needs ASSETPUB_BINARY and ASSETPUB_SOURCE_DIR (compile definitions).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>  // before Asio: Asio 1.74 with g++ 12 needs std::exchange (DEPENDENCIES.md)
#include <vector>

#include "support/http_client.h"
#include "support/postgres_server.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace {

namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;
using assetpub::testing::Fetch;
using assetpub::testing::PostgresServer;
using assetpub::testing::Reply;
using assetpub::testing::RequestHeaders;
using assetpub::testing::RunCommand;
using assetpub::testing::ServerProcess;
using nlohmann::json;
using ::testing::HasSubstr;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// A PDF libmagic takes, different for each `n`, `padding` bytes longer than the smallest.
std::string Pdf(int n, size_t padding = 0) {
  return "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
         "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% file " +
         std::to_string(n) + "\n" + std::string(padding, '%') +
         "\ntrailer << /Root 1 0 R >>\n%%EOF\n";
}

std::string MultipartPdf(const std::string& boundary, const std::string& name,
                         const std::string& bytes) {
  return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name +
         "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n--" + boundary +
         "--\r\n";
}

// One data folder and, on PostgreSQL, the database its commands use (--store).
struct Site {
  fs::path data;
  std::string store;  // empty: the folder's SQLite file

  std::vector<std::string> Command(std::vector<std::string> args) const {
    std::vector<std::string> argv = {ASSETPUB_BINARY, "--data", data.string()};
    if (!store.empty()) argv.insert(argv.end(), {"--store", store});
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  // Runs the command and returns its standard output (standard error too when `with_stderr`).
  std::pair<int, std::string> Run(std::vector<std::string> args, bool with_stderr = true,
                                  const std::string& input = {}) const {
    return RunCommand(Command(std::move(args)), input, with_stderr);
  }
  std::string Export() const {
    const auto [code, out] = Run({"export"}, /*with_stderr=*/false);
    EXPECT_EQ(code, 0) << out;
    return out;
  }
  std::string MakeToken(const std::string& user, const std::string& role) const {
    const auto [code, added] =
        Run({"user", "add", user, "--role", role}, true, "a long enough pass phrase 42\n");
    EXPECT_EQ(code, 0) << added;
    auto [token_code, token] =
        Run({"token", "create", "--user", user, "--name", "backup-test"}, /*with_stderr=*/false);
    EXPECT_EQ(token_code, 0);
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    return token;
  }
  std::unique_ptr<ServerProcess> Serve() const {
    std::vector<std::string> extra;
    if (!store.empty()) extra = {"--store", store};
    return std::make_unique<ServerProcess>(data, extra);
  }
};

// The test's parameter: "sqlite" or "postgresql".
class BackupTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    source_ = NewSite("source");
    fs::create_directories(source_.data);
  }

  Site NewSite(const std::string& name) {
    Site site{temp_.path() / name, {}};
    if (GetParam() == "postgresql") site.store = PostgresServer::Shared().CreateDatabase();
    return site;
  }

  // Imports sample-content/ (three items, English and Russian) into the source.
  void ImportSamples() {
    const auto [code, out] = source_.Run(
        {"import", "--wait-index", (fs::path(ASSETPUB_SOURCE_DIR) / "sample-content").string()});
    ASSERT_EQ(code, 0) << out;
  }

  fs::path Backup() {
    const fs::path file = temp_.path() / "site.backup";
    const auto [code, out] = source_.Run({"backup", "--out", file.string()});
    EXPECT_EQ(code, 0) << out;
    return file;
  }

  // Restores `file` into `target`; returns the exit code and what it printed.
  static std::pair<int, std::string> Restore(const Site& target, const fs::path& file) {
    return target.Run({"restore", file.string()});
  }

  // Expects `file` to be refused as damaged, with the target folder left absent (and, on
  // PostgreSQL, target_'s database left empty: EXPECT it after the refusals).
  void ExpectRefused(const fs::path& file, const std::string& why) {
    SCOPED_TRACE(why);
    const Site target{temp_.path() / ("target-" + std::to_string(++refusals_)), target_.store};
    const auto [code, out] = Restore(target, file);
    EXPECT_NE(code, 0) << out;
    EXPECT_THAT(out, ::testing::AnyOf(HasSubstr("damaged"), HasSubstr("not an assetpub backup"),
                                      HasSubstr("cannot read it as a backup")))
        << out;
    EXPECT_FALSE(fs::exists(target.data)) << out;
  }

  const assetpub::testing::TempDir temp_{"assetpub-backup-it-"};
  Site source_;
  Site target_;  // ExpectRefused's: only its store is used
  int refusals_ = 0;
};

TEST_P(BackupTest, AQuietStoreRestoresWithTheSameExportAccountsAndSearch) {
  ImportSamples();
  source_.MakeToken("pub1", "publisher");
  const fs::path file = Backup();
  // It holds password hashes and config.toml: its owner's only.
  EXPECT_EQ(fs::status(file).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);

  const Site target = NewSite("restored");
  const auto [code, out] = Restore(target, file);
  ASSERT_EQ(code, 0) << out;
  const std::string source_export = source_.Export();
  EXPECT_THAT(source_export, HasSubstr("\"translations\""));
  EXPECT_EQ(target.Export(), source_export);
  // Accounts come along: the same users and tokens.
  for (const std::vector<std::string>& list :
       {std::vector<std::string>{"user", "list"}, std::vector<std::string>{"token", "list"}}) {
    const auto [source_code, source_list] = source_.Run(list, false);
    const auto [target_code, target_list] = target.Run(list, false);
    EXPECT_EQ(target_code, 0);
    EXPECT_THAT(source_list, HasSubstr("pub1"));
    EXPECT_EQ(target_list, source_list);
  }
  // The restored folder's index was built: search answers as the source's does.
  const auto [source_search_code, source_hits] = source_.Run({"search", "--json", "Lavrov"}, false);
  const auto [target_search_code, target_hits] = target.Run({"search", "--json", "Lavrov"}, false);
  EXPECT_EQ(target_search_code, 0) << target_hits;
  EXPECT_GT(json::parse(source_hits, nullptr, false).value("total", -1), 0) << source_hits;
  EXPECT_EQ(json::parse(target_hits, nullptr, false).value("total", -1),
            json::parse(source_hits, nullptr, false).value("total", -2))
      << target_hits;

  // A backup of PostgreSQL restores into a data folder's SQLite file too, and the other way.
  const Site other{temp_.path() / "other-backend",
                   GetParam() == "postgresql" ? "" : PostgresServer::Shared().CreateDatabase()};
  const auto [other_code, other_out] = Restore(other, file);
  ASSERT_EQ(other_code, 0) << other_out;
  EXPECT_EQ(other.Export(), source_export);
}

TEST_P(BackupTest, ABackupTakenDuringApiWritesRestoresAPrefixOfThemWithTheirMedia) {
  const std::string token = source_.MakeToken("pub1", "publisher");
  auto server = source_.Serve();
  ASSERT_NE(server->port(), 0) << server->startup_output();
  const unsigned short port = server->port();
  const RequestHeaders json_headers = {{"Authorization", "Bearer " + token},
                                       {"Content-Type", "application/json"}};
  const std::string boundary = "----assetpubBackupBoundary";
  const RequestHeaders upload_headers = {
      {"Authorization", "Bearer " + token},
      {"Content-Type", "multipart/form-data; boundary=" + boundary}};
  // A large file first, so that reading the snapshot takes a while.
  const Reply big = Fetch(port, "/api/v1/media", upload_headers, bhttp::verb::post,
                          MultipartPdf(boundary, "big.pdf", Pdf(-1, 3 << 20)));
  ASSERT_EQ(big.status, 201) << big.body;

  struct Written {
    int64_t id;
    std::string hash;
    std::string pdf;
  };
  std::mutex mutex;
  std::vector<Written> written;  // in commit order: one write at a time, each answered
  std::atomic<bool> stop{false};
  std::string writer_failure;
  std::thread writer([&] {
    for (int i = 0; i < 2000 && !stop; ++i) {  // bounded; stopped long before
      const std::string pdf = Pdf(i);
      const Reply uploaded = Fetch(port, "/api/v1/media", upload_headers, bhttp::verb::post,
                                   MultipartPdf(boundary, "file.pdf", pdf));
      const std::string hash = json::parse(uploaded.body, nullptr, false).value("hash", "");
      const json asset = {
          {"kind", "statement"},
          {"media", {{{"hash", hash}}}},
          {"translations",
           {{"en-GB",
             {{"title", "Written " + std::to_string(i)},
              {"blocks", {{{"type", "paragraph"}, {"text", "Text " + std::to_string(i)}}}}}}}}};
      const Reply created =
          Fetch(port, "/api/v1/assets", json_headers, bhttp::verb::post, asset.dump());
      const std::lock_guard lock(mutex);
      if (uploaded.status != 201 || created.status != 201) {
        writer_failure = uploaded.body + " / " + created.body;
        return;
      }
      written.push_back({json::parse(created.body).at("id").get<int64_t>(), hash, pdf});
    }
  });
  const auto count = [&] {
    const std::lock_guard lock(mutex);
    return written.size();
  };
  // Some writes before the backup, more while it runs.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (count() < 5 && writer_failure.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  const size_t before = count();
  const fs::path file = temp_.path() / "site.backup";
  const auto [backup_code, backup_out] = source_.Run({"backup", "--out", file.string()});
  const size_t after = count();
  stop = true;
  writer.join();
  ASSERT_TRUE(writer_failure.empty()) << writer_failure;
  ASSERT_EQ(backup_code, 0) << backup_out;
  ASSERT_GE(before, 5U);

  const Site target = NewSite("restored");
  const auto [code, out] = Restore(target, file);
  ASSERT_EQ(code, 0) << out;
  std::map<int64_t, json> source_items;
  for (const json& item : json::parse(source_.Export())) source_items[item["id"]] = item;
  const json restored = json::parse(target.Export());
  // Exactly the first k writes (the one answered after the backup ended may be in it).
  const size_t k = restored.size();
  std::cout << "writes answered before the backup: " << before << ", by its end: " << after
            << "; restored: " << k << "\n";
  EXPECT_GE(k, before);
  EXPECT_LE(k, after + 1);
  ASSERT_LE(k, written.size());
  for (size_t i = 0; i < k; ++i) {
    EXPECT_EQ(restored[i]["id"].get<int64_t>(), written[i].id) << "item " << i;
    EXPECT_EQ(restored[i], source_items[written[i].id]) << "item " << i;
  }
  server.reset();

  // Their media came along: published on the restored site (with the restored token), each
  // file is served with the bytes uploaded.
  auto restored_server = target.Serve();
  ASSERT_NE(restored_server->port(), 0) << restored_server->startup_output();
  for (size_t i = 0; i < k; ++i) {
    const std::string item = "/api/v1/assets/" + std::to_string(written[i].id);
    const Reply draft = Fetch(restored_server->port(), item + "/draft", json_headers);
    ASSERT_EQ(draft.status, 200) << draft.body;
    RequestHeaders publish_headers = json_headers;
    publish_headers.emplace_back("If-Match", draft.Header("etag"));
    const Reply published = Fetch(restored_server->port(), item + "/publish", publish_headers,
                                  bhttp::verb::post, std::string("{}"));
    ASSERT_EQ(published.status, 200) << published.body;
    const std::string& hash = written[i].hash;
    const Reply media =
        Fetch(restored_server->port(), "/media/" + hash.substr(0, 2) + "/" + hash + ".pdf");
    EXPECT_EQ(media.status, 200) << "item " << i;
    EXPECT_EQ(media.body, written[i].pdf) << "item " << i;
  }
}

TEST_P(BackupTest, ADamagedBackupIsRefusedWithNothingWritten) {
  ImportSamples();
  target_ = NewSite("unused");
  const fs::path file = Backup();
  const std::string bytes = ReadFile(file);
  ASSERT_GT(bytes.size(), 4096U);
  const fs::path bad = temp_.path() / "bad.backup";

  WriteFile(bad, bytes.substr(0, bytes.size() / 2));
  ExpectRefused(bad, "cut in half");
  WriteFile(bad,
            bytes.substr(0, bytes.size() - 1536));  // the end blocks and some of the last entry
  ExpectRefused(bad, "its end cut");
  // One byte of an item's text changed: its entry's checksum no longer matches. The entry's
  // tar header is the last place its name appears (the manifest names it first); its bytes
  // start at the next 512-byte block.
  std::string altered = bytes;
  const size_t header = altered.rfind("store/translations");
  ASSERT_NE(header, std::string::npos);
  const size_t byte = header + 512 + 40;
  ASSERT_LT(byte, altered.size());
  altered[byte] = altered[byte] == 'x' ? 'y' : 'x';
  WriteFile(bad, altered);
  ExpectRefused(bad, "altered");
  WriteFile(bad, "not a backup at all\n");
  ExpectRefused(bad, "not a backup");
  if (!target_.store.empty()) {
    const Site probe{temp_.path() / "probe", target_.store};
    EXPECT_EQ(probe.Export(), "[]\n");
  }
}

TEST_P(BackupTest, ANonEmptyFolderIsNotRestoredInto) {
  ImportSamples();
  const fs::path file = Backup();
  const Site target = NewSite("occupied");
  fs::create_directories(target.data);
  WriteFile(target.data / "notes.txt", "mine");
  const auto [code, out] = Restore(target, file);
  EXPECT_NE(code, 0);
  EXPECT_THAT(out, HasSubstr("is not an empty folder")) << out;
  EXPECT_EQ(ReadFile(target.data / "notes.txt"), "mine");
  EXPECT_EQ(std::distance(fs::directory_iterator(target.data), fs::directory_iterator()), 1);

  // An empty folder is fine.
  const Site empty_folder = NewSite("empty");
  fs::create_directories(empty_folder.data);
  const auto [empty_code, empty_out] = Restore(empty_folder, file);
  EXPECT_EQ(empty_code, 0) << empty_out;
  if (!source_.store.empty()) {
    // A target database that holds data is refused, and the folder left empty.
    const Site full{temp_.path() / "full", source_.store};
    const auto [full_code, full_out] = Restore(full, file);
    EXPECT_NE(full_code, 0);
    EXPECT_THAT(full_out, HasSubstr("is not empty")) << full_out;
    EXPECT_FALSE(fs::exists(full.data));
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, BackupTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
