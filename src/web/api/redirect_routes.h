#pragma once
// Old addresses of items (store::Redirect: a moved site's permalinks, answered 301 by the site's
// routes) over the API, and what the editors' desk's Redirects page shares with it:
//
//   GET    /api/v1/redirects?page=N&asset=ID  a page of kRedirectPageSize, by path (bytewise);
//                                             with asset=ID only that item's. {"redirects":
//                                             [RedirectRowJson…], "page", "pages", "total"}
//   POST   /api/v1/redirects                  {"path", "asset_id", "language"?}: adds the
//   PUT    /api/v1/redirects                  redirect, or replaces the one of the same path
//                                             (both alike); 201 when the path is new, 200 when
//                                             it replaced or repeated one; the row's JSON
//   DELETE /api/v1/redirects?path=P           removes the redirect of exactly P (the query
//                                             parameter percent-decoded once); 204, 404 when
//                                             there is none
//
// Credentials as the write API's (write_routes.h): a bearer token, 401 without one; reading needs
// auth::Action::kReadDraft (it names drafts), writing kEdit (a redirect reaches only what is
// published already), else 403. Bad input is problem+json: 400 (not JSON, a malformed path or
// tag), 422 (an item or a translation that does not exist), with `errors` pointers /path,
// /asset_id, /language. Every write is in the audit log (redirect.put, redirect.delete).
// Answers carry Cache-Control: no-store. Redirects are not changes: nothing to invalidate (the
// response cache keeps only 200s).
//
// Thread-safety: the handlers and functions are safe to call from many threads at once.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authenticator.h"
#include "http/router.h"
#include "store/store.h"
#include "web/context.h"

namespace assetpub::web {

inline constexpr int64_t kRedirectPageSize = 100;

// A redirect as an editor asks for it (the API's body, the desk's form).
struct RedirectInput {
  std::string path;
  int64_t asset_id = 0;
  std::string language;  // empty: chosen (ResolveRedirect)
};

// The redirect `input` asks for, checked against the store, or Error(kInvalidInput /
// kUnprocessable) with one FieldError per wrong member, whose message reads alone:
//   path      bytes above 0x7F and spaces are percent-encoded (as
//             browsers send them: "/ru/переговоры/" is "/ru/%D0%BF…/"; escapes already there
//             are kept as written); then it must start with '/', have at most
//             store::kMaxRedirectPath bytes, and hold no control character and no '#' (400);
//   asset_id  an existing item, whatever its status (422);
//   language  a tag or primary subtag of one of the item's translations, kept as that
//             translation's tag (400 for a malformed tag, 422 for one the item lacks); empty:
//             the translation in the site's default language, else the item's first.
store::Redirect ResolveRedirect(const Context& context, const RedirectInput& input);

// Writes `redirect` (from ResolveRedirect) in a transaction of its own and records it in the
// audit log as `actor`'s from `address`. Returns true when its path had no redirect before.
// Throws as Transaction::PutRedirect does (the item deleted meanwhile: kInvalidInput).
bool SaveRedirect(const Context& context, const auth::Principal& actor,
                  const store::Redirect& redirect, std::string_view address);

// Removes the redirect of exactly `path` and records it in the audit log. Error(kNotFound) when
// there is none.
void RemoveRedirect(const Context& context, const auth::Principal& actor, std::string_view path,
                    std::string_view address);

// A redirect as lists show it: with its item's title (in the redirect's language), status and the
// page the site sends it to (the item's page in that language; answered only while published).
// `item` is nullopt for an item deleted since the redirect was read.
struct RedirectRow {
  store::Redirect redirect;
  std::optional<store::Headline> item;
  std::string target;  // render::ItemPath, or "" without an item
};

// `redirects` with their items, in the same order (one store read per language among them).
std::vector<RedirectRow> RedirectRows(const Context& context,
                                      const std::vector<store::Redirect>& redirects);

// {"path", "asset_id", "language", "title", "status", "target"} ("title", "status" and "target"
// null for a row without an item).
nlohmann::ordered_json RedirectRowJson(const RedirectRow& row);

// Adds the routes above to `router`; `context` must outlive it.
void AddRedirectRoutes(Router& router, const Context& context);

}  // namespace assetpub::web
