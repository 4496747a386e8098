#include "http/admin_routes.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "auth/crypto.h"
#include "auth/csrf.h"
#include "authoring/workflow.h"
#include "content/language.h"
#include "content/slug.h"
#include "core/error.h"
#include "http/admin_body.h"
#include "http/admin_form.h"
#include "http/cookies.h"
#include "http/media_routes.h"
#include "http/multipart.h"
#include "http/params.h"
#include "render/admin_pages.h"
#include "render/paths.h"

namespace assetpub::http {
namespace {

using nlohmann::json;

constexpr int64_t kPageSize = 50;
constexpr int64_t kMaxPage = 100'000;
// A filter the store cannot answer (a kind or a missing language without a language to select
// by) is applied to the newest this-many items, read in batches; the page says so.
constexpr int64_t kScanLimit = 5000;
constexpr int64_t kScanBatch = 500;
constexpr int64_t kAuditPageSize = 50;

// Replaces each "{name}" of `text` with its value.
std::string Fill(std::string text,
                 std::initializer_list<std::pair<std::string_view, std::string>> values) {
  for (const auto& [name, value] : values) {
    const std::string placeholder = fmt::format("{{{}}}", name);
    for (size_t at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + value.size())) {
      text.replace(at, placeholder.size(), value);
    }
  }
  return text;
}

// Everything the admin handlers share; owned by the routes' closures.
struct Admin {
  // The UI in `language_in`, one of the site's languages (a full tag).
  Admin(const Context& context_in, std::string language_in)
      : context(context_in),
        language(std::move(language_in)),
        pages(context_in.renderer.resources_dir(), context_in.renderer.Strings(language), language),
        secure(context_in.config.base_url.starts_with("https://")) {
    authoring::WorkflowOptions options;
    ChangeNotifier* changes = context_in.changes;
    options.on_commit = [changes] {
      if (changes != nullptr) changes->Notify();
    };
    workflow = std::make_unique<authoring::Workflow>(context_in.store, context_in.auth, options);
  }

  const Context& context;
  std::string language;  // the UI's: one of the site's languages
  render::AdminPages pages;
  bool secure;
  // Every write of the admin UI goes through the one write path (authoring/workflow.h).
  std::unique_ptr<authoring::Workflow> workflow;

  const std::string& T(std::string_view key) const { return pages.Text(key); }

  std::string SessionCookie(std::string_view value, std::optional<int64_t> max_age = {}) const {
    CookieOptions options;
    options.path = "/admin";
    options.secure = secure;
    options.same_site = "Strict";
    options.max_age = max_age;
    return SetCookieHeader(kSessionCookie, value, options);
  }

  std::string Date(content::Instant instant, const std::string& zone) const {
    return content::FormatDateTime(instant, zone, language);
  }

  std::string KindLabel(content::Kind kind) const {
    return context.renderer.Strings(language).Text(fmt::format("kind.{}", content::KindName(kind)));
  }
  std::string StatusLabel(content::Status status) const {
    return T(fmt::format("admin.status.{}", content::StatusName(status)));
  }
};

// A logged-in request.
struct Session {
  std::string cookie;
  auth::Principal principal;
  std::string csrf;
};

struct Call {
  const Request& request;
  const RouteParams& params;
  const Session& session;
  const Form& form;  // the POST's fields; empty for GET
};

Response NoStore(Response response) {
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

// The "user" block of the layout for a session.
json UserView(const Session& session) {
  return json{{"name", session.principal.name},
              {"role", std::string(auth::RoleName(session.principal.role))},
              {"csrf", session.csrf},
              {"is_admin", session.principal.May(auth::Action::kManageUsers)},
              {"can_create", session.principal.May(auth::Action::kCreate)}};
}

// The request whose page this thread is making, while AdminLanguages::Serve runs its handler
// (the language switch links to that same page); nullptr otherwise.
thread_local const Request* serving = nullptr;

// The switch's link to the page at `target` in the UI `primary`: "?", the target's query
// parameters but any "ui" (as sent: the page's own, such as a diff's revisions, a list's
// filters or the login's next), then "ui=PRIMARY". A link of "?ui=ru" alone would drop them.
std::string SwitchHref(std::string_view target, std::string_view primary) {
  std::string href = "?";
  if (const size_t start = target.find('?'); start != std::string_view::npos) {
    std::string_view query = target.substr(start + 1);
    while (!query.empty()) {
      const size_t end = query.find('&');
      const std::string_view parameter = query.substr(0, end);
      query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
      const std::optional<std::string> name =
          PercentDecode(parameter.substr(0, parameter.find('=')), true);
      if (parameter.empty() || !name || *name == "ui") continue;
      href += parameter;
      href += '&';
    }
  }
  href += "ui=";
  href += primary;
  return href;
}

// The layout's language switch, as the site's: one entry per site language, the current one
// marked; the others link to this page in that language ("?ui=ru" after the page's own
// parameters, remembered in a cookie; "lang" is the items filter's).
json UiLanguagesView(const Admin& admin) {
  json languages = json::array();
  for (const std::string& tag : admin.context.renderer.languages()) {
    const std::string primary = content::PrimarySubtag(tag);
    languages.push_back(
        {{"tag", primary},
         {"name", content::NativeLanguageName(tag)},
         {"href", serving != nullptr ? SwitchHref(serving->target, primary) : "?ui=" + primary},
         {"current", tag == admin.language}});
  }
  return languages;
}

Response Page(const Admin& admin, int status, std::string_view name, json view,
              const Session* session) {
  if (session != nullptr) view["user"] = UserView(*session);
  if (admin.context.renderer.languages().size() > 1) {
    view["has_ui_languages"] = true;
    view["ui_languages"] = UiLanguagesView(admin);
  }
  return NoStore(Response::Html(status, admin.pages.Page(name, view), admin.language));
}

// A page with a title and one message (errors, refusals).
Response MessagePage(const Admin& admin, int status, const std::string& text,
                     const Session* session) {
  json view{{"title", admin.T("admin.error.title")}, {"text", text}};
  if (session != nullptr) {
    view["back"] = json{{"href", "/admin/"}, {"label", admin.T("admin.back")}};
  }
  return Page(admin, status, "message", std::move(view), session);
}

// The message for a failure of `code` (the exception's own text for what the user can fix).
std::string ErrorText(const Admin& admin, const Error& error) {
  switch (error.code()) {
    case ErrorCode::kForbidden:
      return admin.T("admin.error.forbidden");
    case ErrorCode::kNotFound:
      return admin.T("admin.error.not_found");
    case ErrorCode::kInvalidInput:
    case ErrorCode::kConflict:
    case ErrorCode::kTooLarge:
      return error.what();
    case ErrorCode::kUnavailable:
    case ErrorCode::kUnauthorised:
    case ErrorCode::kInternal:
      break;
  }
  return admin.T("admin.error.other");
}

// Only a path inside the admin UI is a place to go back to after login (no open redirect).
std::string SafeNext(const std::optional<std::string>& next) {
  if (!next || !next->starts_with("/admin/") || next->find("//") != std::string::npos ||
      next->find('\\') != std::string::npos) {
    return "/admin/";
  }
  for (char c : *next) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) return "/admin/";
  }
  return *next;
}

std::optional<Session> FindSession(const Admin& admin, const Request& request) {
  std::optional<std::string> cookie = CookieValue(request, kSessionCookie);
  if (!cookie || cookie->empty()) return std::nullopt;
  std::optional<auth::Principal> principal = admin.context.auth->SessionPrincipal(*cookie);
  if (!principal) return std::nullopt;
  return Session{*cookie, std::move(*principal), auth::CsrfToken(*cookie)};
}

Response Unavailable(const Admin& admin) {
  return MessagePage(admin, 503, admin.T("admin.error.unavailable"), nullptr);
}

using SessionHandler = std::function<Response(const Admin&, const Call&)>;

// A handler behind the login: no session → 303 to the login page; a POST without the
// session's CSRF token → 403; `action` not allowed to the role → 403; errors → a page.
// A request to a page behind the login, in `admin`'s UI: the session (else the login page),
// the form and its CSRF token for a POST, the permission for `action`; then `handler`.
Response ProtectedCall(const Admin& admin, const std::optional<auth::Action>& action,
                       const SessionHandler& handler, const Request& request,
                       const RouteParams& params) {
  if (admin.context.auth == nullptr) return Unavailable(admin);
  std::optional<Session> session;
  try {
    session = FindSession(admin, request);
  } catch (const Error& e) {
    spdlog::error("admin: reading the session failed: {}", e.what());
    return MessagePage(admin, HttpStatus(e.code()), admin.T("admin.error.other"), nullptr);
  }
  if (!session) {
    const std::string next = request.method == "GET" ? request.target : "/admin/";
    return NoStore(
        Response::Redirect(303, "/admin/login?next=" + render::PercentEncode(SafeNext(next))));
  }
  Form form;
  try {
    if (request.method == "POST") {
      form = ParseForm(request);
      if (!admin.context.auth->VerifyCsrf(session->cookie, form.Get("csrf"))) {
        return MessagePage(admin, 403, admin.T("admin.error.csrf"), &*session);
      }
    }
    if (action && !session->principal.May(*action)) {
      return MessagePage(admin, 403, admin.T("admin.error.forbidden"), &*session);
    }
    return NoStore(handler(admin, Call{request, params, *session, form}));
  } catch (const Error& e) {
    if (HttpStatus(e.code()) >= 500) spdlog::error("admin {}: {}", request.target, e.what());
    return MessagePage(admin, HttpStatus(e.code()), ErrorText(admin, e), &*session);
  }
}

// The cookie that keeps the UI language an editor chose (a primary subtag).
constexpr const char* kLanguageCookie = "ap_lang";

