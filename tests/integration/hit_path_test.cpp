// The cached page's hot path holds to its promise: once warm, a cache hit
// allocates nothing and takes no lock. This binary replaces the global operator new and the
// pthread mutex and rwlock entry points with counting versions (per thread), then
//  - drives the real server (web::Serve, in this process, on a port of its own) with
//    keep-alive requests for a cached item page and counts the allocations of its worker
//    threads (named "assetpub-http") while they answer the hits;
//  - calls the function the server calls for each request (App::RespondInPlace) on a thread of
//    its own and counts that thread's allocations and lock calls.
// Each check first shows that its counter counts (the warm-up's miss allocates and locks), so it
// cannot pass by counting nothing. Not in the sanitizer build: ASan replaces operator new too.

#include <arpa/inet.h>
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <new>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "content/asset.h"
#include "core/config.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "web/app.h"
#include "web/serve.h"

// --- counting, per thread -------------------------------------------------------------------

namespace {

struct ThreadCounts {
  std::atomic<pid_t> tid{0};
  std::atomic<uint64_t> allocations{0};
  std::atomic<uint64_t> locks{0};
};
constexpr size_t kMaxThreads = 1024;
ThreadCounts g_counts[kMaxThreads];
std::atomic<size_t> g_threads{0};
thread_local ThreadCounts* t_counts = nullptr;

ThreadCounts* Mine() {
  if (t_counts == nullptr) {
    const size_t index = g_threads.fetch_add(1, std::memory_order_relaxed);
    if (index >= kMaxThreads) return nullptr;
    g_counts[index].tid.store(gettid(), std::memory_order_relaxed);
    t_counts = &g_counts[index];
  }
  return t_counts;
}

void CountAllocation() {
  if (ThreadCounts* counts = Mine()) {
    counts->allocations.fetch_add(1, std::memory_order_relaxed);
  }
}

void CountLock() {
  if (ThreadCounts* counts = Mine()) counts->locks.fetch_add(1, std::memory_order_relaxed);
}

void* Allocate(size_t size) {
  CountAllocation();
  void* memory = std::malloc(size == 0 ? 1 : size);
  if (memory == nullptr) throw std::bad_alloc();
  return memory;
}

void* AllocateAligned(size_t size, std::align_val_t alignment) {
  CountAllocation();
  void* memory = nullptr;
  if (posix_memalign(&memory, std::max(sizeof(void*), static_cast<size_t>(alignment)),
                     size == 0 ? 1 : size) != 0) {
    throw std::bad_alloc();
  }
  return memory;
}

// A thread's name (its comm), by its id.
std::string ThreadName(pid_t tid) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/comm");
  std::string name;
  std::getline(in, name);
  return name;
}

// The allocations (or lock calls) of every thread named `name` (the server's workers), summed.
uint64_t CountOfThreadsNamed(const std::string& name, bool locks = false) {
  uint64_t sum = 0;
  const size_t threads = std::min(g_threads.load(), kMaxThreads);
  for (size_t i = 0; i < threads; ++i) {
    const pid_t tid = g_counts[i].tid.load();
    if (tid != 0 && ThreadName(tid) == name) {
      sum += locks ? g_counts[i].locks.load() : g_counts[i].allocations.load();
    }
  }
  return sum;
}

uint64_t AllocationsOfThreadsNamed(const std::string& name) { return CountOfThreadsNamed(name); }

}  // namespace

