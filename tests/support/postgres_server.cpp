#include "support/postgres_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace assetpub::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Debian's PostgreSQL 15; ASSETPUB_PG_BINDIR points elsewhere (another version, another distro).
fs::path BinDir() {
  const char* dir = std::getenv("ASSETPUB_PG_BINDIR");
  return dir != nullptr && *dir != '\0' ? fs::path(dir) : fs::path("/usr/lib/postgresql/15/bin");
}

// Who runs initdb, pg_ctl and the server: root may not, so as root it is the `postgres` user.
struct RunAs {
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

RunAs ServerUser() {
  RunAs run_as;
  if (geteuid() != 0) return run_as;
  passwd entry{};
  passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (getpwnam_r("postgres", &entry, buffer.data(), buffer.size(), &found) != 0 ||
      found == nullptr) {
    throw std::runtime_error(
        "PostgresServer: running as root, but there is no `postgres` user to run the server as "
        "(install the postgresql package: scripts/install-deps)");
  }
  run_as.switch_user = true;
  run_as.uid = entry.pw_uid;
  run_as.gid = entry.pw_gid;
  return run_as;
}

[[noreturn]] void Fail(const std::string& message) {
  throw std::runtime_error("PostgresServer: " + message);
}

std::string Joined(const std::vector<std::string>& argv) {
  std::string text;
  for (const std::string& arg : argv) text += (text.empty() ? "" : " ") + arg;
  return text;
}

// The last `max_bytes` of a file (from a line start when it can), or a note that it is missing.
std::string Tail(const fs::path& path, size_t max_bytes = 4000) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "(no " + path.string() + ")\n";
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > max_bytes) {
    text.erase(0, text.size() - max_bytes);
    if (const size_t line = text.find('\n'); line != std::string::npos) text.erase(0, line + 1);
  }
  return text;
}

// A test process started with stdin (or stdout) closed would get its next pipe or socket as
// descriptor 0 (or 1): a child's dup2() onto it would then keep close-on-exec, and the test's own
// output could go into the server's connection. /dev/null fills such holes first.
void FillClosedStdio() {
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
    if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
      const int null = open("/dev/null", O_RDWR);  // the lowest free descriptor: `fd`
      if (null > STDERR_FILENO) close(null);
    }
  }
}

// A pipe whose ends are close-on-exec, so that no other child process inherits them.
void Pipe(int (&fds)[2]) {
  if (pipe2(fds, O_CLOEXEC) != 0) Fail(std::string("pipe: ") + std::strerror(errno));
}

int OpenDevNull() { return open("/dev/null", O_RDWR | O_CLOEXEC); }

// In a forked child, after its 0-2 are in place: closes every other descriptor it inherited
// without close-on-exec (the test runner's pipes, say), which the server and the watchdog would
// otherwise hold open long after the test process is gone.
void CloseInheritedDescriptors() { close_range(STDERR_FILENO + 1, ~0U, 0); }

// Everything between fork() and exec() must be async-signal-safe (the test process may have
// threads), so argv and the user switch are prepared before fork(). Returns only on failure,
// having said which step failed on standard error.
void ExecAs(const RunAs& run_as, const char* dir, const std::vector<char*>& argv) {
  auto say = [](const char* text) {
    [[maybe_unused]] const ssize_t written = write(STDERR_FILENO, text, std::strlen(text));
  };
  if (dir != nullptr && chdir(dir) != 0) return say("PostgresServer: chdir failed\n");
  if (run_as.switch_user &&
      (setgroups(1, &run_as.gid) != 0 || setgid(run_as.gid) != 0 || setuid(run_as.uid) != 0)) {
    return say("PostgresServer: switching to the postgres user failed\n");
  }
  execv(argv[0], argv.data());
  say("PostgresServer: exec failed\n");
}

std::vector<char*> ArgvOf(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  return argv;
}

// Runs a PostgreSQL tool to completion in `dir` (the server's user must be able to enter it),
// stdin from /dev/null. Returns its exit code (-1 when killed, 127 when it could not start) and
// its output and errors, interleaved. Kills it after `timeout`: every tool gets its own bound
// below this one (pg_ctl -t), so this only guards against a tool that hangs.
std::pair<int, std::string> RunTool(const RunAs& run_as, const fs::path& dir,
                                    const std::vector<std::string>& args,
                                    std::chrono::seconds timeout = std::chrono::seconds(90)) {
  const std::vector<char*> argv = ArgvOf(args);
  const std::string dir_text = dir.string();
  int out[2];
  Pipe(out);
  const int null = OpenDevNull();
  const pid_t pid = fork();
  if (pid == 0) {
    if (null >= 0) dup2(null, STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    dup2(out[1], STDERR_FILENO);
    CloseInheritedDescriptors();
    ExecAs(run_as, dir_text.c_str(), argv);
    _exit(127);
  }
  if (null >= 0) close(null);
  close(out[1]);
  if (pid < 0) {
    close(out[0]);
    Fail(std::string("fork: ") + std::strerror(errno));
  }
  std::string output;
  const auto deadline = Clock::now() + timeout;
  bool timed_out = false;
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    pollfd fd{out[0], POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(left)) <= 0) continue;
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
  if (timed_out) output += "\n(killed after " + std::to_string(timeout.count()) + " s)\n";
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// A loopback port nobody listens on right now. Another process may take it before the server
// binds it; Initialise() then retries with another.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) Fail(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const std::string error = std::strerror(errno);
    close(fd);
    Fail("binding a loopback port: " + error);
  }
  close(fd);
  return ntohs(address.sin_port);
}

