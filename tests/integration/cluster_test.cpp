// Several nodes on one PostgreSQL behind HAProxy, and what happens when one part fails. The
// cluster is scripts/cluster's (started once for this file, on free loopback ports below the
// ephemeral range, in a temp folder): PostgreSQL, three `assetpub serve` nodes, HAProxy balancing
// on /readyz. A watchdog process stops it and removes the folder however the test process ends.
// Four faults, each bounded in time:
//  - a node SIGKILLed while wrk drives 64 connections through HAProxy: the others keep answering
//    (errors counted and printed), and the node rejoins once restarted;
//  - PostgreSQL stopped and started, then restarted (pg_ctl restart -m fast), while a client
//    writes through the API at 5 writes/s: every write answered 2xx is in the database, the
//    others get 503 (never 500), nodes recover alone;
//  - the scheduler's leader SIGKILLed, or SIGSTOPped, just before an item's second: another node
//    publishes it, once, within 2 s (a frozen leader's lease session is ended by the database);
//  - a node SIGSTOPped for 10 s while another writes: once resumed it never
//    answers the old page (its cache, not confirmed current for a second, is not answered until
//    its follower has caught up) and serves the new one.
// Needs ASSETPUB_BINARY and ASSETPUB_SOURCE_DIR, haproxy, wrk and PostgreSQL 15's server binaries.

#include <arpa/inet.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>  // before Asio: Asio 1.74 with g++ 12 needs std::exchange (DEPENDENCIES.md)
#include <vector>
//
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "support/cluster_env.h"
#include "support/http_client.h"

