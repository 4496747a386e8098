// One conformance suite for every Accounts backend (STYLE.md: never a copy per backend), like
// store_conformance_test.cpp. A backend joins by adding a factory to kBackends
// (store/testing/conformance.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "store/accounts.h"
#include "store/store.h"
#include "store/testing/conformance.h"
#include "support/temp_dir.h"

namespace assetpub::store {
namespace {

using content::Instant;
using ::testing::ElementsAre;

class AccountsConformance : public ::testing::TestWithParam<conformance::Backend> {
 protected:
  void SetUp() override { accounts_ = OpenAccounts(GetParam().url(temp_.path())); }

  int64_t AddUser(const std::string& name, const std::string& role = "editor") {
    User user;
    user.name = name;
    user.role = role;
    user.password_hash = "$argon2id$hash-of-" + name;
    user.created_at = Instant{1000};
    return accounts_->AddUser(user);
  }
  int64_t AddToken(int64_t user_id, const std::string& hash) {
    ApiToken token;
    token.user_id = user_id;
    token.name = "label";
    token.hash = hash;
    token.created_at = Instant{2000};
    return accounts_->AddToken(token);
  }
  void AddSession(int64_t user_id, const std::string& id_hash, int64_t created, int64_t seen) {
    accounts_->AddSession(Session{id_hash, user_id, Instant{created}, Instant{seen}, "10.0.0.1"});
  }

  const assetpub::testing::TempDir temp_{"assetpub-accounts-"};
  std::unique_ptr<Accounts> accounts_;
};

ErrorCode CodeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no Error thrown";
  return ErrorCode::kInternal;
}

TEST_P(AccountsConformance, AddedUserIsFoundByNameAndIdWithEveryField) {
  const int64_t id = AddUser("alice", "publisher");
  EXPECT_GT(id, 0);
  const auto by_name = accounts_->FindUser("alice");
  ASSERT_TRUE(by_name);
  EXPECT_EQ(by_name->id, id);
  EXPECT_EQ(by_name->name, "alice");
  EXPECT_EQ(by_name->role, "publisher");
  EXPECT_EQ(by_name->password_hash, "$argon2id$hash-of-alice");
  EXPECT_FALSE(by_name->disabled);
  EXPECT_EQ(by_name->created_at, Instant{1000});
  EXPECT_FALSE(by_name->last_login_at);
  const auto by_id = accounts_->GetUser(id);
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->name, "alice");
  EXPECT_FALSE(accounts_->FindUser("bob"));
  EXPECT_FALSE(accounts_->GetUser(id + 100));
}

TEST_P(AccountsConformance, DuplicateUserNameIsRefusedIgnoringAsciiCase) {
  AddUser("Alice");
  EXPECT_EQ(CodeOf([&] { AddUser("Alice"); }), ErrorCode::kConflict);
  EXPECT_EQ(CodeOf([&] { AddUser("alice"); }), ErrorCode::kConflict);
  EXPECT_EQ(CodeOf([&] { AddUser(""); }), ErrorCode::kInvalidInput);
  // Lookups ignore ASCII case too, and give back the name as created.
  ASSERT_TRUE(accounts_->FindUser("ALICE"));
  EXPECT_EQ(accounts_->FindUser("ALICE")->name, "Alice");
  EXPECT_EQ(accounts_->ListUsers().size(), 1u);
}

TEST_P(AccountsConformance, ListUsersIsByName) {
  AddUser("carol");
  AddUser("alice");
  AddUser("bob");
  std::vector<std::string> names;
  for (const auto& user : accounts_->ListUsers()) names.push_back(user.name);
  EXPECT_THAT(names, ElementsAre("alice", "bob", "carol"));
}

TEST_P(AccountsConformance, PasswordHashAndLastLoginAreUpdated) {
  const int64_t id = AddUser("alice");
  accounts_->SetPasswordHash(id, "$argon2id$new");
  accounts_->RecordLogin(id, Instant{5000});
  const auto user = accounts_->GetUser(id);
  EXPECT_EQ(user->password_hash, "$argon2id$new");
  EXPECT_EQ(user->last_login_at, Instant{5000});
  EXPECT_EQ(CodeOf([&] { accounts_->SetPasswordHash(id + 100, "x"); }), ErrorCode::kNotFound);
}

