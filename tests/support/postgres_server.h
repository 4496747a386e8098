#pragma once
// Test support only: a throwaway PostgreSQL 15 server (Debian's `postgresql` package) on
// 127.0.0.1 and a free port, in a fresh folder under $TMPDIR (or /tmp), run by the test process
// itself: initdb, then pg_ctl start. As root the folder belongs to the `postgres` user and the
// server runs as that user; otherwise as the current user. A watchdog process stops the server
// and removes the folder when the test process dies in any way (exit, abort, SIGKILL).
// Thread-safety: Shared(), CreateDatabase(), Stop() and Start() may be called from any thread;
// the accessors read values fixed at construction.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace assetpub::testing {

class PostgresServer {
 public:
  // The test process's one server, started on first use (a second or two) and stopped when the
  // process exits. Throws std::runtime_error, with the failing tool's output and the server log's
  // tail, when it cannot start; a later call throws the same error again without retrying.
  static PostgresServer& Shared();

  // A server of the caller's own (the crash test starts one in a forked child; tests should use
  // Shared()). Starts it and returns once it accepts connections; throws std::runtime_error like
  // Shared(). The destructor stops it (fast shutdown) and removes its folder, but only in the
  // process that constructed it: a forked child that exits does not stop its parent's server.
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // A new, empty database (copied from template1, owned by user()) named "test_PID_N", unique
  // on this server even when a forked child (a death test) creates some too. Returns its URL (see
  // Url()). Tens of milliseconds and about 7 MB each; databases are never dropped, they go with
  // the folder. Throws std::runtime_error when the server is stopped or refuses.
  // `template_database` (a name this server's CreateDatabase made, which nobody is connected to):
  // a copy of it instead of template1, such as a database a store has already migrated.
  std::string CreateDatabase(const std::string& template_database = "");

  // Stops the server (fast shutdown: open sessions are ended) and returns once it is down;
  // connections and CreateDatabase() fail until Start(). Does nothing when already stopped. A
  // test that stops the shared server starts it again even when it fails (in TearDown), or the
  // tests after it fail too. Throws std::runtime_error with pg_ctl's output and the log's tail
  // when it cannot stop within 30 s, or when called in another process than the owner.
  void Stop();
  // Starts the server again on the same port and folder, its databases intact, and returns once it
  // accepts connections (at most 30 s). Does nothing when running. Throws std::runtime_error when
  // it cannot start (e.g. another process took the port meanwhile) or in another process.
  void Start();

  // The TCP port on 127.0.0.1.
  int port() const { return port_; }
  // "postgresql://USER:PASSWORD@127.0.0.1:PORT/DATABASE" for `database`, which is not checked
  // (nor escaped: database names from CreateDatabase() need none). Password authentication
  // (SCRAM) over TCP.
  std::string Url(const std::string& database) const;
  // The superuser the URLs carry ("assetpub") and its password (random per server).
  const std::string& user() const { return user_; }
  const std::string& password() const { return password_; }
  // The server's folder: data/ (the cluster), server.log, and the Unix socket. Gone once the
  // server is stopped for good.
  const std::filesystem::path& folder() const { return folder_; }

 private:
  struct Admin;  // the libpq connection CreateDatabase() uses (libpq stays out of this header)

  void Initialise();
  void StartLocked();
  void StopLocked();
  // (Re)opens admin_, trying for up to `patience`; throws std::runtime_error when it cannot.
  void ConnectAdminLocked(std::chrono::seconds patience);
  void Shutdown();

  std::filesystem::path folder_;
  std::string user_ = "assetpub";
  std::string password_;
  int port_ = 0;
  pid_t owner_pid_ = 0;      // the process that started the server (see the destructor)
  pid_t watchdog_pid_ = -1;  // the watchdog's process id
  int watchdog_pipe_ = -1;   // the write end of its standard input: closing it starts cleanup
  std::mutex mutex_;         // guards everything below
  bool running_ = false;
  int next_database_ = 0;
  std::unique_ptr<Admin> admin_;
};

}  // namespace assetpub::testing