// The admin UI in each site language; which one serves a request: the language its ?ui=
// names, else the one its cookie names, else the site's default.
class AdminLanguages {
 public:
  explicit AdminLanguages(const Context& context) {
    for (const std::string& tag : context.renderer.languages()) {
      by_primary_.emplace(content::PrimarySubtag(tag), std::make_unique<const Admin>(context, tag));
    }
    const auto it = by_primary_.find(content::PrimarySubtag(context.renderer.default_language()));
    if (it != by_primary_.end()) {
      default_ = it->second.get();
    } else {
      by_primary_.emplace(
          "", std::make_unique<const Admin>(context, context.renderer.default_language()));
      default_ = by_primary_.at("").get();
    }
  }

  // The UI for `request`, and whether it chose one by ?ui= (to be remembered).
  std::pair<const Admin*, bool> For(const Request& request) const {
    if (std::optional<std::string> asked = request.Query("ui")) {
      if (const auto it = by_primary_.find(*asked); it != by_primary_.end() && !asked->empty()) {
        return {it->second.get(), true};
      }
    }
    if (std::optional<std::string> kept = CookieValue(request, kLanguageCookie)) {
      if (const auto it = by_primary_.find(*kept); it != by_primary_.end() && !kept->empty()) {
        return {it->second.get(), false};
      }
    }
    return {default_, false};
  }

  // Runs `handle` with the UI `request` asks for; a language chosen by ?ui= is remembered
  // (a year) by a cookie on the answer.
  template <typename Handle>
  Response Serve(const Request& request, Handle&& handle) const {
    const auto [admin, chosen] = For(request);
    struct Serving {
      explicit Serving(const Request& request) : previous(serving) { serving = &request; }
      Serving(const Serving&) = delete;
      Serving& operator=(const Serving&) = delete;
      ~Serving() { serving = previous; }
      const Request* previous;
    };
    Response response;
    {
      const Serving current(request);
      response = handle(*admin);
    }
    if (chosen) {
      CookieOptions options;
      options.path = "/admin";
      options.secure = admin->secure;
      options.same_site = "Lax";
      options.max_age = 365 * 24 * 60 * 60;
      response.headers.emplace_back(
          "Set-Cookie",
          SetCookieHeader(kLanguageCookie, content::PrimarySubtag(admin->language), options));
    }
    return response;
  }

 private:
  std::map<std::string, std::unique_ptr<const Admin>> by_primary_;
  const Admin* default_ = nullptr;
};

Handler Protected(std::shared_ptr<const AdminLanguages> admins, std::optional<auth::Action> action,
                  SessionHandler handler) {
  return [admins = std::move(admins), action, handler = std::move(handler)](
             const Request& request, const RouteParams& params) -> Response {
    return admins->Serve(request, [&](const Admin& admin) {
      return ProtectedCall(admin, action, handler, request, params);
    });
  };
}

// --- Login ---------------------------------------------------------------------------------

// A cookie value we may have handed out: 43 URL-safe base64 characters.
bool LooksLikeOurCookie(const std::string& value) {
  if (value.size() != 43) return false;
  for (char c : value) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

Response LoginForm(const Admin& admin, int status, const std::string& nonce,
                   const std::string& next, const std::string& name, const std::string& error,
                   const std::string& notice = {}) {
  json view{{"title", admin.T("admin.login.title")},
            {"csrf", auth::CsrfToken(nonce)},
            {"next", next},
            {"name", name}};
  if (!error.empty()) view["error"] = error;
  if (!notice.empty()) view["notice"] = notice;
  Response response = Page(admin, status, "login", std::move(view), nullptr);
  response.SetHeader("Set-Cookie", admin.SessionCookie(nonce));
  return response;
}

Response LoginGet(const Admin& admin, const Request& request) {
  if (admin.context.auth == nullptr) return Unavailable(admin);
  if (FindSession(admin, request)) return NoStore(Response::Redirect(303, "/admin/"));
  // Before login the cookie holds a nonce that the form's CSRF token is bound to; a nonce
  // already set is kept, so that two open login tabs both work.
  std::optional<std::string> cookie = CookieValue(request, kSessionCookie);
  const std::string nonce =
      cookie && LooksLikeOurCookie(*cookie) ? *cookie : auth::Base64Url(auth::RandomBytes(32));
  const std::string notice =
      request.Query("logged_out") ? admin.T("admin.login.logged_out") : std::string();
  return LoginForm(admin, 200, nonce, SafeNext(request.Query("next")), "", "", notice);
}

Response LoginPost(const Admin& admin, const Request& request) {
  if (admin.context.auth == nullptr) return Unavailable(admin);
  Form form;
  try {
    form = ParseForm(request);
  } catch (const Error& e) {
    return MessagePage(admin, HttpStatus(e.code()), ErrorText(admin, e), nullptr);
  }
  const std::optional<std::string> nonce = CookieValue(request, kSessionCookie);
  if (!nonce || !auth::CsrfTokenMatches(*nonce, form.Get("csrf"))) {
    return MessagePage(admin, 403, admin.T("admin.error.csrf"), nullptr);
  }
  const std::string next = SafeNext(form.Get("next"));
  const std::string& name = form.Get("name");
  auth::LoginResult result =
      admin.context.auth->Login(name, form.Get("password"), request.remote_address);
  switch (result.outcome) {
    case auth::LoginResult::Outcome::kOk: {
      Response response = NoStore(Response::Redirect(303, next));
      // A new value: the pre-login nonce never becomes a session id (no session fixation).
      response.SetHeader("Set-Cookie", admin.SessionCookie(result.session->cookie));
      return response;
    }
    case auth::LoginResult::Outcome::kRateLimited: {
      Response response =
          LoginForm(admin, 429, *nonce, next, name,
                    Fill(admin.T("admin.login.rate_limited"),
                         {{"seconds", std::to_string(result.retry_after_seconds)}}));
      response.SetHeader("Retry-After", std::to_string(result.retry_after_seconds));
      return response;
    }
    case auth::LoginResult::Outcome::kRejected:
      break;
  }
  return LoginForm(admin, 401, *nonce, next, name, admin.T("admin.login.failed"));
}

Response Logout(const Admin& admin, const Call& call) {
  admin.context.auth->Logout(call.session.cookie, call.request.remote_address);
  Response response = Response::Redirect(303, "/admin/login?logged_out=1");
  response.SetHeader("Set-Cookie", admin.SessionCookie("", 0));
  return response;
}

// --- Items ---------------------------------------------------------------------------------

// The "missing" filter's value for items that lack a translation of a language they declare.
constexpr std::string_view kMissingDeclared = "declared";

struct ItemFilters {
  std::optional<content::Status> status;
  std::optional<content::Kind> kind;
  std::string language;  // a site language tag, or empty
  std::string missing;   // a site language tag, or empty
  int64_t page = 1;
};

// A query parameter that must be one of the choices; `parse` gives nullopt for a bad one.
template <typename T, typename Parse>
std::optional<T> Choice(const Request& request, std::string_view name, Parse parse) {
  const std::optional<std::string> value = request.Query(name);
  if (!value || value->empty()) return std::nullopt;
  std::optional<T> parsed = parse(*value);
  if (!parsed) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("'{}' is not a valid value for '{}'", *value, name));
  }
  return parsed;
}

ItemFilters ReadFilters(const Admin& admin, const Request& request) {
  ItemFilters filters;
  filters.status = Choice<content::Status>(request, "status", content::ParseStatus);
  filters.kind = Choice<content::Kind>(request, "kind", content::ParseKind);
  const auto language = [&](std::string_view primary) {
    return admin.context.renderer.FindLanguage(primary);
  };
  filters.language = Choice<std::string>(request, "lang", language).value_or("");
  // "declared": lacks the translation of a language it declares.
  filters.missing =
      Choice<std::string>(request, "missing", [&](std::string_view value) {
        return value == kMissingDeclared ? std::optional<std::string>(value) : language(value);
      }).value_or("");
  filters.page = QueryInteger(request, "page", 1, 1, kMaxPage);
  return filters;
}

std::string FilterQuery(const ItemFilters& filters, int64_t page) {
  std::string query;
  const auto add = [&](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    query += query.empty() ? '?' : '&';
    query += fmt::format("{}={}", name, render::PercentEncode(value));
  };
  add("status", filters.status ? content::StatusName(*filters.status) : "");
  add("kind", filters.kind ? content::KindName(*filters.kind) : "");
  add("lang", filters.language.empty() ? "" : content::PrimarySubtag(filters.language));
  add("missing", filters.missing.empty() || filters.missing == kMissingDeclared
                     ? filters.missing
                     : content::PrimarySubtag(filters.missing));
  if (page > 1) add("page", std::to_string(page));
  return "/admin/" + query;
}

struct ItemsResult {
  std::vector<content::Asset> assets;
  int64_t total = 0;
  int64_t scanned = 0;  // > 0: the filters were applied to the newest `scanned` items only
};

bool Matches(const ItemFilters& filters, const content::Asset& asset) {
  if (filters.kind && asset.kind != *filters.kind) return false;
  if (!filters.language.empty() &&
      asset.FindTranslation(content::PrimarySubtag(filters.language)) == nullptr) {
    return false;
  }
  if (filters.missing == kMissingDeclared) {
    return std::any_of(asset.languages.begin(), asset.languages.end(), [&](const std::string& tag) {
      return asset.translations.count(tag) == 0 && asset.FindTranslation(tag) == nullptr;
    });
  }
  if (!filters.missing.empty() &&
      asset.FindTranslation(content::PrimarySubtag(filters.missing)) != nullptr) {
    return false;
  }
  return true;
}

