#include "http/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.h"

namespace assetpub::http {
namespace {

using ::testing::Optional;

// The error responder of these tests: "type: detail" as text, with the error's status.
Response Failure(const Request&, const Error& error) {
  return Response::Text(HttpStatus(error.code()),
                        std::string(ErrorCodeName(error.code())) + ": " + PublicMessage(error));
}

Handler Echo(std::string name) {
  return [name](const Request&, const RouteParams& params) {
    return Response::Text(200, name + " " + params.Get("a") + "|" + params.Get("rest"));
  };
}

class RouterTest : public ::testing::Test {
 protected:
  Response Handle(const std::string& method, const std::string& target) {
    return router_.Handle(Request::Make(method, target));
  }
  std::string Body(const std::string& target) { return Handle("GET", target).body; }

  Router router_{Failure};
};

TEST_F(RouterTest, LiteralSegmentsMatchExactly) {
  router_.Get("/", Echo("root"));
  router_.Get("/healthz", Echo("health"));
  EXPECT_EQ(Body("/"), "root |");
  EXPECT_EQ(Body("/healthz"), "health |");
  EXPECT_EQ(Handle("GET", "/healthz/").status, 404);
  EXPECT_EQ(Handle("GET", "/Healthz").status, 404);
}

TEST_F(RouterTest, CapturesOneDecodedNonEmptySegment) {
  router_.Get("/x/{a}", Echo("x"));
  router_.Get("/x/{a}/", Echo("x-slash"));
  EXPECT_EQ(Body("/x/caf%C3%A9"), "x café|");
  EXPECT_EQ(Body("/x/a%2Fb"), "x a/b|");
  EXPECT_EQ(Body("/x/1/"), "x-slash 1|");
  EXPECT_EQ(Handle("GET", "/x/").status, 404);
  EXPECT_EQ(Handle("GET", "/x/1/2").status, 404);
}

TEST_F(RouterTest, RestCapturesTheRemainingSegments) {
  router_.Get("/static/{rest...}", Echo("static"));
  EXPECT_EQ(Body("/static/css/site.css"), "static |css/site.css");
  EXPECT_EQ(Body("/static/a"), "static |a");
  EXPECT_EQ(Handle("GET", "/static/").status, 404);
  EXPECT_EQ(Handle("GET", "/static").status, 404);
}

TEST_F(RouterTest, FirstMatchingRouteWins) {
  router_.Get("/api/{a}", Echo("api"));
  router_.Get("/{a}/{rest...}", Echo("any"));
  EXPECT_EQ(Body("/api/v1"), "api v1|");
  EXPECT_EQ(Body("/en/v1"), "any en|v1");
}

TEST_F(RouterTest, NoMatchIsNotFound) {
  router_.Get("/", Echo("root"));
  const Response response = Handle("GET", "/nothing");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, "not-found: nothing at this address");
}

TEST_F(RouterTest, WrongMethodIs405ListingWhatIsAllowed) {
  router_.Get("/thing", Echo("get"));
  router_.Add("/thing", {"POST"}, Echo("post"));
  EXPECT_EQ(Handle("POST", "/thing").body, "post |");
  const Response response = Handle("DELETE", "/thing");
  EXPECT_EQ(response.status, 405);
  EXPECT_THAT(response.Header("Allow"), Optional(std::string("GET, HEAD, POST")));
}

TEST_F(RouterTest, HeadIsAnsweredByTheGetHandler) {
  router_.Get("/thing", Echo("get"));
  EXPECT_EQ(Handle("HEAD", "/thing").body, "get |");
  router_.Add("/post-only", {"POST"}, Echo("post"));
  EXPECT_EQ(Handle("HEAD", "/post-only").status, 405);
}

TEST_F(RouterTest, AnErrorBecomesItsStatusAndType) {
  router_.Get("/bad", [](const Request&, const RouteParams&) -> Response {
    throw Error(ErrorCode::kInvalidInput, "page must be a number");
  });
  router_.Get("/gone", [](const Request&, const RouteParams&) -> Response {
    throw Error(ErrorCode::kNotFound, "no asset 3");
  });
  EXPECT_EQ(Handle("GET", "/bad").status, 400);
  EXPECT_EQ(Handle("GET", "/bad").body, "invalid-input: page must be a number");
  EXPECT_EQ(Handle("GET", "/gone").body, "not-found: no asset 3");
}

TEST_F(RouterTest, AnyOtherExceptionIsA500WithoutItsMessage) {
  router_.Get("/boom", [](const Request&, const RouteParams&) -> Response {
    throw std::runtime_error("secret path /etc/x");
  });
  router_.Get("/internal", [](const Request&, const RouteParams&) -> Response {
    throw Error(ErrorCode::kInternal, "secret invariant");
  });
  EXPECT_EQ(Handle("GET", "/boom").status, 500);
  EXPECT_EQ(Handle("GET", "/boom").body, "internal: internal error");
  EXPECT_EQ(Handle("GET", "/internal").body, "internal: internal error");
}

TEST_F(RouterTest, MalformedEscapeInThePathIsABadRequest) {
  router_.Get("/x/{a}", Echo("x"));
  EXPECT_EQ(Handle("GET", "/x/%zz").status, 400);
  EXPECT_EQ(Handle("GET", "/x/%4").status, 400);
}

}  // namespace
}  // namespace assetpub::http
