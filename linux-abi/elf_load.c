/*
 * ELF loader: validates an ELF64 x86-64 static executable and turns its
 * program headers into a load plan (elf_load.h). Every field of the file is
 * untrusted: each offset, size and address is range-checked before use and
 * any inconsistency gives -ENOEXEC with plan->why saying what it was.
 */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/uapi/elf.h>
#include <tessera/uapi/mman.h>

#include "linux-abi/abi.h"
#include "linux-abi/elf_load.h"

#define PH_BATCH 8 /* program headers read per callback */

/* The loader's state while it walks the program headers. */
struct loader {
	const struct elf_source *src;
	struct elf_plan *plan;
	u64 base;        /* where ET_DYN's lowest segment goes */
	u64 phdr_vaddr;  /* PT_PHDR's p_vaddr, if has_phdr */
	bool has_phdr;
};

static int fail(struct elf_plan *plan, const char *why)
{
	plan->why = why;
	return -ENOEXEC;
}

static int read_exact(const struct elf_source *src, u64 off, void *buf, u32 len)
{
	int r;

	if (off > src->size || len > src->size - off)
		return -ENOEXEC;
	r = src->read(src->ctx, off, buf, len);
	if (r < 0)
		return r;
	return (u32)r == len ? 0 : -ENOEXEC;
}

static bool ident_ok(const u8 *id)
{
	return id[0] == 0x7f && id[1] == 'E' && id[2] == 'L' && id[3] == 'F' &&
	       id[EI_CLASS] == ELFCLASS64 && id[EI_DATA] == ELFDATA2LSB &&
	       id[EI_VERSION] == EV_CURRENT &&
	       (id[EI_OSABI] == ELFOSABI_SYSV || id[EI_OSABI] == ELFOSABI_GNU);
}

static int check_ehdr(const struct elf64_ehdr *eh, u64 size, struct elf_plan *plan)
{
	if (!ident_ok(eh->e_ident))
		return fail(plan, "not an ELF64 little-endian file");
	if (eh->e_machine != EM_X86_64 || eh->e_version != EV_CURRENT)
		return fail(plan, "not an x86-64 ELF");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return fail(plan, "not an executable (ET_EXEC or ET_DYN)");
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return fail(plan, "bad e_phentsize");
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHNUM)
		return fail(plan, "bad e_phnum");
	if (eh->e_phoff > size ||
	    (u64)eh->e_phnum * sizeof(struct elf64_phdr) > size - eh->e_phoff)
		return fail(plan, "program headers beyond end of file");
	return 0;
}

static u32 prot_of(u32 pflags)
{
	return (pflags & PF_R ? PROT_READ : 0) | (pflags & PF_W ? PROT_WRITE : 0) |
	       (pflags & PF_X ? PROT_EXEC : 0);
}

/* The load bias: 0 for ET_EXEC; for ET_DYN, what puts the first PT_LOAD's
 * page at base (as Linux does with ELF_ET_DYN_BASE). */
static void set_bias(struct loader *l, const struct elf64_phdr *ph)
{
	struct elf_plan *plan = l->plan;

	if (plan->pie && plan->nseg == 0)
		plan->load_bias = l->base - ALIGN_DOWN(ph->p_vaddr, ABI_PAGE_SIZE);
}

static int check_load(const struct elf64_phdr *ph, u64 bias, u64 size,
		      struct elf_plan *plan)
{
	u64 va = bias + ph->p_vaddr;

	if (ph->p_filesz > ph->p_memsz)
		return fail(plan, "PT_LOAD with p_filesz > p_memsz");
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return fail(plan, "PT_LOAD beyond end of file");
	if ((ph->p_vaddr - ph->p_offset) % ABI_PAGE_SIZE)
		return fail(plan, "PT_LOAD p_offset and p_vaddr differ modulo the page size");
	if (va < ABI_USER_MIN || !abi_user_range_ok(va, ph->p_memsz))
		return fail(plan, "PT_LOAD outside user space");
	return 0;
}

static int add_load(struct loader *l, const struct elf64_phdr *ph)
{
	struct elf_plan *plan = l->plan;
	struct elf_segment *s;
	u64 va, lead;
	int err;

	set_bias(l, ph);
	if (ph->p_memsz == 0)
		return 0;
	err = check_load(ph, plan->load_bias, l->src->size, plan);
	if (err)
		return err;
	if (plan->nseg == ELF_MAX_LOAD)
		return fail(plan, "too many PT_LOAD segments");
	va = plan->load_bias + ph->p_vaddr;
	s = &plan->seg[plan->nseg];
	s->start = ALIGN_DOWN(va, ABI_PAGE_SIZE);
	s->end = ALIGN_UP(va + ph->p_memsz, ABI_PAGE_SIZE);
	if (plan->nseg > 0 && s->start < plan->seg[plan->nseg - 1].end)
		return fail(plan, "PT_LOAD segments overlap or are out of order");
	lead = va - s->start;
	s->file_off = ph->p_filesz ? ph->p_offset - lead : 0;
	s->copy_len = ph->p_filesz ? ph->p_filesz + lead : 0;
	s->zero_len = ph->p_memsz - ph->p_filesz;
	s->prot = prot_of(ph->p_flags);
	s->pad = 0;
	plan->nseg++;
	return 0;
}