ItemsResult FindItems(const Admin& admin, const ItemFilters& filters) {
  store::Store& store = admin.context.store;
  const int64_t offset = (filters.page - 1) * kPageSize;
  ItemsResult result;
  if (filters.missing.empty() && !filters.language.empty()) {
    store::Selection selection;
    selection.status = filters.status;
    selection.language = content::PrimarySubtag(filters.language);
    if (filters.kind) selection.kinds = {*filters.kind};
    selection.offset = offset;
    selection.limit = kPageSize;
    selection.with_bodies = false;
    store::ListPage page = store.Select(selection);
    return {std::move(page.assets), page.total, 0};
  }
  if (filters.missing.empty() && !filters.kind) {
    store::ListQuery query;
    query.status = filters.status;
    query.offset = offset;
    query.limit = kPageSize;
    store::ListPage page = store.List(query);
    return {std::move(page.assets), page.total, 0};
  }
  // The store has no "lacks a translation" filter, and selects kinds only within a language:
  // read the newest items in batches and filter them here, up to kScanLimit.
  int64_t matched = 0;
  for (int64_t at = 0; at < kScanLimit; at += kScanBatch) {
    store::ListQuery query;
    query.status = filters.status;
    query.offset = at;
    query.limit = kScanBatch;
    store::ListPage page = store.List(query);
    for (content::Asset& asset : page.assets) {
      if (!Matches(filters, asset)) continue;
      if (matched >= offset && matched < offset + kPageSize) {
        result.assets.push_back(std::move(asset));
      }
      ++matched;
    }
    result.scanned = at + static_cast<int64_t>(page.assets.size());
    if (static_cast<int64_t>(page.assets.size()) < kScanBatch) {
      result.scanned = 0;  // everything was seen: the count is exact
      break;
    }
  }
  result.total = matched;
  return result;
}

// The title to show for an asset: the UI language's version, else its first translation.
const content::Translation* ShownTranslation(const Admin& admin, const content::Asset& asset) {
  const content::Translation* translation =
      asset.FindTranslation(content::PrimarySubtag(admin.language));
  if (translation == nullptr && !asset.translations.empty()) {
    translation = &asset.translations.begin()->second;
  }
  return translation;
}

json Options(const std::string& any_label, const std::string& selected,
             const std::vector<std::pair<std::string, std::string>>& choices) {
  json options =
      json::array({{{"value", ""}, {"label", any_label}, {"selected", selected.empty()}}});
  for (const auto& [value, label] : choices) {
    options.push_back({{"value", value}, {"label", label}, {"selected", value == selected}});
  }
  return options;
}

Response Items(const Admin& admin, const Call& call) {
  const ItemFilters filters = ReadFilters(admin, call.request);
  const ItemsResult found = FindItems(admin, filters);
  if (filters.page > 1 && found.assets.empty()) {
    throw Error(ErrorCode::kNotFound, fmt::format("there is no page {}", filters.page));
  }
  json view{{"title", admin.T("admin.items.title")}};

  std::vector<std::pair<std::string, std::string>> statuses;
  for (content::Status status :
       {content::Status::kDraft, content::Status::kScheduled, content::Status::kPublished,
        content::Status::kExpired, content::Status::kArchived}) {
    statuses.emplace_back(content::StatusName(status), admin.StatusLabel(status));
  }
  view["statuses"] =
      Options(admin.T("admin.status.any"),
              filters.status ? std::string(content::StatusName(*filters.status)) : "", statuses);
  std::vector<std::pair<std::string, std::string>> kinds;
  for (content::Kind kind : content::AllKinds()) {
    kinds.emplace_back(content::KindName(kind), admin.KindLabel(kind));
  }
  view["kinds"] = Options(admin.T("admin.items.any_kind"),
                          filters.kind ? std::string(content::KindName(*filters.kind)) : "", kinds);
  std::vector<std::pair<std::string, std::string>> languages;
  for (const std::string& tag : admin.context.renderer.languages()) {
    languages.emplace_back(content::PrimarySubtag(tag), content::NativeLanguageName(tag));
  }
  const auto primary = [](const std::string& tag) {
    return tag.empty() ? std::string() : content::PrimarySubtag(tag);
  };
  view["languages"] =
      Options(admin.T("admin.items.any_language"), primary(filters.language), languages);
  languages.emplace_back(kMissingDeclared, admin.T("admin.filter.missing_declared"));
  view["missing"] = Options(
      admin.T("admin.items.no_missing"),
      filters.missing == kMissingDeclared ? filters.missing : primary(filters.missing), languages);

  json items = json::array();
  for (const content::Asset& asset : found.assets) {
    const content::Translation* translation = ShownTranslation(admin, asset);
    std::string versions;
    for (const auto& [tag, unused] : asset.translations) {
      versions += versions.empty() ? tag : ", " + tag;
    }
    items.push_back({{"id", std::to_string(asset.id)},
                     {"href", fmt::format("/admin/items/{}", asset.id)},
                     {"title", translation != nullptr && !translation->title.empty()
                                   ? translation->title
                                   : admin.T("admin.items.untitled")},
                     {"title_lang", translation != nullptr ? translation->language : ""},
                     {"status", std::string(content::StatusName(asset.status))},
                     {"status_label", admin.StatusLabel(asset.status)},
                     {"kind", admin.KindLabel(asset.kind)},
                     {"date", admin.Date(asset.published_at, asset.time_zone)},
                     {"languages", versions}});
  }
  view["has_items"] = !items.empty();
  view["items"] = std::move(items);
  if (found.total > 0) {
    const int64_t from = (filters.page - 1) * kPageSize + 1;
    const int64_t to = from + static_cast<int64_t>(found.assets.size()) - 1;
    view["count"] = Fill(admin.T("admin.items.count"), {{"from", std::to_string(from)},
                                                        {"to", std::to_string(to)},
                                                        {"total", std::to_string(found.total)}});
  }
  if (found.scanned > 0) {
    view["scan_note"] =
        Fill(admin.T("admin.items.scan_note"), {{"scanned", std::to_string(found.scanned)}});
  }
  json pager = json::object();
  if (filters.page > 1) pager["previous"] = FilterQuery(filters, filters.page - 1);
  if (filters.page * kPageSize < found.total) {
    pager["next"] = FilterQuery(filters, filters.page + 1);
  }
  view["pager"] = pager.empty() ? json(false) : pager;
  return Page(admin, 200, "items", std::move(view), &call.session);
}

std::string Join(const std::vector<std::string>& values) {
  std::string joined;
  for (const std::string& value : values) joined += joined.empty() ? value : ", " + value;
  return joined;
}

json BlockView(const content::Block& block) {
  json paragraphs = json::array();
  switch (block.type) {
    case content::Block::Type::kTurn:
    case content::Block::Type::kList:
      for (const std::string& paragraph : block.paragraphs) paragraphs.push_back(paragraph);
      break;
    case content::Block::Type::kParagraph:
    case content::Block::Type::kHeading:
    case content::Block::Type::kQuote:
      paragraphs.push_back(block.text);
      break;
  }
  std::string speaker = block.speaker;
  if (!block.note.empty()) speaker += fmt::format(" ({})", block.note);
  return {{"speaker", speaker.empty() ? json(false) : json(speaker)}, {"paragraphs", paragraphs}};
}

int64_t ItemId(const Call& call) {
  const std::optional<int64_t> id = ParseInteger(call.params.Get("id"), 1, INT64_MAX);
  if (!id) throw Error(ErrorCode::kNotFound, fmt::format("no item '{}'", call.params.Get("id")));
  return *id;
}

// "2013-06-07T16:29" for an <input type="datetime-local">, in `zone`.
std::string LocalInputValue(content::Instant instant, const std::string& zone) {
  return content::ToIso8601(instant, zone).substr(0, 16);
}

// An <input type="datetime-local"> value ("2013-06-07T16:29", seconds optional) in the site's
// zone; nullopt when empty. Error(kInvalidInput) naming `field` when it is not one.
std::optional<content::Instant> ParseLocalInput(const Admin& admin, const std::string& value,
                                                std::string_view field) {
  if (value.empty()) return std::nullopt;
  content::LocalDateTime local;
  char t = 0;
  int consumed = 0;
  const int matched =
      std::sscanf(value.c_str(), "%4d-%2d-%2d%c%2d:%2d%n", &local.year, &local.month, &local.day,
                  &t, &local.hour, &local.minute, &consumed);
  bool ok = matched == 6 && t == 'T' && value.size() >= 16;
  if (ok && static_cast<size_t>(consumed) != value.size()) {
    int more = 0;
    ok = std::sscanf(value.c_str() + consumed, ":%2d%n", &local.second, &more) == 1 &&
         static_cast<size_t>(consumed + more) == value.size();
  }
  if (!ok) {
    throw Error(
        ErrorCode::kInvalidInput,
        fmt::format("{}: '{}' is not a date and time such as 2030-01-31T12:00", field, value));
  }
  return content::FromLocal(local, admin.context.config.time_zone);
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> values;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string_view part = std::string_view(text).substr(start, end - start);
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front()))) {
      part.remove_prefix(1);
    }
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) {
      part.remove_suffix(1);
    }
    if (!part.empty() && std::find(values.begin(), values.end(), part) == values.end()) {
      values.emplace_back(part);
    }
    start = end + 1;
  }
  return values;
}

// The key of `asset`'s translation whose primary subtag is `primary`, or "".
std::string TranslationKey(const content::Asset& asset, const std::string& primary) {
  for (const auto& [tag, translation] : asset.translations) {
    if (content::PrimarySubtag(tag) == primary) return tag;
  }
  return "";
}

// --- Related items ("Additional materials") on the edit form -----------------------------------

