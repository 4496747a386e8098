// auth/: passwords, secrets, sessions, CSRF, the rate limiter, the permission table and the
// Authenticator facade over a real (SQLite) Accounts, with an injected clock.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "auth/authenticator.h"
#include "auth/crypto.h"
#include "auth/csrf.h"
#include "auth/password.h"
#include "auth/rate_limiter.h"
#include "auth/roles.h"
#include "core/error.h"
#include "store/accounts.h"
#include "support/temp_dir.h"

namespace assetpub::auth {
namespace {

using content::Instant;
using ::testing::HasSubstr;
using ::testing::StartsWith;

ErrorCode CodeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no Error thrown";
  return ErrorCode::kInternal;
}

std::string MessageOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// --- Passwords -------------------------------------------------------------------------------

TEST(PasswordHasher, HashVerifiesItsPasswordAndNoOther) {
  const PasswordHasher hasher(PasswordLimits::ForTestsOnly());
  const std::string hash = hasher.Hash("correct horse battery");
  EXPECT_THAT(hash, StartsWith("$argon2id$"));
  EXPECT_TRUE(hasher.Verify(hash, "correct horse battery"));
  EXPECT_FALSE(hasher.Verify(hash, "correct horse batterY"));
  EXPECT_FALSE(hasher.Verify(hash, ""));
  // A fresh salt each time: the same password never gives the same string.
  EXPECT_NE(hasher.Hash("correct horse battery"), hash);
  // Garbage is a failed check, not an exception.
  EXPECT_FALSE(hasher.Verify("not a hash", "correct horse battery"));
  EXPECT_FALSE(hasher.Verify("", "correct horse battery"));
}

TEST(PasswordHasher, NeedsRehashWhenTheLimitsDiffer) {
  const PasswordHasher weak(PasswordLimits::ForTestsOnly());
  const PasswordLimits stronger_limits{PasswordLimits::ForTestsOnly().ops + 1,
                                       PasswordLimits::ForTestsOnly().memory};
  const PasswordHasher stronger(stronger_limits);
  const std::string hash = weak.Hash("correct horse battery");
  EXPECT_FALSE(weak.NeedsRehash(hash));
  EXPECT_TRUE(stronger.NeedsRehash(hash));
  // The old hash still verifies under the new limits: it carries its own.
  EXPECT_TRUE(stronger.Verify(hash, "correct horse battery"));
  EXPECT_TRUE(stronger.NeedsRehash("garbage"));
}

TEST(PasswordHasher, DefaultLimitsAreInteractive) {
  EXPECT_EQ(AuthOptions{}.password.ops, PasswordLimits::Interactive().ops);
  EXPECT_EQ(AuthOptions{}.password.memory, PasswordLimits::Interactive().memory);
  EXPECT_EQ(PasswordLimits::Interactive().memory, size_t{64} << 20);
}

TEST(PasswordPolicy, TwelveCharactersCountedAsCharactersNotBytes) {
  EXPECT_NO_THROW(CheckPasswordPolicy("abcdefghijkl"));
  EXPECT_EQ(CodeOf([] { CheckPasswordPolicy("abcdefghijk"); }), ErrorCode::kInvalidInput);
  EXPECT_THAT(MessageOf([] { CheckPasswordPolicy("short"); }),
              HasSubstr("too short: 5 characters, at least 12"));
  // 11 Cyrillic letters are 22 bytes, yet too short; 12 are enough.
  EXPECT_EQ(CodeOf([] { CheckPasswordPolicy("абвгдеёжзий"); }), ErrorCode::kInvalidInput);
  EXPECT_NO_THROW(CheckPasswordPolicy("абвгдеёжзийк"));
  EXPECT_EQ(CodeOf([] { CheckPasswordPolicy("abcdefghijkl\xff"); }), ErrorCode::kInvalidInput);
  EXPECT_EQ(CodeOf([] { CheckPasswordPolicy(std::string(kMaxPasswordBytes + 1, 'a')); }),
            ErrorCode::kInvalidInput);
}

// --- Secrets and CSRF --------------------------------------------------------------------------

TEST(Crypto, SecretsAreRandomAndHashedToHex) {
  const std::string a = Base64Url(RandomBytes(32));
  const std::string b = Base64Url(RandomBytes(32));
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  // BLAKE2b-256 of "abc" (RFC 7693 lists BLAKE2b-512; this is the 256-bit variant's value).
  EXPECT_EQ(HashSecret("abc"), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  EXPECT_TRUE(ConstantTimeEquals("same", "same"));
  EXPECT_FALSE(ConstantTimeEquals("same", "samf"));
  EXPECT_FALSE(ConstantTimeEquals("same", "sam"));
}

TEST(Csrf, TokenMatchesItsSessionOnly) {
  const std::string session = Base64Url(RandomBytes(32));
  const std::string other = Base64Url(RandomBytes(32));
  const std::string token = CsrfToken(session);
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(CsrfToken(session), token);  // stable for the session
  EXPECT_TRUE(CsrfTokenMatches(session, token));
  EXPECT_FALSE(CsrfTokenMatches(other, token));
  EXPECT_FALSE(CsrfTokenMatches(session, CsrfToken(other)));
  std::string altered = token;
  altered[5] = altered[5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(CsrfTokenMatches(session, altered));
  EXPECT_FALSE(CsrfTokenMatches(session, ""));
  EXPECT_FALSE(CsrfTokenMatches("", token));
  // Not derivable from what the store keeps.
  EXPECT_NE(token, HashSecret(session));
}

// --- Rate limiter ------------------------------------------------------------------------------

// Over a real (SQLite) Accounts: the limiter keeps nothing of its own.
class RateLimiterTest : public ::testing::Test {
 protected:
  std::unique_ptr<store::Accounts> OpenAccounts() const {
    return store::OpenAccounts("sqlite:" + (temp_.path() / "assetpub.db").string());
  }

  const assetpub::testing::TempDir temp_{"assetpub-limiter-"};
  std::atomic<int64_t> now_{1'000'000};
  RateLimits limits_{3, 5, 600};
  Clock clock_ = [this] { return Instant{now_.load()}; };
  std::unique_ptr<store::Accounts> accounts_ = OpenAccounts();
  LoginRateLimiter limiter_{*accounts_, limits_, clock_};
};

TEST_F(RateLimiterTest, AccountIsLimitedAtItsAddressAfterItsFailuresUntilTheWindowPasses) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter_.RetryAfter("alice", "10.0.0.1"), 0) << i;
    limiter_.RecordFailure("alice", "10.0.0.1");
    now_ += 10;
  }
  // Three failures at t0, t0+10, t0+20; now t0+30: free when the first leaves, at t0+600.
  EXPECT_EQ(limiter_.RetryAfter("alice", "10.0.0.1"), 570);
  EXPECT_EQ(limiter_.RetryAfter("ALICE", "10.0.0.1"), 570);  // case does not matter
  // The account is not locked: from another address it may be tried (its owner logs in).
  EXPECT_EQ(limiter_.RetryAfter("alice", "10.9.9.9"), 0);
  EXPECT_EQ(limiter_.RetryAfter("bob", "10.9.9.9"), 0);
  now_ += 569;
  EXPECT_EQ(limiter_.RetryAfter("alice", "10.0.0.1"), 1);
  now_ += 1;
  EXPECT_EQ(limiter_.RetryAfter("alice", "10.0.0.1"), 0);
}

