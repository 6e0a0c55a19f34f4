# The two commands of the README: `make demo` and `make test`. Both install what is missing
# (Debian packages), configure and build with CMake, then run.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps test-deps build demo test test-asan leak-check lint bench fuzz dist clean
FUZZ_SECONDS ?= 1800

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@cmake --build build -j $(JOBS)

demo: build
	@echo "== kmc check examples/ =="
	@./build/kmc check examples/ || true
	@./build/kmc graph examples/ -o build/demo-topology.svg && echo "== topology drawn: build/demo-topology.svg (kmc graph examples/)" \
		|| ./build/kmc graph examples/ > build/demo-topology.dot

# A self-contained kmc (only the C library linked dynamically; Graphviz loaded when present) in
# dist/kmc-VERSION-linux-ARCH.tar.gz, with its man page and bash, zsh and fish completions.
dist: deps
	@cmake -S . -B build-dist -DCMAKE_BUILD_TYPE=Release -DKMC_DIST=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-dist -j $(JOBS) --target kmc
	@bash scripts/dist.sh build-dist dist

# The tests also need the reference tools they run beside kmc (pre-commit, git).
test-deps:
	@KMC_WITH_TESTS=1 bash scripts/install-deps.sh

test: build test-deps dist
	@cd build && ctest --output-on-failure -j $(JOBS)
	@bash tests/integration/dist.sh dist/kmc-*.tar.gz
	@bash tests/integration/github_action.sh dist/kmc-*.tar.gz .

test-asan: deps test-deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKMC_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		KMC_HOOK_TEST_BUILD=0 ctest --output-on-failure -j $(JOBS)

# The demo's commands under valgrind: no leak, no invalid access (scripts/leak-check.sh).
leak-check: build
	@KMC_WITH_VALGRIND=1 bash scripts/install-deps.sh
	@bash scripts/leak-check.sh build/kmc

# The style guide's checks (scripts/lint.sh): headers alone, clang-tidy, sizes, ownership, names.
lint: build
	@KMC_WITH_LINT=1 bash scripts/install-deps.sh
	@bash scripts/lint.sh build

# valgrind counts the instructions of the linearity table (bench/run.sh).
bench:
	@KMC_WITH_VALGRIND=1 bash scripts/install-deps.sh
	@cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-release -j $(JOBS)
	@bash bench/run.sh build-release

# libFuzzer over the whole pipeline, seeded with testdata/, then over .kmc.yaml, seeded with
# fuzz/seeds/config/, then over `kmc lsp`'s input stream, seeded with fuzz/seeds/lsp/; FUZZ_SECONDS each. Crashes land in build-fuzz/crashes/.
fuzz:
	@KMC_WITH_CLANG=1 bash scripts/install-deps.sh
	@CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKMC_SANITIZE=ON -DKMC_FUZZ=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target kmc-fuzz kmc-fuzz-config kmc-fuzz-lsp
	@mkdir -p build-fuzz/corpus build-fuzz/corpus-config build-fuzz/corpus-lsp build-fuzz/crashes
	@find testdata examples fuzz/seeds -name '*.yaml' -exec cp {} build-fuzz/corpus/ \;
	@cp fuzz/seeds/config/* build-fuzz/corpus-config/
	@cp fuzz/seeds/lsp/* build-fuzz/corpus-lsp/
	@./build-fuzz/kmc-fuzz -fork=1 -ignore_crashes=1 -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -dict=fuzz/kmc.dict \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build-fuzz/crashes/ build-fuzz/corpus
	@./build-fuzz/kmc-fuzz-config -fork=1 -ignore_crashes=1 -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -timeout=10 -dict=fuzz/kmc.dict \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build-fuzz/crashes/config- build-fuzz/corpus-config
	@./build-fuzz/kmc-fuzz-lsp -fork=1 -ignore_crashes=1 -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -dict=fuzz/lsp.dict \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build-fuzz/crashes/lsp- build-fuzz/corpus-lsp
	@echo "crashes (commit each as testdata/fuzz/<what>.yaml once fixed):"; ls build-fuzz/crashes/

clean:
	rm -rf build build-asan build-release build-fuzz build-dist dist bench/out
