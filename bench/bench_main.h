#pragma once
// What the benchmarks share: the process's CPU time, and a main() that prints an exception's
// message under the benchmark's name and exits 1.

#include <sys/resource.h>

#include <cstdio>
#include <exception>

namespace assetpub::bench {

// CPU seconds (user + system) of the whole process so far, every thread included.
inline double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Runs `main`; an exception is reported as "name: message" on stderr, exit status 1.
inline int RunMain(const char* name, int (*main)(int, char**), int argc, char** argv) {
  try {
    return main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 1;
  }
}

}  // namespace assetpub::bench