TEST_P(AccountsConformance, TokenIsFoundByItsHashAndRevokedOnce) {
  const int64_t user = AddUser("alice");
  const int64_t id = AddToken(user, "hash-1");
  const auto token = accounts_->FindTokenByHash("hash-1");
  ASSERT_TRUE(token);
  EXPECT_EQ(token->id, id);
  EXPECT_EQ(token->user_id, user);
  EXPECT_EQ(token->name, "label");
  EXPECT_EQ(token->created_at, Instant{2000});
  EXPECT_FALSE(token->last_used_at);
  EXPECT_FALSE(token->revoked_at);
  EXPECT_FALSE(accounts_->FindTokenByHash("hash-2"));

  accounts_->TouchToken(id, Instant{2500});
  EXPECT_EQ(accounts_->GetToken(id)->last_used_at, Instant{2500});

  EXPECT_TRUE(accounts_->RevokeToken(id, Instant{3000}));
  EXPECT_FALSE(accounts_->RevokeToken(id, Instant{4000}));
  // Still listed and found, with the first revocation time.
  EXPECT_EQ(accounts_->FindTokenByHash("hash-1")->revoked_at, Instant{3000});
  ASSERT_EQ(accounts_->ListTokens().size(), 1u);
  EXPECT_EQ(CodeOf([&] { accounts_->RevokeToken(id + 100, Instant{3000}); }), ErrorCode::kNotFound);
}

TEST_P(AccountsConformance, TokenHashIsUniqueAndItsUserMustExist) {
  const int64_t user = AddUser("alice");
  AddToken(user, "hash-1");
  EXPECT_EQ(CodeOf([&] { AddToken(user, "hash-1"); }), ErrorCode::kConflict);
  EXPECT_EQ(CodeOf([&] { AddToken(user + 100, "hash-2"); }), ErrorCode::kNotFound);
  EXPECT_EQ(accounts_->ListTokens().size(), 1u);
}

TEST_P(AccountsConformance, SessionsAreAddedTouchedAndDeleted) {
  const int64_t user = AddUser("alice");
  AddSession(user, "s1", 100, 100);
  const auto session = accounts_->FindSession("s1");
  ASSERT_TRUE(session);
  EXPECT_EQ(session->user_id, user);
  EXPECT_EQ(session->created_at, Instant{100});
  EXPECT_EQ(session->address, "10.0.0.1");
  accounts_->TouchSession("s1", Instant{150});
  EXPECT_EQ(accounts_->FindSession("s1")->last_seen_at, Instant{150});
  EXPECT_EQ(CodeOf([&] { AddSession(user, "s1", 1, 1); }), ErrorCode::kConflict);
  EXPECT_EQ(CodeOf([&] { AddSession(user + 100, "s2", 1, 1); }), ErrorCode::kNotFound);
  EXPECT_TRUE(accounts_->DeleteSession("s1"));
  EXPECT_FALSE(accounts_->DeleteSession("s1"));
  EXPECT_FALSE(accounts_->FindSession("s1"));
}

TEST_P(AccountsConformance, ExpiredSessionsAreDeletedByIdleOrAbsoluteAge) {
  const int64_t user = AddUser("alice");
  AddSession(user, "fresh", 900, 990);
  AddSession(user, "idle", 900, 400);
  AddSession(user, "old", 100, 995);
  EXPECT_EQ(accounts_->DeleteExpiredSessions(Instant{500}, Instant{200}), 2);
  EXPECT_TRUE(accounts_->FindSession("fresh"));
  EXPECT_FALSE(accounts_->FindSession("idle"));
  EXPECT_FALSE(accounts_->FindSession("old"));
}

