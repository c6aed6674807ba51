/*
 * ELF loader: reads and validates a static x86-64 Linux executable (ET_EXEC,
 * or static-PIE ET_DYN with no PT_INTERP) through a read callback, and
 * produces a load plan that the kernel carries out: map each segment fresh
 * and zeroed, copy the file bytes in, set the protection, then build the
 * initial stack (exec_stack.h) from the plan's entry and phdr fields.
 */
#ifndef LINUX_ABI_ELF_LOAD_H
#define LINUX_ABI_ELF_LOAD_H

#include <tessera/types.h>

#define ELF_MAX_PHNUM 64 /* more program headers than this: -ENOEXEC */
#define ELF_MAX_LOAD 16  /* more PT_LOAD segments than this: -ENOEXEC */
/* Where a static-PIE goes when the caller passes base 0 (Linux's
 * ELF_ET_DYN_BASE for x86-64 with ASLR off). */
#define ELF_DYN_DEFAULT_BASE 0x555555554000ull

/* Where the executable's bytes are. read() returns the number of bytes it
 * read (short only at end of file) or a negative errno, which the loader
 * passes on. size is the file's length. */
struct elf_source {
	int (*read)(void *ctx, u64 off, void *buf, u32 len);
	void *ctx;
	u64 size;
};

/* One PT_LOAD, relocated by the load bias. Map [start, end) (page aligned)
 * zeroed, then copy copy_len bytes from file offset file_off to start: the
 * copy begins at the page-aligned file offset, as Linux's mmap of the file
 * would. Everything after the copy reads as zero; zero_len (p_memsz -
 * p_filesz) is the bss part of it. prot is PROT_READ/WRITE/EXEC. */
struct elf_segment {
	u64 start;
	u64 end;
	u64 file_off;
	u64 copy_len;
	u64 zero_len;
	u32 prot;
	u32 pad;
};

struct elf_plan {
	u64 entry;      /* relocated e_entry */
	u64 phdr_addr;  /* user address of the program headers, for AT_PHDR */
	u64 load_bias;  /* 0 for ET_EXEC, the base for ET_DYN */
	u64 lo, hi;     /* page-aligned span of all segments; brk starts at hi */
	u32 phnum;      /* AT_PHNUM */
	u32 phent;      /* AT_PHENT */
	bool pie;       /* ET_DYN */
	bool exec_stack; /* PT_GNU_STACK has PF_X */
	u32 nseg;
	struct elf_segment seg[ELF_MAX_LOAD]; /* ascending, disjoint */
	const char *why; /* on -ENOEXEC: what is wrong, for the log */
};

/*
 * Read the headers of src and fill plan. base is where an ET_DYN image goes
 * (page aligned; 0 means ELF_DYN_DEFAULT_BASE); ET_EXEC ignores it.
 * Returns 0, -ENOEXEC for anything that is not a valid static x86-64
 * executable (dynamically linked ones included: they have PT_INTERP), or
 * the read callback's error. Never trusts a field of the file.
 */
int elf_load_plan(const struct elf_source *src, u64 base, struct elf_plan *plan);

#endif
