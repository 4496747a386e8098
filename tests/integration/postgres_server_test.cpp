// The PostgreSQL server the store's tests run against (support/postgres_server.h): databases that
// are separate, empty and reachable by their URLs, with ICU collations; a server that stops and
// comes back with its data; and one whose test process is SIGKILLed goes away with its folder.
#include "support/postgres_server.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace assetpub::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

struct ConnectionDeleter {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using Connection = std::unique_ptr<PGconn, ConnectionDeleter>;

// A connection to `url`; check PQstatus() (a failed one holds the error message).
Connection Connect(const std::string& url) {
  return Connection(PQconnectdb((url + "?connect_timeout=5").c_str()));
}

// The rows of `sql`'s first column; a failure is a test failure and gives no rows.
std::vector<std::string> Column(PGconn* conn, const std::string& sql) {
  PGresult* result = PQexec(conn, sql.c_str());
  std::vector<std::string> rows;
  const ExecStatusType status = PQresultStatus(result);
  EXPECT_TRUE(status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
      << sql << ": " << PQerrorMessage(conn);
  if (status == PGRES_TUPLES_OK) {
    for (int row = 0; row < PQntuples(result); ++row) rows.emplace_back(PQgetvalue(result, row, 0));
  }
  PQclear(result);
  return rows;
}

// The number of relations (tables, views, sequences...) outside the system schemas.
constexpr const char* kUserRelations =
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE "
    "'pg_toast%'";

// Whether something accepts a TCP connection on 127.0.0.1:port.
bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

TEST(PostgresServer, CreatesSeparateEmptyDatabasesReachableByTheirUrls) {
  PostgresServer& server = PostgresServer::Shared();
  const std::string first = server.CreateDatabase();
  const std::string second = server.CreateDatabase();
  EXPECT_NE(first, second);
  const std::string prefix =
      "postgresql://assetpub:[0-9a-f]+@127\\.0\\.0\\.1:" + std::to_string(server.port()) + "/";
  EXPECT_THAT(first, MatchesRegex(prefix + "test_[0-9]+_[0-9]+"));
  EXPECT_EQ(server.Url("postgres"), "postgresql://" + server.user() + ":" + server.password() +
                                        "@127.0.0.1:" + std::to_string(server.port()) +
                                        "/postgres");

  Connection a = Connect(first);
  ASSERT_EQ(PQstatus(a.get()), CONNECTION_OK) << PQerrorMessage(a.get());
  Connection b = Connect(second);
  ASSERT_EQ(PQstatus(b.get()), CONNECTION_OK) << PQerrorMessage(b.get());
  EXPECT_THAT(Column(a.get(), kUserRelations), ElementsAre("0"));
  EXPECT_THAT(Column(b.get(), kUserRelations), ElementsAre("0"));
  Column(a.get(), "CREATE TABLE t (x int)");
  EXPECT_THAT(Column(a.get(), kUserRelations), ElementsAre("1"));
  EXPECT_THAT(Column(b.get(), kUserRelations), ElementsAre("0"));

  // What the PostgreSQL store relies on: UTF-8, and ICU collations to order titles by language.
  EXPECT_THAT(Column(a.get(), "SHOW server_encoding"), ElementsAre("UTF8"));
  const std::vector<std::string> icu =
      Column(a.get(), "SELECT count(*) FROM pg_collation WHERE collprovider = 'i'");
  ASSERT_EQ(icu.size(), 1u);
  EXPECT_GT(std::stoi(icu[0]), 0);
  EXPECT_THAT(Column(a.get(),
                     "SELECT w FROM (VALUES ('Яблоко'), ('ёж'), ('арбуз'), ('Ель')) v(w) "
                     "ORDER BY w COLLATE \"ru-x-icu\""),
              ElementsAre("арбуз", "ёж", "Ель", "Яблоко"));
}

TEST(PostgresServer, ThreadsCreateDistinctDatabases) {
  PostgresServer& server = PostgresServer::Shared();
  std::vector<std::vector<std::string>> urls(4);
  std::vector<std::thread> threads;
  for (auto& mine : urls) {
    threads.emplace_back([&mine] {
      for (int i = 0; i < 3; ++i) mine.push_back(PostgresServer::Shared().CreateDatabase());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> distinct;
  for (const auto& mine : urls) distinct.insert(mine.begin(), mine.end());
  EXPECT_EQ(distinct.size(), 12u);
  for (const std::string& url : distinct) {
    Connection c = Connect(url);
    EXPECT_EQ(PQstatus(c.get()), CONNECTION_OK) << url << ": " << PQerrorMessage(c.get());
  }
  EXPECT_EQ(&server, &PostgresServer::Shared());
}

TEST(PostgresServer, StoppedRefusesConnectionsAndRestartsWithItsData) {
  PostgresServer& server = PostgresServer::Shared();
  const std::string url = server.CreateDatabase();
  {
    Connection c = Connect(url);
    ASSERT_EQ(PQstatus(c.get()), CONNECTION_OK) << PQerrorMessage(c.get());
    Column(c.get(), "CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");
  }
  const int port = server.port();

  server.Stop();
  Connection refused = Connect(url);
  EXPECT_EQ(PQstatus(refused.get()), CONNECTION_BAD);
  EXPECT_FALSE(Accepts(port));
  EXPECT_THROW(server.CreateDatabase(), std::runtime_error);
  server.Stop();  // already stopped: nothing to do

  server.Start();
  EXPECT_EQ(server.port(), port);
  Connection c = Connect(url);
  ASSERT_EQ(PQstatus(c.get()), CONNECTION_OK) << PQerrorMessage(c.get());
  EXPECT_THAT(Column(c.get(), "SELECT x FROM kept"), ElementsAre("42"));
  Connection fresh = Connect(server.CreateDatabase());
  EXPECT_EQ(PQstatus(fresh.get()), CONNECTION_OK) << PQerrorMessage(fresh.get());
}

TEST(PostgresServer, AForkedChildThatExitsLeavesTheServerToItsParent) {
  PostgresServer& server = PostgresServer::Shared();
  const std::string before = server.CreateDatabase();
  // A death test's child: it creates a database of its own and exits normally, which runs the
  // static destructors, the shared server's among them.
  EXPECT_EXIT(
      {
        Connection c = Connect(server.CreateDatabase());
        std::exit(PQstatus(c.get()) == CONNECTION_OK ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
  Connection c = Connect(before);
  EXPECT_EQ(PQstatus(c.get()), CONNECTION_OK) << PQerrorMessage(c.get());
  Connection fresh = Connect(server.CreateDatabase());
  EXPECT_EQ(PQstatus(fresh.get()), CONNECTION_OK) << PQerrorMessage(fresh.get());
}

// Reads one line from `fd` within `timeout`; nullopt at end of file or on time-out.
std::optional<std::string> ReadLine(int fd, std::chrono::seconds timeout) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char c;
    if (read(fd, &c, 1) != 1) return std::nullopt;
    if (c == '\n') return line;
    line += c;
  }
  return std::nullopt;
}

TEST(PostgresServer, KilledOwnerLeavesNoServerNorFolderBehind) {
  // The child starts a server of its own, says where it is, and waits to be killed. Forked
  // without exec: this test process has no other threads at this point.
  int report[2];
  ASSERT_EQ(pipe(report), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(report[0]);
    auto say = [&](std::string line) {
      for (char& c : line) c = c == '\n' ? ' ' : c;
      line += '\n';
      [[maybe_unused]] const ssize_t written = write(report[1], line.data(), line.size());
    };
    try {
      const PostgresServer server;  // never destroyed: the process is killed
      say(std::to_string(server.port()) + " " + server.folder().string() + " " +
          server.Url("postgres"));
      for (;;) pause();
    } catch (const std::exception& e) {
      say(std::string("error ") + e.what());
    }
    _exit(1);
  }
  close(report[1]);
  const std::optional<std::string> line = ReadLine(report[0], std::chrono::seconds(60));
  close(report[0]);
  if (!line || line->starts_with("error")) {
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
    FAIL() << "the child's server did not start: " << line.value_or("(no answer)");
  }
  int port = 0;
  std::string folder;
  std::string url;
  std::istringstream(*line) >> port >> folder >> url;
  ASSERT_TRUE(std::filesystem::exists(std::filesystem::path(folder) / "data"));
  {
    Connection c = Connect(url);
    ASSERT_EQ(PQstatus(c.get()), CONNECTION_OK) << PQerrorMessage(c.get());
  }

  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));

  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline &&
         (Accepts(port) || std::filesystem::exists(folder))) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_FALSE(Accepts(port)) << "the server on port " << port << " outlived its test process";
  EXPECT_FALSE(std::filesystem::exists(folder)) << folder << " outlived its test process";
  std::cout << "[          ] the watchdog cleaned up in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - start)
                   .count()
            << " ms\n";
}

}  // namespace
}  // namespace assetpub::testing
