#include "store/blob_chunks.h"

#include <fmt/format.h>

#include <string>

#include "core/error.h"

namespace assetpub::store {

void CheckBlob(std::string_view key, const BlobInfo& info) {
  if (key.empty()) throw Error(ErrorCode::kInvalidInput, "blob: the key is empty");
  if (info.size < 0) {
    throw Error(ErrorCode::kInvalidInput, fmt::format("blob {}: negative size {}", key, info.size));
  }
}

void WriteChunks(std::string_view key, const BlobInfo& info, const BlobSource& source,
                 const std::function<void(int64_t seq, std::string_view chunk)>& write) {
  std::string buffer(kBlobChunkBytes, '\0');
  int64_t total = 0;
  bool ended = false;
  for (int64_t seq = 0; !ended; ++seq) {
    // A source may hand over less than asked before its end (a pipe, a socket): fill the chunk,
    // so that every chunk but the last is whole and a reader can count on it.
    size_t filled = 0;
    while (filled < buffer.size()) {
      const size_t n = source(buffer.data() + filled, buffer.size() - filled);
      if (n == 0) {
        ended = true;
        break;
      }
      if (n > buffer.size() - filled) {
        throw Error(ErrorCode::kInternal,
                    fmt::format("blob {}: the source returned more than it was asked for", key));
      }
      filled += n;
    }
    total += static_cast<int64_t>(filled);
    if (total > info.size) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("blob {}: more than the {} bytes declared", key, info.size));
    }
    if (filled > 0) write(seq, std::string_view(buffer.data(), filled));
  }
  if (total != info.size) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("blob {}: {} bytes, not the {} declared", key, total, info.size));
  }
}

}  // namespace assetpub::store
