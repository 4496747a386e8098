#include "store/store.h"

#include <algorithm>

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

bool Store::AddMedia(const MediaRecord&) {
  throw Error(ErrorCode::kUnavailable, "this store keeps no media library");
}

std::optional<MediaRecord> Store::FindMedia(std::string_view) {
  throw Error(ErrorCode::kUnavailable, "this store keeps no media library");
}

MediaPage Store::ListMedia(int64_t, int64_t) {
  throw Error(ErrorCode::kUnavailable, "this store keeps no media library");
}

}  // namespace assetpub::store
