#pragma once
// Test support only: what the tests of the App's write routes stand on: a real SQLite store and
// its accounts in the test's own folder, an Authenticator over them (password rules relaxed by
// PasswordLimits::ForTestsOnly), and API tokens of new users. Header-only; one per test.

#include <filesystem>
#include <memory>
#include <string>

#include "auth/authenticator.h"
#include "store/accounts.h"
#include "store/store.h"

namespace assetpub::web::testing {

struct StoreWithAccounts {
  // Opens (creating) DIR/assetpub.db as the store and its accounts. `options.password` is
  // replaced by the tests' limits.
  explicit StoreWithAccounts(const std::filesystem::path& dir, auth::AuthOptions options = {}) {
    const std::string url = "sqlite:" + (dir / "assetpub.db").string();
    store = store::OpenStore(url);
    accounts = store::OpenAccounts(url);
    options.password = auth::PasswordLimits::ForTestsOnly();
    auth = std::make_unique<auth::Authenticator>(*accounts, options);
  }

  // Adds the user `name` with `role` and returns the secret of a new API token of theirs.
  std::string Token(const std::string& name, auth::Role role) {
    const auth::Principal root = auth::Authenticator::Operator();
    auth->AddUser(root, name, role, "a long enough pass phrase 42", "local");
    return auth->CreateToken(root, name, "tests", "local").secret;
  }

  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::Accounts> accounts;
  std::unique_ptr<auth::Authenticator> auth;
};

}  // namespace assetpub::web::testing
