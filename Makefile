# Thin wrapper over Meson. Two commands take a fresh Debian 12 machine to a
# running csirt (make run) and to a full test pass (make test); both install
# what is missing first (scripts/deps.sh, idempotent).

BUILD      ?= build
ASAN_BUILD ?= build-asan
LISTEN     ?= 127.0.0.1:8080
DATA       ?= ./var


.PHONY: all deps deps-test build asan run demo test test-fast test-asan bench fuzz clean

all: build

deps:
	@sh scripts/deps.sh

deps-test:
	@sh scripts/deps.sh --test

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized -Dwerror=true

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

asan: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

run: build
	$(BUILD)/csirt serve --listen $(LISTEN) --data $(DATA)

demo: build
	$(BUILD)/csirt demo --data $(DATA)
	$(BUILD)/csirt serve --listen $(LISTEN) --data $(DATA)

# Every test, in the normal build and again under ASan+UBSan; the last line
# is the total as "N passed, N failed".
test: deps-test build asan
	@rc=0; \
	meson test -C $(BUILD) --print-errorlogs --num-processes 2 || rc=1; \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  meson test -C $(ASAN_BUILD) --print-errorlogs --num-processes 2 --no-suite slow --timeout-multiplier 3 || rc=1; \
	/usr/bin/python3 scripts/test-summary.py $(BUILD) $(ASAN_BUILD) || rc=1; \
	exit $$rc

test-fast: deps-test build
	meson test -C $(BUILD) --print-errorlogs --num-processes 2

test-asan: deps-test asan
	meson test -C $(ASAN_BUILD) --print-errorlogs --num-processes 2 --no-suite slow --timeout-multiplier 3

bench: build
	sh bench/run.sh

fuzz:
	sh tests/fuzz/run-libfuzzer.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
