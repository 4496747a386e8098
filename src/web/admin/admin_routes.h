#pragma once
// The editors' UI (DESIGN.md §5, /admin/…), server-rendered HTML forms with no script:
//
//   GET/POST /admin/login   the login form; POST answers 303 to `next` (an /admin/ path) on
//                           success, 401 with one generic message for any wrong name, password
//                           or disabled user, 429 with Retry-After when rate-limited
//   POST /admin/logout      ends the session, 303 to the login page
//   GET /admin/             the items, every status, filtered by ?status, kind, lang, missing
//                           (lacks a version in that language; "declared": lacks the version
//                           of a language it declares) and paged by ?page
//   GET /admin/items/{id}   an item's working copy (authoring/workflow.h): details, its
//                           translations side by side, its revisions, and the actions the role
//                           allows; /admin/items/{id}/preview?lang=xx the site's item page for
//                           the working copy as it would be published, whatever its status
//   GET /admin/items/new, POST /admin/items, GET/POST /admin/items/{id}/edit
//                           the edit form: metadata and one column per site language (body text
//                           as admin_body.h reads it); "do=save" creates (303 to the item) or
//                           saves against the revision in the hidden "base" field: a stale base
//                           answers 409 with the form refilled and a conflict message, never an
//                           overwrite; "do=preview-xx" answers the site's item page for the
//                           unsaved form in language xx. Invalid input: 400, the form refilled.
//                           The form's "Additional materials": remove boxes (related_remove,
//                           indexes), an "add" field (an item number, or a title fragment that
//                           "do=related-find" or GET …/edit?related_q= searches, drafts too,
//                           offering related_pick boxes; unpicked text is saved as a title).
//                           Its "Files": remove boxes (media_remove, indexes) and captions
//                           (media_caption_N) of the attached files, and the library's newest
//                           files to tick (media_pick, by hash; caption media_pick_caption_HASH),
//                           completed from the library; an unknown hash is 400, nothing saved
//   GET /admin/items/{id}/history
//                           the revisions (who, when, note), two to compare (a GET form to
//                           …/diff?from=N&to=M) and a restore button on each older one
//   GET /admin/items/{id}/diff?from=N&to=M
//                           authoring/revision_diff.h per translation, with <del>/<ins>
//   POST /admin/items/{id}/revisions/{n}/restore
//                           Workflow::Restore against the form's "base"; 303 to the item
//   POST /admin/items/{id}/publish, schedule (field "at", local time in Config::time_zone),
//                           unschedule, archive: through the Workflow, 303 back to the item
//   GET /admin/redirects    the items' old addresses (web/api/redirect_routes.h), 100 a page
//                           by path (?page; ?asset=ID: one item's), each with its item, language
//                           and a delete button (POST /admin/redirects/delete, field "path");
//                           POST /admin/redirects (fields path: a path or a whole old URL,
//                           asset: the item's number, language: optional) adds or replaces one,
//                           303 back; refused input shows the page again (400/422), refilled
//   /admin/users, /admin/users/{name}/disable, /admin/tokens, /admin/tokens/{id}/revoke,
//   /admin/audit?before=N   admins only (roles.h decides): users, API tokens (a new token's
//                           secret is shown once), the audit log, newest first
//
// Language: every page in each site language's strings; the header links to the same page in
// the others (its own query parameters kept, ui=xx added), and the choice is kept in the cookie
// `ap_lang` (Path=/admin; SameSite=Lax; a year); without either, the site's default language.
//
// Security: the session is the cookie `ap_session` (HttpOnly; SameSite=Strict; Path=/admin;
// Secure when Config::base_url is https). Before login the same cookie holds a random nonce
// that the login form's CSRF token is bound to, so the login POST is CSRF-checked too. Every
// form carries the session's CSRF token (auth/csrf.h) and a POST without the right one is
// refused with 403 before anything else is read. Without a live session every other /admin/
// URL answers 303 to /admin/login?next=…; an action the role does not allow answers 403.
// Every answer under /admin/ carries Cache-Control: no-store. Without an Authenticator in the
// Context everything under /admin/ answers 503.
//
// Thread-safety: the handlers are safe to call from many threads at once.

#include "http/cookies.h"
#include "http/router.h"
#include "web/context.h"

namespace assetpub::web {

// Adds the /admin/ routes to `router`; `context` must outlive it. Loads templates/admin/ and
// static/css/admin.css from the renderer's resources_dir; throws Error(kInvalidInput) naming the
// file when one is unusable. Add these before AddSiteRoutes ("/{lang}/…" matches "/admin/").
void AddAdminRoutes(Router& router, const Context& context);

}  // namespace assetpub::web
