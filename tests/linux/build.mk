# The Linux guest (cluster role linux, tools/cluster.py): the initramfs
# build/linux/initramfs.cpio that Debian's kernel boots with (see
# tools/initramfs.py for its layout), and the static programs it carries
# in /bin besides busybox: the guest's own tools (GUEST_PROGS, below) and
# the test programs (TEST_PROGS, tests/progs/build.mk), the same binaries
# a vNode runs.
#
#   fabric-echo   the echo responder and pinger on eth0 (tools/fabric,
#                 the host tool's sources built static)
#   timeit        runs a program in a fresh cgroup with a memory.max cap
#                 and prints its run time (the bench's Linux baselines)
#   nbd-serve     a RAM-backed NBD server (swap over the fabric)
#   nbd-attach    connects /dev/nbdN to it
#
# Modules: those init loads at boot (LINUX_BOOT_MODULES) and those packed
# for later (LINUX_EXTRA_MODULES: swap on a ramdisk, NBD, soft-RoCE), each
# with its dependencies.

LINUX_DIR := $(BUILD)/linux
LINUX_INITRAMFS := $(LINUX_DIR)/initramfs.cpio
LINUX_BOOT_MODULES := virtio_pci,virtio_net,virtio_blk
LINUX_EXTRA_MODULES := brd,nbd,rdma_rxe
GUEST_PROGS :=

# $(eval $(call guest_prog,NAME,SOURCES[,LDLIBS])): build/linux/bin/NAME,
# linked static from the host objects of SOURCES.
define guest_prog
GUEST_PROGS += $(LINUX_DIR)/bin/$(1)
$(LINUX_DIR)/bin/$(1): $(call hobjs,$(2))
	@mkdir -p $$(dir $$@)
	@echo "  GUEST $$@"
	@$$(HOSTCC) -static $$(HLDFLAGS) -o $$@ $$^ $(3)
endef

$(eval $(call guest_prog,fabric-echo,tools/fabric/echo.c \
	tools/fabric/echo_cmd.c tools/fabric/attach.c))
$(eval $(call guest_prog,timeit,tests/linux/timeit.c))
$(eval $(call guest_prog,nbd-serve,tests/linux/nbd_serve.c tests/linux/nbd_io.c))
$(eval $(call guest_prog,nbd-attach,tests/linux/nbd_attach.c tests/linux/nbd_io.c))

# TEST_PROGS is defined by a build.mk read after this one: expanded again
# when the rule runs.
.SECONDEXPANSION:
$(LINUX_INITRAMFS): tests/linux/init tools/initramfs.py tests/linux/build.mk \
		$(GUEST_PROGS) $$(TEST_PROGS)
	@mkdir -p $(dir $@)
	@echo "  CPIO $@"
	@python3 tools/initramfs.py --out $@ --init tests/linux/init \
		--modules $(LINUX_BOOT_MODULES) --extra-modules $(LINUX_EXTRA_MODULES) \
		$(addprefix --bin ,$(GUEST_PROGS) $(TEST_PROGS))

linux-guest: $(LINUX_INITRAMFS)
all: $(LINUX_INITRAMFS)

.PHONY: linux-guest