TEST_F(RateLimiterTest, SuccessClearsTheAccountButNotTheAddress) {
  limiter_.RecordFailure("alice", "10.0.0.1");
  limiter_.RecordFailure("alice", "10.0.0.1");
  limiter_.RecordSuccess("alice", "10.0.0.1");
  limiter_.RecordFailure("alice", "10.0.0.1");
  limiter_.RecordFailure("alice", "10.0.0.1");
  EXPECT_EQ(limiter_.RetryAfter("alice", "10.0.0.1"), 0);  // two since the success: under 3
  limiter_.RecordFailure("carol", "10.0.0.1");             // five from 10.0.0.1 in all
  EXPECT_GT(limiter_.RetryAfter("dave", "10.0.0.1"), 0);
}

TEST_F(RateLimiterTest, AddressIsLimitedAcrossAccounts) {
  for (int i = 0; i < 5; ++i) limiter_.RecordFailure("user" + std::to_string(i), "10.0.0.1");
  EXPECT_EQ(limiter_.RetryAfter("someone-new", "10.0.0.1"), 600);
  EXPECT_EQ(limiter_.RetryAfter("someone-new", "10.0.0.2"), 0);
  now_ += 600;
  EXPECT_EQ(limiter_.RetryAfter("someone-new", "10.0.0.1"), 0);
}

