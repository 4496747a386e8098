#include "http/limits.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <optional>
#include <utility>

namespace assetpub::http {

std::string AddressKey(std::string_view address) {
  const std::string text(address);
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return text;  // IPv4, or not an address
  const unsigned char* b = v6.s6_addr;
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b, kMapped, sizeof kMapped) == 0) {
    return fmt::format("{}.{}.{}.{}", b[12], b[13], b[14], b[15]);
  }
  return fmt::format("{:x}:{:x}:{:x}:{:x}::/64", b[0] << 8 | b[1], b[2] << 8 | b[3],
                     b[4] << 8 | b[5], b[6] << 8 | b[7]);
}

ConnectionLimits::ConnectionLimits(size_t max_total, size_t max_per_address, size_t max_uploads,
                                   std::vector<std::string> exempt)
    : max_total_(max_total), max_per_address_(max_per_address), max_uploads_(max_uploads) {
  for (const std::string& entry : exempt) {
    if (const std::optional<Network> network = ParseNetwork(entry)) exempt_.push_back(*network);
  }
}

bool ConnectionLimits::Exempt(std::string_view address) const {
  return std::any_of(exempt_.begin(), exempt_.end(),
                     [&](const Network& network) { return network.Contains(address); });
}

bool ConnectionLimits::Open(const std::string& key, bool exempt) {
  if (total_.fetch_add(1, std::memory_order_relaxed) >= max_total_ && max_total_ > 0) {
    total_.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }
  if (exempt || max_per_address_ == 0) return true;
  const std::lock_guard lock(mutex_);
  size_t& count = per_address_[key];
  if (count >= max_per_address_) {
    total_.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }
  ++count;
  return true;
}

void ConnectionLimits::Close(const std::string& key, bool exempt) {
  total_.fetch_sub(1, std::memory_order_relaxed);
  if (exempt || max_per_address_ == 0) return;
  const std::lock_guard lock(mutex_);
  const auto found = per_address_.find(key);
  if (found == per_address_.end()) return;
  if (--found->second == 0) per_address_.erase(found);
}

bool ConnectionLimits::BeginUpload() {
  if (uploads_.fetch_add(1, std::memory_order_relaxed) >= max_uploads_) {
    uploads_.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }
  return true;
}

void ConnectionLimits::EndUpload() { uploads_.fetch_sub(1, std::memory_order_relaxed); }

RateLimiter::RateLimiter(double per_second, double burst)
    : per_second_(per_second), burst_(std::max(burst, per_second)) {}

double RateLimiter::Refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - bucket.last).count();
  if (elapsed > 0) {
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * per_second_);
    bucket.last = now;
  }
  return bucket.tokens;
}

int64_t RateLimiter::Take(const std::string& key, std::chrono::steady_clock::time_point now) {
  if (per_second_ <= 0) return 0;
  auto found = buckets_.find(key);
  if (found == buckets_.end()) {
    if (buckets_.size() >= kMaxTracked) Prune(now);
    if (buckets_.size() >= kMaxTracked) return 0;  // too many to follow: let them through
    found = buckets_.emplace(key, Bucket{burst_, now}).first;
  }
  Bucket& bucket = found->second;
  if (Refill(bucket, now) >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil((1 - bucket.tokens) / per_second_)));
}

void RateLimiter::Prune(std::chrono::steady_clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = Refill(it->second, now) >= burst_ ? buckets_.erase(it) : std::next(it);
  }
}

}  // namespace assetpub::http
