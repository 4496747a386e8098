#pragma once
// AdminPages renders the editors' UI (/admin/): templates/admin/NAME.mustache, each inside
// templates/admin/layout.mustache, from a JSON view model the handler builds, with the UI
// strings of the [admin] section of one locale (under "t": {{t.admin.login.title}}). Every
// value of the view model is text and is HTML-escaped by the templates ({{x}}); the only raw
// insertion is the page's own rendered template into the layout. Loaded once at construction;
// immutable afterwards: one AdminPages serves all threads at once.

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "render/locale_strings.h"

namespace assetpub::render {

class AdminPages {
 public:
  // Every template the admin UI has, besides "layout".
  static constexpr const char* kPages[] = {"login",   "items", "item",    "users",
                                           "tokens",  "audit", "message", "edit",
                                           "history", "diff",  "media",   "redirects"};

  // Reads templates/admin/*.mustache under `resources_dir` and fingerprints
  // static/css/admin.css. `strings` are the UI strings of `language` (a full tag, for the
  // pages' lang attribute); it is copied. Throws Error(kInvalidInput) naming the file when a
  // template or the stylesheet is missing or a template does not parse, or when `strings` has
  // no [admin] section.
  AdminPages(const std::filesystem::path& resources_dir, const LocaleStrings& strings,
             std::string language);
  ~AdminPages();
  AdminPages(AdminPages&&) noexcept;
  AdminPages& operator=(AdminPages&&) noexcept;

  // The page `name` (one of kPages) rendered with `view`, inside the layout. The layout reads
  // from `view`: "title" (the <title> and <h1>), "notice" and "error" (messages shown above the
  // content, may be absent), and "user" (absent on the login page: {"name", "role", "csrf",
  // "is_admin", "can_create"}) for the navigation and the logout form. JSON null and absent keys
  // are false in sections; numbers are shown as written. Throws Error(kInternal) when a template
  // fails to render (a broken template, caught at start-up in tests).
  std::string Page(std::string_view name, const nlohmann::json& view) const;

  // The text of a string of the locale ("admin.login.failed"); "?" for a key it lacks.
  const std::string& Text(std::string_view key) const;
  const std::string& language() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace assetpub::render