// Two limiters, each with its own connection to one database, as two nodes have: failures on
// either count for both, and a success on one clears the pair on both.
TEST_F(RateLimiterTest, FailuresOnTwoNodesAddUp) {
  const std::unique_ptr<store::Accounts> other_accounts = OpenAccounts();
  LoginRateLimiter other{*other_accounts, limits_, clock_};
  limiter_.RecordFailure("alice", "10.0.0.2");
  other.RecordFailure("alice", "10.0.0.2");
  EXPECT_EQ(limiter_.RetryAfter("alice", "10.0.0.2"), 0);
  now_ += 5;
  other.RecordFailure("Alice", "10.0.0.2");
  EXPECT_EQ(limiter_.RetryAfter("alice", "10.0.0.2"), 595);
  EXPECT_EQ(other.RetryAfter("alice", "10.0.0.2"), 595);
  limiter_.RecordSuccess("alice", "10.0.0.2");
  EXPECT_EQ(other.RetryAfter("alice", "10.0.0.2"), 0);
}

// Someone hammering an editor's account from one address (then from another, up to that one's
// limit) does not keep the editor out: their right password from their own address works.
TEST_F(RateLimiterTest, AGuesserCannotLockAnAccountForOthers) {
  for (int i = 0; i < 50; ++i) limiter_.RecordFailure("alice", "203.0.113.9");
  for (int i = 0; i < 2; ++i) limiter_.RecordFailure("alice", "203.0.113.10");
  EXPECT_GT(limiter_.RetryAfter("alice", "203.0.113.9"), 0);
  EXPECT_EQ(limiter_.RetryAfter("alice", "203.0.113.10"), 0);
  EXPECT_EQ(limiter_.RetryAfter("alice", "10.0.0.1"), 0);
}

TEST_F(RateLimiterTest, FailuresTheWindowHasLeftAreDeleted) {
  limiter_.RecordFailure("alice", "10.0.0.1");
  now_ += 300;
  limiter_.RecordFailure("bob", "10.0.0.2");
  now_ += 300;  // alice's failure has just left the window
  limiter_.RecordFailure("carol", "10.0.0.3");
  const auto stored = [&](const std::string& key) {
    return accounts_->CountLoginFailures(key, Instant{0}, 100).count;
  };
  EXPECT_EQ(stored(LoginRateLimiter::AccountKey("alice", "10.0.0.1")), 0);
  EXPECT_EQ(stored(LoginRateLimiter::AddressKey("10.0.0.1")), 0);
  EXPECT_EQ(stored(LoginRateLimiter::AccountKey("bob", "10.0.0.2")), 1);
  EXPECT_EQ(stored(LoginRateLimiter::AccountKey("carol", "10.0.0.3")), 1);
}

