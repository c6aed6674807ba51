/* ELF loader tests: load plans of real static binaries (busybox and the
 * programs in tests/progs), and each validation rule on a small synthetic
 * executable with one field broken. */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/uapi/mman.h>

#include "linux-abi/elf_test_util.h"

#define R PROT_READ
#define RW (PROT_READ | PROT_WRITE)
#define RX (PROT_READ | PROT_EXEC)

/* A glibc or musl static binary: R, RX, R, RW; headers in the first page. */
static void expect_static_layout(struct ktest_ctx *t, const char *path, u64 base)
{
	struct mem_elf m;
	struct elf_plan p;

	KT_ASSERT(t, mem_elf_load(&m, path));
	KT_EXPECT_EQ(t, elf_load_plan(&m.src, 0, &p), 0);
	KT_EXPECT(t, elf_plan_violation(&p, m.size) == NULL);
	KT_EXPECT_EQ(t, p.nseg, 4);
	KT_EXPECT_EQ(t, p.seg[0].prot, R);
	KT_EXPECT_EQ(t, p.seg[1].prot, RX);
	KT_EXPECT_EQ(t, p.seg[2].prot, R);
	KT_EXPECT_EQ(t, p.seg[3].prot, RW);
	KT_EXPECT_EQ(t, p.lo, base);
	KT_EXPECT_EQ(t, p.phdr_addr, base + mem_elf_ehdr(&m)->e_phoff);
	KT_EXPECT_EQ(t, p.phnum, mem_elf_ehdr(&m)->e_phnum);
	KT_EXPECT_EQ(t, p.phent, 56);
	KT_EXPECT_EQ(t, p.entry, p.load_bias + mem_elf_ehdr(&m)->e_entry);
	KT_EXPECT(t, !p.exec_stack);
	KT_EXPECT(t, p.seg[3].zero_len > 0);
	mem_elf_free(&m);
}

KTEST(elf_load, busybox_static)
{
	expect_static_layout(t, "/bin/busybox", 0x400000);
}

KTEST(elf_load, glibc_static)
{
	expect_static_layout(t, "build/progs/hello-glibc", 0x400000);
}

KTEST(elf_load, musl_static)
{
	expect_static_layout(t, "build/progs/hello-musl", 0x400000);
}

KTEST(elf_load, glibc_static_pie)
{
	struct mem_elf m;
	struct elf_plan p;

	expect_static_layout(t, "build/progs/hello-pie", ELF_DYN_DEFAULT_BASE);
	KT_ASSERT(t, mem_elf_load(&m, "build/progs/hello-pie"));
	KT_EXPECT_EQ(t, elf_load_plan(&m.src, 0x7f0000000000, &p), 0);
	KT_EXPECT(t, p.pie);
	KT_EXPECT_EQ(t, p.load_bias, 0x7f0000000000);
	KT_EXPECT_EQ(t, p.lo, 0x7f0000000000);
	KT_EXPECT_EQ(t, elf_load_plan(&m.src, 0x1234, &p), -EINVAL);
	mem_elf_free(&m);
}

KTEST(elf_load, dynamic_refused)
{
	struct mem_elf m;
	struct elf_plan p;

	KT_ASSERT(t, mem_elf_load(&m, "/bin/true"));
	KT_EXPECT_EQ(t, elf_load_plan(&m.src, 0, &p), -ENOEXEC);
	KT_EXPECT(t, p.why && strstr(p.why, "PT_INTERP"));
	mem_elf_free(&m);
}

KTEST(elf_load, synthetic_plan)
{
	struct mem_elf m;
	struct elf_plan p;

	mem_elf_synth(&m);
	KT_ASSERT(t, elf_load_plan(&m.src, 0, &p) == 0);
	KT_EXPECT(t, !p.pie);
	KT_EXPECT_EQ(t, p.load_bias, 0);
	KT_EXPECT_EQ(t, p.entry, 0x400100);
	KT_EXPECT_EQ(t, p.phdr_addr, 0x400040);
	KT_EXPECT_EQ(t, p.nseg, 2);
	KT_EXPECT_EQ(t, p.seg[0].start, 0x400000);
	KT_EXPECT_EQ(t, p.seg[0].end, 0x401000);
	KT_EXPECT_EQ(t, p.seg[0].copy_len, 0x1000);
	KT_EXPECT_EQ(t, p.seg[1].start, 0x402000);
	KT_EXPECT_EQ(t, p.seg[1].end, 0x405000);
	KT_EXPECT_EQ(t, p.seg[1].file_off, 0x2000);
	KT_EXPECT_EQ(t, p.seg[1].copy_len, 0x800);
	KT_EXPECT_EQ(t, p.seg[1].zero_len, 0x2000);
	KT_EXPECT_EQ(t, p.lo, 0x400000);
	KT_EXPECT_EQ(t, p.hi, 0x405000);
	mem_elf_free(&m);
}

KTEST(elf_load, unaligned_data_segment)
{
	struct mem_elf m;
	struct elf_plan p;
	struct elf64_phdr *ph;

	mem_elf_synth(&m);
	ph = mem_elf_phdr(&m, 2);
	ph->p_offset = 0x2100;
	ph->p_vaddr = 0x402100;
	ph->p_filesz = 0x700;
	KT_ASSERT(t, elf_load_plan(&m.src, 0, &p) == 0);
	KT_EXPECT_EQ(t, p.seg[1].start, 0x402000);
	KT_EXPECT_EQ(t, p.seg[1].file_off, 0x2000);
	KT_EXPECT_EQ(t, p.seg[1].copy_len, 0x800);
	KT_EXPECT_EQ(t, p.seg[1].end, 0x405000);
	mem_elf_free(&m);
}

KTEST(elf_load, exec_stack_and_no_pt_phdr)
{
	struct mem_elf m;
	struct elf_plan p;

	mem_elf_synth(&m);
	mem_elf_phdr(&m, 3)->p_flags |= PF_X;
	mem_elf_phdr(&m, 0)->p_type = PT_NOTE;
	KT_ASSERT(t, elf_load_plan(&m.src, 0, &p) == 0);
	KT_EXPECT(t, p.exec_stack);
	KT_EXPECT_EQ(t, p.phdr_addr, 0x400040);
	mem_elf_free(&m);
}

KTEST(elf_load, read_errors_pass_through)
{
	struct mem_elf m;
	struct elf_plan p;

	mem_elf_synth(&m);
	m.fail_reads = -EIO;
	KT_EXPECT_EQ(t, elf_load_plan(&m.src, 0, &p), -EIO);
	m.fail_reads = 0;
	m.src.size = 40;
	KT_EXPECT_EQ(t, elf_load_plan(&m.src, 0, &p), -ENOEXEC);
	mem_elf_free(&m);
}
