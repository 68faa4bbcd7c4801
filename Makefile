# Rostrum: `make run` builds and starts the server with a demo meeting; `make test` runs every test;
# `make bench` measures Rostrum against a bare broadcast server and Node ws (docs/benchmarks.md).
# Both install what a fresh Debian machine with rustup lacks (wasm32 target, wasm-bindgen-cli,
# binaryen's wasm-opt from npm, brotli, Chromium and chromedriver from apt).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
DATA ?= ./data
ADDR ?= 127.0.0.1:8080
DIST := web-client/dist
WASM_TARGET := wasm32-unknown-unknown
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
TOOLS := $(CURDIR)/.tools
WASM_OPT := $(TOOLS)/node_modules/.bin/wasm-opt
# axe-core, injected into the pages by the browser tests (tests/tests/e2e_accessibility.rs).
AXE_VERSION := 4.14.1
AXE_JS := $(TOOLS)/node_modules/axe-core/axe.min.js
export PATH := $(HOME)/.cargo/bin:$(PATH)
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
# make bench N=10000 REPEAT=5 BENCH_ARGS="--skip restart"
N ?= 1000,10000
REPEAT ?= 3
BENCH_ARGS ?=
NODE_WS := tests/bench/node-ws
# The PostgreSQL `make postgres` starts; the tests make their own databases on it.
ROSTRUM_TEST_POSTGRES ?= postgres://postgres@127.0.0.1:54329/postgres
export ROSTRUM_TEST_POSTGRES

.PHONY: postgres postgres-stop run test soak soak-fuzz bench bench-firstload bench-presence bench-nodes server web tools-wasm tools-browser lint fmt clean

## Build everything (release) and serve the demo meeting; prints the links.
run: web server
	./target/release/rostrum serve --data $(DATA) --addr $(ADDR) --web-dir $(DIST) --demo

server:
	$(CARGO) build --release -p rostrum-server

## Every test: unit, property, integration over real sockets, and browser end-to-end.
## A private PostgreSQL on loopback (Debian's package, installed when missing) for the store suite
## on both backends, the two-node tests and the benchmarks' two-node rows: tests/postgres.sh.
postgres:
	@tests/postgres.sh start >/dev/null

postgres-stop:
	@tests/postgres.sh stop

# Incremental caches only help a developer's next edit; on a fresh clone they are gigabytes written
# for nothing.
test: export CARGO_INCREMENTAL ?= 0
test: web tools-browser postgres
	$(CARGO) build -p rostrum-server
	$(CARGO) test --workspace --exclude rostrum-web --no-fail-fast
	$(CARGO) test -p rostrum-web
	AXE_JS=$(AXE_JS) ROSTRUM_WEB_DIR=$(CURDIR)/$(DIST) $(CARGO) test -p rostrum-tests --test 'e2e_*' --no-fail-fast -- --ignored --test-threads=1

## The long reliability checks of issue 6 (docs/reliability.md), with overridable counts:
## make soak KILLS=50 CLIENTS=300 ROUNDS=5 LOSSES=1000 FUZZ_SECS=60 ATTACK_SECS=60
KILLS ?= 50
ATTACK_SOCKETS ?= 5000
ATTACK_REPORTS ?= 500
ATTACK_SECS ?= 60
CLIENTS ?= 300
ROUNDS ?= 5
LOSSES ?= 1000
FUZZ_SECS ?= 60
SEED ?= 6
FUZZ_TARGETS := decode_client_message state_machine claims
# The fuzz builds (nightly, sanitizers) beside the others rather than in fuzz/target.
FUZZ_TARGET_DIR ?= $(if $(CARGO_TARGET_DIR),$(CARGO_TARGET_DIR),$(CURDIR)/target)/fuzz
# Where libFuzzer writes what it finds: the committed corpus in fuzz/corpus/ is only read.
FUZZ_WORK ?= $(FUZZ_TARGET_DIR)/corpus

soak:
	$(CARGO) build -p rostrum-server
	$(CARGO) build -p rostrum-tests --bin soak
	$(CARGO) run -q -p rostrum-tests --bin soak -- --seed $(SEED) kill-loop --kills $(KILLS)
	$(CARGO) run -q -p rostrum-tests --bin soak -- --seed $(SEED) storm --clients $(CLIENTS) --rounds $(ROUNDS)
	$(CARGO) run -q -p rostrum-tests --bin soak -- --seed $(SEED) idempotency --losses $(LOSSES)
# The attack phase measures latency: release builds, as a server would run (the soak runner
# starts the rostrum binary beside it, so both are built in release).
	$(CARGO) build --release -p rostrum-server -p rostrum-tests --bin rostrum --bin soak
	$(TARGET_DIR)/release/soak attack --sockets $(ATTACK_SOCKETS) --reports $(ATTACK_REPORTS) --secs $(ATTACK_SECS)
	$(MAKE) soak-fuzz

## Each fuzz target for FUZZ_SECS seconds (nightly; installs cargo-fuzz when missing).
soak-fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install --locked cargo-fuzz
	@for target in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_WORK)/$$target; \
		echo "== fuzz $$target for $(FUZZ_SECS) s"; \
		(cd fuzz && $(CARGO) +nightly fuzz run --target-dir $(FUZZ_TARGET_DIR) $$target $(FUZZ_WORK)/$$target corpus/$$target -- \
			-max_total_time=$(FUZZ_SECS) -print_final_stats=1 2>&1) | \
			grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|stat::new_units_added)|^Done|SUMMARY|panicked|ERROR' \
			|| { echo "fuzz $$target failed: artifacts in fuzz/artifacts/$$target"; exit 1; }; \
	done