TEST_F(RateLimiterTest, AnyNameTypedIsCountedUnderAShortAsciiKey) {
  const std::string long_name(10'000, 'x');
  const std::string strange = "\xd0\x90\xd0\xbb\xd0\xb8\xd1\x81\xd0\xb0 \x01";
  for (const std::string& name : {long_name, strange}) {
    const std::string key = LoginRateLimiter::AccountKey(name, "10.0.0.1");
    EXPECT_LE(key.size(), 67u);
    EXPECT_TRUE(std::ranges::all_of(key, [](char c) { return c > ' ' && c < 0x7f; })) << key;
    EXPECT_NE(key, LoginRateLimiter::AccountKey(name + "y", "10.0.0.1"));
    EXPECT_NE(key, LoginRateLimiter::AccountKey(name, "10.0.0.2"));
  }
  EXPECT_EQ(LoginRateLimiter::AccountKey("Alice.B@example", "::1"), "p:alice.b@example|::1");
  EXPECT_EQ(LoginRateLimiter::AddressKey("::1"), "i:::1");
  for (int i = 0; i < 3; ++i) limiter_.RecordFailure(long_name, "10.0.0.9");
  EXPECT_EQ(limiter_.RetryAfter(long_name, "10.0.0.9"), 600);
}

// --- Permissions -------------------------------------------------------------------------------

TEST(Permissions, EveryRoleAndActionMatchesTheExpectedTable) {
  // The product's rules, written out: E editor, P publisher, A admin.
  const std::map<Action, std::string> expected = {
      {Action::kReadDraft, "EPA"},      {Action::kCreate, "EPA"},    {Action::kEdit, "EPA"},
      {Action::kPublish, "PA"},         {Action::kSchedule, "PA"},   {Action::kArchive, "PA"},
      {Action::kDelete, "A"},           {Action::kManageUsers, "A"}, {Action::kManageTokens, "A"},
      {Action::kManagePublishers, "A"}, {Action::kViewAudit, "A"},   {Action::kUploadMedia, "EPA"},
  };
  ASSERT_EQ(AllActions().size(), expected.size());
  const std::map<Role, char> letter = {
      {Role::kEditor, 'E'}, {Role::kPublisher, 'P'}, {Role::kAdmin, 'A'}};
  for (Action action : AllActions()) {
    for (Role role : AllRoles()) {
      const bool want = expected.at(action).find(letter.at(role)) != std::string::npos;
      EXPECT_EQ(Allows(role, action), want) << RoleName(role) << " " << ActionName(action);
    }
  }
}

TEST(Permissions, RoleNamesRoundTrip) {
  for (Role role : AllRoles()) EXPECT_EQ(ParseRole(RoleName(role)), role);
  EXPECT_FALSE(ParseRole("Admin"));
  EXPECT_FALSE(ParseRole("root"));
  EXPECT_EQ(ActionName(Action::kManagePublishers), "manage_publishers");
}

// --- Authenticator ---------------------------------------------------------------------------

constexpr const char* kPassword = "correct horse battery";

class AuthenticatorTest : public ::testing::Test {
 protected:
  AuthenticatorTest() {
    accounts_ = store::OpenAccounts("sqlite:" + db_path_.string());
    auth_ = std::make_unique<Authenticator>(*accounts_, Options());
  }

  AuthOptions Options() {
    AuthOptions options;
    options.password = PasswordLimits::ForTestsOnly();
    options.clock = [this] { return Instant{now_.load()}; };
    return options;
  }

  store::User Add(const std::string& name, Role role = Role::kEditor) {
    return auth_->AddUser(Authenticator::Operator(), name, role, kPassword, "local");
  }
  LoginSession LogIn(const std::string& name, const std::string& address = "10.0.0.1") {
    auto result = auth_->Login(name, kPassword, address);
    EXPECT_EQ(result.outcome, LoginResult::Outcome::kOk);
    return result.session.value_or(LoginSession{});
  }
  std::vector<std::string> AuditActions() {
    std::vector<std::string> out;
    for (const auto& e : accounts_->ReadAudit({0, 1000}).entries) out.push_back(e.action);
    return out;
  }

  const assetpub::testing::TempDir temp_{"assetpub-auth-"};
  const std::filesystem::path db_path_ = temp_.path() / "assetpub.db";
  std::atomic<int64_t> now_{1'700'000'000};
  std::unique_ptr<store::Accounts> accounts_;
  std::unique_ptr<Authenticator> auth_;
};

TEST_F(AuthenticatorTest, LoginWithTheRightPasswordOpensASession) {
  const auto alice = Add("alice", Role::kPublisher);
  const auto session = LogIn("alice");
  EXPECT_EQ(session.cookie.size(), 43u);
  EXPECT_EQ(session.csrf_token, CsrfToken(session.cookie));
  EXPECT_EQ(session.principal.name, "alice");
  EXPECT_EQ(session.principal.role, Role::kPublisher);
  EXPECT_EQ(session.expires_at, Instant{now_ + int64_t{12} * 3600});
  const auto principal = auth_->SessionPrincipal(session.cookie);
  ASSERT_TRUE(principal);
  EXPECT_EQ(principal->user_id, alice.id);
  EXPECT_EQ(principal->via, Principal::Via::kSession);
  EXPECT_EQ(accounts_->GetUser(alice.id)->last_login_at, Instant{now_});
  // Only the cookie's hash is stored.
  EXPECT_TRUE(accounts_->FindSession(HashSecret(session.cookie)));
  EXPECT_FALSE(accounts_->FindSession(session.cookie));
}

TEST_F(AuthenticatorTest, WrongPasswordUnknownUserAndDisabledUserLookTheSame) {
  Add("alice");
  Add("bob");
  auth_->DisableUser(Authenticator::Operator(), "bob", "local");
  for (const auto& [name, password] : std::vector<std::pair<std::string, std::string>>{
           {"alice", "wrong password!"}, {"nobody", kPassword}, {"bob", kPassword}}) {
    const auto result = auth_->Login(name, password, "10.0.0.1");
    EXPECT_EQ(result.outcome, LoginResult::Outcome::kRejected) << name;
    EXPECT_FALSE(result.session) << name;
  }
  const auto audit = accounts_->ReadAudit({0, 3}).entries;
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].action, "login.failed");
  EXPECT_EQ(audit[0].detail, "user disabled");
  EXPECT_EQ(audit[1].detail, "unknown user");
  EXPECT_EQ(audit[1].actor, "nobody");
  EXPECT_EQ(audit[2].detail, "wrong password");
  EXPECT_EQ(audit[2].address, "10.0.0.1");
}