TEST_P(AccountsConformance, DisablingAUserDeletesSessionsAndRevokesTokens) {
  const int64_t alice = AddUser("alice");
  const int64_t bob = AddUser("bob");
  AddSession(alice, "a1", 1, 1);
  AddSession(alice, "a2", 1, 1);
  AddSession(bob, "b1", 1, 1);
  const int64_t a_token = AddToken(alice, "ha");
  const int64_t old_token = AddToken(alice, "hold");
  accounts_->RevokeToken(old_token, Instant{10});
  const int64_t b_token = AddToken(bob, "hb");

  const auto result = accounts_->DisableUser(alice, Instant{50});
  EXPECT_EQ(result.sessions_deleted, 2);
  EXPECT_EQ(result.tokens_revoked, 1);
  EXPECT_TRUE(accounts_->GetUser(alice)->disabled);
  EXPECT_FALSE(accounts_->FindSession("a1"));
  EXPECT_FALSE(accounts_->FindSession("a2"));
  EXPECT_EQ(accounts_->GetToken(a_token)->revoked_at, Instant{50});
  EXPECT_EQ(accounts_->GetToken(old_token)->revoked_at, Instant{10});
  // Bob is untouched.
  EXPECT_FALSE(accounts_->GetUser(bob)->disabled);
  EXPECT_TRUE(accounts_->FindSession("b1"));
  EXPECT_FALSE(accounts_->GetToken(b_token)->revoked_at);
  EXPECT_EQ(CodeOf([&] { accounts_->DisableUser(bob + 100, Instant{50}); }), ErrorCode::kNotFound);
}

// The login throttle's keys (auth/rate_limiter.h): an account at an address ("p:NAME|ADDRESS",
// with IPv6 colons) and an address, each counted on its own, on every backend: a
// guesser's failures at one address leave the same account at another untouched.
TEST_P(AccountsConformance, LoginFailuresOfAnAccountAtOneAddressAreApartFromOtherAddresses) {
  for (int i = 0; i < 5; ++i) {
    accounts_->RecordLoginFailure({"p:alice|203.0.113.9", "i:203.0.113.9"}, Instant{100 + i});
  }
  accounts_->RecordLoginFailure({"p:alice|2001:db8::1", "i:2001:db8::1"}, Instant{200});
  EXPECT_EQ(accounts_->CountLoginFailures("p:alice|203.0.113.9", Instant{0}, 5).count, 5);
  EXPECT_EQ(accounts_->CountLoginFailures("p:alice|203.0.113.9", Instant{0}, 5).oldest,
            Instant{100});
  EXPECT_EQ(accounts_->CountLoginFailures("p:alice|2001:db8::1", Instant{0}, 5).count, 1);
  EXPECT_EQ(accounts_->CountLoginFailures("p:alice|10.0.0.7", Instant{0}, 5).count, 0);
  EXPECT_EQ(accounts_->CountLoginFailures("i:203.0.113.9", Instant{0}, 20).count, 5);
  // A success clears the pair, not the address nor the account's other pairs.
  accounts_->ClearLoginFailures("p:alice|203.0.113.9");
  EXPECT_EQ(accounts_->CountLoginFailures("p:alice|203.0.113.9", Instant{0}, 5).count, 0);
  EXPECT_EQ(accounts_->CountLoginFailures("i:203.0.113.9", Instant{0}, 20).count, 5);
  EXPECT_EQ(accounts_->CountLoginFailures("p:alice|2001:db8::1", Instant{0}, 5).count, 1);
}

