#pragma once
// What every backend's Store::PutBlob does alike (store.h): checking the key and the declared
// info, and cutting what a BlobSource yields into chunks of kBlobChunkBytes, the size checked
// against the declared one. For the backends only. Thread-safety: none needed (no shared state).

#include <cstdint>
#include <functional>
#include <string_view>

#include "store/store.h"

namespace assetpub::store {

// Throws Error(kInvalidInput) for an empty key or a negative size.
void CheckBlob(std::string_view key, const BlobInfo& info);

// Reads `source` to its end and calls `write(seq, chunk)` for each chunk in order (seq 0, 1, …;
// every chunk kBlobChunkBytes long but the last; none for no bytes); `chunk` is valid during the
// call only. Throws Error(kInvalidInput) naming `key` as soon as the bytes exceed `info.size`,
// or at the end when they fall short; whatever `source` or `write` throws passes through.
void WriteChunks(std::string_view key, const BlobInfo& info, const BlobSource& source,
                 const std::function<void(int64_t seq, std::string_view chunk)>& write);

}  // namespace assetpub::store
