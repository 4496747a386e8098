#pragma once
// The few libsodium primitives auth/ needs, behind plain strings: random secrets, their hashes,
// encodings and a constant-time comparison. Only auth/ sees libsodium. Every function calls
// EnsureSodium() itself. Thread-safe (libsodium is, once initialised).

#include <cstddef>
#include <string>
#include <string_view>

namespace assetpub::auth {

// Initialises libsodium once per process (sodium_init, behind std::call_once). Throws
// Error(kInternal) if it fails (no usable random source).
void EnsureSodium();

// `bytes` random bytes from the system's CSPRNG (randombytes_buf).
std::string RandomBytes(size_t bytes);

// URL-safe base64 without padding (RFC 4648 §5): safe in a cookie, a header and a URL.
std::string Base64Url(std::string_view bytes);
// Lowercase hexadecimal.
std::string Hex(std::string_view bytes);

// BLAKE2b-256 (crypto_generichash) of `message`: 32 raw bytes.
std::string Digest(std::string_view message);

// BLAKE2b-256 (crypto_generichash) of `secret`, in hex: how a token or a session id is stored
// and looked up. A fast hash is right here: the secrets carry 256 random bits, so there is
// nothing to brute-force, unlike a password.
std::string HashSecret(std::string_view secret);

// BLAKE2b-256 keyed with `key` (16..64 bytes) over `message`, raw bytes: a MAC.
std::string KeyedHash(std::string_view key, std::string_view message);

// True when `a` and `b` are equal, in time that depends only on their lengths (sodium_memcmp).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace assetpub::auth