## Benchmarks (not part of `make test`): Rostrum, the ceiling and Node ws on one machine in one run;
## prints the table and writes docs/benchmarks.md (about 12 minutes with the defaults on 2 cores),
## then first load, presence and two nodes, each writing its own section.
bench: postgres
	$(CARGO) build --release -p rostrum-server -p rostrum-tests --bins
	@if command -v node >/dev/null && command -v npm >/dev/null; then \
		npm install --silent --no-audit --no-fund --prefix $(NODE_WS) \
			|| echo "npm install failed: the Node ws column is skipped"; \
	else \
		echo "node and npm not found: the Node ws column is skipped"; \
	fi
	$(TARGET_DIR)/release/loadgen --n $(N) --repeat $(REPEAT) --out docs/benchmarks.md \
		--command "make bench N=$(N) REPEAT=$(REPEAT) $(BENCH_ARGS)" $(BENCH_ARGS)
	$(MAKE) bench-firstload
	$(MAKE) bench-presence
	$(MAKE) bench-nodes

## The first load of the participant's view and the display on emulated slow links (issue 14):
## headless Chromium, cold cache, CPU slowed 4x; its section of docs/benchmarks.md.
bench-firstload: web tools-browser
	$(CARGO) build --release -p rostrum-server -p rostrum-tests --bin rostrum --bin firstload
	ROSTRUM_WEB_DIR=$(CURDIR)/$(DIST) $(TARGET_DIR)/release/firstload --repeat $(REPEAT) \
		--out docs/benchmarks.md --command "make bench-firstload REPEAT=$(REPEAT)"

## Live presence: a thousand flapping screens and the chair's console watching presence (presence
## messages per second, marks, bytes, server CPU); its section of docs/benchmarks.md. About 4 minutes.
bench-presence:
	$(CARGO) build --release -p rostrum-server -p rostrum-tests --bin rostrum --bin flapping
	$(TARGET_DIR)/release/flapping --repeat $(REPEAT) \
		--out docs/benchmarks.md --command "make bench-presence REPEAT=$(REPEAT)"

## Two nodes on one PostgreSQL database (issue 18): fan-out across nodes and the shared log's
## throughput beside one node's; its section of docs/benchmarks.md. About 2 minutes.
bench-nodes: postgres
	$(CARGO) build --release -p rostrum-server -p rostrum-tests --bin rostrum --bin twonodes
	$(TARGET_DIR)/release/twonodes --repeat $(REPEAT) \
		--out docs/benchmarks.md --command "make bench-nodes REPEAT=$(REPEAT)"

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy -p rostrum-web --target $(WASM_TARGET) -- -D warnings

fmt:
	$(CARGO) fmt --all

# ---- the web client: cargo for wasm32, then wasm-bindgen, then wasm-opt (binaryen 132 from npm:
# Debian's wasm-opt 108 produces modules that fail to load), once per group of screens (the
# client's features), then a page per group that preloads its bundle (the server picks the page by
# the address), hashed names, and brotli and gzip twins for every file (web-client/publish.sh,
# which prints the sizes).
WEB_GROUPS := live chair desk pages
web: tools-wasm
	rm -rf $(DIST) && mkdir -p $(DIST)
	for group in $(WEB_GROUPS); do \
		$(CARGO) build --profile wasm-release -p rostrum-web --target $(WASM_TARGET) --no-default-features --features $$group; \
		wasm-bindgen --target web --no-typescript --out-dir $(DIST) --out-name rostrum-$$group $(TARGET_DIR)/$(WASM_TARGET)/wasm-release/rostrum_web.wasm; \
		$(WASM_OPT) -Oz --enable-bulk-memory --enable-nontrapping-float-to-int -o $(DIST)/rostrum-$${group}_bg.wasm $(DIST)/rostrum-$${group}_bg.wasm; \
	done
	cp web-client/index.html web-client/boot.js web-client/style.css $(DIST)/
	web-client/publish.sh $(DIST)

tools-wasm:
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ]; then \
		echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (about 3 minutes)"; \
		$(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --locked \
		|| $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi
	@[ -x $(WASM_OPT) ] || npm install --silent --no-audit --no-fund --prefix $(TOOLS) binaryen@132.0.0
	@command -v brotli >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq brotli; }

tools-browser:
	@command -v chromedriver >/dev/null && command -v chromium >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }
	@# Chinese glyphs for the screenshots of the six languages (Arabic and Cyrillic come with DejaVu,
	@# which Chromium brings). Not fonts-noto-core: it becomes the default sans-serif, whose taller
	@# lines push the 1080p display past its height (e2e_screens).
	@dpkg -s fonts-noto-cjk >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk; }
	@[ -f $(AXE_JS) ] && grep -q '"version": "$(AXE_VERSION)"' $(TOOLS)/node_modules/axe-core/package.json || \
		npm install --silent --no-audit --no-fund --prefix $(TOOLS) axe-core@$(AXE_VERSION)

clean:
	$(CARGO) clean
	rm -rf $(DIST) $(TOOLS)
