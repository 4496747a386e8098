#pragma once
// The write API (DESIGN.md §5: "writes need a token"), over authoring::Workflow. Every route
// needs `Authorization: Bearer TOKEN` (an API token, auth/authenticator.h): without one, or
// with one that is unknown, revoked or of a disabled user, 401 with WWW-Authenticate; a role
// that may not do it, 403 (auth/roles.h decides), before anything else about the request is
// looked at (no 428, 412 or 400 for a caller who may not do it at all). Bodies are JSON objects;
// answers are JSON (errors problem+json), all with Cache-Control: no-store.
//
//   POST   /api/v1/assets                        create a draft from an asset (DESIGN.md §6);
//                                                "id" must be absent, "status" absent or
//                                                "draft", "published_at" may be left out;
//                                                201 with Location …/{id}/draft
//   GET    /api/v1/assets/{id}/draft             the item as editors see it (below)
//   PUT    /api/v1/assets/{id}                   {"asset": {…}, "note": "…"}: saves the working
//                                                copy
//   POST   /api/v1/assets/{id}/publish           {"published_at": "…"?}
//   POST   /api/v1/assets/{id}/schedule          {"at": "2030-01-01T12:00:00Z"}
//   POST   /api/v1/assets/{id}/unschedule        back to draft
//   POST   /api/v1/assets/{id}/archive           take it down
//   DELETE /api/v1/assets/{id}                   remove it for good (204)
//   GET    /api/v1/assets/{id}/revisions         {"revisions": [{"number", "at", "author",
//                                                "note"}, …]}, newest first
//   GET    /api/v1/assets/{id}/revisions/{n}     one revision with its "asset"
//   PATCH  /api/v1/assets/{id}                   a JSON merge patch (RFC 7386) of the working
//                                                copy; only application/merge-patch+json
//                                                (else 415); "id" absent or this item's
//   PUT    /api/v1/assets/{id}/translations/{lang}
//                                                adds or replaces one translation (lang
//                                                canonicalised and declared)
//   DELETE /api/v1/assets/{id}/translations/{lang}
//                                                removes one (422 for the only one)
//   PUT    /api/v1/assets/{id}/related           [{"id": 7}, {"title": "…"}]; an unknown id or
//                                                the item itself is 422 (/related/N/id)
//   POST   /api/v1/assets/{id}/revisions/{n}/restore
//                                                revision n's content as the next revision
//   GET    /api/v1/assets/{id}/diff?from=N&to=M  authoring/revision_diff.h as JSON
//
// An item is {"id", "status" (what readers get: only "published" is public), "revision" (the
// working copy's), "live_revision" (the one readers see when published), "pending" (published
// with unpublished changes), "asset" (the working copy)}. GET /api/v1/assets/{id} stays the
// public read: it shows the published version only, token or not.
//
// Versions: every write to an existing item (PUT, PATCH, publish, schedule, unschedule,
// archive, DELETE, translations, related, restore) takes the revision it starts from from
// `If-Match: "N"` (the ETag of …/draft; `*` for no check), else from the body's "revision"
// (compatibility; not where the body is the content: PATCH, translation PUT, related). A stale one
// is 412 with `current_revision` and the current ETag; neither is 428. Every item answer carries
// its ETag. An invalid asset is 400 with an RFC 9457 `errors` array: {"pointer", "detail"} per
// field.
//
// Thread-safety: the handlers are safe to call from many threads at once.

#include "http/router.h"
#include "web/context.h"

namespace assetpub::web {

// Adds the write routes to `router`; `context` must outlive it.
void AddWriteRoutes(Router& router, const Context& context);

}  // namespace assetpub::web
