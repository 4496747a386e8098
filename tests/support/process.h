#pragma once
// Test support only: child processes for the integration tests. RunCommand runs a program to
// completion; ServerProcess runs `assetpub serve` on a free loopback port for as long as the
// object lives. Both are POSIX only (fork/exec). Thread-safety: none; use one object from one
// thread.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace assetpub::testing {

// Runs in a forked child just before exec (to set a resource limit or a signal's disposition):
// only async-signal-safe calls (setrlimit, signal) belong in it.
using InChild = std::function<void()>;

// In a forked child: closes the pipe ends `fds` (the child's copies, once dup2'ed where they
// belong) and replaces the process with `argv` (argv[0] is the program's path, no PATH lookup).
// Never returns: when exec fails the child exits with 127.
[[noreturn]] inline void CloseAndExec(std::initializer_list<int> fds,
                                      const std::vector<std::string>& argv) {
  for (const int fd : fds) close(fd);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

// Runs `argv` (argv[0] is the program's path, no PATH lookup) with `input` written to its
// standard input, and waits for it to exit. Returns its exit code (-1 when it was killed by a
// signal, 127 when it could not be started) and everything it wrote to its standard output and,
// when `capture_stderr`, to its standard error, interleaved (otherwise standard error goes to
// /dev/null). The input must fit in the pipe's buffer (64 KiB), which is all the tests need.
// `in_child`, when given, runs in the child before exec.
inline std::pair<int, std::string> RunCommand(const std::vector<std::string>& argv,
                                              const std::string& input = {},
                                              bool capture_stderr = true,
                                              const InChild& in_child = {}) {
  int in[2];
  int out[2];
  if (pipe(in) != 0 || pipe(out) != 0) return {-1, "pipe failed"};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    if (capture_stderr) {
      dup2(out[1], STDERR_FILENO);
    } else if (const int null = open("/dev/null", O_WRONLY); null >= 0) {
      dup2(null, STDERR_FILENO);
      close(null);
    }
    if (in_child) in_child();
    CloseAndExec({in[0], in[1], out[0], out[1]}, argv);
  }
  close(in[0]);
  close(out[1]);
  if (!input.empty()) {
    [[maybe_unused]] const ssize_t written = write(in[1], input.data(), input.size());
  }
  close(in[1]);
  std::string output;
  char buffer[4096];
  ssize_t n;
  while ((n = read(out[0], buffer, sizeof buffer)) > 0) output.append(buffer, n);
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// `ASSETPUB_BINARY --data DATA_DIR serve --listen 127.0.0.1:0 EXTRA_ARGS...` as a child process.
// Needs the ASSETPUB_BINARY compile definition.
class ServerProcess {
 public:
  // Starts the server and waits up to `startup_timeout` for its "listening on
  // http://127.0.0.1:PORT" line on standard output. port() is 0 when that line did not come (the
  // server failed or was too slow); startup_output() then holds what it printed. `in_child`,
  // when given, runs in the child before exec.
  explicit ServerProcess(const std::filesystem::path& data_dir,
                         const std::vector<std::string>& extra_args = {},
                         std::chrono::seconds startup_timeout = std::chrono::seconds(30),
                         const InChild& in_child = {}) {
    int out[2];
    if (pipe(out) != 0) return;
    std::vector<std::string> argv = {ASSETPUB_BINARY, "--data",   data_dir.string(),
                                     "serve",         "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      if (in_child) in_child();
      CloseAndExec({out[0], out[1]}, argv);
    }
    close(out[1]);
    stdout_ = out[0];
    const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)\n");
    std::string output;
    const auto deadline = std::chrono::steady_clock::now() + startup_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd fd{stdout_, POLLIN, 0};
      if (poll(&fd, 1, 200) <= 0) continue;
      char buffer[512];
      const ssize_t n = read(stdout_, buffer, sizeof buffer);
      if (n <= 0) break;  // the server died
      output.append(buffer, static_cast<size_t>(n));
      std::smatch match;
      if (std::regex_search(output, match, listening)) {
        port_ = static_cast<unsigned short>(std::stoi(match[1]));
        return;
      }
    }
    startup_output_ = output;
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Unless Terminate() already reaped it: SIGTERM, up to 15 s for the exit, then SIGKILL.
  ~ServerProcess() {
    if (pid_ > 0 && !exit_status_ && !Terminate(std::chrono::seconds(15)) && !exit_status_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_ >= 0) close(stdout_);
  }

  // The server's port, 0 when it did not start.
  unsigned short port() const { return port_; }
  // The server's process id (for /proc/PID/status in memory tests).
  pid_t pid() const { return pid_; }
  // What the server printed before giving up on its "listening on" line; empty once it started.
  const std::string& startup_output() const { return startup_output_; }

  // Sends SIGTERM and waits up to `timeout` for the exit. Returns the exit code, or nullopt when
  // the process did not exit in time (it is left running) or was killed by a signal.
  std::optional<int> Terminate(std::chrono::seconds timeout) {
    if (pid_ <= 0) return std::nullopt;
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_status_ = status;
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        return std::nullopt;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
  }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  unsigned short port_ = 0;
  std::string startup_output_;
  std::optional<int> exit_status_;  // the raw wait status, once reaped
};

}  // namespace assetpub::testing
