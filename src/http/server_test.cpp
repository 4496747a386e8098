#include "http/server.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "core/error.h"
#include "http/service.h"

namespace assetpub::http {
namespace {

using ::testing::HasSubstr;

// The smallest service: every request gets "ok". The tests here never get as far as a request.
class OkService : public Service {
 public:
  Answer Respond(Request&, std::string&) const override {
    Answer answer;
    answer.response = Response::Text(200, "ok");
    return answer;
  }
  size_t BodyLimit(std::string_view, std::string_view) const override { return 1024; }
  Response Refuse(Refusal, std::string_view, std::string_view, int status,
                  std::string_view reason) const override {
    return Response::Text(status, std::string(reason));
  }
  void Answered(unsigned, const Request&, const Outcome&) override {}
  void Tick(unsigned) override {}
};

class Serve : public ::testing::Test {
 protected:
  ErrorCode ServeError(const std::string& listen) {
    ServeOptions options;
    options.listen = listen;
    options.threads = 1;
    OkService service;
    try {
      http::Serve(options, service);  // the function, not this fixture
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kUnavailable) {
        EXPECT_THAT(e.what(), HasSubstr(listen));
      }
      return e.code();
    }
    ADD_FAILURE() << "Serve returned";
    return ErrorCode::kInternal;
  }
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
