#pragma once
// Content codings for HTTP bodies: gzip (zlib) and brotli encoders and decoders, and the choice
// of a coding from a request's Accept-Encoding (RFC 9110 §12.5.3). zlib and brotli stay behind
// these functions: no other header sees them.
// Thread-safety: every function is reentrant (no shared state).

#include <cstddef>
#include <string>
#include <string_view>

namespace assetpub::http {

enum class ContentCoding { kIdentity, kGzip, kBrotli };

// The coding's token as it appears in Content-Encoding: "identity", "gzip", "br".
std::string_view ContentCodingName(ContentCoding coding);

// The codings a response is available in besides identity (which always is).
struct AvailableCodings {
  bool gzip = true;
  bool brotli = true;
};

// `data` as a gzip member (RFC 1952), `level` 1 (fast) to 9 (small). Throws Error(kInternal) if
// zlib fails (out of memory).
std::string GzipCompress(std::string_view data, int level = 6);
// The bytes of the gzip data `data`. Throws Error(kInvalidInput) when `data` is not complete,
// valid gzip, and Error(kTooLarge) when the result would exceed `max_size` bytes.
std::string GzipDecompress(std::string_view data, size_t max_size = size_t{64} << 20);

// `data` as a brotli stream (RFC 7932), `quality` 0 (fast) to 11 (small). Throws
// Error(kInternal) if the encoder fails.
std::string BrotliCompress(std::string_view data, int quality = 9);
// The bytes of the brotli stream `data`. Throws Error(kInvalidInput) when `data` is not a
// complete, valid stream, and Error(kTooLarge) when the result would exceed `max_size` bytes.
std::string BrotliDecompress(std::string_view data, size_t max_size = size_t{64} << 20);

// The coding to send for a request whose Accept-Encoding value is `accept_encoding` ("" when the
// header is absent), among identity and the `available` ones:
// - each listed coding ("br", "gzip" or its alias "x-gzip", "identity", "*") has a weight, q=1
//   unless a valid ";q=" says otherwise; q=0 means "not acceptable"; "*" covers every coding not
//   listed by name; unknown codings and malformed elements are ignored (never an error);
// - the acceptable available coding with the highest weight wins; on a tie br beats gzip, and a
//   compressed coding beats identity;
// - identity competes only with an explicit weight ("identity;q=0.9" or "*;q=..."); otherwise
//   any acceptable compressed coding is preferred to it;
// - an absent or empty header, or one where nothing available is acceptable, gives identity. That
//   includes "identity;q=0, *;q=0": RFC 9110 allows a 406 there, but sending the page uncompressed
//   is more useful and every client reads it, so no 406 is ever needed.
// Does not allocate.
ContentCoding ChooseEncoding(std::string_view accept_encoding, AvailableCodings available = {});

}  // namespace assetpub::http