std::string RandomPassword() {
  std::random_device device;
  std::string password;
  for (int i = 0; i < 32; ++i) password += "0123456789abcdef"[device() % 16];
  return password;
}

// The watchdog's script: $1 the folder, $2 pg_ctl, $3 the user to run it as (empty: as is).
// Its standard input is a pipe whose write end only the test process holds; read returns at
// end-of-file, i.e. when the test process is gone however it ended (or Shutdown() closed the
// pipe). It ignores the terminal's signals (Ctrl-C) so that it outlives the test process.
constexpr const char* kWatchdogScript = R"(
trap '' HUP INT TERM QUIT PIPE
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
while read -r _; do :; done
if [ -f "$1/data/postmaster.pid" ]; then
  if [ -n "$3" ]; then
    runuser -u "$3" -- "$2" stop -D "$1/data" -m immediate -w -t 30 -s
  else
    "$2" stop -D "$1/data" -m immediate -w -t 30 -s
  fi
fi
rm -rf -- "$1"
)";

// Forked children (gtest death tests, the crash test) copy the test process's connection; only
// the process that opened it may end it, or the child's exit would end the parent's session. A
// child keeps its copy here, reachable, so LeakSanitizer does not report it.
PGconn* abandoned_in_child = nullptr;

}  // namespace

struct PostgresServer::Admin {
  PGconn* conn = nullptr;
  pid_t owner_pid = getpid();

  Admin() = default;
  Admin(const Admin&) = delete;
  Admin& operator=(const Admin&) = delete;
  ~Admin() {
    if (conn == nullptr) return;
    if (getpid() == owner_pid) {
      PQfinish(conn);
    } else {
      abandoned_in_child = conn;
    }
  }
};

PostgresServer& PostgresServer::Shared() {
  // Destroyed (the server stopped, its folder removed) when the process exits normally.
  static std::mutex mutex;
  static std::unique_ptr<PostgresServer> server;
  static std::string error;
  const std::lock_guard lock(mutex);
  if (server) return *server;
  if (!error.empty()) throw std::runtime_error(error);
  try {
    server = std::make_unique<PostgresServer>();
  } catch (const std::exception& e) {
    error = e.what();
    throw;
  }
  return *server;
}

PostgresServer::PostgresServer() : owner_pid_(getpid()) {
  try {
    Initialise();
  } catch (...) {
    Shutdown();
    throw;
  }
}

PostgresServer::~PostgresServer() { Shutdown(); }

