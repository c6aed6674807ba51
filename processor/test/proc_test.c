/*
 * The pMonitor end to end: unmodified static Linux binaries (the programs
 * of tests/progs, embedded in the image) run as processes against the test
 * backends, with their output captured byte for byte, their exit status
 * and fault reasons checked, and the ExCache counters of a working set
 * four times the cache (dirty victims riding on fetches).
 */
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/kmalloc.h>
#include <tessera/ktest.h>
#include <tessera/string.h>

#include "processor/proc/proc.h"
#include "processor/test/ptest_run.h"
#include "processor/test/test_backends.h"

KTEST(pproc, hello_musl_glibc_and_static_pie)
{
	static const char *const progs[] = { "/hello-musl", "/hello-glibc", "/hello-pie" };
	struct pmon *mon = ptest_mon(PTEST_SMALL_CACHE);
	struct ptest_capture cap;

	KT_ASSERT(t, mon != NULL);
	for (u32 i = 0; i < 3; i++) {
		KT_EXPECT_EQ(t, ptest_run_simple(t, mon, progs[i], &cap, NULL), 0);
		KT_EXPECT(t, !strcmp(cap.buf, "hello, world\n"));
		if (strcmp(cap.buf, "hello, world\n"))
			ktest_log("%s wrote \"%s\"", progs[i], cap.buf);
	}
	KT_EXPECT_EQ(t, ptest_mem_pages(&mon->mem), 0);
	ptest_mon_free(mon);
}

KTEST(pproc, exit_status_reaches_the_waiter)
{
	struct pmon *mon = ptest_mon(PTEST_SMALL_CACHE);
	struct ptest_capture cap;
	char reason[PPROC_REASON_MAX];

	KT_ASSERT(t, mon != NULL);
	KT_EXPECT_EQ(t, ptest_run_simple(t, mon, "/exit3", &cap, reason), 3);
	KT_EXPECT_EQ(t, cap.len, 0);
	KT_EXPECT(t, reason[0] == 0);
	ptest_mon_free(mon);
}

KTEST(pproc, null_dereference_kills_only_the_process)
{
	struct pmon *mon = ptest_mon(PTEST_SMALL_CACHE);
	struct ptest_capture cap;
	char reason[PPROC_REASON_MAX];

	KT_ASSERT(t, mon != NULL);
	KT_EXPECT_EQ(t, ptest_run_simple(t, mon, "/nullderef", &cap, reason), 128 + 11);
	KT_EXPECT(t, !strcmp(cap.buf, "about to read address 0\n"));
	KT_EXPECT(t, !strncmp(reason, "segmentation fault at 0x0 ", 26));
	ktest_log("nullderef: %s", reason);
	KT_EXPECT_EQ(t, ptest_run_simple(t, mon, "/hello-musl", &cap, NULL), 0);
	KT_EXPECT(t, !strcmp(cap.buf, "hello, world\n"));
	ptest_mon_free(mon);
}

KTEST(pproc, bad_pointer_gives_efault)
{
	struct pmon *mon = ptest_mon(PTEST_SMALL_CACHE);
	struct ptest_capture cap;

	KT_ASSERT(t, mon != NULL);
	KT_EXPECT_EQ(t, ptest_run_simple(t, mon, "/efault", &cap, NULL), 0);
	KT_EXPECT(t, !strcmp(cap.buf, "efault: ok\n"));
	ptest_mon_free(mon);
}

KTEST(pproc, missing_and_non_elf_programs_fail_to_spawn)
{
	struct pmon *mon = ptest_mon(PTEST_SMALL_CACHE);
	struct ptest_capture cap;
	const char *argv[] = { "x" };
	struct pproc *p;

	KT_ASSERT(t, mon != NULL);
	KT_EXPECT_EQ(t, ptest_run(mon, "/no-such-program", argv, 1, &cap, &p), -ENOENT);
	KT_EXPECT_EQ(t, ptest_run(mon, "/", argv, 1, &cap, &p), -EACCES);
	ptest_mon_free(mon);
}

/* memtest's checksum of n words of its pattern (tests/progs/memtest.c). */
static u64 memtest_sum(u64 n)
{
	u64 sum = 0;

	for (u64 i = 0; i < n; i++) {
		u64 v = (i + 1) * 0x9e3779b97f4a7c15ull ^ (i >> 7);

		sum = (sum ^ v) * 0x100000001b3ull;
		sum ^= sum >> 29;
	}
	return sum;
}

/* Run memtest over 1 MiB: true if it exited 0 and printed exactly the
 * checksum line its pattern gives. */
