#include "authoring/workflow.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "content/slug.h"

namespace assetpub::authoring {
namespace {

using content::Asset;
using content::Instant;
using content::Status;

// Fills what an author need not type: each translation's language from its key, empty slugs
// from the titles, the declared languages from the translations.
void Complete(Asset& asset) {
  for (auto& [language, translation] : asset.translations) {
    if (translation.language.empty()) translation.language = language;
    if (translation.slug.empty() && !translation.title.empty()) {
      translation.slug = content::MakeSlug(translation.title);
    }
  }
  if (asset.languages.empty()) {
    for (const auto& entry : asset.translations) asset.languages.push_back(entry.first);
  }
}

Asset MustGet(store::Transaction& tx, int64_t id) {
  std::optional<Asset> asset = tx.Get(id);
  if (!asset) throw Error(ErrorCode::kNotFound, fmt::format("no asset with id {}", id));
  return std::move(*asset);
}

void CheckBase(const store::RevisionHead& head, int64_t id, std::optional<int64_t> base) {
  if (base && *base != head.latest) throw StaleRevision(id, head.latest, *base);
}

// content::Validate, with every problem kept apart for the caller (InvalidAsset).
void MustBeValid(const Asset& asset) {
  std::vector<content::Problem> problems = content::FindProblems(asset);
  if (!problems.empty()) throw InvalidAsset(std::move(problems));
}

// The working copy: the newest revision, or the stored row of an item never saved here.
Asset WorkingCopy(store::Transaction& tx, const Asset& row, const store::RevisionHead& head) {
  if (head.latest == 0) return row;
  std::optional<store::Revision> latest = tx.GetRevision(row.id, head.latest);
  if (!latest || !latest->asset) {
    throw Error(ErrorCode::kInternal,
                fmt::format("asset {}: revision {} is missing", row.id, head.latest));
  }
  return std::move(*latest->asset);
}

Item MakeItem(store::Transaction& tx, int64_t id) {
  Item item;
  const Asset row = MustGet(tx, id);
  item.head = tx.Head(id);
  item.status = row.status;
  item.working = WorkingCopy(tx, row, item.head);
  item.pending = row.status == Status::kPublished && item.head.latest != item.head.live;
  return item;
}

// Writes `asset` as the stored row and as a new revision that the row now holds.
int64_t PutLive(store::Transaction& tx, Asset& asset, Instant at, std::string_view author,
                std::string_view note) {
  tx.Put(asset);
  store::Revision revision;
  revision.asset_id = asset.id;
  revision.at = at;
  revision.author = std::string(author);
  revision.note = std::string(note);
  revision.asset = asset;
  const int64_t number = tx.AddRevision(revision);
  tx.SetLiveRevision(asset.id, number);
  return number;
}

}  // namespace

Error StaleRevision(int64_t id, int64_t current, int64_t base) {
  return Error(ErrorCode::kConflict,
               fmt::format("asset {} is at revision {}, not {}: someone saved it meanwhile; "
                           "reload it and apply your changes again",
                           id, current, base))
      .WithCurrentRevision(current);
}

Error InvalidAsset(std::vector<content::Problem> problems) {
  return FieldErrors(ErrorCode::kInvalidInput, std::move(problems));
}

Workflow::Workflow(store::Store& store, auth::Authenticator* audit, WorkflowOptions options)
    : store_(store), audit_(audit), options_(std::move(options)) {}

void Workflow::Require(const auth::Principal& actor, auth::Action action) {
  if (!actor.May(action)) {
    throw Error(ErrorCode::kForbidden,
                fmt::format("{} ({}) may not {}", actor.name, auth::RoleName(actor.role),
                            auth::ActionName(action)));
  }
}

void Workflow::Audit(std::string_view actor, std::string_view action, int64_t id,
                     std::string_view address, std::string_view detail) {
  if (audit_ == nullptr) return;
  // The write is committed: a failing audit log must not turn it into an error for the client.
  try {
    audit_->AppendAudit(actor, action, fmt::format("asset:{}", id), address, detail);
  } catch (const std::exception& e) {
    spdlog::error("audit log: {} on asset {} by {} not recorded: {}", action, id, actor, e.what());
  }
}

void Workflow::Committed() const {
  if (options_.on_commit) options_.on_commit();
}

Item Workflow::Create(const auth::Principal& actor, Asset asset, std::string_view note,
                      std::string_view address) {
  Require(actor, auth::Action::kCreate);
  if (asset.id != 0) {
    throw Error(ErrorCode::kInvalidInput, "id: is given by the server; leave it out");
  }
  asset.status = Status::kDraft;
  Complete(asset);
  if (options_.prepare) options_.prepare(asset);
  const Instant now = options_.clock();
  asset.modified_at = now;
  MustBeValid(asset);
  Item item;
  {
    auto tx = store_.Begin();
    PutLive(*tx, asset, now, actor.name, note.empty() ? "create" : note);
    item = MakeItem(*tx, asset.id);
    tx->Commit();
  }
  Committed();
  Audit(actor.name, "asset.create", asset.id, address, "");
  return item;
}

Item Workflow::Get(const auth::Principal& actor, int64_t id) {
  Require(actor, auth::Action::kReadDraft);
  // Reads only, so that editors can read while another process (an import) holds the writer.
  // Three snapshots, but revisions are append-only: the head's newest revision is always there.
  std::optional<Asset> row = store_.Get(id);
  if (!row) throw Error(ErrorCode::kNotFound, fmt::format("no asset with id {}", id));
  Item item;
  item.head = store_.Head(id);
  item.status = row->status;
  if (item.head.latest == 0) {
    item.working = std::move(*row);
  } else {
    std::optional<store::Revision> latest = store_.GetRevision(id, item.head.latest);
    if (!latest || !latest->asset) {
      throw Error(ErrorCode::kInternal,
                  fmt::format("asset {}: revision {} is missing", id, item.head.latest));
    }
    item.working = std::move(*latest->asset);
  }
  item.pending = item.status == Status::kPublished && item.head.latest != item.head.live;
  return item;
}

std::vector<store::Revision> Workflow::History(const auth::Principal& actor, int64_t id) {
  Require(actor, auth::Action::kReadDraft);
  std::vector<store::Revision> revisions = store_.Revisions(id);
  if (revisions.empty() && !store_.Get(id)) {
    throw Error(ErrorCode::kNotFound, fmt::format("no asset with id {}", id));
  }
  return revisions;
}

store::Revision Workflow::GetRevision(const auth::Principal& actor, int64_t id, int64_t number) {
  Require(actor, auth::Action::kReadDraft);
  std::optional<store::Revision> revision =
      number > 0 ? store_.GetRevision(id, number) : std::nullopt;
  if (!revision) {
    throw Error(ErrorCode::kNotFound, fmt::format("asset {} has no revision {}", id, number));
  }
  return std::move(*revision);
}

Item Workflow::Save(const auth::Principal& actor, int64_t id, Asset asset, int64_t base,
                    std::string_view note, std::string_view address) {
  Require(actor, auth::Action::kEdit);
  if (asset.id != 0 && asset.id != id) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("id: is {}, but this is asset {}", asset.id, id));
  }
  Item item = SaveRevision(actor, id, std::move(asset), base, note.empty() ? "edit" : note, true);
  Audit(actor.name, "asset.edit", id, address, fmt::format("revision {}", item.head.latest));
  return item;
}

