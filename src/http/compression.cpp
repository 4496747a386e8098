#include "http/compression.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <memory>

#include "core/error.h"
#include "core/text.h"

namespace assetpub::http {
namespace {

// zlib counts in uInt (32 bits): feed larger buffers in slices.
constexpr size_t kZlibSlice = size_t{1} << 30;
constexpr size_t kChunk = size_t{64} << 10;
// windowBits 15 plus 16 asks zlib for a gzip wrapper (header and CRC-32) instead of zlib's own.
constexpr int kGzipWindowBits = 15 + 16;

void AppendOrThrow(std::string& out, const char* data, size_t size, size_t max_size) {
  if (out.size() + size > max_size) {
    throw Error(ErrorCode::kTooLarge, "the decompressed body is larger than the limit");
  }
  out.append(data, size);
}

// ASCII lower-case comparison against a lower-case literal.
bool TokenIs(std::string_view token, std::string_view lower) {
  if (token.size() != lower.size()) return false;
  for (size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != lower[i]) return false;
  }
  return true;
}

// A qvalue (RFC 9110 §12.4.2) in thousandths, or -1 when malformed.
int ParseQValue(std::string_view text) {
  if (text.empty() || text.size() > 5) return -1;
  if (text[0] != '0' && text[0] != '1') return -1;
  int value = (text[0] - '0') * 1000;
  if (text.size() == 1) return value;
  if (text[1] != '.') return -1;
  int scale = 100;
  for (size_t i = 2; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value += (text[i] - '0') * scale;
    scale /= 10;
  }
  return value > 1000 ? -1 : value;
}

// The weight of one Accept-Encoding element's parameters ("; q=0.5"), or -1 when malformed.
// Parameters other than q are ignored.
int ParseWeight(std::string_view params) {
  int weight = 1000;
  while (!params.empty()) {
    params = Trim(params, kBlanks);
    if (params.empty()) break;
    if (params.front() != ';') return -1;
    params.remove_prefix(1);
    const size_t next = params.find(';');
    const std::string_view param = Trim(params.substr(0, next), kBlanks);
    params = next == std::string_view::npos ? std::string_view() : params.substr(next);
    const size_t equals = param.find('=');
    if (equals == std::string_view::npos) return -1;
    if (TokenIs(Trim(param.substr(0, equals), kBlanks), "q")) {
      weight = ParseQValue(Trim(param.substr(equals + 1), kBlanks));
      if (weight < 0) return -1;
    }
  }
  return weight;
}

}  // namespace

std::string_view ContentCodingName(ContentCoding coding) {
  switch (coding) {
    case ContentCoding::kGzip:
      return "gzip";
    case ContentCoding::kBrotli:
      return "br";
    case ContentCoding::kIdentity:
      break;
  }
  return "identity";
}

std::string GzipCompress(std::string_view data, int level) {
  z_stream stream{};
  if (deflateInit2(&stream, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Error(ErrorCode::kInternal, "zlib: deflateInit2 failed");
  }
  const std::unique_ptr<z_stream, int (*)(z_streamp)> guard(&stream, deflateEnd);
  std::string out;
  // deflateBound is exact enough for one pass when the input fits in a slice.
  out.resize(deflateBound(&stream, static_cast<uLong>(std::min(data.size(), kZlibSlice))) + 64);
  size_t produced = 0;
  size_t consumed = 0;
  int result = Z_OK;
  while (result != Z_STREAM_END) {
    const size_t slice = std::min(data.size() - consumed, kZlibSlice);
    // zlib's API is not const-correct: it never writes through next_in.
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
    stream.avail_in = static_cast<uInt>(slice);
    const bool last = consumed + slice == data.size();
    if (out.size() - produced < kChunk) out.resize(out.size() + std::max(kChunk, out.size() / 2));
    const size_t room = std::min(out.size() - produced, kZlibSlice);
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    stream.avail_out = static_cast<uInt>(room);
    result = deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH);
    if (result == Z_STREAM_ERROR) throw Error(ErrorCode::kInternal, "zlib: deflate failed");
    consumed += slice - stream.avail_in;
    produced += room - stream.avail_out;
  }
  out.resize(produced);
  return out;
}

