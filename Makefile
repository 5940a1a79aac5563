# Profitbook. `make serve` builds and opens the workbook; `make test` runs every check.
# Both install what is missing first (scripts/setup.sh), quietly when it is all there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export PATH := $(HOME)/.cargo/bin:$(CURDIR)/e2e/node_modules/.bin:$(PATH)
# One cargo target folder per machine, outside the clone: a fresh clone (as CI makes) builds
# warm. Override with CARGO_TARGET_DIR=target for a self-contained checkout.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/profitbook/target
# Trunk must never download tools: scripts/setup.sh installs the pinned ones.
export TRUNK_OFFLINE := true
# Set by scripts/setup.sh when the wasm32 target comes from Debian's rustc-web (no rustup
# target); applied only to the commands that build for wasm32.
WASM_ENV = $(shell cat .tools/wasm-env 2>/dev/null)
WASM := wasm32-unknown-unknown
ADDRESS ?= 127.0.0.1
PORT ?= 8080

.PHONY: help setup setup-test serve dist test fmt fmt-check clippy test-native test-wasm \
        test-e2e sample-figures bench bench-browser bench-import bench-workbook fuzz

help:
	@echo "make serve   build and serve the workbook at http://$(ADDRESS):$(PORT)/"
	@echo "make test    every check: fmt, clippy, native tests, browser tests"
	@echo "make dist    a release build in dist/, for any static file server"
	@echo "make bench   engine benchmarks (criterion)"
	@echo "make bench-browser   the same engine code timed in headless Chromium"
	@echo "make bench-import    import speed in headless Chromium, beside PapaParse"
	@echo "make bench-workbook  slider moves and table scrolling at 100,000 and 1,000,000 customers"
	@echo "make fuzz    fuzz the import's parsers for FUZZ_SECONDS (default 120) with cargo fuzz"

setup:
	@scripts/setup.sh build

setup-test:
	@scripts/setup.sh test

serve: setup
	@echo "Profitbook: building, then serving at http://$(ADDRESS):$(PORT)/ (Ctrl+C stops)"
	env $(WASM_ENV) trunk serve --release --address $(ADDRESS) --port $(PORT)

dist: setup
	env $(WASM_ENV) trunk build --release
	@rm -f dist/.trunk-lock
	@echo "dist/ is ready: $$(du -sh dist | cut -f1) in $$(find dist -type f | wc -l) files"

test: setup-test fmt-check clippy test-native test-wasm dist test-e2e

fmt:
	cargo fmt --all

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy -p profitbook-engine -p profitbook-import-worker -p profitbook-cli --all-targets -- -D warnings
	env $(WASM_ENV) cargo clippy -p profitbook -p profitbook-import-worker --target $(WASM) \
	  --all-targets -- -D warnings

test-native:
	cargo test -p profitbook-engine -p profitbook-import-worker -p profitbook-cli

# Component tests in headless Chromium through chromedriver (webdriver.json sets its flags).
test-wasm:
	env $(WASM_ENV) CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  CHROMEDRIVER=/usr/bin/chromedriver cargo test -p profitbook --target $(WASM)

# The figures the native engine computes for the sample company, for the browser test to
# compare with the page.
sample-figures:
	@mkdir -p $(CARGO_TARGET_DIR)
	cargo run -q -p profitbook-engine --example sample_figures > $(CARGO_TARGET_DIR)/sample-figures.json

test-e2e: sample-figures
	cd e2e && DIST=$(CURDIR)/dist EXPECTED=$(CARGO_TARGET_DIR)/sample-figures.json \
	  node --test --test-concurrency=1 tests/

# Fuzzing needs nightly and libFuzzer, so it is not part of `make test` (whose proptest
# `never_panics` runs the same steps on generated input). Installs cargo-fuzz when missing.
FUZZ_SECONDS ?= 120
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo +nightly install --locked --quiet cargo-fuzz
	mkdir -p fuzz/corpus/import && cp crates/engine/tests/fixtures/* fuzz/corpus/import/
	cd fuzz && CARGO_TARGET_DIR=$(CARGO_TARGET_DIR)/fuzz cargo +nightly fuzz run import -- \
	  -max_total_time=$(FUZZ_SECONDS) -max_len=65536

bench:
	cargo bench -p profitbook-engine --bench recompute

# The same engine code timed in headless Chromium on the release build; with AGGREGATE_ROWS=N,
# only the aggregation of N invoices (10000000 for the target's scale); TOUCH_MB=M besides
# touches M MB of the page's memory before the first run, to tell memory's first use apart.
AGGREGATE_ROWS ?=
TOUCH_MB ?=
bench-browser: dist
	cd e2e && AGGREGATE_ROWS=$(AGGREGATE_ROWS) TOUCH_MB=$(TOUCH_MB) node bench.mjs $(CURDIR)/dist

# Import speed in headless Chromium beside PapaParse on the same file: BENCH_ROWS rows.
BENCH_ROWS ?= 1000000
bench-import: dist
	cd e2e && node bench-import.mjs $(CURDIR)/dist $(BENCH_ROWS)

# A slider move to the repainted figures, and table scrolling, on the built page with an
# imported summary of 100,000 and 1,000,000 customers.
bench-workbook: dist
	cd e2e && node bench-workbook.mjs $(CURDIR)/dist