TEST_F(AuthenticatorTest, ALongTypedNameIsLoggedCutBetweenCharacters) {
  // 63 ASCII bytes, then "й" (2 bytes) across the 64-byte bound, then more.
  const std::string typed = std::string(63, 'a') + "\xd0\xb9" + "bcd";
  EXPECT_EQ(auth_->Login(typed, kPassword, "10.0.0.1").outcome, LoginResult::Outcome::kRejected);
  const auto audit = accounts_->ReadAudit({0, 1}).entries;
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor, std::string(63, 'a'));  // the whole "й" goes, not half of it
}

TEST_F(AuthenticatorTest, LoginUpgradesAHashMadeWithOldLimits) {
  const auto alice = Add("alice");
  AuthOptions stronger = Options();
  stronger.password.ops += 1;
  Authenticator upgraded(*accounts_, stronger);
  ASSERT_EQ(upgraded.Login("alice", kPassword, "::1").outcome, LoginResult::Outcome::kOk);
  const std::string new_hash = accounts_->GetUser(alice.id)->password_hash;
  EXPECT_FALSE(PasswordHasher(stronger.password).NeedsRehash(new_hash));
  EXPECT_EQ(upgraded.Login("alice", kPassword, "::1").outcome, LoginResult::Outcome::kOk);
}

