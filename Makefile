# Tessera: one tree, three monitor images, host daemons and tools.
#
#   make            build the three monitor images and the host programs
#   make iso        build/tessera.iso, one GRUB entry per image (BIOS and UEFI)
#   make test       install what is missing, build (test images too), run
#                   every test
#   make run        install what is missing, build, boot the default cluster
#   make bench      print the performance tables
#   make fuzz       each libFuzzer target (tests/fuzz) for its full budget
#   make check      house rules (include discipline)
#
# Each folder describes itself in a build.mk fragment (see mk/rules.mk for
# the macros it may use); configs/<image>.conf says what an image links
# (mk/images.mk): build/<image>.elf is the production image, and
# build/test/<image>.elf adds the in-kernel tests.

BUILD   ?= build
IMAGES  := processor memory storage

.DEFAULT_GOAL := all

include mk/toolchain.mk
include mk/rules.mk
# net/ first: others link its NET_HOST_SRCS, which must be defined before
# their rules expand it (and cluster/, sorted next, defines what programs
# after it link).
include net/build.mk
include $(filter-out net/build.mk,$(sort $(wildcard */build.mk */*/build.mk */*/*/build.mk)))
include mk/images.mk

all: images host

host: $(HOST_PROGS) $(HOST_TESTS)

host-san: $(HOST_SAN_TESTS)

fuzz-targets: $(FUZZ_TARGETS)

deps:
	@tools/deps.sh

test: deps
	@$(MAKE) --no-print-directory all iso test-images host-san fuzz-targets
	@python3 tools/testrun.py

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-targets
	@python3 tools/fuzz.py

run: deps
	@$(MAKE) --no-print-directory all
	@python3 tools/run.py $(if $(HOLD),--hold) $(if $(PROG),--prog "$(PROG)")

bench: deps
	@$(MAKE) --no-print-directory all bench-disk
	@python3 tools/bench.py

check:
	@tools/check-includes.sh

clean:
	rm -rf $(BUILD)

.PHONY: all host host-san fuzz-targets fuzz deps test run bench check clean iso images