std::string GzipDecompress(std::string_view data, size_t max_size) {
  z_stream stream{};
  if (inflateInit2(&stream, kGzipWindowBits) != Z_OK) {
    throw Error(ErrorCode::kInternal, "zlib: inflateInit2 failed");
  }
  const std::unique_ptr<z_stream, int (*)(z_streamp)> guard(&stream, inflateEnd);
  std::string out;
  char buffer[kChunk];
  size_t consumed = 0;
  int result = Z_OK;
  while (result != Z_STREAM_END) {
    const size_t slice = std::min(data.size() - consumed, kZlibSlice);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
    stream.avail_in = static_cast<uInt>(slice);
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    result = inflate(&stream, Z_NO_FLUSH);
    if (result != Z_OK && result != Z_STREAM_END) {
      // Z_BUF_ERROR here means the input ended before the stream did.
      throw Error(ErrorCode::kInvalidInput, "the gzip data is truncated or corrupt");
    }
    consumed += slice - stream.avail_in;
    AppendOrThrow(out, buffer, sizeof buffer - stream.avail_out, max_size);
  }
  if (consumed != data.size()) {
    throw Error(ErrorCode::kInvalidInput, "trailing bytes after the gzip data");
  }
  return out;
}

std::string BrotliCompress(std::string_view data, int quality) {
  size_t size = BrotliEncoderMaxCompressedSize(data.size());
  if (size == 0) throw Error(ErrorCode::kInternal, "brotli: the input is too large");
  std::string out(size, '\0');
  if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, data.size(),
                             reinterpret_cast<const uint8_t*>(data.data()), &size,
                             reinterpret_cast<uint8_t*>(out.data()))) {
    throw Error(ErrorCode::kInternal, "brotli: BrotliEncoderCompress failed");
  }
  out.resize(size);
  return out;
}

std::string BrotliDecompress(std::string_view data, size_t max_size) {
  const std::unique_ptr<BrotliDecoderState, void (*)(BrotliDecoderState*)> state(
      BrotliDecoderCreateInstance(nullptr, nullptr, nullptr), BrotliDecoderDestroyInstance);
  if (!state) throw Error(ErrorCode::kInternal, "brotli: cannot create a decoder");
  std::string out;
  uint8_t buffer[kChunk];
  size_t available_in = data.size();
  const auto* next_in = reinterpret_cast<const uint8_t*>(data.data());
  while (true) {
    size_t available_out = sizeof buffer;
    uint8_t* next_out = buffer;
    const BrotliDecoderResult result = BrotliDecoderDecompressStream(
        state.get(), &available_in, &next_in, &available_out, &next_out, nullptr);
    AppendOrThrow(out, reinterpret_cast<const char*>(buffer), sizeof buffer - available_out,
                  max_size);
    if (result == BROTLI_DECODER_RESULT_SUCCESS) break;
    if (result != BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) {
      throw Error(ErrorCode::kInvalidInput, "the brotli data is truncated or corrupt");
    }
  }
  if (available_in != 0) {
    throw Error(ErrorCode::kInvalidInput, "trailing bytes after the brotli data");
  }
  return out;
}

ContentCoding ChooseEncoding(std::string_view accept_encoding, AvailableCodings available) {
  // Weights in thousandths; -1 is "not listed".
  int brotli = -1;
  int gzip = -1;
  int identity = -1;
  int star = -1;
  while (!accept_encoding.empty()) {
    const size_t comma = accept_encoding.find(',');
    const std::string_view element = Trim(accept_encoding.substr(0, comma), kBlanks);
    accept_encoding =
        comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    if (element.empty()) continue;
    const size_t semicolon = element.find(';');
    const std::string_view token = Trim(element.substr(0, semicolon), kBlanks);
    const int weight =
        semicolon == std::string_view::npos ? 1000 : ParseWeight(element.substr(semicolon));
    if (weight < 0) continue;
    // A coding listed twice keeps its highest weight.
    if (TokenIs(token, "br")) {
      brotli = std::max(brotli, weight);
    } else if (TokenIs(token, "gzip") || TokenIs(token, "x-gzip")) {
      gzip = std::max(gzip, weight);
    } else if (TokenIs(token, "identity")) {
      identity = std::max(identity, weight);
    } else if (token == "*") {
      star = std::max(star, weight);
    }
  }
  const auto effective = [star](int listed, bool offered) {
    if (!offered) return 0;
    return listed >= 0 ? listed : std::max(star, 0);
  };
  const int brotli_q = effective(brotli, available.brotli);
  const int gzip_q = effective(gzip, available.gzip);
  const ContentCoding best = brotli_q >= gzip_q ? ContentCoding::kBrotli : ContentCoding::kGzip;
  const int best_q = std::max(brotli_q, gzip_q);
  if (best_q == 0) return ContentCoding::kIdentity;
  const int identity_q = identity >= 0 ? identity : star;
  return identity_q > best_q ? ContentCoding::kIdentity : best;
}

}  // namespace assetpub::http