constexpr size_t kRelatedResults = 20;

std::string Trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

// An item number as an editor types it: "7" or "#7".
std::optional<int64_t> TypedItemNumber(std::string_view text) {
  if (!text.empty() && text.front() == '#') text.remove_prefix(1);
  return ParseInteger(text, 1, INT64_MAX);
}

std::string CaseFolded(std::string_view text) {
  std::string folded;
  icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))
      .foldCase()
      .toUTF8String(folded);
  return folded;
}

// Items of every status whose number is `query` or one of whose titles contains it (case
// folded), but `exclude`; the newest first, at most kRelatedResults, from the newest
// kScanLimit items.
std::vector<content::Asset> FindRelatedCandidates(const Admin& admin, const std::string& query,
                                                  int64_t exclude) {
  std::vector<content::Asset> found;
  if (query.empty()) return found;
  if (const std::optional<int64_t> number = TypedItemNumber(query)) {
    if (*number != exclude) {
      if (std::optional<content::Asset> asset = admin.context.store.Get(*number)) {
        found.push_back(std::move(*asset));
      }
    }
    return found;
  }
  const std::string needle = CaseFolded(query);
  for (int64_t at = 0; at < kScanLimit && found.size() < kRelatedResults; at += kScanBatch) {
    store::ListQuery list;
    list.status = std::nullopt;
    list.offset = at;
    list.limit = kScanBatch;
    store::ListPage page = admin.context.store.List(list);
    for (content::Asset& asset : page.assets) {
      if (asset.id == exclude || found.size() >= kRelatedResults) continue;
      const bool matches =
          std::any_of(asset.translations.begin(), asset.translations.end(), [&](const auto& t) {
            return CaseFolded(t.second.title).find(needle) != std::string::npos;
          });
      if (matches) found.push_back(std::move(asset));
    }
    if (static_cast<int64_t>(page.assets.size()) < kScanBatch) break;
  }
  return found;
}

// What the edit form's remove box of a related entry sends: the item's number, or "title:" and
// the title of an entry linked to no item. By identity, not position: a form refilled into
// another editor's newer copy (the 409 page) must tick the entries this editor ticked, wherever
// they now stand.
std::string RelatedKey(const content::Related& entry) {
  return entry.id != 0 ? std::to_string(entry.id) : "title:" + entry.title;
}

// The form's related-items fields applied to `asset`: ticked entries removed, picked items and
// the "add" field added (an item number adds that item; other text, when nothing was picked,
// a title not linked to an item). Error(kInvalidInput) for a number that names no item or the
// item itself.
void ApplyRelatedFields(const Admin& admin, const Form& form, content::Asset& asset) {
  const std::vector<std::string> removed = form.All("related_remove");
  std::vector<content::Related> related;
  for (const content::Related& entry : asset.related) {
    if (std::find(removed.begin(), removed.end(), RelatedKey(entry)) == removed.end()) {
      related.push_back(entry);
    }
  }
  const auto add = [&](int64_t other) {
    if (other == asset.id) {
      throw Error(ErrorCode::kInvalidInput,
                  "additional materials: an item cannot be among its own additional materials");
    }
    if (!admin.context.store.Get(other)) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("additional materials: there is no item {}", other));
    }
    if (std::none_of(related.begin(), related.end(),
                     [&](const content::Related& r) { return r.id == other; })) {
      related.push_back({other, ""});
    }
  };
  const std::vector<std::string> picked = form.All("related_pick");
  for (const std::string& value : picked) {
    const std::optional<int64_t> id = ParseInteger(value, 1, INT64_MAX);
    if (!id) throw Error(ErrorCode::kInvalidInput, "additional materials: a bad item number");
    add(*id);
  }
  const std::string typed = Trimmed(form.Get("related_add"));
  if (!typed.empty()) {
    if (const std::optional<int64_t> number = TypedItemNumber(typed)) {
      add(*number);
    } else if (picked.empty()) {
      related.push_back({0, typed});
    }
  }
  asset.related = std::move(related);
}

// The related-items part of the edit form's view: the current list with remove boxes, the
// "add" field, and the matching items when the editor searched.
void AddRelatedView(const Admin& admin, const Call& call, const content::Asset& asset, int64_t id,
                    const Form* form, json& view) {
  const auto has = [&](std::string_view field, const std::string& value) {
    if (form == nullptr) return false;
    const std::vector<std::string> all = form->All(field);
    return std::find(all.begin(), all.end(), value) != all.end();
  };
  std::vector<int64_t> ids;
  for (const content::Related& r : asset.related) {
    if (r.id != 0) ids.push_back(r.id);
  }
  std::map<int64_t, std::string> titles;
  if (!ids.empty()) {
    for (const store::Headline& h : admin.context.store.Headlines(ids, admin.language)) {
      titles[h.id] = h.title;
    }
  }
  json related = json::array();
  for (size_t i = 0; i < asset.related.size(); ++i) {
    const content::Related& r = asset.related[i];
    std::string label = r.title;
    if (r.id != 0) {
      const auto it = titles.find(r.id);
      label = fmt::format("#{} {}", r.id, it != titles.end() ? it->second : r.title);
    }
    const std::string key = RelatedKey(r);
    related.push_back({{"index", std::to_string(i)},
                       {"key", key},
                       {"label", label},
                       {"removed", has("related_remove", key)}});
  }
  view["has_related"] = !related.empty();
  view["related"] = std::move(related);
  view["related_add"] = form != nullptr ? form->Get("related_add") : std::string();
  // A search: the form's Find button, or ?related_q= on the edit page.
  std::optional<std::string> query;
  if (form != nullptr && form->Get("do") == "related-find") {
    query = Trimmed(form->Get("related_add"));
  } else if (form == nullptr) {
    if (std::optional<std::string> q = call.request.Query("related_q")) {
      query = Trimmed(*q);
      view["related_add"] = *q;
    }
  }
  if (!query) {
    view["related_search"] = false;
    return;
  }
  json results = json::array();
  for (const content::Asset& candidate : FindRelatedCandidates(admin, *query, id)) {
    const content::Translation* t = ShownTranslation(admin, candidate);
    const std::string number = std::to_string(candidate.id);
    results.push_back(
        {{"id", number},
         {"label",
          fmt::format("#{} {}", number, t != nullptr ? t->title : admin.T("admin.items.untitled"))},
         {"lang", t != nullptr ? t->language : ""},
         {"status", std::string(content::StatusName(candidate.status))},
         {"status_label", admin.StatusLabel(candidate.status)},
         {"checked", has("related_pick", number)}});
  }
  view["related_search"] = json{{"related_results", std::move(results)}};
}

// --- Files from the media library on the edit form ---------------------------------------------

// How many of the library's newest files the picker lists (the rest: the media page's hash,
// through the API).
constexpr int64_t kPickerFiles = 50;

// The form's file fields applied to `asset`: captions edited (media_caption_HASH, when sent),
// ticked files removed (media_remove, by hash: by identity, not position, as RelatedKey says),
// and library files ticked (media_pick, by hash) attached with the caption beside them
// (media_pick_caption_HASH), completed from the library. UnknownMedia (kInvalidInput) for a hash
// the library does not have.
void ApplyMediaFields(const Admin& admin, const Form& form, content::Asset& asset) {
  const std::vector<std::string> removed = form.All("media_remove");
  std::vector<content::MediaFile> media;
  for (const content::MediaFile& attached : asset.media) {
    if (std::find(removed.begin(), removed.end(), attached.hash) != removed.end()) continue;
    content::MediaFile file = attached;
    const std::string caption_field = "media_caption_" + file.hash;
    if (form.Has(caption_field)) file.caption = Trimmed(form.Get(caption_field));
    media.push_back(std::move(file));
  }
  const std::vector<std::string> picked = form.All("media_pick");
  for (const std::string& hash : picked) {
    if (std::any_of(media.begin(), media.end(),
                    [&](const content::MediaFile& m) { return m.hash == hash; })) {
      continue;
    }
    content::MediaFile file;
    file.hash = hash;
    file.caption = Trimmed(form.Get("media_pick_caption_" + hash));
    media.push_back(std::move(file));
  }
  asset.media = std::move(media);
  if (!picked.empty()) ResolveMedia(admin.context.store, asset);
}

// The files part of the edit form's view: the attached files with a remove box and a caption
// field each, and the library's newest files (but those attached) with a box and a caption to
// attach them; no library list when the store keeps none.
void AddMediaView(const Admin& admin, const content::Asset& asset, const Form* form, json& view) {
  const auto picked = [&](const std::string& hash) {
    if (form == nullptr) return false;
    const std::vector<std::string> all = form->All("media_pick");
    return std::find(all.begin(), all.end(), hash) != all.end();
  };
  json attached = json::array();
  std::set<std::string> hashes;
  for (size_t i = 0; i < asset.media.size(); ++i) {
    const content::MediaFile& file = asset.media[i];
    hashes.insert(file.hash);
    const std::string caption_field = "media_caption_" + file.hash;
    const std::vector<std::string> removed =
        form != nullptr ? form->All("media_remove") : std::vector<std::string>();
    attached.push_back(
        {{"index", std::to_string(i)},
         {"hash", file.hash},
         {"name", file.name.empty() ? file.hash : file.name},
         {"caption",
          form != nullptr && form->Has(caption_field) ? form->Get(caption_field) : file.caption},
         {"removed", std::find(removed.begin(), removed.end(), file.hash) != removed.end()}});
  }
  view["has_media"] = !attached.empty();
  view["media"] = std::move(attached);
  store::MediaPage listed;
  try {
    listed = admin.context.store.ListMedia(0, kPickerFiles);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kUnavailable) throw;
    view["media_library"] = false;
    return;
  }
  json files = json::array();
  for (const store::MediaRecord& r : listed.files) {
    if (hashes.contains(r.file.hash)) continue;
    files.push_back({{"hash", r.file.hash},
                     {"name", r.file.name},
                     {"type", r.file.type},
                     {"caption", form != nullptr ? form->Get("media_pick_caption_" + r.file.hash)
                                                 : std::string()},
                     {"checked", picked(r.file.hash)}});
  }
  view["media_library"] = json{
      {"files", std::move(files)},
      {"more", listed.total > kPickerFiles ? json(Fill(admin.T("admin.media_pick.more"),
                                                       {{"count", std::to_string(kPickerFiles)}}))
                                           : json(false)}};
}

