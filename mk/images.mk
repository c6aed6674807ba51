# The monitor images. configs/<image>.conf is a few lines of text:
#
#   role  <name>               the one role this image plays
#   link  <folder> ...         subsystems linked in (their ksrcs-<folder>)
#
# The role is not a compile-time switch: the role folder registers its ops
# table (kernel/role.h) and the kernel calls it.

conf-links = $(shell awk '$$1 == "link" { for (i = 2; i <= NF; i++) print $$i }' configs/$(1).conf)
conf-role  = $(shell awk '$$1 == "role" { print $$2 }' configs/$(1).conf)
kobjs = $(patsubst %,$(KOBJ)/%.o,$(basename $(1)))

# build/k/<image>.objs records the object list, rewritten only when it
# changes, so dropping a source from a build.mk relinks the image.
define image
$(1)-srcs := $$(foreach d,$$(call conf-links,$(1)),$$(ksrcs-$$(d)))
$(BUILD)/k/$(1).objs: FORCE
	@mkdir -p $$(dir $$@)
	@echo '$$(call kobjs,$$($(1)-srcs))' | cmp -s - $$@ || \
		echo '$$(call kobjs,$$($(1)-srcs))' > $$@
$(BUILD)/$(1).elf: $$(call kobjs,$$($(1)-srcs)) arch/x86/kernel.ld configs/$(1).conf \
		$(BUILD)/k/$(1).objs
	@mkdir -p $$(dir $$@)
	@echo "  LD   $$@"
	@$$(LD) $$(KLDFLAGS) -T arch/x86/kernel.ld -o $$@ $$(call kobjs,$$($(1)-srcs))
endef

$(foreach i,$(IMAGES),$(eval $(call image,$(i))))

images: $(foreach i,$(IMAGES),$(BUILD)/$(i).elf)

iso: $(BUILD)/tessera.iso

$(BUILD)/tessera.iso: images tools/grub.cfg
	@rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	cp $(foreach i,$(IMAGES),$(BUILD)/$(i).elf) $(BUILD)/iso/boot/
	cp tools/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BUILD)/iso 2>$(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

FORCE:
.PHONY: FORCE