TEST_F(AuthenticatorTest, DuplicateUserNameIsRefused) {
  Add("alice");
  EXPECT_EQ(CodeOf([&] { Add("alice"); }), ErrorCode::kConflict);
  EXPECT_THAT(MessageOf([&] { Add("Alice"); }), HasSubstr("user 'alice' already exists"));
  EXPECT_EQ(CodeOf([&] { Add("bad name"); }), ErrorCode::kInvalidInput);
  EXPECT_EQ(CodeOf([&] { Add("-dash"); }), ErrorCode::kInvalidInput);
  EXPECT_EQ(CodeOf([&] {
              auth_->AddUser(Authenticator::Operator(), "carol", Role::kEditor, "short", "local");
            }),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(accounts_->ListUsers().size(), 1u);
}

TEST_F(AuthenticatorTest, TokenIsShownOnceAndOnlyItsHashIsStored) {
  const auto alice = Add("alice", Role::kPublisher);
  const NewToken made = auth_->CreateToken(Authenticator::Operator(), "alice", "deploy", "local");
  EXPECT_THAT(made.secret, StartsWith("ap_"));
  EXPECT_EQ(made.secret.size(), 46u);
  EXPECT_EQ(made.token.hash, HashSecret(made.secret));

  const auto principal = auth_->Authenticate(made.secret);
  ASSERT_TRUE(principal);
  EXPECT_EQ(principal->user_id, alice.id);
  EXPECT_EQ(principal->role, Role::kPublisher);
  EXPECT_EQ(principal->via, Principal::Via::kToken);
  EXPECT_EQ(principal->token_id, made.token.id);
  EXPECT_EQ(accounts_->GetToken(made.token.id)->last_used_at, Instant{now_});

  // The database row, read directly: the hash is there, the secret nowhere.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT * FROM api_tokens", -1, &s, nullptr), SQLITE_OK);
  int rows = 0;
  bool hash_seen = false;
  while (sqlite3_step(s) == SQLITE_ROW) {
    ++rows;
    for (int c = 0; c < sqlite3_column_count(s); ++c) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
      const std::string value = text ? text : "";
      EXPECT_EQ(value.find(made.secret.substr(3)), std::string::npos) << "column " << c;
      hash_seen = hash_seen || value == HashSecret(made.secret);
    }
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  EXPECT_EQ(rows, 1);
  EXPECT_TRUE(hash_seen);

  const auto listed = auth_->ListTokens(Authenticator::Operator());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].user_name, "alice");
  EXPECT_EQ(listed[0].token.name, "deploy");
}

TEST_F(AuthenticatorTest, MalformedUnknownAndRevokedTokensAreRefused) {
  Add("alice");
  const NewToken made = auth_->CreateToken(Authenticator::Operator(), "alice", "", "local");
  EXPECT_FALSE(auth_->Authenticate(""));
  EXPECT_FALSE(auth_->Authenticate("ap_short"));
  EXPECT_FALSE(auth_->Authenticate("xx" + made.secret.substr(2)));
  std::string other = made.secret;
  other.back() = other.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(auth_->Authenticate(other));
  ASSERT_TRUE(auth_->Authenticate(made.secret));

  EXPECT_TRUE(auth_->RevokeToken(Authenticator::Operator(), made.token.id, "local"));
  EXPECT_FALSE(auth_->RevokeToken(Authenticator::Operator(), made.token.id, "local"));
  EXPECT_FALSE(auth_->Authenticate(made.secret));
  EXPECT_EQ(CodeOf([&] { auth_->RevokeToken(Authenticator::Operator(), 999, "local"); }),
            ErrorCode::kNotFound);
}

TEST_F(AuthenticatorTest, DisabledUserIsRefusedEverywhere) {
  Add("alice");
  const auto session = LogIn("alice");
  const NewToken made = auth_->CreateToken(Authenticator::Operator(), "alice", "ci", "local");
  ASSERT_TRUE(auth_->SessionPrincipal(session.cookie));
  ASSERT_TRUE(auth_->Authenticate(made.secret));

  const auto result = auth_->DisableUser(Authenticator::Operator(), "alice", "local");
  EXPECT_EQ(result.sessions_deleted, 1);
  EXPECT_EQ(result.tokens_revoked, 1);
  EXPECT_FALSE(auth_->SessionPrincipal(session.cookie));
  EXPECT_FALSE(auth_->VerifyCsrf(session.cookie, session.csrf_token));
  EXPECT_FALSE(auth_->Authenticate(made.secret));
  EXPECT_EQ(auth_->Login("alice", kPassword, "10.0.0.1").outcome, LoginResult::Outcome::kRejected);
  EXPECT_EQ(CodeOf([&] { auth_->CreateToken(Authenticator::Operator(), "alice", "", "local"); }),
            ErrorCode::kConflict);
  EXPECT_EQ(CodeOf([&] { auth_->DisableUser(Authenticator::Operator(), "zed", "local"); }),
            ErrorCode::kNotFound);
}