// `base` with the edit form's fields applied: kind, publication time, people, tags, and one
// translation per site language (a language whose fields are all empty has none), the related
// items and the files. Fields the form does not show (categories, …) are kept.
content::Asset AssetFromForm(const Admin& admin, const Form& form, content::Asset base) {
  content::Asset asset = std::move(base);
  const std::optional<content::Kind> kind = content::ParseKind(form.Get("kind"));
  if (!kind) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("kind: '{}' is not a type", form.Get("kind")));
  }
  asset.kind = *kind;
  if (std::optional<content::Instant> at =
          ParseLocalInput(admin, form.Get("published_at"), "publication time")) {
    asset.published_at = *at;
    asset.time_zone = admin.context.config.time_zone;
  }
  asset.people = SplitCommas(form.Get("people"));
  asset.tags = SplitCommas(form.Get("tags"));
  ApplyRelatedFields(admin, form, asset);
  ApplyMediaFields(admin, form, asset);
  for (const std::string& tag : admin.context.renderer.languages()) {
    const std::string primary = content::PrimarySubtag(tag);
    const auto field = [&](std::string_view name) -> const std::string& {
      return form.Get(fmt::format("{}_{}", name, primary));
    };
    const std::string key = TranslationKey(asset, primary);
    if (field("title").empty() && field("slug").empty() && field("place").empty() &&
        field("summary").empty() && field("body").empty()) {
      if (!key.empty()) asset.translations.erase(key);
      continue;
    }
    content::Translation translation;
    if (!key.empty()) translation = asset.translations[key];
    translation.language = key.empty() ? tag : key;
    translation.title = field("title");
    translation.slug = field("slug").empty() ? content::MakeSlug(field("title")) : field("slug");
    translation.place = field("place");
    translation.summary = field("summary");
    try {
      translation.blocks = ParseBodyText(field("body"));
    } catch (const Error& e) {
      throw Error(e.code(), fmt::format("{}: {}", content::NativeLanguageName(tag), e.what()));
    }
    if (std::find(asset.languages.begin(), asset.languages.end(), translation.language) ==
        asset.languages.end()) {
      asset.languages.push_back(translation.language);
    }
    asset.translations[translation.language] = std::move(translation);
  }
  // Declared versions whose translation was just emptied out are no longer declared.
  std::erase_if(asset.languages, [&](const std::string& tag) {
    const std::string primary = content::PrimarySubtag(tag);
    return admin.context.renderer.FindLanguage(primary) && TranslationKey(asset, primary).empty();
  });
  return asset;
}

// The edit form for `asset` (a new one when `id` is 0), refilled from `form` when given.
Response EditForm(const Admin& admin, const Call& call, int status, const content::Asset& asset,
                  int64_t id, int64_t base, const std::string& error, const std::string& conflict,
                  const Form* form) {
  const auto value = [&](const std::string& name, std::string fallback) {
    return form != nullptr ? form->Get(name) : fallback;
  };
  json view{
      {"title", id == 0 ? admin.T("admin.edit.new_title")
                        : Fill(admin.T("admin.edit.edit_title"), {{"id", std::to_string(id)}})},
      {"action", id == 0 ? std::string("/admin/items") : fmt::format("/admin/items/{}/edit", id)},
      {"csrf", call.session.csrf},
      {"base", id == 0 ? json(false) : json(std::to_string(base))},
      {"submit", admin.T(id == 0 ? "admin.edit.create" : "admin.edit.save")},
      {"zone_help",
       Fill(admin.T("admin.edit.zone_help"), {{"zone", admin.context.config.time_zone}})},
      {"note", value("note", "")}};
  const std::string kind(value("kind", std::string(content::KindName(asset.kind))));
  json kinds = json::array();
  for (content::Kind k : content::AllKinds()) {
    const std::string name(content::KindName(k));
    kinds.push_back({{"value", name}, {"label", admin.KindLabel(k)}, {"selected", name == kind}});
  }
  view["kinds"] = std::move(kinds);
  view["published_at"] =
      value("published_at",
            id == 0 ? std::string() : LocalInputValue(asset.published_at, asset.time_zone));
  std::string people;
  for (const std::string& person : asset.people) people += people.empty() ? person : ", " + person;
  std::string tags;
  for (const std::string& tag : asset.tags) tags += tags.empty() ? tag : ", " + tag;
  view["people"] = value("people", people);
  view["tags"] = value("tags", tags);
  json columns = json::array();
  json previews = json::array();
  for (const std::string& tag : admin.context.renderer.languages()) {
    const std::string primary = content::PrimarySubtag(tag);
    const std::string key = TranslationKey(asset, primary);
    const content::Translation* translation =
        key.empty() ? nullptr : &asset.translations.find(key)->second;
    const auto text = [&](std::string_view name, std::string current) {
      return value(fmt::format("{}_{}", name, primary), translation != nullptr ? current : "");
    };
    const std::string shown_tag = key.empty() ? tag : key;
    columns.push_back({{"lang", shown_tag},
                       {"primary", primary},
                       {"ui_lang", admin.language},
                       {"language_name", content::NativeLanguageName(shown_tag)},
                       {"title", text("title", translation ? translation->title : "")},
                       {"slug", text("slug", translation ? translation->slug : "")},
                       {"place", text("place", translation ? translation->place : "")},
                       {"summary", text("summary", translation ? translation->summary : "")},
                       {"body", text("body", translation ? BodyText(translation->blocks) : "")}});
    previews.push_back({{"value", "preview-" + primary},
                        {"label", Fill(admin.T("admin.edit.preview"),
                                       {{"language", content::NativeLanguageName(tag)}})}});
  }
  view["columns"] = std::move(columns);
  view["previews"] = std::move(previews);
  AddRelatedView(admin, call, asset, id, form, view);
  AddMediaView(admin, asset, form, view);
  if (!error.empty()) view["error"] = error;
  view["conflict"] = conflict.empty() ? json(false) : json(conflict);
  view["theirs_href"] = conflict.empty() ? json(false) : json(fmt::format("/admin/items/{}", id));
  return Page(admin, status, "edit", std::move(view), &call.session);
}

// The site's item page for `asset` in the site language whose primary subtag is `primary`, as
// it would look published (drafts, scheduled and unsaved versions alike).
Response PreviewPage(const Admin& admin, content::Asset asset, const std::string& primary) {
  const std::optional<std::string> language = admin.context.renderer.FindLanguage(primary);
  if (!language || render::TranslationFor(asset, *language) == nullptr) {
    throw Error(ErrorCode::kNotFound,
                fmt::format("the item has no version in '{}' to preview", primary));
  }
  asset.status = content::Status::kPublished;
  std::vector<int64_t> related_ids;
  for (const content::Related& related : asset.related) {
    if (related.id != 0) related_ids.push_back(related.id);
  }
  const std::vector<store::Headline> related =
      related_ids.empty() ? std::vector<store::Headline>()
                          : admin.context.store.Headlines(related_ids, *language);
  Response response =
      Response::Html(200, admin.context.renderer.ItemPage(asset, *language, related), *language);
  response.SetHeader("X-Robots-Tag", "noindex");
  return response;
}

// A form's "do" asking for a preview ("preview-en"): the primary subtag, else "".
std::string PreviewLanguage(const Form& form) {
  const std::string& action = form.Get("do");
  return action.starts_with("preview-") ? action.substr(8) : std::string();
}

Response NewItem(const Admin& admin, const Call& call) {
  content::Asset asset;
  asset.status = content::Status::kDraft;
  asset.time_zone = admin.context.config.time_zone;
  return EditForm(admin, call, 200, asset, 0, 0, "", "", nullptr);
}

Response CreateItem(const Admin& admin, const Call& call) {
  content::Asset blank;
  blank.status = content::Status::kDraft;
  blank.time_zone = admin.context.config.time_zone;
  blank.published_at = content::Now();
  if (call.form.Get("do") == "related-find") {
    return EditForm(admin, call, 200, blank, 0, 0, "", "", &call.form);
  }
  try {
    content::Asset asset = AssetFromForm(admin, call.form, blank);
    if (const std::string preview = PreviewLanguage(call.form); !preview.empty()) {
      return PreviewPage(admin, std::move(asset), preview);
    }
    const authoring::Item item =
        admin.workflow->Create(call.session.principal, std::move(asset), call.form.Get("note"),
                               call.request.remote_address);
    return Response::Redirect(303, fmt::format("/admin/items/{}?done=created", item.working.id));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput && e.code() != ErrorCode::kConflict) throw;
    return EditForm(admin, call, HttpStatus(e.code()), blank, 0, 0, e.what(), "", &call.form);
  }
}

Response EditItem(const Admin& admin, const Call& call) {
  const authoring::Item item = admin.workflow->Get(call.session.principal, ItemId(call));
  return EditForm(admin, call, 200, item.working, item.working.id, item.head.latest, "", "",
                  nullptr);
}

