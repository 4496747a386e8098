#include "auth/password.h"

#include <fmt/format.h>
#include <sodium.h>

#include <optional>

#include "auth/crypto.h"
#include "core/error.h"

namespace assetpub::auth {
namespace {

// The number of code points of valid UTF-8 `text`; nullopt when it is not valid UTF-8.
std::optional<size_t> CountCodePoints(std::string_view text) {
  size_t count = 0;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t length = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 0;
    if (length == 0 || i + length > text.size()) return std::nullopt;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return std::nullopt;
    }
    i += length;
    ++count;
  }
  return count;
}

}  // namespace

void CheckPasswordPolicy(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("the password is too long: at most {} bytes", kMaxPasswordBytes));
  }
  const auto length = CountCodePoints(password);
  if (!length) throw Error(ErrorCode::kInvalidInput, "the password is not valid UTF-8 text");
  if (*length < kMinPasswordLength) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("the password is too short: {} characters, at least {} are needed",
                            *length, kMinPasswordLength));
  }
}

PasswordLimits PasswordLimits::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
PasswordLimits PasswordLimits::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
PasswordLimits PasswordLimits::ForTestsOnly() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

PasswordHasher::PasswordHasher(PasswordLimits limits) : limits_(limits) { EnsureSodium(); }

std::string PasswordHasher::Hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), limits_.ops, limits_.memory,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error(ErrorCode::kUnavailable, "out of memory while hashing a password");
  }
  return out;
}

// A member, though it reads no limits (the encoded hash carries its own), so every use of
// passwords goes through one hasher.
// NOLINTNEXTLINE(readability-convert-member-functions-to-static)
bool PasswordHasher::Verify(std::string_view hash, std::string_view password) const {
  // crypto_pwhash_str_verify reads a NUL-terminated string of at most STRBYTES.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::NeedsRehash(std::string_view hash) const {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return true;
  const std::string terminated(hash);
  // 1: other parameters; -1: not an argon2id string at all. Either way, replace it.
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), limits_.ops, limits_.memory) != 0;
}

}  // namespace assetpub::auth
