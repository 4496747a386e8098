#include "render/admin_pages.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "support/temp_dir.h"

namespace assetpub::render {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::filesystem::path kSource = ASSETPUB_SOURCE_DIR;

AdminPages Load(const std::string& primary, const std::string& tag) {
  return AdminPages(kSource, LocaleStrings::Load(kSource / "locales" / (primary + ".toml")), tag);
}

nlohmann::json HostileView() {
  const std::string evil = "<script>alert(\"x\")</script>&";
  nlohmann::json user{
      {"name", evil}, {"role", "admin"}, {"csrf", evil}, {"is_admin", true}, {"can_create", true}};
  nlohmann::json row{{"id", "1"},
                     {"href", "/admin/items/1"},
                     {"title", evil},
                     {"status", "draft"},
                     {"status_label", evil},
                     {"kind", evil},
                     {"date", evil},
                     {"languages", evil},
                     {"name", evil},
                     {"label", evil},
                     {"value", evil},
                     {"user", evil},
                     {"actor", evil},
                     {"detail", evil},
                     {"can_disable", true},
                     {"can_revoke", true}};
  return nlohmann::json{
      {"title", evil},    {"error", evil},  {"notice", evil},    {"text", evil},
      {"user", user},     {"csrf", evil},   {"name", evil},      {"next", evil},
      {"secret", evil},   {"items", {row}}, {"users", {row}},    {"tokens", {row}},
      {"entries", {row}}, {"meta", {row}},  {"has_items", true}, {"has_entries", true}};
}

TEST(AdminPages, EveryPageRendersInEveryLocaleWithItsStrings) {
  for (const auto& [primary, tag, title] :
       {std::tuple{"en", "en-GB", "Editors&apos; desk"}, {"ru", "ru-RU", "Редакция"}}) {
    const AdminPages pages = Load(primary, tag);
    for (const char* name : AdminPages::kPages) {
      const std::string html = pages.Page(name, nlohmann::json{{"title", "T"}});
      EXPECT_THAT(html, HasSubstr("<html lang=\"" + std::string(tag) + "\" dir=\"ltr\">")) << name;
      EXPECT_THAT(html, HasSubstr(title)) << name;
      EXPECT_THAT(html, HasSubstr("/static/css/admin.css?v=")) << name;
      EXPECT_THAT(html, Not(HasSubstr("{{"))) << name;
    }
  }
}

TEST(AdminPages, EscapesEveryValueOfTheViewModel) {
  const AdminPages pages = Load("en", "en-GB");
  for (const char* name : AdminPages::kPages) {
    const std::string html = pages.Page(name, HostileView());
    EXPECT_THAT(html, Not(HasSubstr("<script"))) << name;
    EXPECT_THAT(html, Not(HasSubstr("alert(\"x\")"))) << name;
    EXPECT_THAT(html, HasSubstr("&lt;script&gt;")) << name;
  }
}

TEST(AdminPages, TheLayoutShowsTheUsersNavigationAndLogoutFormOnlyWithAUser) {
  const AdminPages pages = Load("en", "en-GB");
  const std::string anonymous = pages.Page("login", nlohmann::json{{"title", "Log in"}});
  EXPECT_THAT(anonymous, Not(HasSubstr("/admin/logout")));
  nlohmann::json view{{"title", "Items"},
                      {"user",
                       {{"name", "bob"},
                        {"role", "editor"},
                        {"csrf", "TOKEN"},
                        {"is_admin", false},
                        {"can_create", true}}}};
  const std::string editor = pages.Page("items", view);
  EXPECT_THAT(editor, HasSubstr("action=\"/admin/logout\""));
  EXPECT_THAT(editor, HasSubstr("name=\"csrf\" value=\"TOKEN\""));
  EXPECT_THAT(editor, Not(HasSubstr("/admin/users")));
  view["user"]["is_admin"] = true;
  EXPECT_THAT(pages.Page("items", view), HasSubstr("/admin/users"));
}

TEST(AdminPages, AMissingTemplateIsNamed) {
  assetpub::testing::TempDir temp("admin-pages-");
  std::filesystem::create_directories(temp.path() / "templates" / "admin");
  std::filesystem::create_directories(temp.path() / "static" / "css");
  std::ofstream(temp.path() / "static" / "css" / "admin.css") << "body{}";
  try {
    AdminPages(temp.path(), LocaleStrings::Load(kSource / "locales" / "en.toml"), "en-GB");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_THAT(e.what(), HasSubstr(".mustache"));
  }
}

}  // namespace
}  // namespace assetpub::render
