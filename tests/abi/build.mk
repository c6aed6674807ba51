# The differential ABI suite (tests/abi/README): every tests/abi/*.c is a
# program built twice, with glibc (gcc -static) and with musl (musl-gcc
# -static), into build/abi/<prog>-glibc and build/abi/<prog>-musl. The
# help_*.c programs are helpers the others execute (built the same way,
# not run on their own); help_* files that are not C are copied as they
# are (scripts, data), keeping their mode. tests/rootfs/build.mk puts
# ABI_FILES on the disk under /abi/; tools/abisuite.py runs the suite.

ABI_DIR := $(BUILD)/abi
ABI_CFLAGS := -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Wno-unused-parameter -Itests/abi/lib
ABI_NAMES := $(sort $(basename $(notdir $(wildcard tests/abi/*.c))))
ABI_PROGS := $(filter-out help_%,$(ABI_NAMES))
ABI_BINS := $(foreach n,$(ABI_NAMES),$(ABI_DIR)/$(n)-glibc $(ABI_DIR)/$(n)-musl)
ABI_DATA := $(addprefix $(ABI_DIR)/,$(notdir $(filter-out %.c,$(wildcard tests/abi/help_*))))
ABI_FILES := $(ABI_BINS) $(ABI_DATA)

$(ABI_DIR)/obj/abi-glibc.o: tests/abi/lib/abi.c tests/abi/lib/abi.h
	@mkdir -p $(dir $@)
	@$(HOSTCC) $(ABI_CFLAGS) -c -o $@ $<

$(ABI_DIR)/obj/abi-musl.o: tests/abi/lib/abi.c tests/abi/lib/abi.h
	@mkdir -p $(dir $@)
	@musl-gcc $(ABI_CFLAGS) -c -o $@ $<

$(ABI_DIR)/%-glibc: tests/abi/%.c $(ABI_DIR)/obj/abi-glibc.o tests/abi/lib/abi.h
	@echo "  GLIBC $@"
	@$(HOSTCC) -static $(ABI_CFLAGS) -o $@ $< $(ABI_DIR)/obj/abi-glibc.o -lm

$(ABI_DIR)/%-musl: tests/abi/%.c $(ABI_DIR)/obj/abi-musl.o tests/abi/lib/abi.h
	@echo "  MUSL $@"
	@musl-gcc -static $(ABI_CFLAGS) -o $@ $< $(ABI_DIR)/obj/abi-musl.o -lm

$(ABI_DATA): $(ABI_DIR)/%: tests/abi/%
	@mkdir -p $(dir $@)
	@cp -p $< $@

abi: $(ABI_FILES)

.PHONY: abi
