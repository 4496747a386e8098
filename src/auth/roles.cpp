#include "auth/roles.h"

#include <array>

namespace assetpub::auth {
namespace {

struct Permission {
  Action action;
  bool editor;
  bool publisher;
  bool admin;
};

// The table: one row per Action, in declaration order (checked at compile time below).
// Deleting an item is rarer and more final than archiving it: publishers archive, only admins
// delete.
// clang-format off
constexpr std::array<Permission, 12> kPermissions = {{
    //                          editor publisher admin
    {Action::kReadDraft,         true,  true,     true},
    {Action::kCreate,            true,  true,     true},
    {Action::kEdit,              true,  true,     true},
    {Action::kPublish,           false, true,     true},
    {Action::kSchedule,          false, true,     true},
    {Action::kArchive,           false, true,     true},
    {Action::kDelete,            false, false,    true},
    {Action::kManageUsers,       false, false,    true},
    {Action::kManageTokens,      false, false,    true},
    {Action::kManagePublishers,  false, false,    true},
    {Action::kViewAudit,         false, false,    true},
    {Action::kUploadMedia,       true,  true,     true},
}};
// clang-format on

constexpr bool RowsInActionOrder() {
  for (size_t i = 0; i < kPermissions.size(); ++i) {
    if (static_cast<size_t>(kPermissions[i].action) != i) return false;
  }
  return true;
}
static_assert(RowsInActionOrder(), "kPermissions: one row per Action, in declaration order");
static_assert(static_cast<size_t>(Action::kUploadMedia) + 1 == kPermissions.size(),
              "kPermissions: every Action needs a row");

}  // namespace

bool Allows(Role role, Action action) {
  const auto index = static_cast<size_t>(action);
  if (index >= kPermissions.size()) return false;  // not an Action: deny
  const Permission& row = kPermissions[index];
  switch (role) {
    case Role::kEditor:
      return row.editor;
    case Role::kPublisher:
      return row.publisher;
    case Role::kAdmin:
      return row.admin;
  }
  return false;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kEditor:
      return "editor";
    case Role::kPublisher:
      return "publisher";
    case Role::kAdmin:
      return "admin";
  }
  return "editor";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : AllRoles()) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> roles = {Role::kEditor, Role::kPublisher, Role::kAdmin};
  return roles;
}

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kReadDraft:
      return "read_draft";
    case Action::kCreate:
      return "create";
    case Action::kEdit:
      return "edit";
    case Action::kPublish:
      return "publish";
    case Action::kSchedule:
      return "schedule";
    case Action::kArchive:
      return "archive";
    case Action::kDelete:
      return "delete";
    case Action::kManageUsers:
      return "manage_users";
    case Action::kManageTokens:
      return "manage_tokens";
    case Action::kManagePublishers:
      return "manage_publishers";
    case Action::kViewAudit:
      return "view_audit";
    case Action::kUploadMedia:
      return "upload_media";
  }
  return "";
}

const std::vector<Action>& AllActions() {
  static const std::vector<Action> actions = [] {
    std::vector<Action> out;
    out.reserve(kPermissions.size());
    for (const Permission& row : kPermissions) out.push_back(row.action);
    return out;
  }();
  return actions;
}

}  // namespace assetpub::auth