Item Workflow::Restore(const auth::Principal& actor, int64_t id, int64_t number, int64_t base,
                       std::string_view address) {
  Require(actor, auth::Action::kEdit);
  store::Revision old = GetRevision(actor, id, number);
  if (!old.asset) {
    throw Error(ErrorCode::kInternal,
                fmt::format("asset {}: revision {} has no content", id, number));
  }
  const std::string why = fmt::format("restore {}", number);
  Item item = SaveRevision(actor, id, std::move(*old.asset), base, why, false);
  Audit(actor.name, "asset.restore", id, address,
        fmt::format("{} as revision {}", why, item.head.latest));
  return item;
}

AssetDiff Workflow::Diff(const auth::Principal& actor, int64_t id, int64_t from, int64_t to) {
  const store::Revision a = GetRevision(actor, id, from);
  const store::Revision b = GetRevision(actor, id, to);
  if (!a.asset || !b.asset) {
    throw Error(ErrorCode::kInternal, fmt::format("asset {}: a revision has no content", id));
  }
  return DiffAssets(*a.asset, *b.asset);
}

Item Workflow::SaveRevision(const auth::Principal& actor, int64_t id, Asset asset, int64_t base,
                            std::string_view note, bool touch) {
  asset.id = id;
  Complete(asset);
  if (options_.prepare) options_.prepare(asset);
  const Instant now = options_.clock();
  if (touch) asset.modified_at = now;
  bool row_changed = false;
  Item item;
  {
    auto tx = store_.Begin();
    const Asset row = MustGet(*tx, id);
    const store::RevisionHead head = tx->Head(id);
    CheckBase(head, id, base);
    asset.status = row.status;
    // A scheduled item keeps its time: rescheduling is Schedule's business.
    if (row.status == Status::kScheduled) asset.published_at = row.published_at;
    MustBeValid(asset);
    if (row.status == Status::kPublished) {
      // Readers keep the published version until someone publishes this one.
      store::Revision revision;
      revision.asset_id = id;
      revision.at = now;
      revision.author = actor.name;
      revision.note = std::string(note);
      revision.asset = asset;
      tx->AddRevision(revision);
    } else {
      PutLive(*tx, asset, now, actor.name, note);
      row_changed = true;
    }
    item = MakeItem(*tx, id);
    tx->Commit();
  }
  if (row_changed) Committed();
  return item;
}

