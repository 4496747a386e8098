#include "auth/rate_limiter.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace assetpub::auth {

LoginRateLimiter::LoginRateLimiter(RateLimits limits, Clock clock)
    : limits_(limits), clock_(std::move(clock)) {}

std::string LoginRateLimiter::AccountKey(std::string_view account) {
  std::string key = "a:";
  for (char c : account) key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  return key;
}

std::string LoginRateLimiter::AddressKey(std::string_view address) {
  return "i:" + std::string(address);
}

int64_t LoginRateLimiter::Wait(Failures& failures, int64_t max, int64_t now) const {
  while (!failures.empty() && failures.front() <= now - limits_.window_seconds) {
    failures.pop_front();
  }
  if (static_cast<int64_t>(failures.size()) < max) return 0;
  // Free again when enough of the oldest failures have left the window to get under `max`.
  const int64_t frees_at =
      failures[failures.size() - static_cast<size_t>(max)] + limits_.window_seconds;
  return std::max<int64_t>(1, frees_at - now);
}

int64_t LoginRateLimiter::RetryAfter(std::string_view account, std::string_view address) {
  const int64_t now = clock_().seconds;
  std::lock_guard lock(mutex_);
  int64_t wait = 0;
  if (auto it = failures_.find(AccountKey(account)); it != failures_.end()) {
    wait = std::max(wait, Wait(it->second, limits_.account_failures, now));
  }
  if (auto it = failures_.find(AddressKey(address)); it != failures_.end()) {
    wait = std::max(wait, Wait(it->second, limits_.address_failures, now));
  }
  return wait;
}

void LoginRateLimiter::RecordFailure(std::string_view account, std::string_view address) {
  const int64_t now = clock_().seconds;
  std::lock_guard lock(mutex_);
  if (failures_.size() + 2 > limits_.max_keys) Prune(now);
  for (const std::string& key : {AccountKey(account), AddressKey(address)}) {
    Failures& failures = failures_[key];
    failures.push_back(now);
    // More than the larger limit is never needed to decide.
    const auto keep =
        static_cast<size_t>(std::max(limits_.account_failures, limits_.address_failures));
    while (failures.size() > keep) failures.pop_front();
  }
}

void LoginRateLimiter::RecordSuccess(std::string_view account) {
  std::lock_guard lock(mutex_);
  failures_.erase(AccountKey(account));
}

void LoginRateLimiter::Prune(int64_t now) {
  std::erase_if(failures_, [&](const auto& entry) {
    return entry.second.empty() || entry.second.back() <= now - limits_.window_seconds;
  });
  if (failures_.size() + 2 <= limits_.max_keys) return;
  // Still full (a flood of distinct keys): drop the stalest half. Their failures are forgotten,
  // which favours the attacker a little, but memory stays bounded.
  std::vector<std::pair<int64_t, std::string>> by_age;
  by_age.reserve(failures_.size());
  for (const auto& [key, failures] : failures_) by_age.emplace_back(failures.back(), key);
  std::sort(by_age.begin(), by_age.end());
  for (size_t i = 0; i < by_age.size() / 2 + 2 && i < by_age.size(); ++i) {
    failures_.erase(by_age[i].second);
  }
}

}  // namespace assetpub::auth
