#include "http/router.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/text.h"

namespace assetpub::http {

namespace {

// Calls add(segment) for each of `path`'s segments (see SplitPath).
template <typename Add>
void ForEachSegment(std::string_view path, Add add) {
  if (path.empty() || path[0] != '/') return;
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    add(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  ForEachSegment(path, [&](std::string_view segment) { segments.push_back(segment); });
  return segments;
}

size_t SplitPath(std::string_view path, std::span<std::string_view> out) {
  size_t count = 0;
  ForEachSegment(path, [&](std::string_view segment) {
    if (count < out.size()) out[count] = segment;
    ++count;
  });
  return count;
}

namespace {

bool IsCapture(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool IsRest(std::string_view segment) {
  return IsCapture(segment) && segment.size() > 5 && segment.ends_with("...}");
}

std::string Decode(std::string_view segment) {
  auto decoded = PercentDecode(segment);
  if (!decoded) throw Error(ErrorCode::kInvalidInput, "malformed %-escape in the path");
  return std::move(*decoded);
}

bool Allows(const std::vector<std::string>& methods, std::string_view method) {
  for (const std::string& allowed : methods) {
    if (allowed == method || (method == "HEAD" && allowed == "GET")) return true;
  }
  return false;
}

}  // namespace

const std::string& RouteParams::Get(std::string_view name) const {
  static const std::string kEmpty;
  auto it = values_.find(name);
  return it == values_.end() ? kEmpty : it->second;
}

void Router::Add(std::string_view pattern, std::vector<std::string> methods, Handler handler) {
  Route route;
  for (std::string_view segment : SplitPath(pattern)) route.segments.emplace_back(segment);
  route.methods = std::move(methods);
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

bool Router::Match(const Route& route, const std::vector<std::string_view>& path,
                   RouteParams& params) {
  const auto& pattern = route.segments;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const std::string& segment = pattern[i];
    if (IsRest(segment)) {
      if (i >= path.size()) return false;
      std::string rest;
      for (size_t j = i; j < path.size(); ++j) {
        if (j > i) rest.push_back('/');
        rest += Decode(path[j]);
      }
      if (rest.empty()) return false;
      params.Set(segment.substr(1, segment.size() - 5), std::move(rest));
      return true;
    }
    if (i >= path.size()) return false;
    if (IsCapture(segment)) {
      if (path[i].empty()) return false;
      params.Set(segment.substr(1, segment.size() - 2), Decode(path[i]));
    } else if (segment != path[i]) {
      return false;
    }
  }
  return pattern.size() == path.size();
}

Response Router::Dispatch(const Request& request) const {
  const std::vector<std::string_view> path = SplitPath(request.path);
  std::vector<std::string> allowed;  // methods of routes whose pattern matched the path
  for (const Route& route : routes_) {
    RouteParams params;
    if (!Match(route, path, params)) continue;
    if (Allows(route.methods, request.method)) return route.handler(request, params);
    for (const std::string& method : route.methods) {
      if (std::find(allowed.begin(), allowed.end(), method) == allowed.end()) {
        allowed.push_back(method);
      }
      if (method == "GET" && std::find(allowed.begin(), allowed.end(), "HEAD") == allowed.end()) {
        allowed.push_back("HEAD");
      }
    }
  }
  if (allowed.empty()) {
    return on_error_(request, Error(ErrorCode::kNotFound, "nothing at this address"));
  }
  std::string allow;
  for (const std::string& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
  Response response = on_error_(
      request, Error(ErrorCode::kMethodNotAllowed,
                     fmt::format("{} is not allowed here; use {}", request.method, allow)));
  response.SetHeader("Allow", allow);
  return response;
}

Response Router::Handle(const Request& request) const {
  try {
    return Dispatch(request);
  } catch (const Error& e) {
    return on_error_(request, e);
  } catch (const std::exception& e) {
    return on_error_(
        request, Error(ErrorCode::kInternal, fmt::format("unexpected exception: {}", e.what())));
  } catch (...) {
    return on_error_(request, Error(ErrorCode::kInternal, "unexpected exception"));
  }
}

}  // namespace assetpub::http
