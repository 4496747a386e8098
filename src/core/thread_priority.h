#pragma once
// Background work (the search index's catch-up and its rebuild's shard builders) runs at a lower
// CPU priority than the threads that answer requests, so that pages keep their latency while an
// index is built and the index still gets every cycle the pages leave. A nice level rather than
// SCHED_IDLE: on a server kept busy by requests an idle-class thread could wait forever, and the
// index would never catch up; at nice 10 it still gets about a tenth of a contended core.

namespace assetpub {

inline constexpr int kBackgroundNice = 10;

// Lowers the calling thread (only it: on Linux a thread has its own nice value) to
// kBackgroundNice, unless it already runs lower. Best effort: a refusal is ignored.
void LowerThreadPriority();

}  // namespace assetpub
