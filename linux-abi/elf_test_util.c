/* Helpers for the ELF loader's host tests (elf_test_util.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tessera/ktest.h>
#include <tessera/uapi/mman.h>

#include "linux-abi/abi.h"
#include "linux-abi/elf_test_util.h"

static int mem_read(void *ctx, u64 off, void *buf, u32 len)
{
	struct mem_elf *m = ctx;

	if (m->fail_reads)
		return m->fail_reads;
	if (off >= m->size)
		return 0;
	len = MIN((u64)len, m->size - off);
	memcpy(buf, m->data + off, len);
	return (int)len;
}

static void mem_elf_init(struct mem_elf *m, u8 *data, u64 size)
{
	m->data = data;
	m->size = size;
	m->fail_reads = 0;
	m->src.read = mem_read;
	m->src.ctx = m;
	m->src.size = size;
}

bool mem_elf_load(struct mem_elf *m, const char *path)
{
	FILE *f = fopen(path, "rb");
	long size;
	u8 *data;

	if (!f) {
		ktest_log("cannot open %s", path);
		return false;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	data = malloc(size);
	if (!data || fread(data, 1, size, f) != (size_t)size) {
		ktest_log("cannot read %s", path);
		free(data);
		fclose(f);
		return false;
	}
	fclose(f);
	mem_elf_init(m, data, size);
	return true;
}

static void set_phdr(struct elf64_phdr *ph, u32 type, u32 flags, u64 off,
		     u64 vaddr, u64 filesz, u64 memsz)
{
	*ph = (struct elf64_phdr){ .p_type = type, .p_flags = flags,
				   .p_offset = off, .p_vaddr = vaddr,
				   .p_paddr = vaddr, .p_filesz = filesz,
				   .p_memsz = memsz, .p_align = 0x1000 };
}

void mem_elf_synth(struct mem_elf *m)
{
	u8 *data = calloc(1, 0x3000);
	struct elf64_ehdr *eh = (struct elf64_ehdr *)data;
	struct elf64_phdr *ph = (struct elf64_phdr *)(data + 64);

	memcpy(eh->e_ident, "\177ELF\2\1\1", 7);
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = 0x400100;
	eh->e_phoff = 64;
	eh->e_ehsize = 64;
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 4;
	set_phdr(&ph[0], PT_PHDR, PF_R, 64, 0x400040, 4 * 56, 4 * 56);
	set_phdr(&ph[1], PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x1000, 0x1000);
	set_phdr(&ph[2], PT_LOAD, PF_R | PF_W, 0x2000, 0x402000, 0x800, 0x2800);
	set_phdr(&ph[3], PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
	mem_elf_init(m, data, 0x3000);
}

void mem_elf_free(struct mem_elf *m)
{
	free(m->data);
	m->data = NULL;
}

static const char *seg_violation(const struct elf_segment *s, u64 file_size)
{
	if (s->start % ABI_PAGE_SIZE || s->end % ABI_PAGE_SIZE || s->start >= s->end)
		return "segment not page aligned or empty";
	if (s->start < ABI_USER_MIN || s->end > ABI_USER_TOP)
		return "segment outside user space";
	if (s->file_off % ABI_PAGE_SIZE || s->file_off > file_size ||
	    s->copy_len > file_size - s->file_off)
		return "segment copies bytes from outside the file";
	if (s->copy_len > s->end - s->start)
		return "segment copies more than it maps";
	if (s->prot & ~(u32)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return "segment has a stray protection bit";
	return NULL;
}

const char *elf_plan_violation(const struct elf_plan *p, u64 file_size)
{
	bool entry_ok = false;

	if (p->nseg == 0 || p->nseg > ELF_MAX_LOAD)
		return "bad segment count";
	for (u32 i = 0; i < p->nseg; i++) {
		const struct elf_segment *s = &p->seg[i];
		const char *why = seg_violation(s, file_size);

		if (why)
			return why;
		if (i > 0 && s->start < p->seg[i - 1].end)
			return "segments overlap or are out of order";
		entry_ok |= p->entry >= s->start && p->entry < s->end &&
			    (s->prot & PROT_EXEC);
	}
	if (!entry_ok)
		return "entry outside executable segments";
	if (p->phdr_addr < p->lo || p->phdr_addr >= p->hi)
		return "phdr address outside the image";
	if (p->phent != sizeof(struct elf64_phdr) || p->phnum == 0 ||
	    p->phnum > ELF_MAX_PHNUM)
		return "bad phent/phnum";
	return NULL;
}
