#pragma once
// Workflow is the write side of the content: every way an item is created, edited, published,
// scheduled, archived or deleted, for the write API, /admin/ and the scheduler alike. It checks
// the principal's permission (auth/roles.h, the one table), keeps each item's history as store
// revisions, and decides what readers see:
//
//   - The stored row of an asset is what readers get, and only while its status is published.
//   - The working copy is the newest revision. Saving an item that is not published rewrites its
//     row too (still invisible); saving a published item only adds a revision ("pending"), so an
//     edit never leaks before someone allowed to publish publishes it.
//   - Publish and schedule write the working copy to the row (published now, or scheduled for a
//     second in the future that the Scheduler makes public exactly then).
//
// Each write is one store transaction; after its commit, `on_commit` is called (so caches and
// the index catch up) and the audit log gets an entry. Concurrent editors are caught by revision
// numbers: a write names the revision it was based on and fails with StaleRevision (kConflict)
// when another write came first.
//
// Expiry: a published item whose expires_at has come is taken down (status expired) by
// ExpireDue, which the Scheduler calls every second; its working copy and history are kept.
//
// Thread-safety: thread-safe (the store serialises writers); `store` and `audit` must outlive it.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authenticator.h"
#include "auth/clock.h"
#include "authoring/revision_diff.h"
#include "content/asset.h"
#include "content/validate.h"
#include "core/error.h"
#include "store/store.h"

namespace assetpub::authoring {

// An item as its editors see it.
struct Item {
  content::Asset working;  // the working copy (the newest revision; the stored row if none)
  content::Status status = content::Status::kDraft;  // the stored row's status
  store::RevisionHead head;
  // True when the item is published and its working copy is not what readers see yet.
  bool pending = false;
};

struct WorkflowOptions {
  auth::Clock clock = content::Now;
  // Called after every committed write that changed a stored row (not for a pending save).
  // Must not throw.
  std::function<void()> on_commit;
  // Called on each asset Create and Save are given, before it is validated: completes parts of
  // it from elsewhere or refuses it by throwing (the write API resolves Asset::media against the
  // media library here). Not called when empty.
  std::function<void(content::Asset&)> prepare;
};

// The error a write gets when it names a revision that is not the item's newest any more:
// kConflict, with current_revision() the newest, for the client to reload.
Error StaleRevision(int64_t id, int64_t current, int64_t base);

// The error an asset that fails validation gets: kInvalidInput with content::Validate's message,
// and fields() one entry per invalid field, in content::FindProblems' order.
Error InvalidAsset(std::vector<content::Problem> problems);

// Who the scheduler acts as in the audit log and in revisions.
inline constexpr std::string_view kSchedulerName = "scheduler";

class Workflow {
 public:
  // `audit` may be nullptr (no audit log: tests of the workflow alone).
  Workflow(store::Store& store, auth::Authenticator* audit, WorkflowOptions options = {});

  // Every method below throws Error(kForbidden) when `actor` may not perform the action named,
  // Error(kNotFound) for an unknown id, Error(kInvalidInput) for an asset that fails
  // content::Validate (InvalidAsset: the message lists every problem), StaleRevision
  // (kConflict) when `base` (a revision number, Item::head.latest as the caller last saw it;
  // nullopt: no check) is not the newest revision any more, and Error(kConflict) when the store
  // refuses (a slug already taken). `address` is the client's, for the audit log. Nothing is
  // written when they throw.

