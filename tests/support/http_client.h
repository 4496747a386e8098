#pragma once
// Test support only: a small blocking HTTP/1.1 client (Boost.Beast) for the integration tests,
// talking to a server on 127.0.0.1. Errors (refused connection, malformed reply) throw
// boost::system::system_error, which fails the test. Thread-safety: none; one client per thread.

#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <utility>  // before Asio: Asio 1.74 with g++ 12 needs std::exchange (DEPENDENCIES.md)
#include <vector>
//
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace assetpub::testing {

// A response as received.
struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased; the last of repeated names
  std::string body;                            // empty for HEAD
  // Every header field in the order received (names lower-cased), repeated names included.
  std::vector<std::pair<std::string, std::string>> fields;

  // The values of every `name` field (give it lower-cased), in order.
  std::vector<std::string> All(const std::string& name) const {
    std::vector<std::string> values;
    for (const auto& [field, value] : fields) {
      if (field == name) values.push_back(value);
    }
    return values;
  }

  // The value of header `name` (give it lower-cased), "" when absent.
  std::string Header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// Request header fields, as name and value, sent in order (a repeated name replaces the earlier).
using RequestHeaders = std::vector<std::pair<std::string, std::string>>;

// One keep-alive connection to 127.0.0.1:port, opened by the constructor; requests go one after
// the other on it (the server must keep it open).
class HttpClient {
 public:
  explicit HttpClient(unsigned short port) : stream_(io_) {
    stream_.connect(
        boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  }

  // Sends `method target` with Host: 127.0.0.1, the `headers`, and `body` when given (with its
  // Content-Length, even when empty; without one no body and no Content-Length are sent), then
  // reads the whole reply (bodies up to 16 MiB; a HEAD reply's body is not read).
  Reply Fetch(const std::string& target, const RequestHeaders& headers = {},
              boost::beast::http::verb method = boost::beast::http::verb::get,
              const std::optional<std::string>& body = std::nullopt) {
    namespace bhttp = boost::beast::http;
    bhttp::request<bhttp::string_body> request{method, target, 11};
    request.set(bhttp::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.keep_alive(true);
    if (body) {
      request.body() = *body;
      request.prepare_payload();
    }
    bhttp::write(stream_, request);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(16 << 20);
    if (method == bhttp::verb::head) parser.skip(true);
    bhttp::read(stream_, buffer_, parser);
    const auto& response = parser.get();
    Reply reply;
    reply.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reply.headers[name] = std::string(field.value());
      reply.fields.emplace_back(name, std::string(field.value()));
    }
    reply.body = response.body();
    return reply;
  }

 private:
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

// One request on a connection of its own: HttpClient(port).Fetch(target, headers, method, body).
inline Reply Fetch(unsigned short port, const std::string& target,
                   const RequestHeaders& headers = {},
                   boost::beast::http::verb method = boost::beast::http::verb::get,
                   const std::optional<std::string>& body = std::nullopt) {
  return HttpClient(port).Fetch(target, headers, method, body);
}

}  // namespace assetpub::testing