Item Workflow::ChangeRow(const auth::Principal& actor, int64_t id, std::string_view audit_action,
                         std::string_view address, const RowChange& change) {
  Item item;
  std::string detail;
  {
    auto tx = store_.Begin();
    Asset row = MustGet(*tx, id);
    const store::RevisionHead head = tx->Head(id);
    std::optional<std::string> changed = change(*tx, row, head);
    if (!changed) return MakeItem(*tx, id);
    detail = std::move(*changed);
    item = MakeItem(*tx, id);
    tx->Commit();
  }
  Committed();
  Audit(actor.name, audit_action, id, address, detail);
  return item;
}

Item Workflow::Publish(const auth::Principal& actor, int64_t id, std::optional<int64_t> base,
                       std::optional<Instant> published_at, std::string_view address) {
  Require(actor, auth::Action::kPublish);
  const Instant now = options_.clock();
  return ChangeRow(actor, id, "asset.publish", address,
                   [&](store::Transaction& tx, Asset& row,
                       const store::RevisionHead& head) -> std::optional<std::string> {
                     CheckBase(head, id, base);
                     const bool was_public = row.status == Status::kPublished;
                     if (was_public && head.latest == head.live && !published_at)
                       return std::nullopt;
                     Asset asset = WorkingCopy(tx, row, head);
                     asset.id = id;
                     asset.status = Status::kPublished;
                     if (published_at) {
                       asset.published_at = *published_at;
                     } else if (was_public) {
                       asset.published_at = row.published_at;
                     } else {
                       asset.published_at = now;
                     }
                     asset.modified_at = was_public ? std::optional<Instant>(now) : std::nullopt;
                     MustBeValid(asset);
                     return fmt::format("revision {}",
                                        PutLive(tx, asset, now, actor.name, "publish"));
                   });
}

Item Workflow::Schedule(const auth::Principal& actor, int64_t id, std::optional<int64_t> base,
                        Instant at, std::string_view address) {
  Require(actor, auth::Action::kSchedule);
  const Instant now = options_.clock();
  if (at <= now) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("at: {} is not in the future (it is {} now); publish it instead",
                            content::ToIso8601Utc(at), content::ToIso8601Utc(now)));
  }
  return ChangeRow(
      actor, id, "asset.schedule", address,
      [&](store::Transaction& tx, Asset& row,
          const store::RevisionHead& head) -> std::optional<std::string> {
        if (row.status == Status::kPublished) {
          throw Error(ErrorCode::kConflict,
                      fmt::format("asset {} is published: publish its changes now, or archive it "
                                  "before scheduling it",
                                  id));
        }
        CheckBase(head, id, base);
        Asset asset = WorkingCopy(tx, row, head);
        asset.id = id;
        asset.status = Status::kScheduled;
        asset.published_at = at;
        asset.modified_at = std::nullopt;
        MustBeValid(asset);
        PutLive(tx, asset, now, actor.name, "schedule " + content::ToIso8601Utc(at));
        return content::ToIso8601Utc(at);
      });
}

Item Workflow::Unschedule(const auth::Principal& actor, int64_t id, std::string_view address) {
  return Unschedule(actor, id, std::nullopt, address);
}

Item Workflow::Unschedule(const auth::Principal& actor, int64_t id, std::optional<int64_t> base,
                          std::string_view address) {
  Require(actor, auth::Action::kSchedule);
  const Instant now = options_.clock();
  return ChangeRow(actor, id, "asset.unschedule", address,
                   [&](store::Transaction& tx, Asset& row,
                       const store::RevisionHead& head) -> std::optional<std::string> {
                     if (row.status != Status::kScheduled) {
                       throw Error(ErrorCode::kConflict,
                                   fmt::format("asset {} is {}, not scheduled", id,
                                               content::StatusName(row.status)));
                     }
                     CheckBase(head, id, base);
                     row.status = Status::kDraft;
                     PutLive(tx, row, now, actor.name, "unschedule");
                     return "";
                   });
}

Item Workflow::Archive(const auth::Principal& actor, int64_t id, std::string_view address) {
  return Archive(actor, id, std::nullopt, address);
}

