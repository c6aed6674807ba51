# Macros a folder's build.mk uses to describe itself.
#
#   ksrcs-<folder> += a.c b.S      kernel sources of a subsystem; an image
#                                  links them when its config names <folder>
#   ktests-<folder> += a_test.c    what the test image adds for <folder>:
#                                  KTESTs, test backends, self-tests
#   ksrcs-service-<name> += x.c    a diagnostic service an image config
#                                  may name on its service line
#   $(eval $(call host_prog,NAME,SOURCES[,LDLIBS]))
#                                  a Linux program build/host/NAME
#   $(eval $(call host_test,NAME,SOURCES[,LDLIBS]))
#                                  a host unit test build/host/test/NAME; it
#                                  links tests/host/ktest_main.c and prints TAP;
#                                  also built with ASan and UBSan as
#                                  build/host-san/test/NAME (make host-san)
#   $(eval $(call fuzz_target,NAME,SOURCES[,LDLIBS]))
#                                  a libFuzzer target build/fuzz/NAME (clang,
#                                  ASan, UBSan); SOURCES include the file
#                                  defining LLVMFuzzerTestOneInput
#
# Host objects live under build/host/obj (sanitized: build/host-san/obj,
# fuzz targets: build/fuzz/obj), kernel objects under build/k/obj.

HOST_PROGS :=
HOST_TESTS :=
HOST_SAN_TESTS :=
FUZZ_TARGETS :=
HOBJ := $(BUILD)/host/obj
SOBJ := $(BUILD)/host-san/obj
FOBJ := $(BUILD)/fuzz/obj
KOBJ := $(BUILD)/k/obj

hobjs = $(patsubst %.c,$(HOBJ)/%.o,$(1))
sobjs = $(patsubst %.c,$(SOBJ)/%.o,$(1))
fobjs = $(patsubst %.c,$(FOBJ)/%.o,$(1))

define host_prog
HOST_PROGS += $(BUILD)/host/$(1)
$(BUILD)/host/$(1): $(call hobjs,$(2))
	@mkdir -p $$(dir $$@)
	$$(HOSTCC) $$(HLDFLAGS) -o $$@ $$^ $(3)
endef

define host_test
HOST_TESTS += $(BUILD)/host/test/$(1)
$(BUILD)/host/test/$(1): $(call hobjs,$(2) tests/host/ktest_main.c)
	@mkdir -p $$(dir $$@)
	$$(HOSTCC) $$(HLDFLAGS) -o $$@ $$^ $(3)
HOST_SAN_TESTS += $(BUILD)/host-san/test/$(1)
$(BUILD)/host-san/test/$(1): $(call sobjs,$(2) tests/host/ktest_main.c)
	@mkdir -p $$(dir $$@)
	@echo "  SANLD $$@"
	@$$(HOSTCC) $$(HLDFLAGS) $$(SANFLAGS) -o $$@ $$^ $(3)
endef

define fuzz_target
FUZZ_TARGETS += $(BUILD)/fuzz/$(1)
$(BUILD)/fuzz/$(1): $(call fobjs,$(2))
	@mkdir -p $$(dir $$@)
	@echo "  FUZZLD $$@"
	@$$(FUZZCC) $$(HLDFLAGS) $$(FUZZFLAGS) -o $$@ $$^ $(3)
endef

$(HOBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HCC  $<"
	@$(HOSTCC) $(HCFLAGS) -c -o $@ $<

$(SOBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  SANCC $<"
	@$(HOSTCC) $(HCFLAGS) $(SANFLAGS) -c -o $@ $<

$(FOBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC $<"
	@$(FUZZCC) $(FCFLAGS) -c -o $@ $<

$(KOBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  KCC  $<"
	@$(CC) $(KCFLAGS) -c -o $@ $<

$(KOBJ)/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  KAS  $<"
	@$(CC) $(KASFLAGS) -c -o $@ $<

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
