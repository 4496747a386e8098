#pragma once
// Test support only: what the integration tests of the editors' side share: a form encoder, the
// hidden-field reader, a cookie-keeping "browser" for /admin/, and API tokens made with the
// binary's own commands. Thread-safety: none; one object per thread.

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "support/http_client.h"
#include "support/process.h"

namespace assetpub::testing {

// Percent-encodes every byte but RFC 3986's unreserved ones.
inline std::string PercentEncode(const std::string& value) {
  std::string out;
  for (const unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
    }
  }
  return out;
}

// An application/x-www-form-urlencoded body.
inline std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    body += name + '=' + PercentEncode(value);
  }
  return body;
}

// The value of the first hidden field `name` of a page's form, "" when there is none.
inline std::string HiddenField(const std::string& html, const std::string& name) {
  std::smatch match;
  const std::regex field("name=\"" + name + "\" value=\"([^\"]*)\"");
  return std::regex_search(html, match, field) ? match[1].str() : "";
}

// A browser of sorts: one cookie jar (the admin session cookie), a new connection per request.
class AdminBrowser {
 public:
  explicit AdminBrowser(unsigned short port) : port_(port) {}

  Reply Get(const std::string& target) { return Send(boost::beast::http::verb::get, target, ""); }
  Reply Post(const std::string& target,
             const std::vector<std::pair<std::string, std::string>>& fields) {
    return Send(boost::beast::http::verb::post, target, FormEncode(fields));
  }

  // Logs in through the form; returns the POST's reply.
  Reply LogIn(const std::string& name, const std::string& password) {
    const Reply form = Get("/admin/login");
    return Post("/admin/login",
                {{"csrf", HiddenField(form.body, "csrf")}, {"name", name}, {"password", password}});
  }

  const std::string& cookie() const { return cookie_; }
  void set_cookie(std::string cookie) { cookie_ = std::move(cookie); }

 private:
  Reply Send(boost::beast::http::verb method, const std::string& target, const std::string& body) {
    RequestHeaders headers;
    if (!cookie_.empty()) headers.emplace_back("Cookie", "ap_session=" + cookie_);
    std::optional<std::string> payload;
    if (method == boost::beast::http::verb::post) {
      headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
      payload = body;
    }
    Reply reply = Fetch(port_, target, headers, method, payload);
    const std::string set_cookie = reply.Header("set-cookie");
    if (set_cookie.starts_with("ap_session=")) {
      const std::string value = set_cookie.substr(11, set_cookie.find(';') - 11);
      cookie_ = set_cookie.find("Max-Age=0") != std::string::npos ? "" : value;
    }
    return reply;
  }

  unsigned short port_;
  std::string cookie_;
};

// A new user with `role` ("editor", …) and an API token of theirs, made with `binary`'s own
// `user add` and `token create` over the data folder `data`; the token, or "" (and a failed
// expectation) when a command fails.
inline std::string MakeApiToken(const std::string& binary, const std::string& data,
                                const std::string& user, const std::string& role) {
  const auto [code, added] =
      RunCommand({binary, "--data", data, "user", "add", user, "--role", role},
                 "a long enough pass phrase 42\n");
  EXPECT_EQ(code, 0) << added;
  auto [token_code, token] =
      RunCommand({binary, "--data", data, "token", "create", "--user", user, "--name", "it"}, "",
                 /*capture_stderr=*/false);
  EXPECT_EQ(token_code, 0);
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  return token;
}

}  // namespace assetpub::testing
