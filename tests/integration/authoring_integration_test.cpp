// The write side end to end: a publisher and a token made with the `assetpub` binary's user and
// token commands, `assetpub serve` as a child process (page cache and scheduler on, as in
// production), and real HTTP on loopback: a scheduled item goes public within its second, on
// the API and on the cached home page; an expiring item leaves its page within its second; a
// pending edit does not show until it is published.
// Needs ASSETPUB_BINARY and ASSETPUB_SOURCE_DIR (compile definitions).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <utility>  // before Asio: Asio 1.74 with g++ 12 needs std::exchange (DEPENDENCIES.md)

#include "support/temp_dir.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// Runs `command` with /bin/sh; its standard output, and its exit code in `code`.
std::string Shell(const std::string& command, int& code) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    code = -1;
    return output;
  }
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int status = pclose(pipe);
  code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Iso8601Utc(int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// `assetpub serve --listen 127.0.0.1:0` as a child process, stopped with SIGTERM.
class Server {
 public:
  explicit Server(const std::filesystem::path& data_dir) {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      const std::string data = data_dir.string();
      execl(ASSETPUB_BINARY, ASSETPUB_BINARY, "--data", data.c_str(), "serve", "--listen",
            "127.0.0.1:0", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    stdout_ = out[0];
    const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)\n");
    std::string output;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd fd{stdout_, POLLIN, 0};
      if (poll(&fd, 1, 200) <= 0) continue;
      char buffer[512];
      const ssize_t n = read(stdout_, buffer, sizeof buffer);
      if (n <= 0) break;
      output.append(buffer, static_cast<size_t>(n));
      std::smatch match;
      if (std::regex_search(output, match, listening)) {
        port_ = static_cast<unsigned short>(std::stoi(match[1]));
        return;
      }
    }
  }
  ~Server() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_ >= 0) close(stdout_);
  }
  unsigned short port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  unsigned short port_ = 0;
};

struct Reply {
  int status = 0;
  std::string body;
  std::string etag;
};

// `if_match`, when given, is sent as the If-Match header (the version a write starts from).
Reply Send(unsigned short port, bhttp::verb method, const std::string& target,
           const std::string& token = {}, const std::string& body = {},
           const std::string& if_match = {}) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  bhttp::request<bhttp::string_body> request{method, target, 11};
  request.set(bhttp::field::host, "127.0.0.1");
  if (!token.empty()) request.set(bhttp::field::authorization, "Bearer " + token);
  if (!if_match.empty()) request.set(bhttp::field::if_match, if_match);
  if (!body.empty()) {
    request.set(bhttp::field::content_type, "application/json");
    request.body() = body;
    request.prepare_payload();
  }
  bhttp::write(stream, request);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(16 << 20);
  bhttp::read(stream, buffer, parser);
  return Reply{static_cast<int>(parser.get().result_int()), parser.get().body(),
               std::string(parser.get()[bhttp::field::etag])};
}

json Asset(const std::string& title) {
  return json{
      {"kind", "statement"},
      {"translations",
       {{"en-GB", {{"title", title}, {"blocks", {{{"type", "paragraph"}, {"text", "Text."}}}}}}}}};
}

class AuthoringIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string data = temp_.path().string();
    int code = 0;
    const std::string added =
        Shell("printf 'a long enough pass phrase 42\\n' | '" + std::string(ASSETPUB_BINARY) +
                  "' --data '" + data + "' user add pub1 --role publisher 2>&1",
              code);
    ASSERT_EQ(code, 0) << added;
    token_ = Shell("'" + std::string(ASSETPUB_BINARY) + "' --data '" + data +
                       "' token create --user pub1 --name it 2>/dev/null",
                   code);
    ASSERT_EQ(code, 0);
    while (!token_.empty() && (token_.back() == '\n' || token_.back() == '\r')) token_.pop_back();
    ASSERT_THAT(token_, ::testing::StartsWith("ap_"));
    server_ = std::make_unique<Server>(temp_.path());
    ASSERT_NE(server_->port(), 0) << "the server did not start";
  }

  int64_t CreateDraft(const std::string& title) {
    const Reply r =
        Send(server_->port(), bhttp::verb::post, "/api/v1/assets", token_, Asset(title).dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).at("id").get<int64_t>();
  }

  const assetpub::testing::TempDir temp_{"assetpub-authoring-it-"};
  std::string token_;
  std::unique_ptr<Server> server_;
};