  // kCreate. A new draft from `asset` (its id must be 0, its status is set to draft; empty
  // slugs are made from the titles, empty languages from the translations). Revision 1.
  Item Create(const auth::Principal& actor, content::Asset asset, std::string_view note,
              std::string_view address);
  // kReadDraft. The item as its editors see it.
  Item Get(const auth::Principal& actor, int64_t id);
  // kReadDraft. Its revisions, newest first, without their content.
  std::vector<store::Revision> History(const auth::Principal& actor, int64_t id);
  // kReadDraft. One revision with its content; kNotFound when there is no such revision.
  store::Revision GetRevision(const auth::Principal& actor, int64_t id, int64_t number);
  // kEdit. Saves `asset` as the next revision of item `id` (asset.id must be 0 or `id`; its
  // status is ignored: the item keeps its own, and a scheduled item its time).
  Item Save(const auth::Principal& actor, int64_t id, content::Asset asset, int64_t base,
            std::string_view note, std::string_view address);
  // kEdit. Saves revision `number`'s content as the next revision (note and audit detail
  // "restore N"), by Save's rules: a published item gets a pending revision, any other has its
  // row rewritten. The new working copy is revision `number`'s asset exactly (modified_at
  // included), but for its status (the item keeps its own, and a scheduled item its time).
  // kNotFound when there is no such revision.
  Item Restore(const auth::Principal& actor, int64_t id, int64_t number, int64_t base,
               std::string_view address);
  // kReadDraft. The diff from revision `from` to revision `to` (either order; equal numbers
  // give a diff with no changes). kNotFound when either revision does not exist.
  AssetDiff Diff(const auth::Principal& actor, int64_t id, int64_t from, int64_t to);
  // kPublish. Makes the working copy public now. The publication time is `published_at` when
  // given, else the item's current one when it is already public, else now; a republished
  // item's modified_at becomes now. Publishing an item with nothing pending changes nothing.
  Item Publish(const auth::Principal& actor, int64_t id, std::optional<int64_t> base,
               std::optional<content::Instant> published_at, std::string_view address);
  // kSchedule. The working copy goes public at `at` (the Scheduler's job), which must be in the
  // future (kInvalidInput). kConflict for a published item (archive it first, or publish).
  Item Schedule(const auth::Principal& actor, int64_t id, std::optional<int64_t> base,
                content::Instant at, std::string_view address);
  // kSchedule. A scheduled item back to draft; kConflict when it is not scheduled.
  Item Unschedule(const auth::Principal& actor, int64_t id, std::optional<int64_t> base,
                  std::string_view address);
  Item Unschedule(const auth::Principal& actor, int64_t id, std::string_view address);
  // kArchive. Takes the item down (status archived); its working copy is kept. Archiving an
  // archived item changes nothing.
  Item Archive(const auth::Principal& actor, int64_t id, std::optional<int64_t> base,
               std::string_view address);
  Item Archive(const auth::Principal& actor, int64_t id, std::string_view address);
  // kDelete. Removes the item and its history for good.
  void Delete(const auth::Principal& actor, int64_t id, std::optional<int64_t> base,
              std::string_view address);
  void Delete(const auth::Principal& actor, int64_t id, std::string_view address);

  // The scheduler's step: publishes every scheduled item whose time is at or before `now`
  // (keeping its scheduled time as published_at), all in one transaction. Returns their ids.
  std::vector<int64_t> PublishDue(content::Instant now);
  // The scheduler's other step: every published item whose expires_at is at or before `now`
  // becomes expired (it leaves pages, lists, feeds and search), all in one transaction; then
  // on_commit, and an "asset.expire" audit entry each. Returns their ids.
  std::vector<int64_t> ExpireDue(content::Instant now);

  // Throws Error(kForbidden), naming the actor, its role and the action, when `actor` may not
  // perform `action`. Every method above checks its own action first; an entry point calls this
  // itself when it must refuse before looking at anything else in a request (its preconditions).
  static void Require(const auth::Principal& actor, auth::Action action);

 private:
  void Audit(std::string_view actor, std::string_view action, int64_t id, std::string_view address,
             std::string_view detail);
  void Committed() const;
  // What a status change (publish, schedule, unschedule, archive) does to item `id` inside its
  // transaction, given the stored row and its head: checks (throwing to refuse; the base is
  // its to check, so it may name a conflict of state first), writes, and returns the audit
  // entry's detail; nullopt when there is nothing to change.
  using RowChange = std::function<std::optional<std::string>(
      store::Transaction& tx, content::Asset& row, const store::RevisionHead& head)>;
  // Runs `change` in one transaction; when it changed something, commits, calls on_commit and
  // appends the audit entry `audit_action`. Returns the item as it then is.
  Item ChangeRow(const auth::Principal& actor, int64_t id, std::string_view audit_action,
                 std::string_view address, const RowChange& change);
  // Save and Restore: writes `asset` as the next revision (see Save); returns the item and
  // whether the stored row changed.
  Item SaveRevision(const auth::Principal& actor, int64_t id, content::Asset asset, int64_t base,
                    std::string_view note, bool touch);

  store::Store& store_;
  auth::Authenticator* audit_;
  WorkflowOptions options_;
};

}  // namespace assetpub::authoring
