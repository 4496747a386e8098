#pragma once
// Who may do what: the roles, the actions of the write side, and the one table that joins them
// (Allows). Every permission check of the write API and the admin UI goes through Allows; there
// is no other place that knows what a role may do. Anonymous visitors have no role: they read
// published items only, which needs no check here. Thread-safe: pure functions over constants.

#include <optional>
#include <string_view>
#include <vector>

namespace assetpub::auth {

// Each role may do everything the one before it may, and more.
enum class Role {
  kEditor,     // creates and edits drafts
  kPublisher,  // also publishes, schedules, archives
  kAdmin,      // also manages users, tokens and the publishers' configuration; reads the audit log
};

// When adding an action: give it a row in kPermissions (roles.cpp), a name in ActionName, and a
// row in the expected table of auth_test.cpp (PermissionTable).
enum class Action {
  kReadDraft,         // see unpublished items (drafts, scheduled, archived)
  kCreate,            // create a draft
  kEdit,              // edit an item (its draft)
  kPublish,           // make an item public now
  kSchedule,          // set an item to be published later
  kArchive,           // take an item down (archived)
  kDelete,            // remove an item for good
  kManageUsers,       // add, disable users; change roles
  kManageTokens,      // create, list, revoke API tokens
  kManagePublishers,  // change the publishers' (lists') configuration
  kViewAudit,         // read the audit log
  kUploadMedia,       // add files to the media library (and list it)
};

// True when `role` may perform `action`.
bool Allows(Role role, Action action);

// "editor", "publisher", "admin": how a role is stored and typed on the command line.
std::string_view RoleName(Role role);
// The role of that name (exactly as RoleName gives it); nullopt for anything else.
std::optional<Role> ParseRole(std::string_view name);
// Every role, in order (editor, publisher, admin).
const std::vector<Role>& AllRoles();

// "read_draft", "create", … "view_audit".
std::string_view ActionName(Action action);
// Every action, in declaration order.
const std::vector<Action>& AllActions();

}  // namespace assetpub::auth
