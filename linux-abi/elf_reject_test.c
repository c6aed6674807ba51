/* ELF loader tests: each validation rule, one broken field at a time on
 * the synthetic executable of elf_test_util.c; every case is -ENOEXEC. */
#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "linux-abi/elf_test_util.h"

/* Break the synthetic executable with fn, expect -ENOEXEC and a reason. */
static void expect_reject(struct ktest_ctx *t, const char *what,
			  void (*fn)(struct mem_elf *m))
{
	struct mem_elf m;
	struct elf_plan p;
	int r;

	mem_elf_synth(&m);
	fn(&m);
	r = elf_load_plan(&m.src, 0, &p);
	if (r != -ENOEXEC || !p.why) {
		ktest_log("%s: got %d", what, r);
		ktest_fail(t, __FILE__, __LINE__, what);
	}
	mem_elf_free(&m);
}

static void bad_magic(struct mem_elf *m) { m->data[1] = 'e'; }
static void elf32(struct mem_elf *m) { m->data[4] = 1; }
static void big_endian(struct mem_elf *m) { m->data[5] = 2; }
static void aarch64(struct mem_elf *m) { mem_elf_ehdr(m)->e_machine = 183; }
static void relocatable(struct mem_elf *m) { mem_elf_ehdr(m)->e_type = 1; }
static void phnum_zero(struct mem_elf *m) { mem_elf_ehdr(m)->e_phnum = 0; }
static void phnum_absurd(struct mem_elf *m) { mem_elf_ehdr(m)->e_phnum = 65535; }
static void phentsize(struct mem_elf *m) { mem_elf_ehdr(m)->e_phentsize = 32; }
static void phoff_past_end(struct mem_elf *m) { mem_elf_ehdr(m)->e_phoff = 0x2ff0; }
static void phoff_huge(struct mem_elf *m) { mem_elf_ehdr(m)->e_phoff = ~0ull - 8; }
static void interp(struct mem_elf *m) { mem_elf_phdr(m, 3)->p_type = 3; }

static void filesz_gt_memsz(struct mem_elf *m)
{
	mem_elf_phdr(m, 2)->p_filesz = 0x3000;
}

static void offset_past_end(struct mem_elf *m)
{
	mem_elf_phdr(m, 2)->p_offset = 0x4000;
	mem_elf_phdr(m, 2)->p_vaddr = 0x404000;
}

static void filesz_past_end(struct mem_elf *m)
{
	mem_elf_phdr(m, 2)->p_filesz = 0x1001;
}

static void offset_wraps(struct mem_elf *m)
{
	mem_elf_phdr(m, 2)->p_offset = ~0ull - 0xfff;
	mem_elf_phdr(m, 2)->p_vaddr = 0x402000;
}

static void misaligned(struct mem_elf *m)
{
	mem_elf_phdr(m, 2)->p_offset = 0x2010;
}

static void overlap(struct mem_elf *m)
{
	mem_elf_phdr(m, 2)->p_vaddr = 0x400800;
	mem_elf_phdr(m, 2)->p_offset = 0x800;
}

static void out_of_order(struct mem_elf *m)
{
	mem_elf_phdr(m, 2)->p_vaddr = 0x300000;
}

static void kernel_address(struct mem_elf *m)
{
	mem_elf_phdr(m, 2)->p_vaddr = 0xffff800000002000ull;
}

static void crosses_user_top(struct mem_elf *m)
{
	mem_elf_phdr(m, 2)->p_vaddr = 0x7fffffffe000ull;
	mem_elf_phdr(m, 2)->p_memsz = 0x3000;
}

static void memsz_wraps(struct mem_elf *m)
{
	mem_elf_phdr(m, 2)->p_memsz = ~0ull;
}

static void page_zero(struct mem_elf *m)
{
	mem_elf_phdr(m, 1)->p_vaddr = 0;
	mem_elf_ehdr(m)->e_entry = 0x100;
}

static void entry_in_data(struct mem_elf *m)
{
	mem_elf_ehdr(m)->e_entry = 0x402000;
}

static void entry_outside(struct mem_elf *m)
{
	mem_elf_ehdr(m)->e_entry = 0x900000;
}

static void pt_phdr_outside(struct mem_elf *m)
{
	mem_elf_phdr(m, 0)->p_vaddr = 0x403000;
}

static void no_load(struct mem_elf *m)
{
	mem_elf_phdr(m, 1)->p_type = PT_NOTE;
	mem_elf_phdr(m, 2)->p_type = PT_NOTE;
}

static void headers_not_loaded(struct mem_elf *m)
{
	mem_elf_phdr(m, 0)->p_type = PT_NOTE;
	mem_elf_phdr(m, 1)->p_offset = 0x1000;
	mem_elf_phdr(m, 1)->p_vaddr = 0x401000;
	mem_elf_ehdr(m)->e_entry = 0x401100;
	mem_elf_phdr(m, 2)->p_filesz = 0x800;
}

KTEST(elf_reject, header)
{
	expect_reject(t, "bad magic", bad_magic);
	expect_reject(t, "ELFCLASS32", elf32);
	expect_reject(t, "big endian", big_endian);
	expect_reject(t, "not x86-64", aarch64);
	expect_reject(t, "ET_REL", relocatable);
	expect_reject(t, "e_phnum 0", phnum_zero);
	expect_reject(t, "e_phnum 65535", phnum_absurd);
	expect_reject(t, "e_phentsize 32", phentsize);
	expect_reject(t, "e_phoff past the end", phoff_past_end);
	expect_reject(t, "e_phoff wraps", phoff_huge);
	expect_reject(t, "PT_INTERP", interp);
}

KTEST(elf_reject, segments)
{
	expect_reject(t, "p_filesz > p_memsz", filesz_gt_memsz);
	expect_reject(t, "p_offset past the end", offset_past_end);
	expect_reject(t, "p_filesz past the end", filesz_past_end);
	expect_reject(t, "p_offset wraps", offset_wraps);
	expect_reject(t, "p_offset/p_vaddr misaligned", misaligned);
	expect_reject(t, "overlapping segments", overlap);
	expect_reject(t, "segments out of order", out_of_order);
	expect_reject(t, "kernel address", kernel_address);
	expect_reject(t, "crosses the top of user space", crosses_user_top);
	expect_reject(t, "p_memsz wraps", memsz_wraps);
	expect_reject(t, "page zero", page_zero);
	expect_reject(t, "no PT_LOAD", no_load);
}

KTEST(elf_reject, entry_and_phdr)
{
	expect_reject(t, "entry in a non-exec segment", entry_in_data);
	expect_reject(t, "entry outside the image", entry_outside);
	expect_reject(t, "PT_PHDR outside the file bytes", pt_phdr_outside);
	expect_reject(t, "headers not loaded", headers_not_loaded);
}
