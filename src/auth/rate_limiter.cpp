#include "auth/rate_limiter.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "auth/crypto.h"
#include "core/text.h"

namespace assetpub::auth {
namespace {

// `prefix` + `value`, or `prefix` + '#' + its hash when `value` is long or holds anything but
// printable ASCII: keys stay small and valid text for every database (PostgreSQL refuses bytes
// that are not UTF-8, and a long key would only cost index space). A hashed key cannot collide
// with a plain one: "#" + 64 hex digits is longer than any value kept as it is.
std::string StoredKey(std::string_view prefix, std::string_view value) {
  constexpr size_t kMaxPlain = 64;
  const bool plain = value.size() <= kMaxPlain &&
                     std::ranges::all_of(value, [](char c) { return c > ' ' && c < 0x7f; });
  return std::string(prefix) + (plain ? std::string(value) : "#" + HashSecret(value));
}

}  // namespace

LoginRateLimiter::LoginRateLimiter(store::Accounts& accounts, RateLimits limits, Clock clock)
    : accounts_(accounts), limits_(limits), clock_(std::move(clock)) {
  assert(limits_.account_failures >= 1 && limits_.address_failures >= 1 &&
         limits_.window_seconds >= 1);
}

std::string LoginRateLimiter::AccountKey(std::string_view account, std::string_view address) {
  // An address never holds '|', so no two pairs share a key; a long or non-ASCII name is hashed
  // whole with the address.
  return StoredKey("p:", AsciiLower(account) + "|" + std::string(address));
}

std::string LoginRateLimiter::AddressKey(std::string_view address) {
  return StoredKey("i:", address);
}

int64_t LoginRateLimiter::Wait(const std::string& key, int64_t max, int64_t now) {
  // A failure at `now - window` has just left the window.
  const content::Instant since{now - limits_.window_seconds + 1};
  const store::LoginFailureCount failures = accounts_.CountLoginFailures(key, since, max);
  if (failures.count < max || !failures.oldest) return 0;
  // The newest `max` failures were counted: free again when the oldest of them leaves.
  return std::max<int64_t>(1, failures.oldest->seconds + limits_.window_seconds - now);
}

int64_t LoginRateLimiter::RetryAfter(std::string_view account, std::string_view address) {
  const int64_t now = clock_().seconds;
  return std::max(Wait(AccountKey(account, address), limits_.account_failures, now),
                  Wait(AddressKey(address), limits_.address_failures, now));
}

void LoginRateLimiter::RecordFailure(std::string_view account, std::string_view address) {
  const int64_t now = clock_().seconds;
  accounts_.RecordLoginFailure({AccountKey(account, address), AddressKey(address)},
                               content::Instant{now});
  accounts_.DeleteLoginFailuresBefore(content::Instant{now - limits_.window_seconds + 1});
}

void LoginRateLimiter::RecordSuccess(std::string_view account, std::string_view address) {
  accounts_.ClearLoginFailures(AccountKey(account, address));
}

}  // namespace assetpub::auth