void* operator new(size_t size) { return Allocate(size); }
void* operator new[](size_t size) { return Allocate(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  CountAllocation();
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  CountAllocation();
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new(size_t size, std::align_val_t alignment) {
  return AllocateAligned(size, alignment);
}
void* operator new[](size_t size, std::align_val_t alignment) {
  return AllocateAligned(size, alignment);
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, size_t) noexcept { std::free(memory); }
void operator delete(void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete(void* memory, size_t, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, size_t, std::align_val_t) noexcept { std::free(memory); }

// std::mutex, std::shared_mutex, SQLite's and Asio's mutexes all end here (the executable's
// definitions come before libc's); each forwards to the next definition, libc's.
namespace {

template <typename Function>
Function Next(std::atomic<void*>& cached, const char* name) {
  void* function = cached.load(std::memory_order_acquire);
  if (function == nullptr) {
    function = dlsym(RTLD_NEXT, name);
    cached.store(function, std::memory_order_release);
  }
  return reinterpret_cast<Function>(function);
}

std::atomic<void*> g_mutex_lock{nullptr};
std::atomic<void*> g_mutex_trylock{nullptr};
std::atomic<void*> g_rwlock_rdlock{nullptr};
std::atomic<void*> g_rwlock_tryrdlock{nullptr};
std::atomic<void*> g_rwlock_wrlock{nullptr};

}  // namespace

extern "C" {
int pthread_mutex_lock(pthread_mutex_t* mutex) {
  CountLock();
  return Next<int (*)(pthread_mutex_t*)>(g_mutex_lock, "pthread_mutex_lock")(mutex);
}
int pthread_mutex_trylock(pthread_mutex_t* mutex) {
  CountLock();
  return Next<int (*)(pthread_mutex_t*)>(g_mutex_trylock, "pthread_mutex_trylock")(mutex);
}
int pthread_rwlock_rdlock(pthread_rwlock_t* lock) {
  CountLock();
  return Next<int (*)(pthread_rwlock_t*)>(g_rwlock_rdlock, "pthread_rwlock_rdlock")(lock);
}
int pthread_rwlock_tryrdlock(pthread_rwlock_t* lock) {
  CountLock();
  return Next<int (*)(pthread_rwlock_t*)>(g_rwlock_tryrdlock, "pthread_rwlock_tryrdlock")(lock);
}
int pthread_rwlock_wrlock(pthread_rwlock_t* lock) {
  CountLock();
  return Next<int (*)(pthread_rwlock_t*)>(g_rwlock_wrlock, "pthread_rwlock_wrlock")(lock);
}
}

// --- the tests --------------------------------------------------------------------------------

namespace {

using namespace assetpub;

constexpr const char* kItemPath = "/en/assets/1-en-item-1";

content::Asset Item() {
  content::Asset asset;
  asset.id = 1;
  asset.kind = content::Kind::kTranscript;
  asset.published_at = {1'400'000'000};
  asset.languages = {"en-GB"};
  content::Translation translation;
  translation.language = "en-GB";
  translation.title = "Transcript one";
  translation.slug = "en-item-1";
  translation.blocks = {content::Block::Paragraph(std::string(2000, 'x') + ".")};
  asset.translations["en-GB"] = translation;
  return asset;
}

class HitPath : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::OpenStore("sqlite:" + (temp_.path() / "assetpub.db").string());
    auto transaction = store_->Begin();
    content::Asset item = Item();
    transaction->Put(item);
    transaction->Commit();
    config_.resources_dir = ASSETPUB_SOURCE_DIR;
    config_.cache_bytes = size_t{16} << 20;
  }

  const assetpub::testing::TempDir temp_{"assetpub-hit-path-"};
  Config config_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(HitPath, TheCountersCountThisThread) {
  ThreadCounts* mine = Mine();
  ASSERT_NE(mine, nullptr);
  const uint64_t allocations = mine->allocations.load();
  const uint64_t locks = mine->locks.load();
  auto boxed = std::make_unique<int>(1);
  std::mutex mutex;
  { const std::lock_guard lock(mutex); }
  std::shared_mutex shared;
  { const std::shared_lock lock(shared); }
  { const std::unique_lock lock(shared); }
  EXPECT_EQ(mine->allocations.load() - allocations, 1u);
  EXPECT_EQ(mine->locks.load() - locks, 3u);
}

// The function the server calls for each request, with the Request it keeps per connection.
TEST_F(HitPath, AHitTakesNoLockAndAllocatesNothing) {
  web::App app(config_, *store_);
  std::thread([&] {
    http::Request request;
    request.headers = {{"Host", "localhost"}, {"Accept-Encoding", "br, gzip"}};
    const auto respond = [&] {
      request.method = "GET";
      request.target = kItemPath;
      return app.RespondInPlace(request);
    };
    ThreadCounts* mine = Mine();
    ASSERT_NE(mine, nullptr);
    // The miss renders the page (allocating, and locking the store's mutexes): the counters
    // count what this path does.
    uint64_t allocations = mine->allocations.load();
    uint64_t locks = mine->locks.load();
    web::App::Answer first = respond();
    ASSERT_EQ(first.response.status, 200);
    ASSERT_NE(first.entry, nullptr);
    EXPECT_GT(mine->allocations.load(), allocations);
    EXPECT_GT(mine->locks.load(), locks);
    // The first hit on this thread finds the entry in its shard (under the shard's shared lock)
    // and remembers it; the rest are answered from the thread's table.
    locks = mine->locks.load();
    ASSERT_NE(respond().entry, nullptr);
    EXPECT_GE(mine->locks.load(), locks + 1);

    constexpr int kHits = 2000;
    allocations = mine->allocations.load();
    locks = mine->locks.load();
    int hits = 0;
    for (int i = 0; i < kHits; ++i) {
      const web::App::Answer answer = respond();
      if (answer.entry == first.entry && answer.response.status == 200 &&
          answer.cached.coding == http::ContentCoding::kBrotli) {
        ++hits;
      }
    }
    EXPECT_EQ(hits, kHits);
    EXPECT_EQ(mine->allocations.load() - allocations, 0u) << "allocations in " << kHits << " hits";
    EXPECT_EQ(mine->locks.load() - locks, 0u) << "lock calls in " << kHits << " hits";
  }).join();
}

// A plain keep-alive HTTP/1.1 client on a socket (it allocates nothing per request either, but
// only the server's threads are counted anyway).
class Connection {
 public:
  explicit Connection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~Connection() { close(fd_); }
  bool connected() const { return connected_; }

  // Sends `request` and reads one response; returns its status line and headers (the text
  // before the body), or "" on failure. The body is read and dropped.
  std::string_view RoundTrip(std::string_view request) {
    if (send(fd_, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size())) {
      return {};
    }
    size_t have = 0;
    size_t header_end = std::string_view::npos;
    size_t total = 0;
    while (true) {
      if (header_end == std::string_view::npos) {
        const std::string_view text(buffer_.data(), have);
        header_end = text.find("\r\n\r\n");
        if (header_end != std::string_view::npos) {
          const size_t at = text.find("Content-Length: ");
          if (at == std::string_view::npos || at > header_end) return {};
          total = header_end + 4 + std::strtoull(buffer_.data() + at + 16, nullptr, 10);
          if (total > buffer_.size()) return {};
        }
      }
      if (header_end != std::string_view::npos && have >= total) break;
      const ssize_t got = recv(fd_, buffer_.data() + have, buffer_.size() - have, 0);
      if (got <= 0) return {};
      have += static_cast<size_t>(got);
    }
    return std::string_view(buffer_.data(), header_end);
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::array<char, 256 * 1024> buffer_{};
};

// web::Serve in this process, on a free port; stopped (SIGTERM, which its signal_set takes)
// when destroyed.
class InProcessServer {
 public:
  InProcessServer(const Config& config, store::Store& store) {
    // Serve prints "listening on http://HOST:PORT" on stdout: read it through a pipe.
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return;
    std::fflush(stdout);
    const int saved_stdout = dup(1);
    dup2(pipe_fds[1], 1);
    thread_ = std::thread([&config, &store] {
      http::ServeOptions options;
      options.listen = "127.0.0.1:0";
      options.threads = 1;
      try {
        web::Serve(options, config, store);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "Serve: " << e.what();
      }
    });
    // spdlog's default logger writes there too: skip its lines.
    std::string line;
    char c = 0;
    pollfd wait{pipe_fds[0], POLLIN, 0};
    while (!line.starts_with("listening on http://") || line.back() != '\n') {
      if (!line.empty() && line.back() == '\n') line.clear();
      if (poll(&wait, 1, 20'000) != 1 || read(pipe_fds[0], &c, 1) != 1) break;
      line.push_back(c);
    }
    std::fflush(stdout);
    dup2(saved_stdout, 1);
    close(saved_stdout);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    const size_t colon = line.rfind(':');
    if (line.starts_with("listening on http://") && colon != std::string::npos) {
      port_ = std::atoi(line.c_str() + colon + 1);
    }
  }
  ~InProcessServer() {
    if (!thread_.joinable()) return;
    if (port_ != 0) std::raise(SIGTERM);  // Serve's signal_set takes it
    thread_.join();
  }
  int port() const { return port_; }

 private:
  std::thread thread_;
  int port_ = 0;
};

// The real server: Beast reading into the connection's Request, the App, the cached answer's
// header block and the gathered write.
TEST_F(HitPath, TheServerAnswersHitsWithoutAllocating) {
  InProcessServer server(config_, *store_);
  ASSERT_NE(server.port(), 0) << "the server did not start";
  Connection connection(server.port());
  ASSERT_TRUE(connection.connected());
  const std::string request = std::string("GET ") + kItemPath +
                              " HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: br, gzip\r\n\r\n";
  // The first request renders the page (a miss: the worker allocates plenty).
  const uint64_t before = AllocationsOfThreadsNamed("assetpub-http");
  ASSERT_TRUE(connection.RoundTrip(request).starts_with("HTTP/1.1 200 OK\r\n"));
  const uint64_t after_miss = AllocationsOfThreadsNamed("assetpub-http");
  EXPECT_GT(after_miss, before) << "the worker threads' allocations are not counted";
  for (int i = 0; i < 50; ++i) ASSERT_FALSE(connection.RoundTrip(request).empty());

  // Rounds of hits; the worker's once-a-second chores (handing item views over to the shared
  // counter) may fall into one of them, a per-hit allocation would show in every one.
  constexpr int kRounds = 5;
  constexpr int kHits = 400;
  std::vector<uint64_t> allocations;
  const uint64_t locks_before = CountOfThreadsNamed("assetpub-http", true);
  for (int round = 0; round < kRounds; ++round) {
    const uint64_t start = AllocationsOfThreadsNamed("assetpub-http");
    for (int i = 0; i < kHits; ++i) {
      const std::string_view head = connection.RoundTrip(request);
      ASSERT_TRUE(head.starts_with("HTTP/1.1 200 OK\r\n")) << head;
      ASSERT_NE(head.find("\r\nContent-Encoding: br\r\n"), std::string_view::npos) << head;
      ASSERT_NE(head.find("\r\nETag: "), std::string_view::npos) << head;  // from the cache
    }
    allocations.push_back(AllocationsOfThreadsNamed("assetpub-http") - start);
  }
  std::cout << "worker allocations per round of " << kHits
            << " hits: " << ::testing::PrintToString(allocations) << std::endl;
  // Not asserted: Asio's io_context and epoll reactor lock their own (uncontended: one thread
  // per io_context) mutexes around each operation. The App's part takes none (the test above).
  std::cout << "worker lock calls per hit (Asio's): "
            << static_cast<double>(CountOfThreadsNamed("assetpub-http", true) - locks_before) /
                   (kRounds * kHits)
            << std::endl;
  EXPECT_EQ(*std::min_element(allocations.begin(), allocations.end()), 0u)
      << "allocations per round of " << kHits << " hits: " << ::testing::PrintToString(allocations);
  for (const uint64_t count : allocations) EXPECT_LT(count, 10u);
}

}  // namespace