Response SaveItem(const Admin& admin, const Call& call) {
  const int64_t id = ItemId(call);
  const authoring::Item current = admin.workflow->Get(call.session.principal, id);
  const std::optional<int64_t> base = ParseInteger(call.form.Get("base"), 0, INT64_MAX);
  if (!base) throw Error(ErrorCode::kInvalidInput, "the form has no revision to save against");
  if (call.form.Get("do") == "related-find") {
    return EditForm(admin, call, 200, current.working, id, *base, "", "", &call.form);
  }
  try {
    content::Asset asset = AssetFromForm(admin, call.form, current.working);
    if (const std::string preview = PreviewLanguage(call.form); !preview.empty()) {
      return PreviewPage(admin, std::move(asset), preview);
    }
    if (*base != current.head.latest) {
      // Someone saved after this form was opened: never overwrite their work silently.
      return EditForm(
          admin, call, 409, current.working, id, current.head.latest, "",
          Fill(admin.T("admin.edit.conflict"), {{"revision", std::to_string(current.head.latest)}}),
          &call.form);
    }
    admin.workflow->Save(call.session.principal, id, std::move(asset), *base, call.form.Get("note"),
                         call.request.remote_address);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kConflict) {
      // Another save won the race between our check and the write: the same conflict page.
      const authoring::Item now = admin.workflow->Get(call.session.principal, id);
      if (now.head.latest != *base) {
        return EditForm(
            admin, call, 409, now.working, id, now.head.latest, "",
            Fill(admin.T("admin.edit.conflict"), {{"revision", std::to_string(now.head.latest)}}),
            &call.form);
      }
    }
    if (e.code() != ErrorCode::kInvalidInput && e.code() != ErrorCode::kConflict) throw;
    return EditForm(admin, call, HttpStatus(e.code()), current.working, id, *base, e.what(), "",
                    &call.form);
  }
  return Response::Redirect(303, fmt::format("/admin/items/{}?done=saved", id));
}

// POST /admin/items/{id}/{publish,schedule,unschedule,archive}.
Response StatusAction(const Admin& admin, const Call& call, std::string_view action) {
  const int64_t id = ItemId(call);
  const auth::Principal& actor = call.session.principal;
  const std::string& address = call.request.remote_address;
  const std::optional<int64_t> base = call.form.Get("base").empty()
                                          ? std::nullopt
                                          : ParseInteger(call.form.Get("base"), 0, INT64_MAX);
  if (action == "publish") {
    admin.workflow->Publish(actor, id, base, std::nullopt, address);
  } else if (action == "schedule") {
    const std::optional<content::Instant> at = ParseLocalInput(admin, call.form.Get("at"), "time");
    if (!at) throw Error(ErrorCode::kInvalidInput, "time: give the date and time to publish at");
    admin.workflow->Schedule(actor, id, base, *at, address);
  } else if (action == "unschedule") {
    admin.workflow->Unschedule(actor, id, address);
  } else {
    admin.workflow->Archive(actor, id, address);
  }
  return Response::Redirect(303, fmt::format("/admin/items/{}?done={}", id, action));
}

Response Item(const Admin& admin, const Call& call) {
  const auth::Principal& actor = call.session.principal;
  const authoring::Item item = admin.workflow->Get(actor, ItemId(call));
  const content::Asset& asset = item.working;
  json view{{"title", Fill(admin.T("admin.item.title"), {{"id", std::to_string(asset.id)}})}};
  if (const std::optional<std::string> done = call.request.Query("done")) {
    static const std::map<std::string, std::string, std::less<>> kNotices = {
        {"created", "admin.edit.created"},
        {"saved", "admin.edit.saved"},
        {"publish", "admin.edit.published_notice"},
        {"schedule", "admin.edit.scheduled_notice"},
        {"unschedule", "admin.edit.unscheduled_notice"},
        {"archive", "admin.edit.archived_notice"},
        {"restored", "admin.history.restored"}};
    if (auto it = kNotices.find(*done); it != kNotices.end()) view["notice"] = admin.T(it->second);
  }
  json meta = json::array();
  const auto add = [&](std::string_view key, std::string value) {
    if (!value.empty()) meta.push_back({{"label", admin.T(key)}, {"value", std::move(value)}});
  };
  add("admin.item.id", std::to_string(asset.id));
  add("admin.item.kind", admin.KindLabel(asset.kind));
  add("admin.item.status", admin.StatusLabel(item.status));
  add("admin.item.published", admin.Date(asset.published_at, asset.time_zone) + " (" +
                                  content::ToIso8601(asset.published_at, asset.time_zone) + ")");
  if (asset.modified_at) {
    add("admin.item.modified", admin.Date(*asset.modified_at, asset.time_zone));
  }
  add("admin.item.languages", Join(asset.languages));
  add("admin.item.people", Join(asset.people));
  add("admin.item.tags", Join(asset.tags));
  view["meta"] = std::move(meta);
  if (item.head.latest > 0) {
    view["revision_info"] = Fill(
        admin.T("admin.edit.revision_info"),
        {{"revision", std::to_string(item.head.latest)}, {"live", std::to_string(item.head.live)}});
  }
  view["pending"] = item.pending ? json(admin.T("admin.edit.pending")) : json(false);

  // One column per site language (missing ones say so), then any other translation.
  std::vector<std::string> tags;
  std::set<std::string> shown;
  for (const std::string& tag : admin.context.renderer.languages()) {
    const content::Translation* translation = asset.FindTranslation(content::PrimarySubtag(tag));
    tags.push_back(translation != nullptr ? translation->language : tag);
  }
  for (const auto& [tag, unused] : asset.translations) tags.push_back(tag);
  json columns = json::array();
  json previews = json::array();
  json publics = json::array();
  for (const std::string& tag : tags) {
    if (!shown.insert(tag).second) continue;
    const content::Translation* translation = asset.FindTranslation(tag);
    json column{{"lang", tag},
                {"ui_lang", admin.language},
                {"language_name", content::NativeLanguageName(tag)}};
    if (translation != nullptr) {
      json blocks = json::array();
      for (const content::Block& block : translation->blocks) blocks.push_back(BlockView(block));
      column["present"] =
          json{{"title", translation->title},
               {"slug", translation->slug},
               {"place", translation->place.empty() ? json(false) : json(translation->place)},
               {"summary", translation->summary.empty() ? json(false) : json(translation->summary)},
               {"blocks", blocks}};
      const std::optional<std::string> site_language =
          admin.context.renderer.FindLanguage(content::PrimarySubtag(tag));
      if (site_language) {
        const std::string name = content::NativeLanguageName(tag);
        previews.push_back({{"href", fmt::format("/admin/items/{}/preview?lang={}", asset.id,
                                                 content::PrimarySubtag(tag))},
                            {"label", Fill(admin.T("admin.item.preview"), {{"language", name}})}});
        if (item.status == content::Status::kPublished) {
          publics.push_back(
              {{"href", render::ItemPath(asset.id, *site_language, translation->slug)},
               {"label", Fill(admin.T("admin.item.public"), {{"language", name}})}});
        }
      }
    } else {
      column["present"] = false;
    }
    columns.push_back(std::move(column));
  }
  view["columns"] = std::move(columns);
  view["previews"] = std::move(previews);
  view["public"] = std::move(publics);

  view["edit_href"] = actor.May(auth::Action::kEdit)
                          ? json(fmt::format("/admin/items/{}/edit", asset.id))
                          : json(false);
  json actions = json::array();
  const std::string base = std::to_string(item.head.latest);
  const std::string zone_help =
      Fill(admin.T("admin.edit.schedule_help"), {{"zone", admin.context.config.time_zone}});
  const auto action = [&](std::string_view name, std::string_view label, bool schedule) {
    actions.push_back({{"action", fmt::format("/admin/items/{}/{}", asset.id, name)},
                       {"label", admin.T(label)},
                       {"csrf", call.session.csrf},
                       {"base", base},
                       {"schedule", schedule},
                       {"zone_help", zone_help}});
  };
  if (actor.May(auth::Action::kPublish) &&
      (item.status != content::Status::kPublished || item.pending)) {
    action("publish", "admin.edit.publish", false);
  }
  if (actor.May(auth::Action::kSchedule)) {
    if (item.status == content::Status::kScheduled) {
      action("unschedule", "admin.edit.unschedule", false);
    } else if (item.status != content::Status::kPublished) {
      action("schedule", "admin.edit.schedule", true);
    }
  }
  if (actor.May(auth::Action::kArchive) && item.status != content::Status::kArchived) {
    action("archive", "admin.edit.archive", false);
  }
  view["has_actions"] = !actions.empty();
  view["actions"] = std::move(actions);

  json revisions = json::array();
  if (item.head.latest > 0) {
    for (const store::Revision& revision : admin.workflow->History(actor, asset.id)) {
      revisions.push_back({{"number", std::to_string(revision.number)},
                           {"at", admin.Date(revision.at, admin.context.config.time_zone)},
                           {"author", revision.author},
                           {"note", revision.note}});
    }
  }
  view["has_revisions"] = !revisions.empty();
  view["revisions"] = std::move(revisions);
  view["history_href"] =
      item.head.latest > 0 ? json(fmt::format("/admin/items/{}/history", asset.id)) : json(false);
  return Page(admin, 200, "item", std::move(view), &call.session);
}

// The site's own item page for the item's working copy, as it would be published.
Response Preview(const Admin& admin, const Call& call) {
  const authoring::Item item = admin.workflow->Get(call.session.principal, ItemId(call));
  const std::string primary = call.request.Query("lang").value_or(
      content::PrimarySubtag(admin.context.renderer.default_language()));
  return PreviewPage(admin, item.working, primary);
}

// --- History: revisions, comparison, restore --------------------------------------------------