void PostgresServer::Initialise() {
  FillClosedStdio();
  const RunAs run_as = ServerUser();
  const fs::path bin = BinDir();
  if (!fs::exists(bin / "initdb")) {
    Fail("no " + (bin / "initdb").string() +
         " (install the postgresql package: scripts/install-deps, or set ASSETPUB_PG_BINDIR)");
  }

  const char* tmpdir = std::getenv("TMPDIR");
  std::string pattern =
      (tmpdir != nullptr && *tmpdir != '\0' ? std::string(tmpdir) : "/tmp") + "/assetpub-pg-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    Fail("mkdtemp " + pattern + ": " + std::strerror(errno));
  }
  folder_ = pattern;
  if (run_as.switch_user && chown(folder_.c_str(), run_as.uid, run_as.gid) != 0) {
    Fail("chown " + folder_.string() + ": " + std::strerror(errno));
  }

  // The watchdog comes first, so that the folder goes even when initdb is interrupted.
  int pipe_fds[2];
  Pipe(pipe_fds);
  const std::vector<std::string> watchdog_args = {"/bin/sh",
                                                  "-c",
                                                  kWatchdogScript,
                                                  "assetpub-pg-watchdog",
                                                  folder_.string(),
                                                  (bin / "pg_ctl").string(),
                                                  run_as.switch_user ? "postgres" : ""};
  const std::vector<char*> watchdog_argv = ArgvOf(watchdog_args);
  const int null = OpenDevNull();
  const pid_t watchdog = fork();
  if (watchdog == 0) {
    // Its own session: a Ctrl-C in the terminal reaches the test process, not the watchdog.
    setsid();
    dup2(pipe_fds[0], STDIN_FILENO);
    if (null >= 0) {
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
    }
    CloseInheritedDescriptors();
    execv(watchdog_argv[0], watchdog_argv.data());
    _exit(127);
  }
  if (null >= 0) close(null);
  close(pipe_fds[0]);
  if (watchdog < 0) {
    close(pipe_fds[1]);
    Fail(std::string("fork: ") + std::strerror(errno));
  }
  watchdog_pid_ = watchdog;
  watchdog_pipe_ = pipe_fds[1];

  password_ = RandomPassword();
  const fs::path password_file = folder_ / "password";
  {
    std::ofstream out(password_file);
    out << password_ << "\n";
  }
  if (run_as.switch_user) {
    if (chown(password_file.c_str(), run_as.uid, run_as.gid) != 0) {
      Fail("chown " + password_file.string() + ": " + std::strerror(errno));
    }
  }
  // --no-sync: a test cluster need not survive a power cut, and it saves a second or more.
  const std::vector<std::string> initdb = {(bin / "initdb").string(),
                                           "-D",
                                           (folder_ / "data").string(),
                                           "-U",
                                           user_,
                                           "--pwfile=" + password_file.string(),
                                           "--auth-host=scram-sha-256",
                                           "--auth-local=trust",
                                           "-E",
                                           "UTF8",
                                           "--locale=C.UTF-8",
                                           "--no-sync",
                                           "--no-instructions"};
  auto [code, output] = RunTool(run_as, folder_, initdb);
  fs::remove(password_file);
  if (code != 0) {
    Fail("`" + Joined(initdb) + "` exited with " + std::to_string(code) + ":\n" + output +
         (run_as.switch_user ? "(as root, the postgres user must be able to enter " +
                                   folder_.parent_path().string() + ")\n"
                             : ""));
  }

  const std::lock_guard lock(mutex_);
  // A port can be taken between FreePort() and the server's bind: then try another.
  for (int attempt = 1;; ++attempt) {
    port_ = FreePort();
    // Appended, so a later attempt's port overrides the earlier one (the last setting wins).
    std::ofstream conf(folder_ / "data" / "postgresql.conf", std::ios::app);
    conf << "\n# PostgresServer (tests/support/postgres_server.cpp)\n"
         << "listen_addresses = '127.0.0.1'\n"
         << "port = " << port_ << "\n"
         << "unix_socket_directories = '" << folder_.string() << "'\n"
         << "fsync = off\n"
         << "synchronous_commit = off\n"
         << "full_page_writes = off\n"
         << "shared_buffers = 32MB\n"
         << "max_connections = 200\n";
    conf.close();
    try {
      StartLocked();
      return;
    } catch (const std::runtime_error&) {
      if (attempt == 3 ||
          Tail(folder_ / "server.log").find("could not bind") == std::string::npos) {
        throw;
      }
    }
  }
}

void PostgresServer::StartLocked() {
  if (running_) return;
  const RunAs run_as = ServerUser();
  const fs::path bin = BinDir();
  const fs::path log = folder_ / "server.log";
  const std::vector<std::string> start = {(bin / "pg_ctl").string(),
                                          "start",
                                          "-D",
                                          (folder_ / "data").string(),
                                          "-l",
                                          log.string(),
                                          "-w",
                                          "-t",
                                          "30",
                                          "-s"};
  auto [code, output] = RunTool(run_as, folder_, start);
  if (code != 0) {
    Fail("`" + Joined(start) + "` exited with " + std::to_string(code) + ":\n" + output +
         "server log (" + log.string() + "), last lines:\n" + Tail(log));
  }
  running_ = true;
  // pg_ctl -w returns once the server is ready; the first connection also proves the TCP
  // listener and the password.
  ConnectAdminLocked(std::chrono::seconds(30));
}

void PostgresServer::ConnectAdminLocked(std::chrono::seconds patience) {
  admin_.reset();  // closed, or abandoned when it was inherited through fork() (see Admin)
  const std::string port = std::to_string(port_);
  const char* keys[] = {"host", "port", "user", "password", "dbname", "sslmode", nullptr};
  const char* values[] = {"127.0.0.1", port.c_str(), user_.c_str(), password_.c_str(),
                          "postgres",  "disable",    nullptr};
  auto admin = std::make_unique<Admin>();
  const auto deadline = Clock::now() + patience;
  for (auto wait = std::chrono::milliseconds(5);; wait = std::min(wait * 2, decltype(wait)(200))) {
    admin->conn = PQconnectdbParams(keys, values, 0);
    if (PQstatus(admin->conn) == CONNECTION_OK) break;
    const std::string error = PQerrorMessage(admin->conn);
    PQfinish(admin->conn);
    admin->conn = nullptr;
    if (Clock::now() + wait > deadline) {
      const fs::path log = folder_ / "server.log";
      Fail("no connection to 127.0.0.1:" + port + ": " + error + "server log (" + log.string() +
           "), last lines:\n" + Tail(log));
    }
    std::this_thread::sleep_for(wait);
  }
  admin_ = std::move(admin);
}

