/*
 * /proc's root: a directory per process of the caller's vNode (named by
 * pid, listed in pid order), the self link, and the files about the
 * pComponent: meminfo (its memory, as sysinfo reports it), cpuinfo (from
 * CPUID, one block per CPU), mounts, uptime, loadavg, stat and
 * sys/kernel/pid_max. The per-process files are in procfs_pid.c.
 */
#include <tessera/arch.h>
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/pmm.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>

#include "processor/fd/procfs.h"
#include "processor/proc/proc.h"

#define PPROCFS_PID_MAX 4194304 /* Linux's PID_MAX_LIMIT on 64-bit */

static long pprocfs_self_link(struct pproc *caller, const struct pnode *n, char *buf, u64 size)
{
	char s[16];
	u64 len = (u64)fmt_snprintf(s, sizeof(s), "%u", caller->pid);

	memcpy(buf, s, MIN(len, size));
	return (long)MIN(len, size);
}

static const struct pnode_ops pprocfs_self_ops = { .readlink = pprocfs_self_link };

static void pprocfs_kb(struct pbuf *b, const char *key, u64 kb)
{
	char k[32];

	fmt_snprintf(k, sizeof(k), "%s:", key);
	pbuf_printf(b, "%-16s%8llu kB\n", k, (unsigned long long)kb);
}

/* Memory of the pComponent; what Linux would split into caches and
 * kernel use is all free or all used here. */
static int pprocfs_meminfo(struct pproc *caller, const struct pnode *n, struct pbuf *b)
{
	static const char *const zero[] = {
		"Buffers", "Cached", "SwapCached", "Active", "Inactive", "Active(anon)",
		"Inactive(anon)", "Active(file)", "Inactive(file)", "Unevictable", "Mlocked",
		"SwapTotal", "SwapFree", "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem",
		"KReclaimable", "Slab", "SReclaimable", "SUnreclaim", "KernelStack", "PageTables",
	};
	u64 total = kernel_pmm.nr_pages * 4, free = kernel_pmm.free_pages * 4;

	pprocfs_kb(b, "MemTotal", total);
	pprocfs_kb(b, "MemFree", free);
	pprocfs_kb(b, "MemAvailable", free);
	for (u32 i = 0; i < ARRAY_SIZE(zero); i++)
		pprocfs_kb(b, zero[i], 0);
	pprocfs_kb(b, "CommitLimit", total);
	pprocfs_kb(b, "Committed_AS", total - free);
	pprocfs_kb(b, "VmallocTotal", 0);
	pprocfs_kb(b, "VmallocUsed", 0);
	pprocfs_kb(b, "VmallocChunk", 0);
	pbuf_printf(b, "HugePages_Total:       0\nHugePages_Free:        0\n"
		       "HugePages_Rsvd:        0\nHugePages_Surp:        0\n");
	pprocfs_kb(b, "Hugepagesize", 2048);
	pprocfs_kb(b, "Hugetlb", 0);
	return 0;
}

/* Linux's names of CPUID leaf 1's EDX and ECX bits, in its order. */
static const char *const pprocfs_edx[32] = {
	"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", NULL, "sep",
	"mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", NULL, "dts", "acpi",
	"mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
};
static const char *const pprocfs_ecx[32] = {
	"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2",
	"ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", NULL, "pcid", "dca", "sse4_1",
	"sse4_2", "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", NULL,
	"avx", "f16c", "rdrand", "hypervisor",
};

static void pprocfs_flags(struct pbuf *b, u32 edx, u32 ecx)
{
	pbuf_printf(b, "flags\t\t:");
	for (int i = 0; i < 32; i++)
		if ((edx & (1u << i)) && pprocfs_edx[i])
			pbuf_printf(b, " %s", pprocfs_edx[i]);
	for (int i = 0; i < 32; i++)
		if ((ecx & (1u << i)) && pprocfs_ecx[i])
			pbuf_printf(b, " %s", pprocfs_ecx[i]);
	pbuf_printf(b, "\n");
}