int64_t RevisionParam(const Call& call) {
  const std::optional<int64_t> n = ParseInteger(call.params.Get("number"), 1, INT64_MAX);
  if (!n) {
    throw Error(ErrorCode::kNotFound, fmt::format("no revision '{}'", call.params.Get("number")));
  }
  return *n;
}

Response History(const Admin& admin, const Call& call) {
  const auth::Principal& actor = call.session.principal;
  const int64_t id = ItemId(call);
  const authoring::Item item = admin.workflow->Get(actor, id);
  const std::vector<store::Revision> history = admin.workflow->History(actor, id);
  const bool may_restore = actor.May(auth::Action::kEdit);
  // Preselected: the newest against the one before it.
  const int64_t to = item.head.latest;
  const int64_t from = to > 1 ? to - 1 : to;
  json revisions = json::array();
  for (const store::Revision& revision : history) {
    const std::string number = std::to_string(revision.number);
    const bool restorable = may_restore && revision.number != item.head.latest;
    revisions.push_back(
        {{"number", number},
         {"at", admin.Date(revision.at, admin.context.config.time_zone)},
         {"author", revision.author},
         {"note", revision.note},
         {"is_latest", revision.number == item.head.latest},
         {"is_live",
          item.status == content::Status::kPublished && revision.number == item.head.live},
         {"from_checked", revision.number == from},
         {"to_checked", revision.number == to},
         {"from_label", Fill(admin.T("admin.history.from_label"), {{"number", number}})},
         {"to_label", Fill(admin.T("admin.history.to_label"), {{"number", number}})},
         {"restore_action",
          restorable ? json(fmt::format("/admin/items/{}/revisions/{}/restore", id, number))
                     : json(false)},
         {"restore_label", Fill(admin.T("admin.history.restore_label"), {{"number", number}})}});
  }
  json view{{"title", Fill(admin.T("admin.history.title"), {{"id", std::to_string(id)}})},
            {"item_href", fmt::format("/admin/items/{}", id)},
            {"diff_action", fmt::format("/admin/items/{}/diff", id)},
            {"csrf", call.session.csrf},
            {"base", std::to_string(item.head.latest)},
            {"has_revisions", !revisions.empty()},
            {"revisions", std::move(revisions)}};
  return Page(admin, 200, "history", std::move(view), &call.session);
}

json DiffLinesView(const Admin& admin, const std::vector<authoring::DiffLine>& lines) {
  json out = json::array();
  for (const authoring::DiffLine& line : lines) {
    json entry{{"text", line.text},
               {"del", line.op == authoring::DiffOp::kDelete},
               {"ins", line.op == authoring::DiffOp::kInsert},
               {"eq", line.op == authoring::DiffOp::kEqual && line.collapsed == 0},
               {"collapsed", false}};
    if (line.collapsed > 0) {
      entry["collapsed"] =
          Fill(admin.T("admin.diff.collapsed"), {{"count", std::to_string(line.collapsed)}});
    }
    out.push_back(std::move(entry));
  }
  return out;
}

json DiffFieldsView(const Admin& admin, const std::vector<authoring::FieldDiff>& fields,
                    bool changed_only) {
  json out = json::array();
  for (const authoring::FieldDiff& field : fields) {
    if (changed_only && !field.changed) continue;
    if (field.lines.empty()) continue;  // empty on both sides
    out.push_back({{"label", admin.T("admin.diff.field." + field.field)},
                   {"lines", DiffLinesView(admin, field.lines)}});
  }
  return out;
}

Response DiffPage(const Admin& admin, const Call& call) {
  const int64_t id = ItemId(call);
  const int64_t from = QueryInteger(call.request, "from", 0, 1, INT64_MAX);
  const int64_t to = QueryInteger(call.request, "to", 0, 1, INT64_MAX);
  if (from == 0 || to == 0) {
    throw Error(ErrorCode::kInvalidInput, "choose the two revisions to compare");
  }
  const authoring::AssetDiff diff = admin.workflow->Diff(call.session.principal, id, from, to);
  json metadata = DiffFieldsView(admin, diff.metadata, true);
  json translations = json::array();
  for (const authoring::TranslationDiff& t : diff.translations) {
    translations.push_back({{"language", t.language},
                            {"language_name", content::NativeLanguageName(t.language)},
                            {"ui_lang", admin.language},
                            {"state", admin.T("admin.diff." + t.state)},
                            {"fields", DiffFieldsView(admin, t.fields, t.state == "unchanged")}});
  }
  json view{{"title", Fill(admin.T("admin.diff.title"), {{"id", std::to_string(id)},
                                                         {"from", std::to_string(from)},
                                                         {"to", std::to_string(to)}})},
            {"summary", admin.T("admin.diff.summary")},
            {"item_href", fmt::format("/admin/items/{}", id)},
            {"history_href", fmt::format("/admin/items/{}/history", id)},
            {"changed", diff.changed()},
            {"has_metadata", !metadata.empty()},
            {"metadata", std::move(metadata)},
            {"translations", std::move(translations)}};
  return Page(admin, 200, "diff", std::move(view), &call.session);
}

Response RestoreRevision(const Admin& admin, const Call& call) {
  const int64_t id = ItemId(call);
  const int64_t number = RevisionParam(call);
  const std::optional<int64_t> base = ParseInteger(call.form.Get("base"), 0, INT64_MAX);
  if (!base) throw Error(ErrorCode::kInvalidInput, "the form has no revision to restore against");
  admin.workflow->Restore(call.session.principal, id, number, *base, call.request.remote_address);
  return Response::Redirect(303, fmt::format("/admin/items/{}?done=restored", id));
}

// --- Users, tokens, audit (admins) ----------------------------------------------------------

std::string Optional(const Admin& admin, const std::optional<content::Instant>& at,
                     std::string_view none_key) {
  return at ? admin.Date(*at, admin.context.config.time_zone)
            : (none_key.empty() ? std::string() : admin.T(none_key));
}

Response UsersPage(const Admin& admin, const Call& call, int status, const std::string& notice,
                   const std::string& error, const std::string& form_name,
                   const std::string& form_role) {
  const std::vector<store::User> users = admin.context.auth->ListUsers(call.session.principal);
  json rows = json::array();
  for (const store::User& user : users) {
    rows.push_back(
        {{"name", user.name},
         {"role", user.role},
         {"state", admin.T(user.disabled ? "admin.users.disabled" : "admin.users.active")},
         {"created", admin.Date(user.created_at, admin.context.config.time_zone)},
         {"last_login", Optional(admin, user.last_login_at, "admin.users.never")},
         {"can_disable", !user.disabled && user.id != call.session.principal.user_id},
         {"disable_action",
          fmt::format("/admin/users/{}/disable", render::PercentEncode(user.name))},
         {"disable_label", Fill(admin.T("admin.users.disable_label"), {{"name", user.name}})}});
  }
  json roles = json::array();
  for (auth::Role role : auth::AllRoles()) {
    const std::string name(auth::RoleName(role));
    roles.push_back({{"value", name}, {"selected", name == form_role}});
  }
  json view{{"title", admin.T("admin.users.title")},
            {"users", std::move(rows)},
            {"roles", std::move(roles)},
            {"form_name", form_name},
            {"csrf", call.session.csrf}};
  if (!notice.empty()) view["notice"] = notice;
  if (!error.empty()) view["error"] = error;
  return Page(admin, status, "users", std::move(view), &call.session);
}

Response Users(const Admin& admin, const Call& call) {
  std::string notice;
  if (std::optional<std::string> added = call.request.Query("added")) {
    notice = Fill(admin.T("admin.users.added"), {{"name", *added}});
  } else if (std::optional<std::string> disabled = call.request.Query("disabled")) {
    notice = Fill(admin.T("admin.users.disabled_notice"), {{"name", *disabled}});
  }
  return UsersPage(admin, call, 200, notice, "", "", "editor");
}

Response AddUser(const Admin& admin, const Call& call) {
  const std::string& name = call.form.Get("name");
  const std::string& role_name = call.form.Get("role");
  try {
    const std::optional<auth::Role> role = auth::ParseRole(role_name);
    if (!role) {
      throw Error(ErrorCode::kInvalidInput, fmt::format("'{}' is not a role", role_name));
    }
    admin.context.auth->AddUser(call.session.principal, name, *role, call.form.Get("password"),
                                call.request.remote_address);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput && e.code() != ErrorCode::kConflict) throw;
    return UsersPage(admin, call, HttpStatus(e.code()), "", e.what(), name, role_name);
  }
  return Response::Redirect(303, "/admin/users?added=" + render::PercentEncode(name));
}

Response DisableUser(const Admin& admin, const Call& call) {
  const std::string& name = call.params.Get("name");
  admin.context.auth->DisableUser(call.session.principal, name, call.request.remote_address);
  return Response::Redirect(303, "/admin/users?disabled=" + render::PercentEncode(name));
}

Response TokensPage(const Admin& admin, const Call& call, int status, const std::string& secret,
                    const std::string& notice, const std::string& error) {
  json rows = json::array();
  for (const auth::TokenListing& listing : admin.context.auth->ListTokens(call.session.principal)) {
    const store::ApiToken& token = listing.token;
    const std::string id = std::to_string(token.id);
    rows.push_back({{"id", id},
                    {"user", listing.user_name},
                    {"label", token.name},
                    {"created", admin.Date(token.created_at, admin.context.config.time_zone)},
                    {"last_used", Optional(admin, token.last_used_at, "admin.users.never")},
                    {"revoked", Optional(admin, token.revoked_at, "")},
                    {"can_revoke", !token.revoked_at.has_value()},
                    {"revoke_action", fmt::format("/admin/tokens/{}/revoke", token.id)},
                    {"revoke_label", Fill(admin.T("admin.tokens.revoke_label"), {{"id", id}})}});
  }
  json users = json::array();
  if (call.session.principal.May(auth::Action::kManageUsers)) {
    for (const store::User& user : admin.context.auth->ListUsers(call.session.principal)) {
      if (!user.disabled) users.push_back(user.name);
    }
  }
  json view{{"title", admin.T("admin.tokens.title")},
            {"tokens", std::move(rows)},
            {"users", std::move(users)},
            {"csrf", call.session.csrf},
            {"secret", secret.empty() ? json(false) : json(secret)}};
  if (!notice.empty()) view["notice"] = notice;
  if (!error.empty()) view["error"] = error;
  return Page(admin, status, "tokens", std::move(view), &call.session);
}