static bool memtest_1mib(struct pmon *mon, struct pproc **p)
{
	const char *argv[] = { "memtest", "1" };
	struct ptest_capture cap;
	char want[80];

	if (ptest_run(mon, "/memtest", argv, 2, &cap, p) != 0)
		return false;
	fmt_snprintf(want, sizeof(want), "memtest: 1 MiB checksum %016lx ok\n",
		     memtest_sum(MiB / 8));
	return !strcmp(cap.buf, want);
}

KTEST(pproc, working_set_four_times_the_excache)
{
	struct pmon *mon = ptest_mon(PTEST_TINY_CACHE);
	struct pproc *p;

	KT_ASSERT(t, mon != NULL);
	KT_ASSERT(t, memtest_1mib(mon, &p));
	ktest_log("memtest: misses %lu zero-fills %lu file-fills %lu fetches %lu "
		  "evictions %lu write-backs %lu", p->stats.misses,
		  p->stats.zero_fills, p->stats.file_fills, p->stats.fetches,
		  p->stats.evictions, p->stats.writebacks);
	KT_EXPECT(t, p->stats.zero_fills >= 256);   /* 1 MiB first touched */
	KT_EXPECT(t, p->stats.writebacks >= 192);   /* 3/4 of it cannot stay */
	KT_EXPECT(t, p->stats.fetches >= 192);      /* and is read back */
	KT_EXPECT(t, p->stats.evictions >= p->stats.writebacks);
	KT_EXPECT_EQ(t, ptest_mem_pages(&mon->mem), 0);
	pproc_free(p);
	ptest_mon_free(mon);
}

/* One process whose working set is four times the cache: every dirty
 * victim is its own, so each rides on a fetch and none is written back on
 * its own. */
KTEST(pproc, own_dirty_victims_ride_on_fetches)
{
	struct pmon *mon = ptest_mon(PTEST_TINY_CACHE);
	u64 separate, combined;
	struct pproc *p;

	KT_ASSERT(t, mon != NULL);
	KT_ASSERT(t, memtest_1mib(mon, &p));
	ptest_mem_requests(&mon->mem, &separate, &combined);
	ktest_log("memtest: write-backs %lu carried %lu; backend: fetches with a victim %lu, "
		  "write-backs %lu", p->stats.writebacks, p->stats.carried, combined, separate);
	KT_EXPECT(t, combined >= 192);
	KT_EXPECT_EQ(t, separate, 0);
	KT_EXPECT_EQ(t, p->stats.carried, combined);
	KT_EXPECT_EQ(t, p->stats.writebacks, p->stats.carried);
	pproc_free(p);
	ptest_mon_free(mon);
}

/* A victim the home did not store is written back on its own. */
KTEST(pproc, refused_victim_is_written_back_on_its_own)
{
	struct pmon *mon = ptest_mon(PTEST_TINY_CACHE);
	u64 separate, combined;
	struct pproc *p;

	KT_ASSERT(t, mon != NULL);
	ptest_mem_refuse(&mon->mem, 5, 1); /* and the first retry fails too */
	KT_ASSERT(t, memtest_1mib(mon, &p));
	ptest_mem_requests(&mon->mem, &separate, &combined);
	KT_EXPECT_EQ(t, separate, 5);
	KT_EXPECT_EQ(t, p->stats.carried, combined);
	KT_EXPECT_EQ(t, p->stats.writebacks, combined + 5);
	pproc_free(p);
	ptest_mon_free(mon);
}

/* A victim that can be stored neither way ends its process, saying why. */
KTEST(pproc, unstorable_victim_kills_its_process)
{
	const char *argv[] = { "memtest", "1" };
	struct pmon *mon = ptest_mon(PTEST_TINY_CACHE);
	struct ptest_capture cap;
	struct pproc *p;

	KT_ASSERT(t, mon != NULL);
	ptest_mem_refuse(&mon->mem, ~0ull, ~0ull);
	KT_EXPECT_EQ(t, ptest_run(mon, "/memtest", argv, 2, &cap, &p), 128 + 7);
	KT_EXPECT(t, !strncmp(p->exit_reason, "memory component unreachable", 28));
	ktest_log("memtest: %s", p->exit_reason);
	KT_EXPECT_EQ(t, p->stats.carried, 0);
	pproc_free(p);
	ptest_mon_free(mon);
}

KTEST(pproc, default_output_goes_to_the_console)
{
	static const char *const argv[] = { "hello-musl" };
	struct pproc_spawn a = { .path = "/hello-musl", .argv = argv, .argc = 1 };
	struct pmon *mon = ptest_mon(PTEST_SMALL_CACHE);
	struct pproc *p;

	KT_ASSERT(t, mon != NULL);
	KT_ASSERT(t, pproc_spawn(mon, &a, &p) == 0);
	KT_EXPECT_EQ(t, pproc_wait(p), 0);
	KT_EXPECT(t, p->console_bol); /* the line ended */
	pproc_free(p);
	ptest_mon_free(mon);
}