void PostgresServer::StopLocked() {
  if (!running_) return;
  admin_.reset();
  const fs::path log = folder_ / "server.log";
  const std::vector<std::string> stop = {(BinDir() / "pg_ctl").string(),
                                         "stop",
                                         "-D",
                                         (folder_ / "data").string(),
                                         "-m",
                                         "fast",
                                         "-w",
                                         "-t",
                                         "30",
                                         "-s"};
  auto [code, output] = RunTool(ServerUser(), folder_, stop);
  if (code != 0) {
    Fail("`" + Joined(stop) + "` exited with " + std::to_string(code) + ":\n" + output +
         "server log (" + log.string() + "), last lines:\n" + Tail(log));
  }
  running_ = false;
}

void PostgresServer::Start() {
  if (getpid() != owner_pid_) Fail("Start: only the process that started the server may");
  const std::lock_guard lock(mutex_);
  StartLocked();
}

void PostgresServer::Stop() {
  if (getpid() != owner_pid_) Fail("Stop: only the process that started the server may");
  const std::lock_guard lock(mutex_);
  StopLocked();
}

void PostgresServer::Shutdown() {
  // In a forked child, the server, the watchdog and the folder are the parent's.
  if (getpid() != owner_pid_) return;
  const std::lock_guard lock(mutex_);
  try {
    StopLocked();
  } catch (const std::exception&) {
    // The watchdog stops it the hard way (immediate shutdown) below.
    running_ = false;
  }
  admin_.reset();
  if (watchdog_pipe_ >= 0) {
    // End-of-file on its standard input: the watchdog stops whatever still runs and removes the
    // folder. Waited for, up to a deadline, so that the folder is gone when this returns.
    close(watchdog_pipe_);
    watchdog_pipe_ = -1;
    const auto deadline = Clock::now() + std::chrono::seconds(40);
    for (auto wait = std::chrono::milliseconds(1); Clock::now() < deadline;
         wait = std::min(wait * 2, decltype(wait)(100))) {
      const pid_t done = waitpid(watchdog_pid_, nullptr, WNOHANG);
      if (done == watchdog_pid_ || (done < 0 && errno != EINTR)) break;
      std::this_thread::sleep_for(wait);
    }
  }
  // Without a watchdog (it could not be started), or when it gave up.
  if (!folder_.empty()) {
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }
}

std::string PostgresServer::CreateDatabase(const std::string& template_database) {
  const std::lock_guard lock(mutex_);
  if (!running_) Fail("CreateDatabase: the server is stopped (Start() it first)");
  // A forked child (a death test) gets a connection of its own rather than sharing its
  // parent's; a session that ended (say, a test killed it) is replaced.
  if (!admin_ || admin_->owner_pid != getpid() || PQstatus(admin_->conn) != CONNECTION_OK) {
    ConnectAdminLocked(std::chrono::seconds(0));
  }
  // The process id keeps the names of a forked child's databases apart from its parent's.
  const std::string name =
      "test_" + std::to_string(getpid()) + "_" + std::to_string(++next_database_);
  // FILE_COPY copies template1's files instead of writing every page to the WAL (WAL_LOG,
  // PostgreSQL 15's default): as fast here, and a few hundred databases leave 15 times less WAL.
  const std::string sql =
      "CREATE DATABASE " + name +
      (template_database.empty() ? "" : " TEMPLATE \"" + template_database + "\"") +
      " STRATEGY FILE_COPY";
  bool ok = false;
  // A template's last client may still be leaving (its server process ends after the client
  // closes): PostgreSQL refuses to copy it until then, so try again for up to two seconds.
  for (int attempt = 0; attempt < 100 && !ok; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    PGresult* result = PQexec(admin_->conn, sql.c_str());
    ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const bool in_use = state != nullptr && std::string(state) == "55006";
    PQclear(result);
    if (!ok && !in_use) break;
  }
  if (!ok) {
    Fail("CREATE DATABASE " + name + ": " + PQerrorMessage(admin_->conn) +
         "server log, last lines:\n" + Tail(folder_ / "server.log"));
  }
  return Url(name);
}

std::string PostgresServer::Url(const std::string& database) const {
  return "postgresql://" + user_ + ":" + password_ + "@127.0.0.1:" + std::to_string(port_) + "/" +
         database;
}

}  // namespace assetpub::testing
