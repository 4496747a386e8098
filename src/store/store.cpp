#include "store/store.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <thread>

#include "core/error.h"

namespace assetpub::store {

std::vector<Revision> Store::Revisions(int64_t id) { return Begin()->Revisions(id); }

std::optional<Revision> Store::GetRevision(int64_t id, int64_t number) {
  return Begin()->GetRevision(id, number);
}

RevisionHead Store::Head(int64_t id) { return Begin()->Head(id); }

std::vector<std::pair<int64_t, content::Instant>> Store::Scheduled(int64_t limit) {
  return Begin()->Scheduled(limit);
}

std::optional<Redirect> Store::FindRedirect(std::string_view) { return std::nullopt; }

RedirectPage Store::ListRedirects(const RedirectQuery& query) {
  CheckRedirectQuery(query);
  return {};
}

void CheckRedirectQuery(const RedirectQuery& query) {
  if (query.limit < 1 || query.limit > 1000 || query.offset < 0) {
    throw Error(ErrorCode::kInvalidInput,
                "redirects: limit must be 1..1000 and offset not negative");
  }
}

void CheckRedirect(const Redirect& redirect) {
  if (!redirect.path.starts_with('/') || redirect.path.size() > kMaxRedirectPath) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("a redirect's path must start with '/' and have at most 2,000 bytes: "
                            "'{}'",
                            redirect.path.substr(0, 100)));
  }
}

void NoSuchRedirectAsset(const Redirect& redirect) {
  throw Error(ErrorCode::kInvalidInput,
              fmt::format("redirect {}: no asset {}", redirect.path, redirect.asset_id));
}

void Store::ForEachWithoutBodies(const std::function<void(const content::Asset&)>& visit) {
  ForEach(visit);
}

std::vector<int64_t> Store::Expiring(content::Instant now, int64_t limit) {
  std::vector<std::pair<content::Instant, int64_t>> due;
  ForEachWithoutBodies([&](const content::Asset& a) {
    if (a.status == content::Status::kPublished && a.expires_at && *a.expires_at <= now) {
      due.emplace_back(*a.expires_at, a.id);
    }
  });
  std::sort(due.begin(), due.end());
  std::vector<int64_t> ids;
  for (const auto& entry : due) {
    if (static_cast<int64_t>(ids.size()) >= limit) break;
    ids.push_back(entry.second);
  }
  return ids;
}

bool Store::WaitForChange(int64_t after, std::chrono::steady_clock::time_point deadline) {
  constexpr auto kPoll = std::chrono::milliseconds(50);
  while (true) {
    if (LastChange() > after) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_until(std::min(deadline, now + kPoll));
  }
}

bool Store::Lead(std::string_view) { return true; }

std::string RedactUrl(std::string_view url) {
  std::string out(url);
  // scheme://user:password@host…: the password is between the first ':' after "//" and the '@'.
  if (const size_t scheme = out.find("://"); scheme != std::string::npos) {
    const size_t start = scheme + 3;
    const size_t at = out.find('@', start);
    const size_t slash = out.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // …?password=secret&…
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    const size_t value = p + 9;
    const size_t end = out.find_first_of("& ", value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

}  // namespace assetpub::store