/* vendor (12 bytes) and model name (48) from CPUID. */
static void pprocfs_cpu_names(char vendor[13], char model[49])
{
	u32 r[4];

	arch_cpuid(0, 0, r);
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	vendor[12] = '\0';
	arch_cpuid(0x80000000, 0, r);
	memset(model, 0, 49);
	for (u32 i = 0; r[0] >= 0x80000004 && i < 3; i++) {
		u32 m[4];

		arch_cpuid(0x80000002 + i, 0, m);
		memcpy(model + 16 * i, m, 16);
	}
}

static int pprocfs_cpuinfo(struct pproc *caller, const struct pnode *n, struct pbuf *b)
{
	char vendor[13], model[49];
	u32 r[4];
	u32 fam, mod;
	u64 mhz = arch_cycles_per_sec() / 1000000;

	pprocfs_cpu_names(vendor, model);
	arch_cpuid(1, 0, r);
	fam = ((r[0] >> 8) & 0xf) + (((r[0] >> 8) & 0xf) == 0xf ? (r[0] >> 20) & 0xff : 0);
	mod = ((r[0] >> 4) & 0xf) | (((r[0] >> 16) & 0xf) << 4);
	for (int cpu = 0; cpu < sched_ncpus(); cpu++) {
		pbuf_printf(b, "processor\t: %d\nvendor_id\t: %s\ncpu family\t: %u\n", cpu,
			    vendor, fam);
		pbuf_printf(b, "model\t\t: %u\nmodel name\t: %s\nstepping\t: %u\n", mod,
			    model[0] ? model : "unknown", r[0] & 0xf);
		pbuf_printf(b, "cpu MHz\t\t: %llu.000\nphysical id\t: 0\nsiblings\t: %d\n",
			    (unsigned long long)mhz, sched_ncpus());
		pbuf_printf(b, "core id\t\t: %d\ncpu cores\t: %d\napicid\t\t: %d\n", cpu,
			    sched_ncpus(), cpu);
		pbuf_printf(b, "fpu\t\t: yes\nfpu_exception\t: yes\nwp\t\t: yes\n");
		pprocfs_flags(b, r[3], r[2]);
		pbuf_printf(b, "bogomips\t: %llu.00\nclflush size\t: 64\n"
			       "cache_alignment\t: 64\n\n", (unsigned long long)mhz * 2);
	}
	return 0;
}

int pprocfs_mounts(struct pproc *caller, const struct pnode *n, struct pbuf *b)
{
	pbuf_printf(b, "/dev/root / ext3 rw,relatime 0 0\n");
	pseudo_mounts_text(b);
	return 0;
}

static int pprocfs_uptime(struct pproc *caller, const struct pnode *n, struct pbuf *b)
{
	u64 cs = time_ns() / 10000000;

	pbuf_printf(b, "%llu.%02llu %llu.%02llu\n", (unsigned long long)(cs / 100),
		    (unsigned long long)(cs % 100), (unsigned long long)(cs / 100),
		    (unsigned long long)(cs % 100));
	return 0;
}

/* CPU time is not kept per CPU: all of it shows as idle. */
static int pprocfs_stat(struct pproc *caller, const struct pnode *n, struct pbuf *b)
{
	unsigned long long idle = time_ns() / 10000000, boot = (walltime_ns() - time_ns()) / 1000000000;

	pbuf_printf(b, "cpu  0 0 0 %llu 0 0 0 0 0 0\n", idle * (unsigned long long)sched_ncpus());
	for (int cpu = 0; cpu < sched_ncpus(); cpu++)
		pbuf_printf(b, "cpu%d 0 0 0 %llu 0 0 0 0 0 0\n", cpu, idle);
	pbuf_printf(b, "intr 0\nctxt 0\nbtime %llu\nprocesses %u\nprocs_running 1\n"
		       "procs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n", boot,
		    pprocfs_count(caller));
	return 0;
}

