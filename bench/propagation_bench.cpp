// propagation_bench: how long a write on one node of a cluster takes to be seen on the others
// (step 8: "within 1 s"). Against a running `scripts/cluster start` (its DIR/cluster.env), it
// publishes one statement through node --via, then --writes times edits its English title to a
// new word and republishes it through that node, and, on every other node, polls the item's page
// (its response cache must drop it), the English RSS feed (lists) and the search API (the node's
// search follower must apply the change) until each shows the new word. Prints, per node and
// kind, p50/p90/p99/max of the delay from the moment the republication was sent, and how many
// were over 1 s or never seen within --timeout; asserts nothing about timings. See
// bench/README.md. Then --follow-writes more writes, unpolled, and each node's CPU time over them:
// what following the change log costs a node.

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "percentile.h"
#include "support/cluster_env.h"
#include "support/http_client.h"

namespace assetpub::bench {
namespace {

namespace bhttp = boost::beast::http;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;
using testing::HttpClient;
using testing::Reply;
using testing::RequestHeaders;

// What a poller looks at on a node.
enum class Kind { kPage, kFeed, kSearch };
constexpr const char* kKindNames[] = {"item page", "RSS feed", "search API"};

// The word of write `i`: letters only (the search index keeps it as one term), never a prefix of
// another write's word, never an English word.
std::string Word(int i) {
  std::string word = "zq";
  for (int n = i + 26 * 26 * 26; n > 0; n /= 26) word += static_cast<char>('a' + n % 26);
  return word + "x";
}

// The write under way: its word and when its republication was sent. Pollers read it under the
// mutex and report when they see it; the writer waits until every poller has reported.
struct Round {
  std::mutex mutex;
  std::condition_variable changed;
  int index = -1;  // -1 before the first write; `stop` ends the pollers
  bool stop = false;
  std::string word;
  Clock::time_point sent;
  int pending = 0;  // pollers that have not yet seen this round's word
};

// One poller: a node and a kind, on a keep-alive connection of its own; its delays in ms, by write
// (negative: not seen within the timeout).
class Poller {
 public:
  Poller(unsigned short port, Kind kind, std::string page)
      : port_(port), kind_(kind), page_(std::move(page)) {}

  void Run(Round& round, std::chrono::milliseconds interval, std::chrono::milliseconds timeout) {
    std::unique_ptr<HttpClient> client;
    int seen_index = -1;
    for (;;) {
      std::string word;
      int index = 0;
      Clock::time_point sent;
      {
        std::unique_lock lock(round.mutex);
        round.changed.wait(lock, [&] { return round.stop || round.index != seen_index; });
        if (round.stop) return;
        word = round.word;
        index = round.index;
        sent = round.sent;
      }
      double delay = -1;
      while (Clock::now() - sent < timeout) {
        if (Shows(client, word)) {
          delay = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
          break;
        }
        std::this_thread::sleep_for(interval);
      }
      delays_.push_back(delay);
      seen_index = index;
      std::lock_guard lock(round.mutex);
      if (--round.pending == 0) round.changed.notify_all();
    }
  }

  unsigned short port() const { return port_; }
  Kind kind() const { return kind_; }
  const std::vector<double>& delays() const { return delays_; }

 private:
  // Whether the node now shows `word` where this poller looks; a failed connection is reopened
  // at the next poll (and counts as not yet).
  bool Shows(std::unique_ptr<HttpClient>& client, const std::string& word) {
    const std::string target = kind_ == Kind::kPage   ? page_
                               : kind_ == Kind::kFeed ? "/en/feed.rss"
                                                      : "/api/v1/search?lang=en&q=" + word;
    try {
      if (!client) client = std::make_unique<HttpClient>(port_);
      const Reply reply = client->Fetch(target);
      if (reply.status != 200) return false;
      if (kind_ == Kind::kSearch) return json::parse(reply.body).value("total", 0) > 0;
      return reply.body.find(word) != std::string::npos;
    } catch (const std::exception&) {
      client.reset();
      return false;
    }
  }

