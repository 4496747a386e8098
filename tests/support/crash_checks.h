#pragma once
// Test support only: the crash tests' tools (tests/integration/crash_*_test.cpp). A command is
// run and SIGKILLed once it has written a given number of bytes, the moments are drawn from a
// printed seed, and what a kill leaves is checked: assets complete or absent against the corpus,
// the index against the store, no files left behind. Needs ASSETPUB_BINARY and gtest. Thread-
// safety: none; use from the test's thread.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/process.h"

namespace assetpub::testing {

// The crash tests' seed: ASSETPUB_CRASH_SEED when set, else a fixed one, so that a run is
// repeated exactly unless asked otherwise.
inline uint64_t CrashSeed() {
  const char* text = std::getenv("ASSETPUB_CRASH_SEED");
  return text != nullptr && *text != '\0' ? std::stoull(text) : 20261207;
}

inline std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// `assetpub --data DATA ARGS...` to its end: exit code and standard output (standard error too
// when `capture_stderr`).
inline std::pair<int, std::string> Assetpub(const std::filesystem::path& data,
                                            std::vector<std::string> args,
                                            bool capture_stderr = true) {
  args.insert(args.begin(), {ASSETPUB_BINARY, "--data", data.string()});
  return RunCommand(args, {}, capture_stderr);
}

// The bytes a process has passed to write(2) and its kin so far (wchar in /proc/PID/io: the
// store's and the index's pages, its output), -1 when that cannot be read.
inline int64_t BytesWritten(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/io");
  std::string name;
  int64_t value = 0;
  while (in >> name >> value) {
    if (name == "wchar:") return value;
  }
  return -1;
}

struct KilledRun {
  bool killed = false;     // by SIGKILL, at the moment asked for
  bool timed_out = false;  // still running after five minutes (then killed too)
  int exit_code = -1;      // when it ended by itself
  int64_t written = 0;     // bytes written by its end or its kill
  std::string output;      // its standard output and error
};

// Runs `argv` (argv[0] the program's path) with its output in the file `log`, and SIGKILLs it as
// soon as it has written `kill_at` bytes (when given), looking every millisecond. Without
// `kill_at`, `written` is what the whole run wrote: the scale of the moments.
inline KilledRun RunUntilWritten(const std::vector<std::string>& argv,
                                 const std::filesystem::path& log, std::optional<int64_t> kill_at) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    CloseAndExec({fd}, argv);
  }
  KilledRun run;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  for (;;) {
    // Ended by itself? Looked at without reaping it, so that its /proc/PID/io is still there.
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid) {
      run.written = BytesWritten(pid);
      int status = 0;
      waitpid(pid, &status, 0);
      run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      break;
    }
    const int64_t written = BytesWritten(pid);
    run.timed_out = std::chrono::steady_clock::now() > deadline;
    if ((kill_at && written >= *kill_at) || run.timed_out) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      run.killed = !run.timed_out;
      run.written = written;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  run.output = ReadWholeFile(log);
  return run;
}