static int add_phdr(struct loader *l, const struct elf64_phdr *ph)
{
	struct elf_plan *plan = l->plan;

	switch (ph->p_type) {
	case PT_LOAD:
		return add_load(l, ph);
	case PT_INTERP:
		return fail(plan, "dynamically linked (PT_INTERP): only static executables run");
	case PT_PHDR:
		l->has_phdr = true;
		l->phdr_vaddr = ph->p_vaddr;
		return 0;
	case PT_GNU_STACK:
		plan->exec_stack = (ph->p_flags & PF_X) != 0;
		return 0;
	default:
		return 0;
	}
}

static int walk_phdrs(struct loader *l, u64 phoff)
{
	struct elf64_phdr ph[PH_BATCH];
	u32 n = l->plan->phnum;

	for (u32 i = 0; i < n; i += PH_BATCH) {
		u32 k = MIN(n - i, (u32)PH_BATCH);
		int err = read_exact(l->src, phoff + (u64)i * sizeof(ph[0]), ph,
				     k * sizeof(ph[0]));

		for (u32 j = 0; !err && j < k; j++)
			err = add_phdr(l, &ph[j]);
		if (err)
			return err;
	}
	return 0;
}

/* The segment holding [addr, addr + len) among its file-backed bytes. */
static const struct elf_segment *seg_with_file_bytes(const struct elf_plan *plan,
						     u64 addr, u64 len)
{
	for (u32 i = 0; i < plan->nseg; i++) {
		const struct elf_segment *s = &plan->seg[i];

		if (addr >= s->start && addr - s->start <= s->copy_len &&
		    len <= s->copy_len - (addr - s->start))
			return s;
	}
	return NULL;
}

/* AT_PHDR: PT_PHDR's address if there is one, else wherever the PT_LOAD
 * that covers e_phoff puts the headers; the headers must be loaded. */
static int find_phdr(struct loader *l, u64 phoff)
{
	struct elf_plan *plan = l->plan;
	u64 len = (u64)plan->phnum * plan->phent;

	if (l->has_phdr) {
		plan->phdr_addr = plan->load_bias + l->phdr_vaddr;
		if (!seg_with_file_bytes(plan, plan->phdr_addr, len))
			return fail(plan, "PT_PHDR outside the loaded file bytes");
		return 0;
	}
	for (u32 i = 0; i < plan->nseg; i++) {
		const struct elf_segment *s = &plan->seg[i];

		if (s->copy_len && phoff >= s->file_off &&
		    phoff - s->file_off <= s->copy_len &&
		    len <= s->copy_len - (phoff - s->file_off)) {
			plan->phdr_addr = s->start + (phoff - s->file_off);
			return 0;
		}
	}
	return fail(plan, "program headers not in any PT_LOAD");
}

static int check_entry(struct elf_plan *plan)
{
	for (u32 i = 0; i < plan->nseg; i++) {
		const struct elf_segment *s = &plan->seg[i];

		if (plan->entry >= s->start && plan->entry < s->end &&
		    (s->prot & PROT_EXEC))
			return 0;
	}
	return fail(plan, "entry point outside the executable segments");
}

static int finish(struct loader *l, const struct elf64_ehdr *eh)
{
	struct elf_plan *plan = l->plan;

	if (plan->nseg == 0)
		return fail(plan, "no PT_LOAD segment");
	plan->lo = plan->seg[0].start;
	plan->hi = plan->seg[plan->nseg - 1].end;
	plan->entry = plan->load_bias + eh->e_entry;
	if (find_phdr(l, eh->e_phoff))
		return -ENOEXEC;
	return check_entry(plan);
}

int elf_load_plan(const struct elf_source *src, u64 base, struct elf_plan *plan)
{
	struct loader l = { .src = src, .plan = plan };
	struct elf64_ehdr eh;
	int err;

	memset(plan, 0, sizeof(*plan));
	if (base % ABI_PAGE_SIZE)
		return -EINVAL;
	l.base = base ? base : ELF_DYN_DEFAULT_BASE;
	err = read_exact(src, 0, &eh, sizeof(eh));
	if (err)
		return err == -ENOEXEC ? fail(plan, "shorter than an ELF header") : err;
	err = check_ehdr(&eh, src->size, plan);
	if (err)
		return err;
	plan->pie = eh.e_type == ET_DYN;
	plan->phnum = eh.e_phnum;
	plan->phent = eh.e_phentsize;
	err = walk_phdrs(&l, eh.e_phoff);
	if (err)
		return err == -ENOEXEC && !plan->why ? fail(plan, "short read") : err;
	return finish(&l, &eh);
}
