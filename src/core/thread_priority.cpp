#include "core/thread_priority.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>

namespace assetpub {

void LowerThreadPriority() {
  const auto thread = static_cast<id_t>(::gettid());
  errno = 0;
  const int current = ::getpriority(PRIO_PROCESS, thread);
  if (errno != 0 || current >= kBackgroundNice) return;
  ::setpriority(PRIO_PROCESS, thread, kBackgroundNice);
}

}  // namespace assetpub
