#pragma once
// LoginRateLimiter slows password guessing: it counts failed logins per account and per client
// address in a sliding window, in memory (per process: each node of a cluster counts its own).
// When a key has had `max_failures` failures within `window_seconds`, further attempts on it are
// refused, without checking the password, until the oldest failure leaves the window: the HTTP
// layer answers 429 with Retry-After. A successful login clears the account's failures (not the
// address's: an address that guesses many accounts stays limited).
//
// Thread-safe: every method takes `mutex_`. Memory is bounded: keys whose failures have all left
// the window are dropped, and past `max_keys` keys the stalest are dropped first.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/clock.h"

namespace assetpub::auth {

struct RateLimits {
  // 5 failures per 15 minutes for one account: a person who mistypes a few times is not
  // locked out for long, a guesser gets 480 tries a day at most.
  int64_t account_failures = 5;
  // 20 failures per 15 minutes for one address: higher, since an office's NAT puts many
  // editors behind one address, yet low enough to stop one client spraying many accounts.
  int64_t address_failures = 20;
  int64_t window_seconds = int64_t{15} * 60;
  size_t max_keys = 100000;
};

class LoginRateLimiter {
 public:
  explicit LoginRateLimiter(RateLimits limits = {}, Clock clock = content::Now);

  // 0 when a login for `account` (a user name, compared ignoring ASCII case) from `address` may
  // be attempted now; otherwise the seconds until it may (for Retry-After), at least 1.
  int64_t RetryAfter(std::string_view account, std::string_view address);
  // Records a failed attempt (wrong password, unknown or disabled account) against both keys.
  void RecordFailure(std::string_view account, std::string_view address);
  // Records a successful login: clears the account's failures.
  void RecordSuccess(std::string_view account);

 private:
  using Failures = std::deque<int64_t>;  // the failures' times (seconds), oldest first
  static std::string AccountKey(std::string_view account);
  static std::string AddressKey(std::string_view address);
  // Drops failures older than the window from `failures`; then the seconds until the key may
  // try again under `max` failures, or 0.
  int64_t Wait(Failures& failures, int64_t max, int64_t now) const;
  void Prune(int64_t now);

  const RateLimits limits_;
  const Clock clock_;
  std::mutex mutex_;                                    // guards failures_
  std::unordered_map<std::string, Failures> failures_;  // "a:" + account or "i:" + address
};

}  // namespace assetpub::auth