namespace {

namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;
using assetpub::testing::Reply;
using assetpub::testing::RequestHeaders;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kNodes = 3;

std::string Script() { return std::string(ASSETPUB_SOURCE_DIR) + "/scripts/cluster"; }

// ---- processes ----------------------------------------------------------------------------------

// Runs `argv` (a PATH lookup for argv[0]) with standard input from /dev/null, and returns its
// exit code (-1 when killed, 127 when it could not start) and its output and errors, interleaved.
// The child inherits no other descriptor of this process (nothing it leaves running holds one of
// our pipes), and is SIGKILLed after `timeout`.
std::pair<int, std::string> RunProgram(const std::vector<std::string>& argv,
                                       std::chrono::seconds timeout = 120s) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return {127, "pipe failed"};
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const int null = open("/dev/null", O_RDONLY);
    dup2(null, STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    dup2(out[1], STDERR_FILENO);
    close_range(STDERR_FILENO + 1, ~0U, 0);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  if (pid < 0) {
    close(out[0]);
    return {127, "fork failed"};
  }
  std::string output;
  const auto deadline = Clock::now() + timeout;
  bool killed = false;
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    pollfd fd{out[0], POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
    char buffer[4096];
    const ssize_t n = read(out[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(buffer, static_cast<size_t>(n));
  }
  close(out[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (killed) output += "\n(killed after " + std::to_string(timeout.count()) + " s)";
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// The state letter of /proc/PID/stat ('R', 'S', 'T' for stopped, 'Z'…), or 0 when there is none.
char ProcessState(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t paren = text.rfind(") ");
  return paren == std::string::npos || paren + 2 >= text.size() ? 0 : text[paren + 2];
}

bool Alive(pid_t pid) {
  const char state = ProcessState(pid);
  return state != 0 && state != 'Z';
}

// Calls `done` every 50 ms until it returns true, at most `timeout` long (and 2,000 times);
// returns whether it did.
bool PollUntil(std::chrono::milliseconds timeout, const std::function<bool()>& done) {
  const auto deadline = Clock::now() + timeout;
  for (int attempt = 0; attempt < 2000; ++attempt) {
    if (done()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

// ---- HTTP ---------------------------------------------------------------------------------------

// One request on a connection of its own to 127.0.0.1:port, sending and receiving each bounded by
// `timeout` (a paused node must not hang the test). Status 0, with the error as the body, when
// there was no complete answer; never throws.
Reply Request(unsigned short port, bhttp::verb method, const std::string& target,
              const RequestHeaders& headers = {},
              const std::optional<std::string>& body = std::nullopt,
              std::chrono::milliseconds timeout = 5s) {
  Reply reply;
  try {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    timeval limit{static_cast<time_t>(timeout.count() / 1000),
                  static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    bhttp::request<bhttp::string_body> request{method, target, 11};
    request.set(bhttp::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) request.set(name, value);
    if (body) {
      request.body() = *body;
      request.prepare_payload();
    }
    bhttp::write(socket, request);
    boost::beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(16 << 20);
    bhttp::read(socket, buffer, parser);
    const auto& response = parser.get();
    reply.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reply.headers[name] = std::string(field.value());
      reply.fields.emplace_back(name, std::string(field.value()));
    }
    reply.body = response.body();
  } catch (const std::exception& e) {
    reply.status = 0;
    reply.body = e.what();
  }
  return reply;
}

Reply Get(unsigned short port, const std::string& target) {
  return Request(port, bhttp::verb::get, target);
}

// A value of a node's /metrics ("name" or "name{labels}"), or -1.
int64_t Metric(unsigned short port, const std::string& name) {
  const std::string body = Get(port, "/metrics").body;
  const size_t at = body.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stoll(body.substr(at + name.size() + 2));
}

// A draft statement in English.
json Statement(const std::string& title, const std::string& paragraph) {
  return json{{"kind", "statement"},
              {"translations",
               {{"en-GB",
                 {{"title", title}, {"blocks", {{{"type", "paragraph"}, {"text", paragraph}}}}}}}}};
}

// "YYYY-MM-DDTHH:MM:SSZ" of a system_clock instant, to the second.
std::string Rfc3339(std::chrono::system_clock::time_point at) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// ---- the cluster --------------------------------------------------------------------------------

// The watchdog's script: $1 scripts/cluster, $2 the folder. Its standard input is a pipe whose
// write end only the test process holds: read returns at end-of-file, when the test process is
// gone however it ended (or TearDown closed it). It ignores the terminal's signals.
constexpr const char* kWatchdogScript = R"(
trap '' HUP INT TERM QUIT PIPE
while read -r _; do :; done
"$1" stop --dir "$2" --remove
)";

// A port range nobody listens on: `count` ports from a random base between 20000 and 32000, below
// the kernel's ephemeral range (32768 and up), where port-0 servers of the other tests and
// outgoing connections take theirs. Someone may take one before the cluster binds it: Start()
// then tries another range.
int FreePortRange(int count, std::mt19937& random) {
  auto bindable = [](int port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    return ok;
  };
  for (int attempt = 0; attempt < 50; ++attempt) {
    const int base = 20000 + static_cast<int>(random() % 12000);
    bool free = true;
    for (int port = base; port < base + count && free; ++port) free = bindable(port);
    if (free) return base;
  }
  return 0;
}

// scripts/cluster's cluster in a temp folder, started by the constructor (`failure` says why it
// did not) and stopped by the destructor; a watchdog stops it if this process dies first.
class LocalCluster {
 public:
  LocalCluster() {
    dir_ = fs::temp_directory_path() / ("assetpub-cluster-" + std::to_string(getpid()));
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
    // As root, PostgreSQL runs as `postgres`, which must enter the folder.
    fs::create_directories(dir_);
    chmod(dir_.c_str(), 0755);
    StartWatchdog();
    std::mt19937 random(static_cast<unsigned>(getpid()) ^ static_cast<unsigned>(time(nullptr)));
    for (int attempt = 1; attempt <= 3; ++attempt) {
      // HAProxy, the nodes, PostgreSQL: kNodes + 2 ports in a row.
      const int base = FreePortRange(kNodes + 2, random);
      if (base == 0) {
        failure = "no free loopback port range";
        return;
      }
      const auto started = Clock::now();
      const auto [code, output] = RunProgram(
          {Script(), "start", "--dir", dir_.string(), "--port", std::to_string(base), "--nodes",
           std::to_string(kNodes), "--pg-port", std::to_string(base + kNodes + 1), "--bin",
           ASSETPUB_BINARY, "--threads", "2", "--no-fsync"},
          180s);
      if (code == 0) {
        std::printf("[cluster] started in %.1f s\n",
                    std::chrono::duration<double>(Clock::now() - started).count());
        failure.clear();
        ReadEnv();
        return;
      }
      failure = "scripts/cluster start failed (" + std::to_string(code) + "):\n" + output;
      if (output.find("is taken") == std::string::npos) return;
      Cluster({"stop"});  // a port went to someone else meanwhile: another range
    }
  }
  LocalCluster(const LocalCluster&) = delete;
  LocalCluster& operator=(const LocalCluster&) = delete;

  ~LocalCluster() {
    const auto [code, output] = Cluster({"stop", "--remove"});
    EXPECT_EQ(code, 0) << output;
    if (watchdog_pipe_ >= 0) {
      close(watchdog_pipe_);  // it stops nothing now, the folder is gone
      for (int i = 0; i < 600 && waitpid(watchdog_pid_, nullptr, WNOHANG) == 0; ++i) {
        std::this_thread::sleep_for(100ms);
      }
    }
  }

  // `scripts/cluster ARGS… --dir DIR`; exit code and output.
  std::pair<int, std::string> Cluster(std::vector<std::string> args,
                                      std::chrono::seconds timeout = 120s) const {
    args.insert(args.begin(), Script());
    args.insert(args.end(), {"--dir", dir_.string()});
    return RunProgram(args, timeout);
  }

  // Reads DIR/cluster.env again (node process ids change with restart-node).
  void ReadEnv() { env_ = assetpub::testing::ReadClusterEnv(dir_ / "cluster.env"); }
  std::string Env(const std::string& name) const {
    const auto it = env_.find(name);
    return it == env_.end() ? "" : it->second;
  }
  // HAProxy's port, and node k's (1…kNodes).
  unsigned short Front() const { return PortOf(Env("HAPROXY_URL")); }
  unsigned short Node(int k) const { return static_cast<unsigned short>(Front() + k); }
  pid_t NodePid(int k) const {
    std::istringstream pids(Env("NODE_PIDS"));
    pid_t pid = 0;
    for (int i = 0; i < k; ++i) pids >> pid;
    return pid;
  }
  std::string token() const { return Env("ASSETPUB_TOKEN"); }
  fs::path Log(int k) const { return dir_ / "logs" / ("node" + std::to_string(k) + ".log"); }

  std::string failure;

 private:
  static unsigned short PortOf(const std::string& url) {
    const size_t colon = url.rfind(':');
    return colon == std::string::npos
               ? 0
               : static_cast<unsigned short>(std::stoi(url.substr(colon + 1)));
  }

  void StartWatchdog() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return;
    const std::string script = Script();
    const std::string dir = dir_.string();
    const pid_t pid = fork();
    if (pid == 0) {
      setsid();
      dup2(fds[0], STDIN_FILENO);
      const int null = open("/dev/null", O_WRONLY);
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
      close_range(STDERR_FILENO + 1, ~0U, 0);
      execl("/bin/bash", "bash", "-c", kWatchdogScript, "watchdog", script.c_str(), dir.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[0]);
    if (pid < 0) {
      close(fds[1]);
      return;
    }
    watchdog_pid_ = pid;
    watchdog_pipe_ = fds[1];
  }

  fs::path dir_;
  std::map<std::string, std::string> env_;
  pid_t watchdog_pid_ = -1;
  int watchdog_pipe_ = -1;
};

// The tests share one cluster, started before the first and stopped after the last; each starts
// with every node running (a test that failed half-way may have left one killed or paused).
class ClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = std::make_unique<LocalCluster>(); }
  static void TearDownTestSuite() { cluster_.reset(); }

  void SetUp() override {
    ASSERT_TRUE(cluster_->failure.empty()) << cluster_->failure;
    for (int k = 1; k <= kNodes; ++k) {
      const pid_t pid = cluster_->NodePid(k);
      if (ProcessState(pid) == 'T') kill(pid, SIGCONT);
      if (!Alive(pid)) {
        const auto [code, output] = cluster_->Cluster({"restart-node", std::to_string(k)});
        ASSERT_EQ(code, 0) << output;
        cluster_->ReadEnv();
      }
    }
  }

  static LocalCluster& cluster() { return *cluster_; }

  // Test c (below): the scheduler's leader stops just before an item's second.
  void LeaderStopsJustBeforeAnItemsSecond(bool freeze);

  // A request with the admin's API token, a JSON body (when given) and If-Match (when given).
  static Reply Send(unsigned short port, bhttp::verb method, const std::string& target,
                    const std::optional<json>& body = std::nullopt,
                    const std::string& if_match = {},
                    const std::string& content_type = "application/json") {
    RequestHeaders headers = {{"Authorization", "Bearer " + cluster_->token()}};
    if (!if_match.empty()) headers.emplace_back("If-Match", if_match);
    std::optional<std::string> payload;
    if (body) {
      headers.emplace_back("Content-Type", content_type);
      payload = body->dump();
    }
    return Request(port, method, target, headers, payload);
  }

  // Creates `asset` as a draft through `port` and publishes it; returns its id (0 on failure,
  // with a failed expectation).
  static int64_t Publish(unsigned short port, const json& asset) {
    const Reply created = Send(port, bhttp::verb::post, "/api/v1/assets", asset);
    EXPECT_EQ(created.status, 201) << created.body;
    if (created.status != 201) return 0;
    const int64_t id = json::parse(created.body).at("id").get<int64_t>();
    const Reply published =
        Send(port, bhttp::verb::post, "/api/v1/assets/" + std::to_string(id) + "/publish",
             std::nullopt, created.Header("etag"));
    EXPECT_EQ(published.status, 200) << published.body;
    return published.status == 200 ? id : 0;
  }

  // The English page of published item `id`, as its public API read names it ("" when it is not
  // public).
  static std::string PagePath(unsigned short port, int64_t id) {
    const Reply read = Get(port, "/api/v1/assets/" + std::to_string(id));
    if (read.status != 200) return "";
    const json asset = json::parse(read.body, nullptr, false);
    if (!asset.is_object()) return "";
    const json en = asset.value("translations", json::object()).value("en-GB", json::object());
    return "/en/assets/" + std::to_string(id) + "-" + en.value("slug", "");
  }

  static inline std::unique_ptr<LocalCluster> cluster_;
};

// ---- a. a node dies under load ------------------------------------------------------------------

// What wrk says about a run.
struct WrkResult {
  int64_t requests = -1;
  int64_t non_2xx_3xx = 0;
  int64_t socket_errors = 0;  // connect + read + write + timeout
  std::string output;

  int64_t errors() const { return non_2xx_3xx + socket_errors; }
};

WrkResult ParseWrk(const std::string& output) {
  WrkResult result;
  result.output = output;
  std::smatch match;
  if (std::regex_search(output, match, std::regex("([0-9]+) requests in "))) {
    result.requests = std::stoll(match[1]);
  }
  if (std::regex_search(output, match, std::regex("Non-2xx or 3xx responses: ([0-9]+)"))) {
    result.non_2xx_3xx = std::stoll(match[1]);
  }
  if (std::regex_search(
          output, match,
          std::regex("Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout "
                     "([0-9]+)"))) {
    for (int i = 1; i <= 4; ++i) result.socket_errors += std::stoll(match[i]);
  }
  return result;
}

TEST_F(ClusterTest, AKilledNodeUnderLoadCostsFewErrorsAndRejoins) {
  constexpr int kVictim = 2;
  const unsigned short front = cluster().Front();
  const std::string page = PagePath(front, 1);  // the sample, imported first
  ASSERT_THAT(page, StartsWith("/en/assets/1-"));
  for (int k = 1; k <= kNodes; ++k) ASSERT_EQ(Get(cluster().Node(k), page).status, 200) << k;

  const int64_t answered_before =
      Metric(cluster().Node(kVictim), "assetpub_http_responses_total{class=\"2xx\"}");
  std::pair<int, std::string> wrk;
  std::thread load([&] {
    wrk = RunProgram({"wrk", "-t2", "-c64", "-d4s", "--timeout", "2s",
                      "http://127.0.0.1:" + std::to_string(front) + page},
                     30s);
  });
  // Killed once the load reaches it (a few hundred answers), not after a guessed delay.
  const bool loaded = PollUntil(3s, [&] {
    return Metric(cluster().Node(kVictim), "assetpub_http_responses_total{class=\"2xx\"}") >
           answered_before + 300;
  });
  const auto [killed, kill_output] = cluster().Cluster({"kill-node", std::to_string(kVictim)});
  load.join();
  ASSERT_TRUE(loaded) << "wrk's load never reached node " << kVictim;
  ASSERT_EQ(killed, 0) << kill_output;
  ASSERT_EQ(wrk.first, 0) << wrk.second;
  const WrkResult result = ParseWrk(wrk.second);
  ASSERT_GT(result.requests, 1000) << wrk.second;
  const double ratio = static_cast<double>(result.errors()) / static_cast<double>(result.requests);
  std::printf(
      "[cluster] node %d SIGKILLed under wrk -c64 -d4s: %lld requests, %lld errors "
      "(%lld non-2xx/3xx, %lld socket), ratio %.4f%% (target <= 0.5%%)\n",
      kVictim, static_cast<long long>(result.requests), static_cast<long long>(result.errors()),
      static_cast<long long>(result.non_2xx_3xx), static_cast<long long>(result.socket_errors),
      ratio * 100);
  EXPECT_LE(ratio, 0.05) << wrk.second;

  // Written while it is down, served by it once it is back.
  const int64_t id = Publish(front, Statement("Statement on the wombat census",
                                              "Wombats were counted while a node was down."));
  ASSERT_NE(id, 0);
  const std::string written = PagePath(front, id);
  ASSERT_FALSE(written.empty());
  const auto restarted_at = Clock::now();
  const auto [restarted, restart_output] =
      cluster().Cluster({"restart-node", std::to_string(kVictim)});
  ASSERT_EQ(restarted, 0) << restart_output;
  cluster().ReadEnv();
  EXPECT_TRUE(
      PollUntil(10s, [&] { return Get(cluster().Node(kVictim), "/readyz").status == 200; }));
  const Reply fresh = Get(cluster().Node(kVictim), written);
  EXPECT_EQ(fresh.status, 200) << written;
  EXPECT_THAT(fresh.body, HasSubstr("Statement on the wombat census"));
  // And HAProxy sends it requests again.
  EXPECT_TRUE(PollUntil(10s,
                        [&] {
                          return Get(front, written).Header("x-node") ==
                                 "ready/node" + std::to_string(kVictim);
                        }))
      << "HAProxy never routes to node " << kVictim << " again";
  std::printf("[cluster] node %d back in rotation %.1f s after restart-node began\n", kVictim,
              std::chrono::duration<double>(Clock::now() - restarted_at).count());
}

// ---- b. the database restarts under writes ------------------------------------------------------

struct Write {
  int number = 0;
  int status = 0;
  int64_t id = 0;
  std::string title;
  std::string content_type;
  std::string retry_after;
  std::string body;
  Clock::time_point answered;
};

TEST_F(ClusterTest, BDatabaseRestartLosesNoAcknowledgedWriteAndAnswers503) {
  const unsigned short front = cluster().Front();
  std::vector<pid_t> pids;
  for (int k = 1; k <= kNodes; ++k) pids.push_back(cluster().NodePid(k));

  std::mutex mutex;  // guards writes
  std::vector<Write> writes;
  std::atomic<bool> stop{false};
  const std::string run = std::to_string(getpid());
  // 5 writes a second through HAProxy, for at most 30 s.
  std::thread writer([&] {
    const auto start = Clock::now();
    for (int n = 0; n < 150 && !stop.load(); ++n) {
      std::this_thread::sleep_until(start + n * 200ms);
      Write write;
      write.number = n;
      write.title = "Outage write " + run + "-" + std::to_string(n);
      const Reply reply = Send(front, bhttp::verb::post, "/api/v1/assets",
                               Statement(write.title, "Written at 5 per second."));
      write.status = reply.status;
      write.content_type = reply.Header("content-type");
      write.retry_after = reply.Header("retry-after");
      write.body = reply.body.substr(0, 300);
      write.answered = Clock::now();
      if (reply.status == 201) {
        const json created = json::parse(reply.body, nullptr, false);
        if (created.is_object()) write.id = created.value("id", int64_t{0});
      }
      const std::lock_guard lock(mutex);
      writes.push_back(write);
    }
  });
  auto count = [&](const std::function<bool(const Write&)>& which, size_t from = 0) {
    const std::lock_guard lock(mutex);
    size_t n = 0;
    for (size_t i = from; i < writes.size(); ++i) n += which(writes[i]) ? 1 : 0;
    return n;
  };
  auto sent = [&] {
    const std::lock_guard lock(mutex);
    return writes.size();
  };
  auto ok = [](const Write& w) { return w.status / 100 == 2; };

  // A page every node has cached (fetched until a node's cache answers it).
  const std::string page = PagePath(front, 1);
  ASSERT_THAT(page, StartsWith("/en/assets/1-"));
  for (int k = 1; k <= kNodes; ++k) {
    const unsigned short node = cluster().Node(k);
    ASSERT_TRUE(PollUntil(5s,
                          [&] {
                            const int64_t hits = Metric(node, "assetpub_cache_hits_total");
                            return Get(node, page).status == 200 &&
                                   Metric(node, "assetpub_cache_hits_total") > hits;
                          }))
        << page << " is never a cache hit on node " << k;
  }

  bool before = PollUntil(10s, [&] { return count(ok) >= 3; });
  // The database goes away (pg_ctl stop -m fast) until some writes have been refused and HAProxy
  // has taken every node out of rotation, then comes back (pg_ctl start): a restart whose outage
  // is long enough to be seen at 5 writes/s and by HAProxy's health checks.
  const auto stopped_at = Clock::now();
  const auto [stopped, stop_output] = cluster().Cluster({"pg-stop"});
  const size_t at_stop = sent();
  const bool refused = PollUntil(
      10s, [&] { return count([](const Write& w) { return w.status / 100 != 2; }, at_stop) >= 2; });
  // No node is ready, yet HAProxy's fallback to live nodes keeps the cached page up.
  Reply fallback;
  const bool cached_pages_up = PollUntil(10s, [&] {
    fallback = Get(front, page);
    return fallback.Header("x-node").starts_with("live/");
  });
  const auto [started, start_output] = cluster().Cluster({"pg-start"});
  const auto started_at = Clock::now();
  const size_t at_start = sent();
  const bool after = PollUntil(20s, [&] { return count(ok, at_start) >= 5; });
  // Then `pg_ctl restart -m fast` itself, a stop and a start in one: its outage is short, but
  // what holds for the long one holds for it (every acknowledged write kept, 503 or 201 only).
  const auto [restarted, restart_output] = cluster().Cluster({"pg-restart"});
  const size_t at_restart = sent();
  const bool after_restart = PollUntil(20s, [&] { return count(ok, at_restart) >= 3; });
  stop = true;
  writer.join();
  ASSERT_TRUE(before) << "no write succeeded before the restart";
  ASSERT_EQ(stopped, 0) << stop_output;
  ASSERT_EQ(started, 0) << start_output;
  EXPECT_TRUE(refused) << "no write was refused while PostgreSQL was down";
  EXPECT_TRUE(cached_pages_up) << "HAProxy never fell back to the live nodes: " << fallback.status
                               << " " << fallback.Header("x-node");
  EXPECT_EQ(fallback.status, 200) << "the cached page is not served while no node is ready";
  EXPECT_TRUE(after) << "writes did not succeed again after PostgreSQL came back";
  ASSERT_EQ(restarted, 0) << restart_output;
  EXPECT_TRUE(after_restart) << "writes did not succeed again after pg_ctl restart";

  int acknowledged = 0;
  int unavailable = 0;
  std::optional<double> recovery;  // from `pg_ctl start` returning to the first write that worked
  for (const Write& write : writes) {
    EXPECT_TRUE(write.status == 201 || write.status == 503)
        << "write " << write.number << ": " << write.status << " " << write.body;
    if (write.status == 503) {
      ++unavailable;
      EXPECT_THAT(write.content_type, StartsWith("application/problem+json")) << write.body;
      EXPECT_FALSE(write.retry_after.empty()) << write.body;
    }
    if (write.status != 201) continue;
    if (!recovery && write.answered > started_at) {
      recovery = std::chrono::duration<double>(write.answered - started_at).count();
    }
    ++acknowledged;
    // Every acknowledged write is in the database, whichever node took it.
    const Reply draft =
        Send(front, bhttp::verb::get, "/api/v1/assets/" + std::to_string(write.id) + "/draft");
    EXPECT_EQ(draft.status, 200) << "write " << write.number << " (id " << write.id << ")";
    EXPECT_THAT(draft.body, HasSubstr(write.title));
  }
  std::printf(
      "[cluster] PostgreSQL down %.1f s, then restarted, under 5 writes/s: %zu writes, %d "
      "acknowledged, %d answered 503; writes work again %.2f s after pg_ctl start returned\n",
      std::chrono::duration<double>(started_at - stopped_at).count(), writes.size(), acknowledged,
      unavailable, recovery.value_or(-1));

  // Recovered without a restart: the same processes, each ready and writing again.
  for (int k = 1; k <= kNodes; ++k) {
    EXPECT_TRUE(Alive(pids[k - 1])) << "node " << k << " died";
    EXPECT_EQ(cluster().NodePid(k), pids[k - 1]) << "node " << k << " was restarted";
    EXPECT_TRUE(PollUntil(15s, [&] { return Get(cluster().Node(k), "/readyz").status == 200; }))
        << "node " << k << " is not ready again";
    const Reply direct = Send(cluster().Node(k), bhttp::verb::post, "/api/v1/assets",
                              Statement("After the outage " + std::to_string(k), "Back."));
    EXPECT_EQ(direct.status, 201) << "node " << k << ": " << direct.body;
  }
}

// ---- c. the scheduler's leader dies -------------------------------------------------------------

// The byte size of a file (0 when there is none).
uintmax_t SizeOf(const fs::path& path) {
  std::error_code error;
  const uintmax_t size = fs::file_size(path, error);
  return error ? 0 : size;
}

// What was appended to `path` after its first `offset` bytes.
std::string Since(const fs::path& path, uintmax_t offset) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The scheduler's leader is stopped 300 ms before a scheduled item's second: SIGKILL (its
// connections close), or SIGSTOP (frozen: its connections stay open, and the database ends its
// lease session once idle for 1.5 s); another node must publish the item once, at its second.
void ClusterTest::LeaderStopsJustBeforeAnItemsSecond(bool freeze) {
  const unsigned short front = cluster().Front();
  // Each node's scheduler asks for the lease once a second; after a database restart (test B)
  // the lease is free until a node's next tick finds its old session gone and the one after
  // takes a new one: ask until a node holds it, 10 s at most.
  std::string leader_output;
  int leader = 0;
  PollUntil(10s, [&] {
    const auto [asked, output] = cluster().Cluster({"leader"});
    leader_output = output;
    leader = asked == 0 ? std::atoi(output.c_str()) : 0;
    return leader >= 1 && leader <= kNodes;
  });
  ASSERT_TRUE(leader >= 1 && leader <= kNodes)
      << "no node holds the scheduler's lease: " << leader_output;
  const int witness = leader % kNodes + 1;  // another node, to read from

  const Reply created = Send(front, bhttp::verb::post, "/api/v1/assets",
                             Statement("Statement on the platypus", "Scheduled for a second."));
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = json::parse(created.body).at("id").get<int64_t>();
  const std::string item = "/api/v1/assets/" + std::to_string(id);
  // Three whole seconds ahead: time to schedule it and to kill the leader just before.
  const auto due =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) + 3s;
  const Reply scheduled = Send(front, bhttp::verb::post, item + "/schedule",
                               json{{"at", Rfc3339(due)}}, created.Header("etag"));
  ASSERT_EQ(scheduled.status, 200) << scheduled.body;
  const std::string due_text =
      json::parse(scheduled.body).value("asset", json::object()).value("published_at", "");

  std::vector<uintmax_t> offsets;
  for (int k = 1; k <= kNodes; ++k) offsets.push_back(SizeOf(cluster().Log(k)));
  // The scenario's moment, not a wait for some state: 300 ms before the item's second.
  std::this_thread::sleep_until(due - 300ms);
  ASSERT_EQ(Get(cluster().Node(witness), item).status, 404) << "published before its second";
  ASSERT_EQ(kill(cluster().NodePid(leader), freeze ? SIGSTOP : SIGKILL), 0);
  const auto killed_at = std::chrono::system_clock::now();

  std::optional<std::chrono::system_clock::time_point> seen;
  PollUntil(5s, [&] {
    const Reply read = Get(cluster().Node(witness), item);
    if (read.status == 200) seen = std::chrono::system_clock::now();
    return seen.has_value();
  });
  ASSERT_TRUE(seen) << "item " << id << " was not published within 5 s of its second";
  const double delay = std::chrono::duration<double>(*seen - due).count();
  const json asset = json::parse(Get(cluster().Node(witness), item).body);
  EXPECT_EQ(asset.value("published_at", ""), due_text) << "not published at its second";

  if (freeze) {
    // Woken, the old leader finds its lease gone and leaves the rounds to the new one. Its next
    // round comes within a second or two of waking; the bound is generous because a woken node
    // first catches up on what it missed, at low priority, on a machine the other tests load
    // (seen: more than 5 s in a clean-clone CI run beside the crash tests).
    ASSERT_EQ(kill(cluster().NodePid(leader), SIGCONT), 0);
    EXPECT_TRUE(PollUntil(20s,
                          [&] {
                            return Since(cluster().Log(leader), offsets[leader - 1])
                                       .find("scheduler: another node publishes scheduled items") !=
                                   std::string::npos;
                          }))
        << "node " << leader << " does not notice that it lost the lease";
  }

  // Once: one scheduler revision, and one survivor's log says it published.
  const Reply revisions = Send(front, bhttp::verb::get, item + "/revisions");
  ASSERT_EQ(revisions.status, 200) << revisions.body;
  int by_scheduler = 0;
  const json history = json::parse(revisions.body);
  for (const json& revision : history.at("revisions")) {
    if (revision.value("note", "") == "publish (scheduled)") ++by_scheduler;
  }
  EXPECT_EQ(by_scheduler, 1) << revisions.body;
  // The publisher logs it once its round is over, a moment after readers can see the item.
  int publisher = 0;
  int publishers = 0;
  PollUntil(2s, [&] {
    publishers = 0;
    for (int k = 1; k <= kNodes; ++k) {
      if (Since(cluster().Log(k), offsets[k - 1]).find("scheduler: 1 item(s) published") !=
          std::string::npos) {
        publisher = k;
        ++publishers;
      }
    }
    return publishers > 0;
  });
  EXPECT_EQ(publishers, 1);
  EXPECT_NE(publisher, leader) << "the stopped leader published it";
  std::printf(
      "[cluster] scheduler leader node %d %s %.0f ms before the item's second; node "
      "%d published it, seen %.2f s after its second\n",
      leader, freeze ? "SIGSTOPped" : "SIGKILLed",
      std::chrono::duration<double, std::milli>(due - killed_at).count(), publisher, delay);
  EXPECT_LE(delay, 2.0);
}

TEST_F(ClusterTest, CAnotherNodePublishesOnceWhenTheSchedulersLeaderDies) {
  LeaderStopsJustBeforeAnItemsSecond(/*freeze=*/false);
}

TEST_F(ClusterTest, CAnotherNodePublishesOnceWhenTheSchedulersLeaderFreezes) {
  LeaderStopsJustBeforeAnItemsSecond(/*freeze=*/true);
}

// ---- d. a node pauses ---------------------------------------------------------------------------

TEST_F(ClusterTest, DAPausedNodeCatchesUpAndDropsItsStalePage) {
  const unsigned short front = cluster().Front();
  // A node that does not lead the scheduler, so that scheduling goes on meanwhile.
  const int leader = std::atoi(cluster().Cluster({"leader"}).second.c_str());
  const int paused = leader == kNodes ? 1 : kNodes;
  const int writer = paused % kNodes + 1;
  const unsigned short node = cluster().Node(paused);

  const int64_t id =
      Publish(front, Statement("Statement on the quoll", "Quolls before the pause."));
  ASSERT_NE(id, 0);
  const std::string page = PagePath(front, id);
  ASSERT_FALSE(page.empty());
  // Cached on the paused node: fetched until its cache answers it.
  ASSERT_TRUE(PollUntil(10s,
                        [&] {
                          const int64_t hits = Metric(node, "assetpub_cache_hits_total");
                          return Get(node, page).status == 200 &&
                                 Metric(node, "assetpub_cache_hits_total") > hits;
                        }))
      << page << " is never a cache hit on node " << paused;

  // Paused for 10 s, the issue's case: HAProxy takes it out of rotation meanwhile (its checks
  // time out), and its follower is a whole change behind when it wakes.
  const auto [stopped, stop_output] = cluster().Cluster({"pause-node", std::to_string(paused)});
  ASSERT_EQ(stopped, 0) << stop_output;
  const auto paused_at = Clock::now();
  const std::string item = "/api/v1/assets/" + std::to_string(id);
  const Reply draft = Send(cluster().Node(writer), bhttp::verb::get, item + "/draft");
  ASSERT_EQ(draft.status, 200) << draft.body;
  const Reply patched =
      Send(cluster().Node(writer), bhttp::verb::patch, item,
           json{{"translations", {{"en-GB", {{"title", "Statement on the quoll, revised"}}}}}},
           draft.Header("etag"), "application/merge-patch+json");
  ASSERT_EQ(patched.status, 200) << patched.body;
  const Reply republished = Send(cluster().Node(writer), bhttp::verb::post, item + "/publish",
                                 std::nullopt, patched.Header("etag"));
  ASSERT_EQ(republished.status, 200) << republished.body;
  EXPECT_THAT(Get(cluster().Node(writer), page).body, HasSubstr("Statement on the quoll, revised"));
  // The scenario: the pause lasts 10 s whatever happened meanwhile.
  std::this_thread::sleep_until(paused_at + 10s);
  const auto [resumed, resume_output] = cluster().Cluster({"resume-node", std::to_string(paused)});
  ASSERT_EQ(resumed, 0) << resume_output;
  const auto resumed_at = Clock::now();

  int stale = 0;
  const bool caught_up = PollUntil(10s, [&] {
    const Reply reply = Get(node, page);
    if (reply.body.find("Statement on the quoll, revised") != std::string::npos) return true;
    if (reply.body.find("Statement on the quoll") != std::string::npos) ++stale;
    return false;
  });
  const double catch_up = std::chrono::duration<double>(Clock::now() - resumed_at).count();
  std::printf(
      "[cluster] node %d paused 10 s: serves the new page %.3f s after SIGCONT (%d stale "
      "answer(s) before)\n",
      paused, catch_up, stale);
  ASSERT_TRUE(caught_up) << "node " << paused << " still serves the old page";
  // The write was acknowledged 10 s before the node woke: not one answer may predate it (the
  // cache answers only while its follower has confirmed it current within a second).
  EXPECT_EQ(stale, 0) << "answers of the page as it was before the write";
  // And never the old one again.
  for (int i = 0; i < 20; ++i) {
    EXPECT_THAT(Get(node, page).body, HasSubstr("Statement on the quoll, revised")) << i;
  }
  EXPECT_TRUE(PollUntil(10s, [&] { return Get(node, "/readyz").status == 200; }));
}

}  // namespace
