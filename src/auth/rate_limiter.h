#pragma once
// LoginRateLimiter slows password guessing: it counts failed logins per client address and per
// account at a client address, in a sliding window. Never per account alone: a limit on the
// account would let anyone lock an editor out by typing wrong passwords for their name, while
// the editor, from their own address, is not slowed down by a guesser hammering the account from
// another. The failures are kept in the store (store::Accounts), so every node of one database
// counts them together: a guesser who spreads attempts over the nodes behind a load balancer is
// limited as if there were one. When a key has had its limit of failures within
// `window_seconds`, further attempts on it are refused, without checking the password, until
// enough of its failures have left the window to be under the limit again: the HTTP layer answers
// 429 with Retry-After. A successful login clears the failures of that account at that address
// (not the address's: an address that guesses many accounts stays limited).
//
// Checking and recording are separate calls, so attempts made at the same moment (on one node or
// several) may all be checked before any is recorded: a few more failures than the limit can get
// through. Each failure recorded prunes the failures the window has left, so the table holds at
// most a window's worth.
//
// Thread-safe: it keeps no state of its own besides `accounts`, which is thread-safe. Every method
// throws what `accounts` throws (Error(kUnavailable) when the database is away).

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/clock.h"
#include "store/accounts.h"

namespace assetpub::auth {

struct RateLimits {
  // 5 failures per 15 minutes for one account from one address: a person who mistypes a few
  // times is not held up for long, a guesser gets 480 tries a day per address at most.
  int64_t account_failures = 5;
  // 20 failures per 15 minutes for one address: higher, since an office's NAT puts many
  // editors behind one address, yet low enough to stop one client spraying many accounts.
  int64_t address_failures = 20;
  int64_t window_seconds = int64_t{15} * 60;
};

class LoginRateLimiter {
 public:
  // Counts in `accounts`, which must outlive the limiter. Every limit must be at least 1.
  explicit LoginRateLimiter(store::Accounts& accounts, RateLimits limits = {},
                            Clock clock = content::Now);

  // 0 when a login for `account` (a user name, compared ignoring ASCII case) from `address` may
  // be attempted now; otherwise the seconds until it may (for Retry-After), at least 1.
  int64_t RetryAfter(std::string_view account, std::string_view address);
  // Records a failed attempt (wrong password, unknown or disabled account) against both keys,
  // and forgets failures older than the window.
  void RecordFailure(std::string_view account, std::string_view address);
  // Records a successful login of `account` from `address`: clears their failures.
  void RecordSuccess(std::string_view account, std::string_view address);

  // The keys failures are stored under: "p:" + the account name in ASCII lower case + "|" + the
  // address (an address has no '|'), "i:" + the address. A value that is not short printable
  // ASCII (a name no account can have, typed into the form) is stored as '#' and its BLAKE2b
  // hash instead, so a key is at most 67 bytes of ASCII whatever a client sends.
  static std::string AccountKey(std::string_view account, std::string_view address);
  static std::string AddressKey(std::string_view address);

 private:
  // The seconds until `key` may try again under `max` failures, or 0.
  int64_t Wait(const std::string& key, int64_t max, int64_t now);

  store::Accounts& accounts_;
  const RateLimits limits_;
  const Clock clock_;
};

}  // namespace assetpub::auth