TEST_P(AccountsConformance, LoginFailuresAreCountedPerKeySinceAnInstant) {
  accounts_->RecordLoginFailure({"a:alice", "i:10.0.0.1"}, Instant{100});
  accounts_->RecordLoginFailure({"a:alice", "i:10.0.0.1"}, Instant{100});  // the same second
  accounts_->RecordLoginFailure({"a:alice", "i:10.0.0.2"}, Instant{200});
  accounts_->RecordLoginFailure({"a:bob", "i:10.0.0.1"}, Instant{300});
  accounts_->RecordLoginFailure({}, Instant{400});

  const LoginFailureCount alice = accounts_->CountLoginFailures("a:alice", Instant{0}, 10);
  EXPECT_EQ(alice.count, 3);
  EXPECT_EQ(alice.oldest, Instant{100});
  // `since` is inclusive.
  const LoginFailureCount recent = accounts_->CountLoginFailures("a:alice", Instant{200}, 10);
  EXPECT_EQ(recent.count, 1);
  EXPECT_EQ(recent.oldest, Instant{200});
  EXPECT_EQ(accounts_->CountLoginFailures("a:alice", Instant{201}, 10).count, 0);
  EXPECT_FALSE(accounts_->CountLoginFailures("a:alice", Instant{201}, 10).oldest);
  EXPECT_EQ(accounts_->CountLoginFailures("i:10.0.0.1", Instant{0}, 10).count, 3);
  EXPECT_EQ(accounts_->CountLoginFailures("i:10.0.0.1", Instant{0}, 10).oldest, Instant{100});
  EXPECT_EQ(accounts_->CountLoginFailures("a:bob", Instant{0}, 10).oldest, Instant{300});
  // Keys are compared bytewise: case folding is the caller's business.
  EXPECT_EQ(accounts_->CountLoginFailures("a:Alice", Instant{0}, 10).count, 0);
  EXPECT_EQ(accounts_->CountLoginFailures("nobody", Instant{0}, 10).count, 0);
  EXPECT_EQ(CodeOf([&] { accounts_->CountLoginFailures("a:alice", Instant{0}, 0); }),
            ErrorCode::kInvalidInput);
}

TEST_P(AccountsConformance, CountingStopsAtTheLimitWithTheOldestOfTheNewest) {
  for (int64_t at : {10, 20, 30, 40, 50}) accounts_->RecordLoginFailure({"k"}, Instant{at});
  // The newest three: 50, 40, 30. Once 30 leaves the window the key is under three again.
  const LoginFailureCount newest = accounts_->CountLoginFailures("k", Instant{0}, 3);
  EXPECT_EQ(newest.count, 3);
  EXPECT_EQ(newest.oldest, Instant{30});
  EXPECT_EQ(accounts_->CountLoginFailures("k", Instant{0}, 1).oldest, Instant{50});
  EXPECT_EQ(accounts_->CountLoginFailures("k", Instant{45}, 3).count, 1);
}

TEST_P(AccountsConformance, LoginFailuresAreClearedPerKeyAndPrunedByAge) {
  accounts_->RecordLoginFailure({"a:alice", "i:10.0.0.1"}, Instant{100});
  accounts_->RecordLoginFailure({"a:alice", "i:10.0.0.1"}, Instant{300});
  accounts_->ClearLoginFailures("a:alice");
  accounts_->ClearLoginFailures("a:nobody");
  EXPECT_EQ(accounts_->CountLoginFailures("a:alice", Instant{0}, 10).count, 0);
  EXPECT_EQ(accounts_->CountLoginFailures("i:10.0.0.1", Instant{0}, 10).count, 2);

  accounts_->RecordLoginFailure({"a:carol"}, Instant{200});
  // Strictly before: the row at 300 stays, as does one at the instant itself.
  EXPECT_EQ(accounts_->DeleteLoginFailuresBefore(Instant{200}), 1);
  EXPECT_EQ(accounts_->CountLoginFailures("a:carol", Instant{0}, 10).count, 1);
  EXPECT_EQ(accounts_->CountLoginFailures("i:10.0.0.1", Instant{0}, 10).oldest, Instant{300});
  EXPECT_EQ(accounts_->DeleteLoginFailuresBefore(Instant{200}), 0);
  EXPECT_EQ(accounts_->DeleteLoginFailuresBefore(Instant{1000}), 2);
  EXPECT_EQ(accounts_->CountLoginFailures("i:10.0.0.1", Instant{0}, 10).count, 0);
}