TEST_F(AuthenticatorTest, DisabledFlagAloneIsEnoughToRefuseSessionsAndTokens) {
  // Even if a session or token survived the disabling (another backend, a partial restore), the
  // user's flag is checked on every use.
  const auto alice = Add("alice");
  const auto session = LogIn("alice");
  const NewToken made = auth_->CreateToken(Authenticator::Operator(), "alice", "ci", "local");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE users SET disabled = 1", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_FALSE(auth_->SessionPrincipal(session.cookie));
  EXPECT_FALSE(auth_->Authenticate(made.secret));
  EXPECT_TRUE(accounts_->GetUser(alice.id)->disabled);
}

TEST_F(AuthenticatorTest, SessionEndsAfterAnHourIdle) {
  Add("alice");
  const auto session = LogIn("alice");
  now_ += 3599;
  ASSERT_TRUE(auth_->SessionPrincipal(session.cookie));  // used: the idle clock restarts
  now_ += 3599;
  ASSERT_TRUE(auth_->SessionPrincipal(session.cookie));
  now_ += 3600;
  EXPECT_FALSE(auth_->SessionPrincipal(session.cookie));
  EXPECT_FALSE(accounts_->FindSession(HashSecret(session.cookie)));  // deleted
}

TEST_F(AuthenticatorTest, SessionEndsTwelveHoursAfterLoginHoweverBusy) {
  Add("alice");
  const auto session = LogIn("alice");
  for (int i = 0; i < 23; ++i) {
    now_ += 1800;
    ASSERT_TRUE(auth_->SessionPrincipal(session.cookie)) << i;
  }
  now_ += 1800;  // 12 hours since login
  EXPECT_FALSE(auth_->SessionPrincipal(session.cookie));
}

TEST_F(AuthenticatorTest, LogoutEndsTheSessionAndExpiredOnesArePruned) {
  Add("alice");
  const auto kept = LogIn("alice");
  const auto left = LogIn("alice");
  auth_->Logout(left.cookie, "10.0.0.1");
  EXPECT_FALSE(auth_->SessionPrincipal(left.cookie));
  EXPECT_TRUE(auth_->SessionPrincipal(kept.cookie));
  auth_->Logout("not a cookie", "10.0.0.1");  // nothing happens
  now_ += 3600;
  EXPECT_EQ(auth_->PruneSessions(), 1);
  EXPECT_THAT(AuditActions(), ::testing::Contains("logout"));
}

TEST_F(AuthenticatorTest, CsrfTokenIsValidForItsLiveSessionOnly) {
  Add("alice");
  Add("bob");
  const auto alice = LogIn("alice");
  const auto bob = LogIn("bob");
  EXPECT_TRUE(auth_->VerifyCsrf(alice.cookie, alice.csrf_token));
  EXPECT_FALSE(auth_->VerifyCsrf(alice.cookie, bob.csrf_token));
  EXPECT_FALSE(auth_->VerifyCsrf(alice.cookie, ""));
  EXPECT_FALSE(auth_->VerifyCsrf(alice.cookie, alice.csrf_token + "x"));
  auth_->Logout(alice.cookie, "10.0.0.1");
  EXPECT_FALSE(auth_->VerifyCsrf(alice.cookie, alice.csrf_token));
  // A made-up cookie with its matching token is no session.
  const std::string forged = Base64Url(RandomBytes(32));
  EXPECT_FALSE(auth_->VerifyCsrf(forged, CsrfToken(forged)));
}

