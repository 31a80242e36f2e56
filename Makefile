# edsync - district -> state file-drop sync.  See README.md.
#
#   make            build ./edsync
#   make check      install what is missing, run every test (unit, end to end,
#                   fuzz smoke) under AddressSanitizer + UndefinedBehaviorSanitizer
#   make demo       install what is missing, build, run a whole sync on a
#                   generated district and print the Verification Summary
#   make install PREFIX=/usr/local

CC ?= cc
PREFIX ?= /usr/local
WERROR ?= -Werror
PKGS = libarchive libsodium sqlite3 inih libxxhash libzstd

WARN = -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wformat-security \
       -Wpointer-arith -Wvla -Wwrite-strings -fno-common -Wshadow -Wformat=2
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(WERROR) $(CFLAGS) \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv

UTIL = util/msg.c util/status.c util/xalloc.c util/sb.c util/fsio.c util/keyset.c
FORMATS = formats/registry.c formats/value.c formats/csvr.c formats/csvw.c \
	formats/record.c formats/manifest.c formats/keys.c formats/bundle.c \
	formats/objcsv.c formats/digest.c
SPOOL = spool/spool.c
STORE = store/store_sqlite.c
PIPELINE = pipeline/cli.c pipeline/config.c pipeline/home.c pipeline/outbox.c \
	pipeline/rejects.c pipeline/storeopen.c
STAGES = stages/init.c stages/trust.c stages/objects.c stages/resync.c stages/send.c \
	stages/load.c stages/export.c stages/digest.c stages/verify.c stages/inspect.c \
	stages/status.c
LIB_SRC = $(UTIL) $(FORMATS) $(SPOOL) $(STORE) $(PIPELINE) $(STAGES)
MAIN_SRC = pipeline/main.c

BUILD = build/release
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)

.PHONY: all deps check demo install clean bench fuzz
all: edsync tools/gen-district

edsync: $(LIB_OBJ) $(BUILD)/pipeline/main.o
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

tools/gen-district: tools/gen-district.c
	$(CC) $(ALL_CFLAGS) -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(LIB_OBJ:.o=.d) $(BUILD)/pipeline/main.d

deps:
	tools/install-deps

demo: deps
	$(MAKE) all
	tools/demo

check: deps
	$(MAKE) -f tests/check.mk check

bench: all
	tools/bench

install: edsync
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 edsync $(DESTDIR)$(PREFIX)/bin/edsync

clean:
	rm -rf build edsync tools/gen-district
