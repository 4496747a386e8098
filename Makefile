# assetpub: the two commands a new user types (README.md), and the developer's helpers.
#   make run    install deps, build (Release), import sample-content/, serve on 127.0.0.1:8080
#   make test   install deps, build, run every test (unit, integration, sanitizer build)
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

.PHONY: run test deps build build-asan unit integration e2e sanitize format format-check lint clean

# Besides sample-content/, a deterministic demo corpus (generated once into $(DATA)/demo-corpus)
# so the lists, feeds and sitemaps have something to show; re-importing it changes nothing.
run: build
	$(BUILD)/src/cli/assetpub --data $(DATA) import sample-content
	[ -d $(DATA)/demo-corpus ] || $(BUILD)/src/cli/assetpub --data $(DATA) gen-corpus \
	  --count 500 --seed 1 --out $(DATA)/demo-corpus
	$(BUILD)/src/cli/assetpub --data $(DATA) import $(DATA)/demo-corpus
	$(BUILD)/src/cli/assetpub --data $(DATA) serve --listen $(LISTEN)

test: build format-check
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) sanitize

deps:
	@$(SUDO) scripts/install-deps

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

unit: build
	cd $(BUILD) && ctest --output-on-failure -L unit -j $(JOBS)

integration: build
	cd $(BUILD) && ctest --output-on-failure -L integration

# The browser tests only (tests/e2e/): headless Chromium against the real binary, axe-core on
# every page type; screenshots in $(BUILD)/e2e-screenshots/.
e2e: build
	cd $(BUILD) && ctest --output-on-failure -L e2e

# The unit tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize: deps
	cmake -S . -B $(ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DASSETPUB_SANITIZE=ON \
	  -DASSETPUB_UNIT_TESTS_ONLY=ON
	cmake --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -L unit -j $(JOBS)

format:
	clang-format -i $(SOURCES)

format-check:
	@clang-format --dry-run --Werror $(SOURCES) && echo "format: clean"

lint: build
	clang-tidy -p $(BUILD) --quiet $(filter %.cpp,$(SOURCES))

clean:
	rm -rf build