TEST_F(AuthenticatorTest, TooManyFailuresAreRateLimitedAtThatAddressEvenWithTheRightPassword) {
  Add("alice");
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(auth_->Login("alice", "wrong password!", "10.0.0.1").outcome,
              LoginResult::Outcome::kRejected);
  }
  const auto limited = auth_->Login("alice", kPassword, "10.0.0.1");
  EXPECT_EQ(limited.outcome, LoginResult::Outcome::kRateLimited);
  EXPECT_EQ(limited.retry_after_seconds, 15 * 60);
  EXPECT_FALSE(limited.session);
  now_ += int64_t{15} * 60;
  EXPECT_EQ(auth_->Login("alice", kPassword, "10.0.0.1").outcome, LoginResult::Outcome::kOk);
}

// The lock-out attack: five wrong passwords for alice's name from an attacker's address must not
// keep alice out. Her right password from her own address works while the attacker goes on,
// and the attacker is the one slowed down.
TEST_F(AuthenticatorTest, WrongPasswordsFromOneAddressDoNotLockTheAccountElsewhere) {
  Add("alice");
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(auth_->Login("alice", "wrong password!", "203.0.113.9").outcome,
              LoginResult::Outcome::kRejected);
  }
  EXPECT_EQ(auth_->Login("alice", "wrong password!", "203.0.113.9").outcome,
            LoginResult::Outcome::kRateLimited);
  const auto alice = auth_->Login("alice", kPassword, "10.0.0.7");
  EXPECT_EQ(alice.outcome, LoginResult::Outcome::kOk);
  EXPECT_TRUE(alice.session);
  // Her success does not free the attacker's address.
  EXPECT_EQ(auth_->Login("alice", kPassword, "203.0.113.9").outcome,
            LoginResult::Outcome::kRateLimited);
}

TEST_F(AuthenticatorTest, AdministrationNeedsTheRightRole) {
  Add("ed", Role::kEditor);
  Add("pat", Role::kPublisher);
  const auto editor = LogIn("ed");
  const auto publisher = LogIn("pat");
  for (const Principal& who : {editor.principal, publisher.principal}) {
    EXPECT_EQ(CodeOf([&] { auth_->AddUser(who, "mallory", Role::kAdmin, kPassword, "x"); }),
              ErrorCode::kForbidden);
    EXPECT_EQ(CodeOf([&] { auth_->CreateToken(who, "ed", "", "x"); }), ErrorCode::kForbidden);
    EXPECT_EQ(CodeOf([&] { auth_->DisableUser(who, "ed", "x"); }), ErrorCode::kForbidden);
    EXPECT_EQ(CodeOf([&] { auth_->ReadAudit(who, {}); }), ErrorCode::kForbidden);
  }
  EXPECT_FALSE(accounts_->FindUser("mallory"));
}

TEST_F(AuthenticatorTest, WritesAndLoginsAreAudited) {
  Add("alice", Role::kAdmin);
  const auto session = LogIn("alice", "192.0.2.7");
  const auto made = auth_->CreateToken(session.principal, "alice", "ci", "192.0.2.7");
  auth_->RevokeToken(session.principal, made.token.id, "192.0.2.7");
  auth_->AppendAudit("alice", "asset.publish", "asset:17", "192.0.2.7", "");
  const auto page = auth_->ReadAudit(session.principal, {0, 10});
  std::vector<std::string> actions;
  for (const auto& e : page.entries) actions.push_back(e.action);
  EXPECT_THAT(actions, ::testing::ElementsAre("asset.publish", "token.revoke", "token.create",
                                              "login", "user.add"));
  EXPECT_EQ(page.entries[1].target, "token:" + std::to_string(made.token.id));
  EXPECT_EQ(page.entries[1].actor, "alice");
  EXPECT_EQ(page.entries[1].address, "192.0.2.7");
  EXPECT_EQ(page.entries[1].at, Instant{now_});
  EXPECT_THAT(page.entries[4].actor, StartsWith("cli"));
  EXPECT_EQ(page.entries[4].target, "user:alice");
  EXPECT_EQ(page.entries[4].detail, "role admin");
}

}  // namespace
}  // namespace assetpub::auth
