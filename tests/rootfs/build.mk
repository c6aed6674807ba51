# The storage components' disk: build/disk/rootfs.img, an ext3 volume made
# by mke2fs -d from a staging tree, checked by e2fsck. The rig attaches it
# to every storage node (read-only). Layout:
#
#   /bin/busybox        the host's static busybox (run as /bin/busybox APPLET)
#   /bin/sh             symlink to busybox
#   /bin/bash           Debian's bash-static (package bash-static)
#   /tests/<prog>       every TEST_PROGS program (tests/progs/build.mk)
#   /abi/<prog>-<libc>  the differential ABI suite and its helpers
#                       (ABI_FILES, tests/abi/build.mk)
#   /etc/hostname       "tessera", a small text file for tests
#   /tmp                mode 1777, where each vNode's tmpfs is mounted
#
# The rule's prerequisites name TEST_PROGS, so this file must be read after
# tests/progs/build.mk and tests/abi/build.mk (the Makefile includes
# build.mk files sorted by path).

DISK_DIR := $(BUILD)/disk
DISK_STAGE := $(DISK_DIR)/root
DISK_ROOTFS := $(DISK_DIR)/rootfs.img
DISK_SIZE := 512M
DISK_BUSYBOX := /bin/busybox
DISK_BASH := /bin/bash-static
DISK_IMAGES := $(DISK_ROOTFS)

$(DISK_ROOTFS): $(TEST_PROGS) $(ABI_FILES) $(DISK_BUSYBOX) $(DISK_BASH) tests/rootfs/build.mk
	@echo "  EXT2 $@"
	@rm -rf $(DISK_STAGE) $@.tmp && mkdir -p $(DISK_STAGE)/bin \
		$(DISK_STAGE)/tests $(DISK_STAGE)/etc $(DISK_STAGE)/abi
	@cp $(DISK_BUSYBOX) $(DISK_STAGE)/bin/busybox
	@ln -s busybox $(DISK_STAGE)/bin/sh
	@cp $(DISK_BASH) $(DISK_STAGE)/bin/bash
	@cp $(TEST_PROGS) $(DISK_STAGE)/tests/
	@cp -p $(ABI_FILES) $(DISK_STAGE)/abi/
	@echo tessera > $(DISK_STAGE)/etc/hostname
	@mkdir -m 1777 $(DISK_STAGE)/tmp
	@truncate -s $(DISK_SIZE) $@.tmp
	@mke2fs -q -F -t ext3 -b 4096 -E root_owner=0:0 -d $(DISK_STAGE) $@.tmp
	@e2fsck -fn $@.tmp >$(DISK_DIR)/e2fsck.log 2>&1 || \
		{ cat $(DISK_DIR)/e2fsck.log; exit 1; }
	@mv $@.tmp $@

# The bench's disk (make bench, tools/bench.py): the same tree plus
# /data/words.txt, 32 MiB of gentext's text for sort and wordcount.
BENCH_DISK := $(DISK_DIR)/bench.img
BENCH_WORDS := $(DISK_DIR)/bench-data/words.txt

$(BENCH_WORDS): $(PROGS_DIR)/gentext
	@mkdir -p $(dir $@)
	@$(PROGS_DIR)/gentext 32 >$@.tmp && mv $@.tmp $@

$(BENCH_DISK): $(DISK_ROOTFS) $(BENCH_WORDS)
	@echo "  EXT2 $@"
	@rm -rf $@.tmp && mkdir -p $(DISK_STAGE)/data
	@cp $(BENCH_WORDS) $(DISK_STAGE)/data/
	@truncate -s 320M $@.tmp
	@mke2fs -q -F -t ext2 -b 4096 -E root_owner=0:0 -d $(DISK_STAGE) $@.tmp
	@rm -rf $(DISK_STAGE)/data
	@e2fsck -fn $@.tmp >$(DISK_DIR)/e2fsck.log 2>&1 || \
		{ cat $(DISK_DIR)/e2fsck.log; exit 1; }
	@mv $@.tmp $@

bench-disk: $(BENCH_DISK)

disk: $(DISK_IMAGES)
all: $(DISK_IMAGES)

.PHONY: disk bench-disk
