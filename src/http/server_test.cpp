#include "http/server.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/error.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace assetpub::http {
namespace {

using ::testing::HasSubstr;

Config TestConfig() {
  Config config;
  config.resources_dir = ASSETPUB_SOURCE_DIR;
  return config;
}

// Serve on a real SQLite store in a folder of the test's own.
class Serve : public ::testing::Test {
 protected:
  void SetUp() override { store_ = store::OpenStore("sqlite:" + (dir_ / "assetpub.db").string()); }
  void TearDown() override { store_.reset(); }

  ErrorCode ServeError(const std::string& listen) {
    ServeOptions options;
    options.listen = listen;
    options.threads = 1;
    try {
      http::Serve(options, TestConfig(), *store_);  // the function, not this fixture
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kUnavailable) {
        EXPECT_THAT(e.what(), HasSubstr(listen));
      }
      return e.code();
    }
    ADD_FAILURE() << "Serve returned";
    return ErrorCode::kInternal;
  }

  const assetpub::testing::TempDir temp_{"assetpub-server-"};
  const std::filesystem::path dir_ = temp_.path();
  std::unique_ptr<store::Store> store_;
};

TEST_F(Serve, AnAddressInUseIsUnavailable) {
  // Hold a port with a plain socket, then ask Serve for the same one.
  const int holder = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(holder, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ASSERT_EQ(bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(holder, 1), 0);
  socklen_t size = sizeof address;
  ASSERT_EQ(getsockname(holder, reinterpret_cast<sockaddr*>(&address), &size), 0);
  const std::string listen = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  EXPECT_EQ(ServeError(listen), ErrorCode::kUnavailable);
  close(holder);
}

TEST_F(Serve, AnAddressThatCannotBeBoundIsUnavailable) {
  EXPECT_EQ(ServeError("192.0.2.1:0"), ErrorCode::kUnavailable);  // TEST-NET-1: not ours
}

TEST_F(Serve, AMalformedAddressIsInvalidInput) {
  EXPECT_EQ(ServeError("nonsense"), ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace assetpub::http