// `count` moments of a run as shares of it: one seeded point in each of `count` equal slices of
// [2 %, 97 %), so that the kills spread over every phase.
inline std::vector<double> Moments(int count, std::mt19937_64& random) {
  std::vector<double> moments;
  for (int i = 0; i < count; ++i) {
    const double jitter = static_cast<double>(random() % 10'000) / 10'000.0;
    moments.push_back(0.02 + 0.95 * (i + jitter) / count);
  }
  return moments;
}

// The items of a `gen-corpus` folder, each as its JSON text.
inline std::multiset<std::string> CorpusItems(const std::filesystem::path& folder) {
  std::multiset<std::string> items;
  for (const auto& file : std::filesystem::directory_iterator(folder)) {
    for (const nlohmann::json& item : nlohmann::json::parse(ReadWholeFile(file.path()))) {
      items.insert(item.dump());
    }
  }
  return items;
}

// Every exported asset (without its id) is one of the corpus's items, whole — translations,
// people, tags, categories, blocks — and none is there twice. Returns how many there are.
inline size_t ExpectCompleteOrAbsent(const nlohmann::json& exported,
                                     const std::multiset<std::string>& corpus) {
  std::multiset<std::string> seen;
  for (nlohmann::json asset : exported) {
    const int64_t id = asset.at("id");
    asset.erase("id");
    const std::string text = asset.dump();
    seen.insert(text);
    EXPECT_TRUE(corpus.contains(text)) << "asset " << id << " is not a corpus item whole";
    EXPECT_LE(seen.count(text), corpus.count(text)) << "asset " << id << " is there twice";
  }
  return seen.size();
}

// What the index must answer for a store, through `assetpub search --json`: queries and their
// totals (filters matching at most a few hundred documents, which Xapian counts exactly; the
// empty query matches every document), and a title found in no other asset, which must find it.
struct IndexExpectations {
  std::vector<std::pair<std::string, int64_t>> totals;
  std::string title;
  int64_t title_id = 0;
};

// Expectations for the store that exported `assets`: two people, two tags and a title drawn by
// `seed`.
inline IndexExpectations ExpectationsFor(const nlohmann::json& assets, uint64_t seed) {
  using nlohmann::json;
  std::mt19937_64 random(seed);
  IndexExpectations expected;
  auto documents = [&](const std::string& field, const std::string& value) {
    int64_t total = 0;
    for (const json& asset : assets) {
      const json& values = asset.at(field);
      if (asset.at("status") == "published" &&
          (value.empty() || std::find(values.begin(), values.end(), value) != values.end())) {
        total += static_cast<int64_t>(asset.at("translations").size());
      }
    }
    return total;
  };
  expected.totals.emplace_back("", documents("tags", ""));
  for (const auto& [field, prefix] :
       {std::pair<std::string, std::string>{"people", "person"}, {"tags", "tag"}}) {
    std::set<std::string> taken;
    for (int attempt = 0; attempt < 100 && taken.size() < 2; ++attempt) {
      const json& values = assets.at(random() % assets.size()).at(field);
      if (values.empty()) continue;
      const std::string value = values.at(random() % values.size());
      const int64_t total = documents(field, value);
      if (total > 500 || !taken.insert(value).second) continue;
      expected.totals.emplace_back(prefix + ":\"" + value + "\"", total);
    }
  }
  std::multiset<std::string> titles;
  for (const json& asset : assets) titles.insert(asset.at("translations").at("en-GB").at("title"));
  for (int attempt = 0; attempt < 100 && expected.title_id == 0; ++attempt) {
    const json& asset = assets.at(random() % assets.size());
    const std::string title = asset.at("translations").at("en-GB").at("title");
    if (titles.count(title) != 1 || asset.at("status") != "published") continue;
    expected.title = title;
    expected.title_id = asset.at("id");
  }
  return expected;
}

// The index of `data` as it is (read-only, as `assetpub search` reads it) answers as `expected`.
inline void ExpectIndexAgrees(const std::filesystem::path& data,
                              const IndexExpectations& expected) {
  using nlohmann::json;
  for (const auto& [query, total] : expected.totals) {
    const auto [code, output] = Assetpub(data, {"search", "--json", query}, false);
    ASSERT_EQ(code, 0) << query << ": " << output;
    EXPECT_EQ(json::parse(output).at("total"), total) << "search " << query;
  }
  std::string phrase = "\"";
  for (const char c : expected.title) phrase += c == '"' ? ' ' : c;
  phrase += "\"";
  const auto [code, output] = Assetpub(data, {"search", "--json", "--lang", "en", phrase}, false);
  ASSERT_EQ(code, 0) << output;
  const json results = json::parse(output);
  std::set<int64_t> ids;
  for (const json& hit : results.at("hits")) ids.insert(hit.at("id").get<int64_t>());
  EXPECT_TRUE(ids.contains(expected.title_id))
      << "the title " << phrase << " finds asset " << expected.title_id << ": " << output;
}

// What `data` holds that a finished run leaves nowhere: in DATA anything but the store's files,
// config.toml, the index and media; in DATA/index anything but CURRENT, write.lock and the
// generation CURRENT names (another generation, a rebuild's shards, a CURRENT.tmp); a name with
// "tmp" inside the live generation.
inline std::vector<std::string> LeftBehind(const std::filesystem::path& data) {
  namespace fs = std::filesystem;
  std::vector<std::string> found;
  const std::set<std::string> known = {"assetpub.db", "assetpub.db-wal", "assetpub.db-shm",
                                       "config.toml", "index",           "media"};
  for (const fs::directory_entry& entry : fs::directory_iterator(data)) {
    if (!known.contains(entry.path().filename().string())) found.push_back(entry.path());
  }
  const fs::path index = data / "index";
  if (!fs::is_directory(index)) return found;
  std::string live = ReadWholeFile(index / "CURRENT");
  while (!live.empty() && live.back() == '\n') live.pop_back();
  for (const fs::directory_entry& entry : fs::directory_iterator(index)) {
    const std::string name = entry.path().filename().string();
    if (name != "CURRENT" && name != "write.lock" && name != live) found.push_back(entry.path());
  }
  if (!live.empty() && fs::is_directory(index / live)) {
    for (const fs::directory_entry& entry : fs::directory_iterator(index / live)) {
      if (entry.path().filename().string().find("tmp") != std::string::npos) {
        found.push_back(entry.path());
      }
    }
  }
  return found;
}

// Holds the write lock of the index in DATA/index (flock on write.lock) while it lives, as a
// running `assetpub serve` does: an `import` then leaves the index to that server's follower
// instead of catching it up itself. The index must exist already (creating one waits for the
// lock).
class IndexWriteLock {
 public:
  explicit IndexWriteLock(const std::filesystem::path& data)
      : fd_(open((data / "index" / "write.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    EXPECT_TRUE(fd_ >= 0 && flock(fd_, LOCK_EX | LOCK_NB) == 0) << "cannot lock the index";
  }
  IndexWriteLock(const IndexWriteLock&) = delete;
  IndexWriteLock& operator=(const IndexWriteLock&) = delete;
  ~IndexWriteLock() {
    if (fd_ >= 0) close(fd_);  // releases the lock
  }

 private:
  int fd_;
};

}  // namespace assetpub::testing