  unsigned short port_;
  Kind kind_;
  std::string page_;
  std::vector<double> delays_;
};

// A write through the API on `client`: the reply, or a message on stderr and exit on failure.
Reply Write(HttpClient& client, const std::string& token, bhttp::verb method,
            const std::string& target, const std::string& etag, const std::string& content_type,
            const std::optional<json>& body, int expected) {
  RequestHeaders headers = {{"Authorization", "Bearer " + token}};
  if (!etag.empty()) headers.emplace_back("If-Match", etag);
  std::optional<std::string> payload;
  if (body) {
    headers.emplace_back("Content-Type", content_type);
    payload = body->dump();
  }
  Reply reply = client.Fetch(target, headers, method, payload);
  if (reply.status != expected) {
    std::fprintf(stderr, "propagation_bench: %s answered %d: %s\n", target.c_str(), reply.status,
                 reply.body.c_str());
    std::exit(1);
  }
  return reply;
}

// A process's CPU time so far (user + system, every thread), in ms; 0 when it cannot be read.
double CpuMs(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the command (in parentheses, which may hold spaces): utime and stime are the
  // 12th and 13th after it.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 1; i <= 13 && fields >> field; ++i) {
    if (i >= 12) ticks += std::stod(field);
  }
  return ticks * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// A value of a node's /metrics ("name" or "name{labels}"), or -1.
double Metric(HttpClient& client, const std::string& name) {
  const std::string body = client.Fetch("/metrics").body;
  const size_t at = body.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stod(body.substr(at + name.size() + 2));
}

void PrintLine(const std::string& name, const std::vector<double>& delays) {
  std::vector<double> seen;
  int over = 0;
  int missing = 0;
  for (const double ms : delays) {
    if (ms < 0) {
      ++missing;
      continue;
    }
    seen.push_back(ms);
    if (ms > 1000) ++over;
  }
  std::printf(
      "%-24s n %5zu  p50 %7.1f  p90 %7.1f  p99 %7.1f  max %7.1f ms  over 1 s: %d  never seen: %d\n",
      name.c_str(), delays.size(), Percentile(seen, 0.5), Percentile(seen, 0.9),
      Percentile(seen, 0.99), seen.empty() ? 0.0 : *std::max_element(seen.begin(), seen.end()),
      over, missing);
}

int Main(int argc, char** argv) {
  CLI::App app{"propagation_bench: a write on one node, seen on the others (bench/README.md)"};
  std::filesystem::path env_file = "cluster/cluster.env";
  int writes = 1000;
  int via = 1;
  int interval_ms = 2;
  int timeout_ms = 5000;
  int follow_writes = 1000;
  app.add_option("--env", env_file, "the cluster's cluster.env (scripts/cluster start)");
  app.add_option("--writes", writes, "how many edits to publish")->check(CLI::Range(1, 100000));
  app.add_option("--via", via, "the node (1…N) that takes the writes");
  app.add_option("--interval-ms", interval_ms, "pause between two polls of one poller");
  app.add_option("--timeout-ms", timeout_ms, "give up on a write after this long");
  app.add_option("--follow-writes", follow_writes,
                 "writes without polling, to measure the CPU each node spends following (0: none)")
      ->check(CLI::Range(0, 100000));
  CLI11_PARSE(app, argc, argv);

  const auto env = testing::ReadClusterEnv(env_file);
  if (!env.contains("NODE_PORTS") || !env.contains("ASSETPUB_TOKEN")) {
    std::fprintf(stderr, "propagation_bench: %s: no NODE_PORTS or ASSETPUB_TOKEN (is it %s?)\n",
                 env_file.c_str(), "the cluster.env of `scripts/cluster start`");
    return 2;
  }
  const std::string token = env.at("ASSETPUB_TOKEN");
  std::vector<unsigned short> ports;
  std::istringstream port_list(env.at("NODE_PORTS"));
  for (unsigned short port = 0; port_list >> port;) ports.push_back(port);
  if (via < 1 || via > static_cast<int>(ports.size()) || ports.size() < 2) {
    std::fprintf(stderr, "propagation_bench: --via %d: the cluster has %zu nodes (2 or more)\n",
                 via, ports.size());
    return 2;
  }
  const unsigned short writer_port = ports[static_cast<size_t>(via - 1)];
  HttpClient writer(writer_port);

  // The statement every write edits, published once.
  const json statement = {
      {"kind", "statement"},
      {"translations",
       {{"en-GB",
         {{"title", "Propagation probe " + Word(-1)},
          {"blocks",
           {{{"type", "paragraph"}, {"text", "A statement edited by propagation_bench."}}}}}}}}};
  const Reply created = Write(writer, token, bhttp::verb::post, "/api/v1/assets", "",
                              "application/json", statement, 201);
  const int64_t id = json::parse(created.body).at("id").get<int64_t>();
  const std::string item = "/api/v1/assets/" + std::to_string(id);
  Reply last = Write(writer, token, bhttp::verb::post, item + "/publish", created.Header("etag"),
                     "", std::nullopt, 200);
  const json read = json::parse(writer.Fetch(item).body);
  const std::string page = fmt::format(
      "/en/assets/{}-{}", id, read.at("translations").at("en-GB").at("slug").get<std::string>());
  std::printf("propagation_bench: item %lld (%s), %d writes through node %d (port %u)\n",
              static_cast<long long>(id), page.c_str(), writes, via, writer_port);

  std::vector<std::unique_ptr<Poller>> pollers;
  for (size_t k = 0; k < ports.size(); ++k) {
    if (static_cast<int>(k) == via - 1) continue;
    for (const Kind kind : {Kind::kPage, Kind::kFeed, Kind::kSearch}) {
      pollers.push_back(std::make_unique<Poller>(ports[k], kind, page));
    }
  }
  Round round;
  std::vector<std::jthread> threads;
  for (auto& poller : pollers) {
    threads.emplace_back([&round, &poller, interval_ms, timeout_ms] {
      poller->Run(round, std::chrono::milliseconds(interval_ms),
                  std::chrono::milliseconds(timeout_ms));
    });
  }

  // One write: the title set to `word` (PATCH), then `announce` (may be empty) and the
  // republication.
  const auto republish = [&](const std::string& word, const std::function<void()>& announce) {
    const Reply patched =
        Write(writer, token, bhttp::verb::patch, item, last.Header("etag"),
              "application/merge-patch+json",
              json{{"translations", {{"en-GB", {{"title", "Propagation probe " + word}}}}}}, 200);
    if (announce) announce();
    last = Write(writer, token, bhttp::verb::post, item + "/publish", patched.Header("etag"), "",
                 std::nullopt, 200);
  };

  std::vector<double> write_ms;
  for (int i = 0; i < writes; ++i) {
    const std::string word = Word(i);
    Clock::time_point sent;
    republish(word, [&] {
      sent = Clock::now();
      {
        std::lock_guard lock(round.mutex);
        round.word = word;
        round.sent = sent;
        round.pending = static_cast<int>(pollers.size());
        round.index = i;
      }
      round.changed.notify_all();
    });
    write_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
    std::unique_lock lock(round.mutex);
    round.changed.wait(lock, [&] { return round.pending == 0; });
  }
  {
    std::lock_guard lock(round.mutex);
    round.stop = true;
  }
  round.changed.notify_all();
  threads.clear();

  std::printf("%-24s n %5zu  p50 %7.1f  p90 %7.1f  p99 %7.1f ms\n", "publish round trip",
              write_ms.size(), Percentile(write_ms, 0.5), Percentile(write_ms, 0.9),
              Percentile(write_ms, 0.99));
  std::vector<double> everywhere(static_cast<size_t>(writes), 0);
  for (const auto& poller : pollers) {
    PrintLine(
        fmt::format("node :{} {}", poller->port(), kKindNames[static_cast<int>(poller->kind())]),
        poller->delays());
    for (size_t i = 0; i < everywhere.size(); ++i) {
      const double ms = poller->delays()[i];
      if (everywhere[i] >= 0) everywhere[i] = ms < 0 ? -1 : std::max(everywhere[i], ms);
    }
  }
  PrintLine("seen everywhere", everywhere);

  // The cost of following: `follow_writes` more writes with nobody polling, each node's CPU time
  // (user + system, /proc/PID/stat) over them, once every node's search shows the last one.
  if (follow_writes == 0) return 0;
  std::vector<pid_t> pids;
  std::istringstream pid_list(env.contains("NODE_PIDS") ? env.at("NODE_PIDS") : "");
  for (pid_t pid = 0; pid_list >> pid;) pids.push_back(pid);
  if (pids.size() != ports.size()) {
    std::fprintf(stderr, "propagation_bench: no NODE_PIDS for the nodes in %s\n", env_file.c_str());
    return 2;
  }
  std::vector<double> cpu_before;
  for (const pid_t pid : pids) cpu_before.push_back(CpuMs(pid));
  const double first_change = Metric(writer, "assetpub_store_last_change");
  for (int i = 0; i < follow_writes; ++i) republish(Word(writes + i), {});
  const std::string final_word = Word(writes + follow_writes - 1);
  for (size_t k = 0; k < ports.size(); ++k) {
    HttpClient reader(ports[k]);
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (json::parse(reader.Fetch("/api/v1/search?lang=en&q=" + final_word).body)
               .value("total", 0) == 0) {
      if (Clock::now() > deadline) {
        std::fprintf(stderr, "propagation_bench: node :%u never shows the last write\n", ports[k]);
        return 1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
    }
  }
  const double changes = Metric(writer, "assetpub_store_last_change") - first_change;
  std::printf("following: %d writes, %.0f changes in the log\n", follow_writes, changes);
  for (size_t k = 0; k < ports.size(); ++k) {
    const double ms = CpuMs(pids[k]) - cpu_before[k];
    std::printf("node :%u %-9s CPU %8.0f ms, %7.1f ms per 1,000 changes\n", ports[k],
                static_cast<int>(k) == via - 1 ? "(writer)" : "", ms,
                changes > 0 ? ms * 1000 / changes : 0.0);
  }
  return 0;
}

}  // namespace
}  // namespace assetpub::bench

int main(int argc, char** argv) { return assetpub::bench::Main(argc, argv); }
