#include "core/progress.h"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace assetpub {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

// A clock the test moves by hand, so what is printed when does not depend on the machine.
struct FakeClock {
  steady_clock::time_point now{seconds(1000)};
  Progress::Clock AsClock() {
    return [this] { return now; };
  }
};

TEST(Progress, PlainOutputPrintsALineEveryFiveSecondsAndASummary) {
  FakeClock clock;
  std::ostringstream out;
  Progress progress("import", 1000, out, /*terminal=*/false, clock.AsClock());
  EXPECT_EQ(out.str(), "") << "nothing before the first interval";

  clock.now += seconds(2);
  progress.Advance(100);
  EXPECT_EQ(out.str(), "");

  clock.now += seconds(3);  // 5 s in: 250 done, 50/s, 750 left at 50/s = 15 s
  progress.Advance(150);
  EXPECT_EQ(out.str(), "import: 250/1000 (25%), 50/s, 0:15 left\n");

  clock.now += seconds(1);
  progress.Advance(10);
  EXPECT_EQ(out.str(), "import: 250/1000 (25%), 50/s, 0:15 left\n") << "next line 5 s later";

  clock.now += seconds(14);  // 20 s in
  progress.Advance(740);
  progress.Finish();
  EXPECT_EQ(out.str(),
            "import: 250/1000 (25%), 50/s, 0:15 left\n"
            "import: 1000/1000 (100%), 50/s, 0:00 left\n"
            "import: 1000/1000 in 20.0 s, 50/s\n");

  progress.Finish();
  progress.Advance();
  EXPECT_EQ(progress.done(), 1001);
  EXPECT_EQ(out.str().find("in 20.0 s"), out.str().rfind("in 20.0 s")) << "one summary only";
}

TEST(Progress, UnknownTotalShowsCountAndRateOnly) {
  FakeClock clock;
  std::ostringstream out;
  Progress progress("reindex", 0, out, false, clock.AsClock());
  clock.now += milliseconds(5500);
  progress.Advance(11);
  progress.Finish();
  EXPECT_EQ(out.str(),
            "reindex: 11, 2.0/s\n"
            "reindex: 11 in 5.5 s, 2.0/s\n");
}

TEST(Progress, TerminalRedrawsOneLineAtMostTenTimesASecond) {
  FakeClock clock;
  std::ostringstream out;
  Progress progress("gen-corpus", 100, out, /*terminal=*/true, clock.AsClock());
  for (int i = 0; i < 50; ++i) {
    clock.now += milliseconds(10);
    progress.Advance();
  }
  // 500 ms of advances every 10 ms: the first draw plus one per 100 ms.
  const std::string text = out.str();
  size_t redraws = 0;
  for (size_t at = text.find('\r'); at != std::string::npos; at = text.find('\r', at + 1)) {
    ++redraws;
  }
  EXPECT_EQ(redraws, 6u);
  EXPECT_EQ(text.find('\n'), std::string::npos) << "a bar never scrolls";
  progress.Finish();
  EXPECT_TRUE(out.str().ends_with("\rgen-corpus: 50/100 in 0.5 s, 100/s\033[K\n")) << out.str();
}

TEST(Progress, BarLineShowsBarCountRateAndTimeLeft) {
  std::ostringstream out;
  FakeClock clock;
  Progress progress("import", 200, out, true, clock.AsClock());
  EXPECT_EQ(progress.BarLine(50, seconds(10)),
            "import [#######-----------------------] 50/200  5.0/s  0:30 left");
  EXPECT_EQ(progress.BarLine(0, seconds(0)), "import [------------------------------] 0/200  -/s");
}

TEST(Progress, PrintAboveClearsTheBarAndRedrawsIt) {
  std::ostringstream out;
  FakeClock clock;
  Progress progress("import", 10, out, true, clock.AsClock());
  out.str("");
  progress.PrintAbove([&] { out << "rejected  a.json: bad\n"; });
  EXPECT_EQ(out.str(),
            "\r\033[Krejected  a.json: bad\n\rimport [------------------------------] "
            "0/10  -/s\033[K");
}

TEST(Progress, AdvanceFromManyThreadsCountsEveryStep) {
  std::ostringstream out;
  Progress progress("work", 0, out, false, [] { return steady_clock::now(); });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) progress.Advance();
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(progress.done(), 40000);
}

TEST(FormatDuration, MinutesAndHours) {
  EXPECT_EQ(FormatDuration(seconds(7)), "0:07");
  EXPECT_EQ(FormatDuration(seconds(754)), "12:34");
  EXPECT_EQ(FormatDuration(seconds(3723)), "1:02:03");
  EXPECT_EQ(FormatDuration(seconds(-3)), "0:00");
}

}  // namespace
}  // namespace assetpub
