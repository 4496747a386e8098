#pragma once
// Router maps a request's method and path to a handler and turns every failure into a response
// through its ErrorResponder: no route (404), a route without that method (405 with Allow),
// assetpub::Error (its HttpStatus), any other exception (500). HEAD is answered by the GET
// handler.
// Thread-safety: add routes before serving; Handle() is const and safe from any thread.

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "http/message.h"

namespace assetpub::http {

// The values a pattern's {name} segments captured, percent-decoded.
class RouteParams {
 public:
  // The captured value; an empty string for a name the pattern does not have.
  const std::string& Get(std::string_view name) const;
  void Set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

using Handler = std::function<Response(const Request&, const RouteParams&)>;

// Makes the response for a request that failed with `error` (no route: kNotFound; a route
// without the method: kMethodNotAllowed, to which the router adds Allow; whatever a handler
// threw, any other exception as kInternal). Must not throw.
using ErrorResponder = std::function<Response(const Request&, const Error&)>;

class Router {
 public:
  explicit Router(ErrorResponder on_error) : on_error_(std::move(on_error)) {}

  // Adds a route. `pattern` is a path whose segments are literal, "{name}" (any one non-empty
  // segment) or, last, "{name...}" (one or more remaining segments joined by '/'): "/",
  // "/{lang}/assets/{item}", "/static/{path...}". Routes are tried in the order added; the first
  // whose pattern matches the path and that allows the method wins. `methods` lists what the
  // handler answers ("GET" implies HEAD).
  void Add(std::string_view pattern, std::vector<std::string> methods, Handler handler);
  void Get(std::string_view pattern, Handler handler) { Add(pattern, {"GET"}, std::move(handler)); }

  // The response to `request`. Never throws. For HEAD the GET handler's response is returned
  // whole; dropping the body is the server's job (it still sends the body's length).
  Response Handle(const Request& request) const;

 private:
  struct Route {
    std::vector<std::string> segments;
    std::vector<std::string> methods;
    Handler handler;
  };
  // Matches `path` (split, still encoded) against a route; fills `params` on success. Throws
  // Error(kInvalidInput) for a malformed %-escape in a captured segment.
  static bool Match(const Route& route, const std::vector<std::string_view>& path,
                    RouteParams& params);
  Response Dispatch(const Request& request) const;

  std::vector<Route> routes_;
  ErrorResponder on_error_;
};

// `path` split on '/', without the leading empty segment: "/en/" -> {"en", ""}; empty when
// `path` does not start with '/'. The views point into `path`.
std::vector<std::string_view> SplitPath(std::string_view path);
// The same into `out`, without allocating (for the cache's hot path): returns how many segments
// `path` has; when that is more than out.size(), `out` holds the first out.size().
size_t SplitPath(std::string_view path, std::span<std::string_view> out);

}  // namespace assetpub::http
