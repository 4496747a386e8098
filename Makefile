# assetpub: the two commands a new user types (README.md), and the developer's helpers.
#   make run    install deps, build (Release), import sample-content/, serve on 127.0.0.1:8080
#   make test   install deps, build, run every test (integration and browser tests on the Release
#               build, the unit tests and a short run of each fuzz target on the sanitizer
#               build), then lint
SHELL := /bin/bash
JOBS  ?= $(shell nproc)
BUILD ?= build/release
ASAN  ?= build/asan
DATA  ?= data
LISTEN ?= 127.0.0.1:8080
SUDO  := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# ccache keys on paths relative to the clone, so any clone on this machine shares one cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
SOURCES = $(shell git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 2>/dev/null)

.PHONY: run cluster cluster-stop test deps build build-run unit integration e2e sanitize sanitize-build fuzz format format-check lint clean

# Besides sample-content/, a deterministic demo corpus (generated once into $(DATA)/demo-corpus)
# so the lists, feeds and sitemaps have something to show; re-importing it changes nothing.
run: build-run
	$(BUILD)/src/cli/assetpub --data $(DATA) import sample-content
	[ -d $(DATA)/demo-corpus ] || $(BUILD)/src/cli/assetpub --data $(DATA) gen-corpus \
	  --count 500 --seed 1 --out $(DATA)/demo-corpus
	$(BUILD)/src/cli/assetpub --data $(DATA) import $(DATA)/demo-corpus
	$(BUILD)/src/cli/assetpub --data $(DATA) serve --listen $(LISTEN)

# Several nodes on one machine (docs/deployment.md): PostgreSQL, three `assetpub serve` nodes on
# 127.0.0.1:8081-8083 and HAProxy on 127.0.0.1:8080, with sample-content/ and the demo corpus;
# prints the URLs, the admin's login and an API token. Settings in $(CLUSTER)/cluster.env.
CLUSTER ?= cluster
cluster: build-run
	scripts/cluster start --dir $(CLUSTER) --build $(BUILD) --corpus 500

cluster-stop:
	scripts/cluster stop --dir $(CLUSTER)

# The Release build compiles the binary, the integration and browser tests and the benchmarks (so
# they cannot rot); the unit tests are compiled once, in the sanitizer build, which runs them.
test: build format-check
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) sanitize
	$(MAKE) lint

deps:
	@$(SUDO) scripts/install-deps

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DASSETPUB_UNIT_TESTS=OFF

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# What `make run` serves, and nothing else (no tests, no benchmarks).
build-run: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target assetpub

# The unit tests: they are built and run by the sanitizer build (see test).
unit: sanitize

integration: build
	cd $(BUILD) && ctest --output-on-failure -L integration

# The browser tests only (tests/e2e/): headless Chromium against the real binary, axe-core on
# every page type; screenshots in $(BUILD)/e2e-screenshots/.
e2e: build
	cd $(BUILD) && ctest --output-on-failure -L e2e

# The unit tests again under AddressSanitizer and UndefinedBehaviorSanitizer, built by clang++-14
# with the fuzz targets of tests/fuzz, each of which then runs FUZZ_SECONDS over its seed corpus
# (label "fuzz"; what it finds is kept under $(ASAN)/fuzz/, never in the source tree).
# A tree configured by another compiler is configured afresh. It is built at -O1: the sanitizers
# catch the same bugs, and the unit tests run 2 to 4 times faster than at -O0 (corpus_test 136 ->
# 36 CPU s), which is much of `make test`'s time; the fuzz targets run faster too.
FUZZ_SECONDS ?= 15
SANITIZER_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
sanitize-build: deps
	@if [ -f $(ASAN)/CMakeCache.txt ] && \
	  ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++-14$$' $(ASAN)/CMakeCache.txt; then \
	  echo "sanitize: $(ASAN) was configured with another compiler: configuring it afresh"; \
	  rm -rf $(ASAN)/CMakeCache.txt $(ASAN)/CMakeFiles; fi
	cmake -S . -B $(ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++-14 \
	  "-DCMAKE_CXX_FLAGS_DEBUG=-g -O1" -DASSETPUB_SANITIZE=ON -DASSETPUB_UNIT_TESTS_ONLY=ON -DASSETPUB_FUZZ=ON
	cmake --build $(ASAN) -j $(JOBS)

sanitize: sanitize-build
	cd $(ASAN) && $(SANITIZER_ENV) FUZZ_SECONDS=$(FUZZ_SECONDS) \
	  ctest --output-on-failure -L 'unit|fuzz' -j $(JOBS)

# Every fuzz target for FUZZ_SECONDS (e.g. make fuzz FUZZ_SECONDS=600), FUZZ_JOBS at once, each
# growing its corpus in $(ASAN)/fuzz/<target>/corpus; prints runs, exec/s, corpus and crashes
# per target (tests/fuzz/run-all). FUZZ_TARGETS picks some ("html_body wxr").
# An input taking more than FUZZ_TIMEOUT seconds counts as a hang (`make sanitize` allows 20).
FUZZ_JOBS ?= 2
FUZZ_TIMEOUT ?= 5
FUZZ_TARGETS ?=
fuzz: sanitize-build
	$(SANITIZER_ENV) FUZZ_TIMEOUT=$(FUZZ_TIMEOUT) \
	  tests/fuzz/run-all $(ASAN) $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_TARGETS)

format:
	clang-format -i $(SOURCES)

format-check:
	@clang-format --dry-run --Werror $(SOURCES) && echo "format: clean"

# clang-tidy (.clang-tidy) over src/'s non-test sources, in parallel; needs the Release build's
# compile_commands.json. scripts/lint skips a file whose inputs it has already passed.
lint: $(BUILD)/build.ninja
	scripts/lint $(BUILD) $(JOBS)

clean:
	rm -rf build