Response Tokens(const Admin& admin, const Call& call) {
  std::string notice;
  if (std::optional<std::string> revoked = call.request.Query("revoked")) {
    notice = Fill(admin.T("admin.tokens.revoked_notice"), {{"id", *revoked}});
  }
  return TokensPage(admin, call, 200, "", notice, "");
}

Response CreateToken(const Admin& admin, const Call& call) {
  try {
    const auth::NewToken token =
        admin.context.auth->CreateToken(call.session.principal, call.form.Get("user"),
                                        call.form.Get("label"), call.request.remote_address);
    // The secret is on this page only (never in a URL, never stored): no redirect.
    return TokensPage(admin, call, 201, token.secret, "", "");
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput && e.code() != ErrorCode::kConflict &&
        e.code() != ErrorCode::kNotFound) {
      throw;
    }
    return TokensPage(admin, call, HttpStatus(e.code()), "", "", e.what());
  }
}

Response RevokeToken(const Admin& admin, const Call& call) {
  const std::optional<int64_t> id = ParseInteger(call.params.Get("id"), 1, INT64_MAX);
  if (!id) throw Error(ErrorCode::kNotFound, "no such token");
  admin.context.auth->RevokeToken(call.session.principal, *id, call.request.remote_address);
  return Response::Redirect(303, fmt::format("/admin/tokens?revoked={}", *id));
}

// --- Media library (media_routes.h) -----------------------------------------------------------

Response MediaPage(const Admin& admin, const Call& call, int status, const std::string& notice,
                   const std::string& error) {
  constexpr int64_t kPerPage = 50;
  const int64_t page = QueryInteger(call.request, "page", 1, 1, 1'000'000);
  const store::MediaPage listed = admin.context.store.ListMedia((page - 1) * kPerPage, kPerPage);
  json files = json::array();
  for (const store::MediaRecord& r : listed.files) {
    files.push_back(
        {{"url", MediaUrl(r.file)},
         {"thumbnail",
          content::IsImageType(r.file.type) ? json(MediaThumbnailUrl(r.file)) : json(false)},
         {"name", r.file.name},
         {"type", r.file.type},
         {"bytes", std::to_string(r.file.bytes)},
         {"size",
          r.file.width > 0 ? json(fmt::format("{}×{}", r.file.width, r.file.height)) : json(false)},
         {"hash", r.file.hash},
         {"uploaded", admin.Date(r.uploaded_at, admin.context.config.time_zone)},
         {"by", r.uploaded_by}});
  }
  json view{
      {"title", admin.T("admin.media.title")},
      {"has_files", !files.empty()},
      {"files", std::move(files)},
      {"csrf", call.session.csrf},
      {"limit", Fill(admin.T("admin.media.limit"),
                     {{"max", std::to_string(admin.context.config.media_max_bytes)}})},
      {"newer", page > 1 ? json(fmt::format("/admin/media?page={}", page - 1)) : json(false)},
      {"older", page * kPerPage < listed.total ? json(fmt::format("/admin/media?page={}", page + 1))
                                               : json(false)}};
  if (!notice.empty()) view["notice"] = notice;
  if (!error.empty()) view["error"] = error;
  return Page(admin, status, "media", std::move(view), &call.session);
}

Response MediaLibrary(const Admin& admin, const Call& call) {
  std::string notice;
  if (std::optional<std::string> name = call.request.Query("uploaded")) {
    notice = Fill(admin.T("admin.media.uploaded"), {{"name", *name}});
  }
  return MediaPage(admin, call, 200, notice, "");
}

// The upload form's POST: the form's CSRF field was checked (ParseForm reads multipart
// fields); the file part is read here. A refusal shows the library again with the reason.
Response UploadMedia(const Admin& admin, const Call& call) {
  try {
    const std::optional<std::string> boundary =
        MultipartBoundary(call.request.Header("Content-Type").value_or(""));
    if (!boundary) throw Error(ErrorCode::kInvalidInput, "the form must be sent as a file upload");
    const std::vector<MultipartPart> parts = ParseMultipart(call.request.body, *boundary);
    const MultipartPart* file = FindPart(parts, "file");
    if (file == nullptr || !file->filename || file->filename->empty()) {
      throw Error(ErrorCode::kInvalidInput, admin.T("admin.media.no_file"));
    }
    const content::MediaFile stored = StoreUpload(admin.context, call.session.principal, file->body,
                                                  *file->filename, call.request.remote_address);
    return Response::Redirect(303, "/admin/media?uploaded=" + render::PercentEncode(stored.name));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput && e.code() != ErrorCode::kTooLarge) throw;
    return MediaPage(admin, call, HttpStatus(e.code()), "", e.what());
  }
}

Response Audit(const Admin& admin, const Call& call) {
  store::AuditQuery query;
  query.before_id = QueryInteger(call.request, "before", 0, 1, INT64_MAX);
  query.limit = kAuditPageSize;
  const store::AuditPage page = admin.context.auth->ReadAudit(call.session.principal, query);
  json entries = json::array();
  for (const store::AuditEntry& entry : page.entries) {
    entries.push_back({{"at", admin.Date(entry.at, admin.context.config.time_zone)},
                       {"actor", entry.actor},
                       {"action", entry.action},
                       {"target", entry.target},
                       {"address", entry.address},
                       {"detail", entry.detail}});
  }
  json view{{"title", admin.T("admin.audit.title")},
            {"has_entries", !entries.empty()},
            {"entries", std::move(entries)},
            {"newest", query.before_id != 0},
            {"older", page.next_before_id != 0
                          ? json(fmt::format("/admin/audit?before={}", page.next_before_id))
                          : json(false)}};
  return Page(admin, 200, "audit", std::move(view), &call.session);
}

}  // namespace

void AddAdminRoutes(Router& router, const Context& context) {
  auto admin = std::make_shared<const AdminLanguages>(context);
  router.Get("/admin", [](const Request&, const RouteParams&) {
    return NoStore(Response::Redirect(301, "/admin/"));
  });
  router.Get("/admin/login", [admin](const Request& request, const RouteParams&) {
    return admin->Serve(request, [&](const Admin& ui) { return LoginGet(ui, request); });
  });
  router.Add("/admin/login", {"POST"}, [admin](const Request& request, const RouteParams&) {
    return admin->Serve(request, [&](const Admin& ui) { return LoginPost(ui, request); });
  });
  const auto add = [&](std::string_view pattern, std::string method,
                       std::optional<auth::Action> action, SessionHandler handler) {
    router.Add(pattern, {std::move(method)}, Protected(admin, action, std::move(handler)));
  };
  using auth::Action;
  add("/admin/logout", "POST", std::nullopt, Logout);
  add("/admin/", "GET", Action::kReadDraft, Items);
  add("/admin/items/new", "GET", Action::kCreate, NewItem);
  add("/admin/items", "POST", Action::kCreate, CreateItem);
  add("/admin/items/{id}", "GET", Action::kReadDraft, Item);
  add("/admin/items/{id}/preview", "GET", Action::kReadDraft, Preview);
  add("/admin/items/{id}/edit", "GET", Action::kEdit, EditItem);
  add("/admin/items/{id}/edit", "POST", Action::kEdit, SaveItem);
  add("/admin/items/{id}/history", "GET", Action::kReadDraft, History);
  add("/admin/items/{id}/diff", "GET", Action::kReadDraft, DiffPage);
  add("/admin/items/{id}/revisions/{number}/restore", "POST", Action::kEdit, RestoreRevision);
  for (const auto& [name, needed] :
       {std::pair{"publish", Action::kPublish}, std::pair{"schedule", Action::kSchedule},
        std::pair{"unschedule", Action::kSchedule}, std::pair{"archive", Action::kArchive}}) {
    add(fmt::format("/admin/items/{{id}}/{}", name), "POST", needed,
        [action = std::string(name)](const Admin& admin, const Call& call) {
          return StatusAction(admin, call, action);
        });
  }
  add("/admin/users", "GET", Action::kManageUsers, Users);
  add("/admin/users", "POST", Action::kManageUsers, AddUser);
  add("/admin/users/{name}/disable", "POST", Action::kManageUsers, DisableUser);
  add("/admin/tokens", "GET", Action::kManageTokens, Tokens);
  add("/admin/tokens", "POST", Action::kManageTokens, CreateToken);
  add("/admin/tokens/{id}/revoke", "POST", Action::kManageTokens, RevokeToken);
  add("/admin/audit", "GET", Action::kViewAudit, Audit);
  add("/admin/media", "GET", Action::kUploadMedia, MediaLibrary);
  add("/admin/media", "POST", Action::kUploadMedia, UploadMedia);
  // Anything else under /admin/: behind the login like the rest, then a 404 page.
  add("/admin/{rest...}", "GET", std::nullopt, [](const Admin&, const Call&) -> Response {
    throw Error(ErrorCode::kNotFound, "no such page");
  });
}

}  // namespace assetpub::http
