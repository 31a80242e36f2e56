# edsync - district -> state file-drop sync.  See README.md.
#
#   make            build ./edsync
#   make check      install what is missing, run every test (unit, end to end,
#                   fuzz smoke) under AddressSanitizer + UndefinedBehaviorSanitizer
#   make demo       install what is missing, build, run a whole sync on a
#                   generated district and print the Verification Summary
#   make install PREFIX=/usr/local

CC ?= cc
# make V=1 shows every command
Q = $(if $(V),,@)
PREFIX ?= /usr/local
WERROR ?= -Werror
PKGS = libarchive libsodium sqlite3 inih libxxhash libzstd libssh

WARN = -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wformat-security \
       -Wpointer-arith -Wvla -Wwrite-strings -fno-common -Wshadow -Wformat=2
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(WERROR) $(CFLAGS) \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv

UTIL = util/msg.c util/status.c util/xalloc.c util/sb.c util/fsio.c util/keyset.c \
	util/workers.c util/progress.c
FORMATS = formats/registry.c formats/value.c formats/csvr.c formats/csvw.c \
	formats/record.c formats/manifest.c formats/keys.c formats/bundle.c \
	formats/objcsv.c formats/digest.c formats/withhold.c formats/receipt.c \
	formats/announce.c formats/chgrow.c formats/media.c formats/fieldset.c \
	formats/hashtree.c formats/request.c formats/report.c formats/school.c
SPOOL = spool/spool.c
STORE = store/store_sqlite.c
PIPELINE = pipeline/cli.c pipeline/commands.c pipeline/config.c pipeline/home.c pipeline/outbox.c \
	pipeline/opqueue.c pipeline/ledger.c pipeline/rotation.c pipeline/watch.c \
	pipeline/rejects.c pipeline/storeopen.c \
	pipeline/transport.c pipeline/transport_folder.c pipeline/transport_sftp.c \
	pipeline/backoff.c
STAGES = stages/init.c stages/trust.c stages/key.c stages/changes.c stages/sync.c stages/selective.c stages/rollover.c stages/watch.c stages/objects.c stages/resync.c stages/send.c \
	stages/load.c stages/load_district.c stages/export.c stages/digest.c stages/verify.c stages/inspect.c \
	stages/status.c stages/import.c stages/dverify.c stages/vkeep.c stages/vmerge.c \
	stages/vreport.c stages/report_html.c stages/stateout.c stages/request.c stages/scope.c
LIB_SRC = $(UTIL) $(FORMATS) $(SPOOL) $(STORE) $(PIPELINE) $(STAGES)
MAIN_SRC = pipeline/main.c

BUILD = build/release
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)

.PHONY: all deps check check-run check-build demo install clean bench fuzz
all: edsync tools/gen-district

edsync: $(LIB_OBJ) $(BUILD)/pipeline/main.o
	$(Q)echo "  CC  $@"; $(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

GEN_SRC = tools/gen-district.c formats/registry.c formats/csvw.c util/sb.c util/xalloc.c \
	util/msg.c
tools/gen-district: $(GEN_SRC)
	$(Q)echo "  CC  $@"; $(CC) $(ALL_CFLAGS) -o $@ $(GEN_SRC)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)echo "  CC  $@"; $(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(LIB_OBJ:.o=.d) $(BUILD)/pipeline/main.d

deps:
	tools/install-deps build

demo: deps
	$(MAKE) all
	tools/demo

check:
	tools/install-deps check
	$(MAKE) check-run

# ---- tests: everything under AddressSanitizer (with LeakSanitizer) and
# UndefinedBehaviorSanitizer; a test source dropped into tests/unit/ or
# tests/fuzz/ is picked up by its name.
ASAN = build/asan
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -Werror -O1 -g $(SAN) \
	$(shell pkg-config --cflags $(PKGS) check 2>/dev/null)
ASAN_LIB_OBJ = $(LIB_SRC:%.c=$(ASAN)/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(ASAN)/tests/%)
UNIT_HELPERS = $(wildcard tests/unit/helpers/*.c)
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_CC = clang
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_LIB_OBJ = $(LIB_SRC:%.c=build/fuzz/obj/%.o)

$(ASAN)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)echo "  CC  $@"; $(CC) $(ASAN_CFLAGS) -MMD -MP -c -o $@ $<

$(ASAN)/edsync: $(ASAN_LIB_OBJ) $(ASAN)/pipeline/main.o
	$(Q)echo "  CC  $@"; $(CC) $(ASAN_CFLAGS) -o $@ $^ $(LIBS)

$(ASAN)/tests/%: tests/unit/%.c $(ASAN_LIB_OBJ) $(UNIT_HELPERS)
	@mkdir -p $(dir $@)
	$(Q)echo "  CC  $@"; $(CC) $(ASAN_CFLAGS) -o $@ $< $(UNIT_HELPERS) $(ASAN_LIB_OBJ) $(LIBS) \
		$(shell pkg-config --libs check 2>/dev/null)

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)echo "  CC  $@"; $(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

# the fuzz objects are kept between builds, not treated as intermediate
.SECONDARY: $(FUZZ_LIB_OBJ)

build/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzzutil.h $(FUZZ_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(Q)echo "  CC  $@"; $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) $(LIBS)

-include $(ASAN_LIB_OBJ:.o=.d)

# test tools: programs the end-to-end tests drive besides edsync
$(ASAN)/forge: tests/tools/forge.c $(ASAN_LIB_OBJ)
	$(Q)echo "  CC  $@"; $(CC) $(ASAN_CFLAGS) -o $@ $< $(ASAN_LIB_OBJ) $(LIBS)

check-build: $(ASAN)/edsync $(ASAN)/forge $(UNIT_BIN) $(FUZZ_BIN) tools/gen-district

check-run: check-build
	tests/run-unit $(UNIT_BIN)
	EDSYNC=$(CURDIR)/$(ASAN)/edsync GEN=$(CURDIR)/tools/gen-district \
		FORGE=$(CURDIR)/$(ASAN)/forge tests/e2e/run
	tests/run-fuzz $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)

bench: all
	tools/bench

install: edsync
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 edsync $(DESTDIR)$(PREFIX)/bin/edsync

clean:
	rm -rf build edsync tools/gen-district