Item Workflow::Archive(const auth::Principal& actor, int64_t id, std::optional<int64_t> base,
                       std::string_view address) {
  Require(actor, auth::Action::kArchive);
  return ChangeRow(actor, id, "asset.archive", address,
                   [&](store::Transaction& tx, Asset& row,
                       const store::RevisionHead& head) -> std::optional<std::string> {
                     CheckBase(head, id, base);
                     if (row.status == Status::kArchived) return std::nullopt;
                     // Only the row's status: a pending working copy stays pending (publish
                     // brings it out).
                     row.status = Status::kArchived;
                     tx.Put(row);
                     return "";
                   });
}

void Workflow::Delete(const auth::Principal& actor, int64_t id, std::string_view address) {
  Delete(actor, id, std::nullopt, address);
}

void Workflow::Delete(const auth::Principal& actor, int64_t id, std::optional<int64_t> base,
                      std::string_view address) {
  Require(actor, auth::Action::kDelete);
  {
    auto tx = store_.Begin();
    if (base) {
      MustGet(*tx, id);
      CheckBase(tx->Head(id), id, base);
    }
    tx->Delete(id);  // kNotFound when absent
    tx->Commit();
  }
  Committed();
  Audit(actor.name, "asset.delete", id, address, "");
}

std::vector<int64_t> Workflow::PublishDue(Instant now) {
  std::vector<int64_t> published;
  std::vector<std::pair<int64_t, std::string>> failed;
  // Cheap when nothing is due (one indexed read, no writer lock): the scheduler calls this
  // every second.
  for (const auto& [id, at] : store_.Scheduled(1000)) {
    if (at > now) break;
    // One transaction per item, so that one that cannot be published (its slug was taken
    // meanwhile) does not hold back the others.
    try {
      auto tx = store_.Begin();
      // Re-read under the writer lock: an editor may have unscheduled it meanwhile.
      std::optional<Asset> row = tx->Get(id);
      if (!row || row->status != Status::kScheduled || row->published_at > now) continue;
      row->status = Status::kPublished;
      // published_at stays the second it was scheduled for, whatever the scheduler's delay.
      PutLive(*tx, *row, now, kSchedulerName, "publish (scheduled)");
      tx->Commit();
      published.push_back(id);
    } catch (const Error& e) {
      // A store that is busy (another writer held the lock past the busy timeout) or full is
      // not the item's fault: it stays scheduled and the next round tries again.
      if (e.code() == ErrorCode::kUnavailable) {
        spdlog::warn("scheduler: asset {} not published yet, will retry: {}", id, e.what());
        continue;
      }
      failed.emplace_back(id, e.what());
    } catch (const std::exception& e) {
      failed.emplace_back(id, e.what());
    }
  }
  // An item that cannot go out goes back to draft, with the reason in its history and the
  // audit log, rather than failing again every second.
  for (const auto& [id, reason] : failed) {
    spdlog::error("scheduler: asset {} could not be published: {}", id, reason);
    try {
      auto tx = store_.Begin();
      std::optional<Asset> row = tx->Get(id);
      if (!row || row->status != Status::kScheduled) continue;
      row->status = Status::kDraft;
      PutLive(*tx, *row, now, kSchedulerName, "scheduled publication failed: " + reason);
      tx->Commit();
    } catch (const std::exception& e) {
      spdlog::error("scheduler: asset {} could not be set back to draft: {}", id, e.what());
    }
  }
  if (published.empty() && failed.empty()) return published;
  Committed();
  for (int64_t id : published) Audit(kSchedulerName, "asset.publish", id, "local", "scheduled");
  for (const auto& [id, reason] : failed) {
    Audit(kSchedulerName, "asset.schedule.failed", id, "local", reason);
  }
  return published;
}

std::vector<int64_t> Workflow::ExpireDue(Instant now) {
  std::vector<int64_t> expired;
  // Cheap when nothing is due (one read, no writer lock): the scheduler calls this every second.
  const std::vector<int64_t> due = store_.Expiring(now, 1000);
  if (due.empty()) return expired;
  {
    auto tx = store_.Begin();
    for (int64_t id : due) {
      // Re-read under the writer lock: an editor may have archived or changed it meanwhile.
      std::optional<Asset> row = tx->Get(id);
      if (!row || row->status != Status::kPublished || !row->expires_at || *row->expires_at > now) {
        continue;
      }
      // Only the row's status, as Archive: the working copy and the history stay as they are.
      row->status = Status::kExpired;
      tx->Put(*row);
      expired.push_back(id);
    }
    tx->Commit();
  }
  if (expired.empty()) return expired;
  Committed();
  for (int64_t id : expired) Audit(kSchedulerName, "asset.expire", id, "local", "");
  return expired;
}

}  // namespace assetpub::authoring
