/* Helpers for the ELF loader's host tests: an executable held in memory as
 * an elf_source, loaded from a file or built from scratch. */
#ifndef LINUX_ABI_ELF_TEST_UTIL_H
#define LINUX_ABI_ELF_TEST_UTIL_H

#include <tessera/types.h>
#include <tessera/uapi/elf.h>

#include "linux-abi/elf_load.h"

struct mem_elf {
	u8 *data;
	u64 size;
	int fail_reads; /* nonzero: read() returns this instead */
	struct elf_source src;
};

/* Load the file at path; false (and a log line) if it cannot be read. */
bool mem_elf_load(struct mem_elf *m, const char *path);
/* A small valid static ET_EXEC: PT_PHDR, R+X text at 0x400000 holding the
 * headers, RW data with bss at 0x402000, non-executable PT_GNU_STACK. */
void mem_elf_synth(struct mem_elf *m);
void mem_elf_free(struct mem_elf *m);

static inline struct elf64_ehdr *mem_elf_ehdr(struct mem_elf *m)
{
	return (struct elf64_ehdr *)m->data;
}

static inline struct elf64_phdr *mem_elf_phdr(struct mem_elf *m, u32 i)
{
	return (struct elf64_phdr *)(m->data + mem_elf_ehdr(m)->e_phoff) + i;
}

/* Check what must hold of any plan elf_load_plan accepted; returns a
 * description of the first violation, or NULL. */
const char *elf_plan_violation(const struct elf_plan *p, u64 file_size);

#endif
