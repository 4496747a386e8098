#pragma once
// The server's limits against floods: how many connections are open (in all, and per client
// address), how many uploads are being received, and how fast one address may send requests.
// ConnectionLimits is shared by every worker (an atomic count, and a mutex over the per-address
// counts, taken once per connection, never per request); a RateLimiter belongs to one worker
// and is used from its thread only (no lock: the hit path takes none). A client's connections
// are spread over the workers, each counting its requests on its own, so a client using several
// connections may reach up to (workers × the rate) before it is refused.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/config.h"

namespace assetpub::http {

// The key the per-address limits count a client under: its IPv4 address as text (an IPv4 client
// seen as ::ffff:a.b.c.d too), or its IPv6 /64 ("2001:db8:1:2::/64"), since one host commonly
// holds a whole /64. The text itself when it is not an IP address.
std::string AddressKey(std::string_view address);

class ConnectionLimits {
 public:
  // `max_total` 0 or `max_per_address` 0: that cap is off. `exempt`: addresses or networks
  // ("127.0.0.1", "10.0.0.0/8", "fd00::/8"; ParseNetwork) the per-address cap leaves alone; an
  // entry that is neither is ignored (config.toml's reader refuses it first).
  ConnectionLimits(size_t max_total, size_t max_per_address, size_t max_uploads,
                   std::vector<std::string> exempt);

  // True when `address` (IP text) is in one of the exempt networks.
  bool Exempt(std::string_view address) const;
  // Counts a new connection from `key` (AddressKey; ignored when `exempt`): true when it is
  // within the caps; false, counting nothing, when it is over one.
  bool Open(const std::string& key, bool exempt);
  // Undoes an Open that returned true, with the same arguments.
  void Close(const std::string& key, bool exempt);
  size_t open() const { return total_.load(std::memory_order_relaxed); }
  size_t max_total() const { return max_total_; }

  // Takes one of the max_uploads places for an upload being received: false when all are
  // taken. Give it back with EndUpload.
  bool BeginUpload();
  void EndUpload();

 private:
  const size_t max_total_;
  const size_t max_per_address_;
  const size_t max_uploads_;
  std::vector<Network> exempt_;
  std::atomic<size_t> total_{0};
  std::atomic<size_t> uploads_{0};
  std::mutex mutex_;  // guards per_address_
  std::unordered_map<std::string, size_t> per_address_;
};

// Requests per address as token buckets: `per_second` a second, in bursts up to `burst`. Not
// thread-safe (one per worker).
class RateLimiter {
 public:
  // `per_second` 0: no limit (Take always allows).
  RateLimiter(double per_second, double burst);

  // Takes one request of `key` at `now`: 0 when it is allowed, else the whole seconds (at least
  // 1) after which one would be. Buckets of addresses idle long enough to be full again are
  // forgotten by Prune; past kMaxTracked addresses, new ones are allowed untracked.
  int64_t Take(const std::string& key, std::chrono::steady_clock::time_point now);
  // Forgets the buckets that are full again at `now` (call about once a second).
  void Prune(std::chrono::steady_clock::time_point now);
  size_t tracked() const { return buckets_.size(); }

  static constexpr size_t kMaxTracked = 100'000;

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  double Refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const;

  const double per_second_;
  const double burst_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace assetpub::http
