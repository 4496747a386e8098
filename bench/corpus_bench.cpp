// corpus_bench: the vocabulary of gen-corpus's text (docs/performance.md, "The generated text").
// Generates `--count` items in memory with the generator gen-corpus uses (nothing is written)
// and prints, at each checkpoint (1,000, 10,000, … items, and the last), the words and the
// distinct lower-case words per language and for both together, and the generator's items per
// CPU second. Asserts nothing. See bench/README.md.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "bench_main.h"
#include "corpus/generator.h"
#include "corpus/word_count.h"
#include "corpus/word_lists.h"

namespace assetpub::bench {
namespace {

int Main(int argc, char** argv) {
  int64_t count = 10'000;
  uint64_t seed = 1;
  CLI::App app{"corpus_bench: distinct words of gen-corpus's text"};
  app.add_option("--count", count, "items to generate (default 10000)")
      ->check(CLI::Range(int64_t{1}, corpus::kMaxCount));
  app.add_option("--seed", seed, "corpus seed (default 1)");
  CLI11_PARSE(app, argc, argv);

  const corpus::WordLists words = corpus::LoadWordLists();
  corpus::Generator generator(words, count, seed);
  corpus::WordCount vocabulary;
  double generating = 0;  // CPU seconds inside Next(), not counting
  int64_t checkpoint = 1000;
  for (int64_t i = 1; i <= count; ++i) {
    const double before = CpuSeconds();
    const content::Asset asset = generator.Next();
    generating += CpuSeconds() - before;
    vocabulary.Add(asset);
    if (i != checkpoint && i != count) continue;
    for (const auto& [language, f] : vocabulary.Totals()) {
      fmt::print("items {:>9}  {:<5}  words {:>11}  distinct {:>9}  once {:>9}\n", i, language,
                 f.words, f.distinct, f.once);
    }
    fmt::print("items {:>9}  generator {:.2f} CPU s, {:.0f} items per CPU second\n", i,
               generating, static_cast<double>(i) / generating);
    std::fflush(stdout);
    if (i == checkpoint) checkpoint *= 10;
  }
  return 0;
}

}  // namespace
}  // namespace assetpub::bench

int main(int argc, char** argv) {
  return assetpub::bench::RunMain("corpus_bench", assetpub::bench::Main, argc, argv);
}
