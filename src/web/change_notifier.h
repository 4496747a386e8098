#pragma once
// ChangeNotifier tells the parts that follow the store's changes log (the response cache, the
// search index) that this process has just committed a write, so that they catch up before the
// writer answers: the next request, from anyone, sees the new content. Writes of other
// processes (the CLI's import) are still found by polling the log; this only removes the delay
// for the writes the server makes itself (the write API, /admin/, the scheduler).
//
// Thread-safety: Subscribe before serving starts (not concurrently with Notify); Notify may be
// called from any number of threads at once, and calls every listener on the caller's thread,
// in the order they subscribed. A listener must be thread-safe and must not throw.

#include <functional>
#include <utility>
#include <vector>

namespace assetpub::web {

class ChangeNotifier {
 public:
  using Listener = std::function<void()>;

  void Subscribe(Listener listener) { listeners_.push_back(std::move(listener)); }

  // Call after a write transaction has committed.
  void Notify() const {
    for (const Listener& listener : listeners_) listener();
  }

 private:
  std::vector<Listener> listeners_;
};

}  // namespace assetpub::web
