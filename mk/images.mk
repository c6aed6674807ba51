# The monitor images. configs/<image>.conf is a few lines of text that
# say everything an image links:
#
#   role     <folder>           the one role this image plays; its folder
#                               registers the role's ops (tessera/role.h)
#   link     <folder> ...       subsystems linked in, in dependency order
#                               (their ksrcs-<folder>)
#   service  <name> ...         diagnostic services (ksrcs-service-<name>)
#
# build/<image>.elf is the production image: exactly that. The test image
# build/test/<image>.elf, which make test boots, adds the in-kernel tests
# of every folder it links (ktests-<folder>): KTESTs, test backends,
# self-tests, embedded test programs and the KTAP runner.

conf-words = $(shell awk '$$1 == "$(2)" { for (i = 2; i <= NF; i++) print $$i }' configs/$(1).conf)
kobjs = $(patsubst %,$(KOBJ)/%.o,$(basename $(1)))

# $(call image-parts,IMAGE): check the config, define IMAGE-folders,
# IMAGE-srcs and IMAGE-test-srcs.
define image-parts
$(1)-role := $$(call conf-words,$(1),role)
$$(if $$(filter 1,$$(words $$($(1)-role))),,$$(error configs/$(1).conf: needs exactly one role line with one folder))
$$(if $$(ksrcs-$$($(1)-role)),,$$(error configs/$(1).conf: role $$($(1)-role) is not a folder with kernel sources))
$(1)-folders := $$(call conf-words,$(1),link) $$($(1)-role)
$(1)-services := $$(call conf-words,$(1),service)
$$(foreach s,$$($(1)-services),$$(if $$(ksrcs-service-$$(s)),,$$(error configs/$(1).conf: unknown service $$(s))))
$(1)-srcs := $$(foreach d,$$($(1)-folders),$$(ksrcs-$$(d))) \
	$$(foreach s,$$($(1)-services),$$(ksrcs-service-$$(s)))
$(1)-test-srcs := $$($(1)-srcs) $$(foreach d,$$($(1)-folders),$$(ktests-$$(d)))
endef

# $(call link-image,ELF,SOURCES,CONF): the link rule. ELF.objs records the
# object list, rewritten only when it changes, so dropping a source from a
# build.mk relinks the image.
define link-image
$(1).objs: FORCE
	@mkdir -p $$(dir $$@)
	@echo '$$(call kobjs,$(2))' | cmp -s - $$@ || \
		echo '$$(call kobjs,$(2))' > $$@
$(1): $$(call kobjs,$(2)) arch/x86/kernel.ld $(3) $(1).objs
	@mkdir -p $$(dir $$@)
	@echo "  LD   $$@"
	@$$(LD) $$(KLDFLAGS) -T arch/x86/kernel.ld -o $$@ $$(call kobjs,$(2))
endef

$(foreach i,$(IMAGES),$(eval $(call image-parts,$(i))))
$(foreach i,$(IMAGES),$(eval $(call link-image,$(BUILD)/$(i).elf,$($(i)-srcs),configs/$(i).conf)))
$(foreach i,$(IMAGES),$(eval $(call link-image,$(BUILD)/test/$(i).elf,$($(i)-test-srcs),configs/$(i).conf)))

images: $(foreach i,$(IMAGES),$(BUILD)/$(i).elf)
test-images: $(foreach i,$(IMAGES),$(BUILD)/test/$(i).elf) $(BUILD)/test/tessera.iso

# A GRUB ISO with one menu entry per image: build/tessera.iso of the
# production images, build/test/tessera.iso of the test images. It boots
# under BIOS and UEFI: grub-mkrescue puts in every GRUB platform installed,
# and both must be (grub-pc-bin, grub-efi-amd64-bin: make deps).
GRUB_PLATFORMS := /usr/lib/grub/i386-pc /usr/lib/grub/x86_64-efi
define iso
$(1)/tessera.iso: $(foreach i,$(IMAGES),$(1)/$(i).elf) tools/grub.cfg
	@for d in $(GRUB_PLATFORMS); do [ -d $$$$d ] || \
		{ echo "iso: $$$$d is missing (make deps installs it)"; exit 1; }; done
	@rm -rf $(1)/iso && mkdir -p $(1)/iso/boot/grub
	@echo "  ISO  $$@"
	@cp $(foreach i,$(IMAGES),$(1)/$(i).elf) $(1)/iso/boot/
	@cp tools/grub.cfg $(1)/iso/boot/grub/grub.cfg
	@grub-mkrescue -o $$@ $(1)/iso 2>$(1)/grub-mkrescue.log || \
		{ cat $(1)/grub-mkrescue.log; exit 1; }
endef
$(eval $(call iso,$(BUILD)))
$(eval $(call iso,$(BUILD)/test))

iso: $(BUILD)/tessera.iso

FORCE:
.PHONY: FORCE test-images
