#pragma once
// Password hashing with argon2id (libsodium crypto_pwhash_str): the encoded hash string carries
// its own salt and parameters, so a hash made with older limits still verifies, and NeedsRehash
// says when to replace it (at the next successful login). Thread-safe: a PasswordHasher holds
// only its limits; each Hash/Verify allocates its own memory (memlimit bytes).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace assetpub::auth {

// The shortest password accepted, in characters (Unicode code points, not bytes).
inline constexpr size_t kMinPasswordLength = 12;
// The longest, in bytes: beyond it is a mistake or an attempt to make hashing expensive.
inline constexpr size_t kMaxPasswordBytes = 1024;

// Throws Error(kInvalidInput), with a message a person can act on, when `password` is shorter
// than kMinPasswordLength characters, longer than kMaxPasswordBytes bytes, or not UTF-8.
void CheckPasswordPolicy(std::string_view password);

struct PasswordLimits {
  uint64_t ops = 0;   // argon2id passes (crypto_pwhash OPSLIMIT)
  size_t memory = 0;  // bytes of memory per hash (crypto_pwhash MEMLIMIT)

  // crypto_pwhash_OPSLIMIT/MEMLIMIT_INTERACTIVE: 2 passes over 64 MiB, about 0.1 s here. The
  // default: see authenticator.h (AuthOptions) for why not MODERATE.
  static PasswordLimits Interactive();
  // crypto_pwhash_OPSLIMIT/MEMLIMIT_MODERATE: 3 passes over 256 MiB, about 0.7 s.
  static PasswordLimits Moderate();
  // The smallest limits libsodium accepts (1 pass, 8 KiB): for tests only, so they stay fast.
  static PasswordLimits ForTestsOnly();
};

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordLimits limits = PasswordLimits::Interactive());

  // The encoded argon2id hash ("$argon2id$v=19$m=…") of `password`, with a fresh random salt.
  // Does not check the policy (call CheckPasswordPolicy first for a new password). Throws
  // Error(kUnavailable) when the memory for hashing cannot be allocated.
  std::string Hash(std::string_view password) const;
  // True when `password` matches `hash`. False for a wrong password and for a hash that is
  // not a valid encoded argon2 string (never throws for bad input).
  bool Verify(std::string_view hash, std::string_view password) const;
  // True when `hash` was made with other limits than this hasher's (or is not one we can
  // read): it should be replaced by Hash() of the password, which is known at login.
  bool NeedsRehash(std::string_view hash) const;

  const PasswordLimits& limits() const { return limits_; }

 private:
  PasswordLimits limits_;
};

}  // namespace assetpub::auth