TEST_F(AuthoringIntegrationTest, AScheduledItemGoesPublicWithinItsSecond) {
  const int64_t id = CreateDraft("Noon statement Qzxnoon");
  const std::string item = "/api/v1/assets/" + std::to_string(id);
  // The home page is cached before the item goes out: the scheduler must make it catch up.
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/").body, Not(HasSubstr("Qzxnoon")));
  const int64_t at = NowSeconds() + 3;
  const Reply scheduled = Send(server_->port(), bhttp::verb::post, item + "/schedule", token_,
                               json{{"at", Iso8601Utc(at)}}.dump(), "\"1\"");
  ASSERT_EQ(scheduled.status, 200) << scheduled.body;

  int64_t seen = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  while (seen == 0 && std::chrono::steady_clock::now() < deadline) {
    const int64_t before = NowSeconds();
    const int status = Send(server_->port(), bhttp::verb::get, item).status;
    if (status == 200) {
      seen = before;
    } else {
      EXPECT_EQ(status, 404);
      EXPECT_LT(before, at + 1) << "still not public after its second";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_NE(seen, 0) << "never published";
  // First seen by a request sent during the scheduled second (or the one before, when the
  // request crossed the boundary), never earlier.
  EXPECT_GE(seen, at - 1);
  EXPECT_LE(seen, at);
  const json published = json::parse(Send(server_->port(), bhttp::verb::get, item).body);
  EXPECT_EQ(published["status"], "published");
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/").body, HasSubstr("Qzxnoon"));
}

TEST_F(AuthoringIntegrationTest, APendingEditIsNotServedUntilPublished) {
  const int64_t id = CreateDraft("Original Qzxold");
  const std::string item = "/api/v1/assets/" + std::to_string(id);
  ASSERT_EQ(Send(server_->port(), bhttp::verb::post, item + "/publish", token_, "", "\"1\"").status,
            200);
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/").body, HasSubstr("Qzxold"));
  const Reply saved = Send(server_->port(), bhttp::verb::put, item, token_,
                           json{{"revision", 2}, {"asset", Asset("Embargoed Qzxnew")}}.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  for (const std::string& url : {item, std::string("/en/"), std::string("/sitemap.xml"),
                                 std::string("/en/feed.rss"), std::string("/api/v1/assets")}) {
    EXPECT_THAT(Send(server_->port(), bhttp::verb::get, url).body, Not(HasSubstr("Qzxnew"))) << url;
  }
  // Without the version it starts from, a write is refused (428); with a stale one, 412.
  EXPECT_EQ(Send(server_->port(), bhttp::verb::post, item + "/publish", token_).status, 428);
  const Reply stale =
      Send(server_->port(), bhttp::verb::post, item + "/publish", token_, "", "\"2\"");
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(stale.etag, "\"3\"");
  const Reply published =
      Send(server_->port(), bhttp::verb::post, item + "/publish", token_, "", saved.etag);
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(published.etag, "\"4\"");
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, item).body, HasSubstr("Qzxnew"));
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/").body, HasSubstr("Qzxnew"));
}

// Expiry in real time: an item published with expires_at 2 s ahead is served until then, and is
// gone from its (cached) page, the API and the home page within 1 s of that second.
TEST_F(AuthoringIntegrationTest, AnExpiringItemLeavesItsPageAtItsSecond) {
  const int64_t expires = NowSeconds() + 2;
  json asset = Asset("Fleeting statement Qzxfleeting");
  asset["expires_at"] = Iso8601Utc(expires);
  const Reply created =
      Send(server_->port(), bhttp::verb::post, "/api/v1/assets", token_, asset.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = json::parse(created.body).at("id").get<int64_t>();
  const std::string item = "/api/v1/assets/" + std::to_string(id);
  // The canonical page ("/en/assets/{id}" alone redirects to it).
  const std::string page =
      "/en/assets/" + std::to_string(id) + "-" +
      json::parse(created.body)["asset"]["translations"]["en-GB"]["slug"].get<std::string>();
  const Reply published =
      Send(server_->port(), bhttp::verb::post, item + "/publish", token_, "", created.etag);
  ASSERT_EQ(published.status, 200) << published.body;
  // Served (and so cached) while it is live.
  ASSERT_EQ(Send(server_->port(), bhttp::verb::get, page).status, 200);
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/").body, HasSubstr("Qzxfleeting"));

  int64_t gone = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  while (gone == 0 && std::chrono::steady_clock::now() < deadline) {
    const Reply r = Send(server_->port(), bhttp::verb::get, page);
    const int64_t after = NowSeconds();  // read after the answer: it was gone by then
    if (r.status == 404) {
      gone = after;
    } else {
      EXPECT_EQ(r.status, 200);
      EXPECT_THAT(r.body, HasSubstr("Qzxfleeting"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_NE(gone, 0) << "never taken down";
  // Not before its second, and within 1 s of it.
  EXPECT_GE(gone, expires);
  EXPECT_LE(gone, expires + 1);
  EXPECT_EQ(Send(server_->port(), bhttp::verb::get, item).status, 404);
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/").body, Not(HasSubstr("Qzxfleeting")));
  EXPECT_THAT(Send(server_->port(), bhttp::verb::get, "/en/feed.rss").body,
              Not(HasSubstr("Qzxfleeting")));
  const json draft =
      json::parse(Send(server_->port(), bhttp::verb::get, item + "/draft", token_).body);
  EXPECT_EQ(draft["status"], "expired");
}

}  // namespace
