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
#                                  links tests/host/ktest_main.c and prints TAP
#
# Host objects live under build/host/obj, kernel objects under build/k/obj.

HOST_PROGS :=
HOST_TESTS :=
HOBJ := $(BUILD)/host/obj
KOBJ := $(BUILD)/k/obj

hobjs = $(patsubst %.c,$(HOBJ)/%.o,$(1))

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
endef

$(HOBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HCC  $<"
	@$(HOSTCC) $(HCFLAGS) -c -o $@ $<

$(KOBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  KCC  $<"
	@$(CC) $(KCFLAGS) -c -o $@ $<

$(KOBJ)/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  KAS  $<"
	@$(CC) $(KASFLAGS) -c -o $@ $<

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