static int pprocfs_loadavg(struct pproc *caller, const struct pnode *n, struct pbuf *b)
{
	pbuf_printf(b, "0.00 0.00 0.00 1/%u %u\n", pprocfs_count(caller), caller->pid);
	return 0;
}

static int pprocfs_pid_max(struct pproc *caller, const struct pnode *n, struct pbuf *b)
{
	pbuf_printf(b, "%u\n", PPROCFS_PID_MAX);
	return 0;
}

#define PPROCFS_TEXT(name, fn) \
	{ name, S_IFREG | 0444, &(const struct pnode_ops){ .fill = fn }, 0, 0, NULL }
#define PPROCFS_DIR(name, sub) { name, S_IFDIR | 0555, &pseudo_table_ops, 0, 0, sub }

static const struct pentry pprocfs_kernel[] = {
	PPROCFS_TEXT("pid_max", pprocfs_pid_max),
	{ NULL, 0, NULL, 0, 0, NULL },
};

static const struct pentry pprocfs_sys[] = {
	PPROCFS_DIR("kernel", pprocfs_kernel),
	{ NULL, 0, NULL, 0, 0, NULL },
};

static const struct pentry pprocfs_top[] = {
	{ "self", S_IFLNK | 0777, &pprocfs_self_ops, 0, 0, NULL },
	PPROCFS_TEXT("meminfo", pprocfs_meminfo),
	PPROCFS_TEXT("cpuinfo", pprocfs_cpuinfo),
	PPROCFS_TEXT("mounts", pprocfs_mounts),
	PPROCFS_TEXT("uptime", pprocfs_uptime),
	PPROCFS_TEXT("loadavg", pprocfs_loadavg),
	PPROCFS_TEXT("stat", pprocfs_stat),
	PPROCFS_DIR("sys", pprocfs_sys),
	{ NULL, 0, NULL, 0, 0, NULL },
};

static bool pprocfs_parse_pid(const char *name, u32 *pid)
{
	u64 v = 0;

	if (!name[0] || (name[0] == '0' && name[1]))
		return false;
	for (const char *s = name; *s; s++) {
		if (*s < '0' || *s > '9' || v > PPROCFS_PID_MAX)
			return false;
		v = v * 10 + (u64)(*s - '0');
	}
	*pid = (u32)v;
	return v > 0;
}

static int pprocfs_root_lookup(struct pproc *caller, const struct pnode *dir, const char *name,
			       struct pnode *out)
{
	u32 pid;

	if (!pseudo_table_lookup(caller, dir, name, out))
		return 0;
	if (!pprocfs_parse_pid(name, &pid) || !pprocfs_visible(caller, pid))
		return -ENOENT;
	pprocfs_pid_dir(dir, pid, out);
	return 0;
}

static int pprocfs_root_entry(struct pproc *caller, const struct pnode *dir, u32 idx,
			      struct pnode *out, char *name)
{
	u32 fixed = ARRAY_SIZE(pprocfs_top) - 1, pid;

	if (idx < fixed)
		return pseudo_table_entry(caller, dir, idx, out, name);
	pid = pprocfs_nth(caller, idx - fixed);
	if (!pid)
		return -ENOENT;
	pprocfs_pid_dir(dir, pid, out);
	fmt_snprintf(name, PSEUDO_NAME_MAX, "%u", pid);
	return 0;
}

static const struct pnode_ops pprocfs_root_ops = {
	.lookup = pprocfs_root_lookup,
	.entry = pprocfs_root_entry,
};

void pprocfs_root(struct pnode *out)
{
	*out = (struct pnode){ .ops = &pprocfs_root_ops, .mode = S_IFDIR | 0555, .ino = 1,
			       .data = pprocfs_top, .dev = PPROCFS_DEV };
}