// Two Accounts on one database stand for two nodes (processes): what one records, the other
// counts, also while both record at once.
TEST_P(AccountsConformance, LoginFailuresFromSeveralConnectionsAddUp) {
  auto other = OpenAccounts(GetParam().url(temp_.path()));
  constexpr int kThreads = 4;
  constexpr int kFailures = 25;
  std::vector<std::thread> threads;
  std::vector<std::string> errors(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    Accounts& node = t % 2 == 0 ? *accounts_ : *other;
    threads.emplace_back([&node, &errors, t] {
      try {
        for (int i = 0; i < kFailures; ++i) {
          node.RecordLoginFailure({"a:alice", "i:10.0.0." + std::to_string(t)}, Instant{500 + i});
        }
      } catch (const std::exception& e) {
        errors[t] = e.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) EXPECT_EQ(error, "");
  constexpr int64_t kAll = int64_t{kThreads} * kFailures;
  EXPECT_EQ(accounts_->CountLoginFailures("a:alice", Instant{0}, 1000).count, kAll);
  EXPECT_EQ(other->CountLoginFailures("a:alice", Instant{0}, 1000).count, kAll);
  EXPECT_EQ(other->CountLoginFailures("i:10.0.0.0", Instant{0}, 1000).count, kFailures);
  other->ClearLoginFailures("a:alice");
  EXPECT_EQ(accounts_->CountLoginFailures("a:alice", Instant{0}, 1000).count, 0);
}

TEST_P(AccountsConformance, AuditLogPagesNewestFirst) {
  for (int i = 1; i <= 5; ++i) {
    accounts_->AppendAudit(AuditEntry{0, Instant{int64_t{i} * 10}, "alice", "user.add",
                                      "user:u" + std::to_string(i), "local", "détail ✓"});
  }
  const auto first = accounts_->ReadAudit(AuditQuery{0, 2});
  ASSERT_EQ(first.entries.size(), 2u);
  EXPECT_EQ(first.entries[0].target, "user:u5");
  EXPECT_EQ(first.entries[1].target, "user:u4");
  EXPECT_EQ(first.entries[0].at, Instant{50});
  EXPECT_EQ(first.entries[0].actor, "alice");
  EXPECT_EQ(first.entries[0].action, "user.add");
  EXPECT_EQ(first.entries[0].address, "local");
  EXPECT_EQ(first.entries[0].detail, "détail ✓");
  EXPECT_NE(first.next_before_id, 0);
  const auto second = accounts_->ReadAudit(AuditQuery{first.next_before_id, 2});
  ASSERT_EQ(second.entries.size(), 2u);
  EXPECT_EQ(second.entries[0].target, "user:u3");
  const auto last = accounts_->ReadAudit(AuditQuery{second.next_before_id, 2});
  ASSERT_EQ(last.entries.size(), 1u);
  EXPECT_EQ(last.entries[0].target, "user:u1");
  EXPECT_EQ(last.next_before_id, 0);
  EXPECT_EQ(CodeOf([&] { accounts_->ReadAudit(AuditQuery{0, 0}); }), ErrorCode::kInvalidInput);
  EXPECT_EQ(CodeOf([&] { accounts_->ReadAudit(AuditQuery{-1, 10}); }), ErrorCode::kInvalidInput);
}

TEST_P(AccountsConformance, AccountWritesDoNotTouchTheContentChangesLog) {
  auto store = OpenStore(GetParam().url(temp_.path()));
  const int64_t before = store->LastChange();
  const int64_t user = AddUser("alice");
  AddToken(user, "h");
  AddSession(user, "s", 1, 1);
  accounts_->AppendAudit(AuditEntry{0, Instant{1}, "alice", "login", "", "::1", ""});
  accounts_->DisableUser(user, Instant{2});
  accounts_->RecordLoginFailure({"a:alice"}, Instant{3});
  accounts_->ClearLoginFailures("a:alice");
  EXPECT_EQ(store->LastChange(), before);
  EXPECT_TRUE(store->ChangesSince(0, 100).empty());
}

TEST_P(AccountsConformance, AccountsSurviveReopening) {
  AddUser("alice");
  accounts_.reset();
  accounts_ = OpenAccounts(GetParam().url(temp_.path()));
  EXPECT_TRUE(accounts_->FindUser("alice"));
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsConformance, ::testing::ValuesIn(conformance::kBackends),
                         conformance::BackendName);

}  // namespace
}  // namespace assetpub::store
