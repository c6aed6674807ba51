/*
 * Processes end to end: tests/progs/forks (the expected lines are what it
 * prints on Linux as a session leader, which a launched process is) run
 * as a process tree, and fork of a process with 16 MiB written: each
 * side sees only its own writes, and the memory backend moved far less
 * than the 16 MiB for the fork and the child's exit.
 */
#include <tessera/ktest.h>
#include <tessera/string.h>

#include "processor/test/ptest_run.h"
#include "processor/test/test_backends.h"

static const char forks_linux[] =
	"hundred: each status once yes, then wait -1 No child process\n"
	"nohang while running: 0\n"
	"after release: same pid 1 exited 1 status 3\n"
	"sigterm: signaled 1 sig 15 core 0\n"
	"stopped: 1 sig 19\n"
	"continued: 1\n"
	"killed: sig 9\n"
	"waitid: signo 17 code 1 status 42 same pid 1\n"
	"sigchld: hits 1 code 1 status 42\n"
	"child: ppid 1 pgrp 1 newpgrp 1\n"
	"setsid in child: new session\n"
	"setpgid as session leader: -1 Operation not permitted\n"
	"setsid as session leader: -1 Operation not permitted\n"
	"orphan: moved\n"
	"vfork: status 7\n"
	"exit(261): status 5\n";

KTEST(pfork, process_tree_as_on_linux)
{
	static const char *const argv[] = { "forks" };
	struct pmon *mon = ptest_mon(PTEST_SMALL_CACHE);
	struct ptest_capture cap;
	struct pproc *p;

	KT_ASSERT(t, mon != NULL);
	KT_EXPECT_EQ(t, ptest_run(mon, "/forks", argv, 1, &cap, &p), 0);
	ptest_expect_output(t, cap.buf, forks_linux);
	ktest_log("forks: %lu forks, %lu bytes moved for them", p->stats.forks,
		  p->stats.fork_bytes);
	KT_EXPECT(t, p->stats.forks >= 100);
	pproc_free(p);
	KT_EXPECT_EQ(t, ptest_mem_pages(&mon->mem), 0);
	ptest_mon_free(mon);
}

KTEST(pfork, copies_are_private_and_cheap)
{
	static const char *const argv[] = { "forks", "mem", "16" };
	struct pmon *mon = ptest_mon(PTEST_SMALL_CACHE);
	struct ptest_capture cap;
	struct pproc *p;

	KT_ASSERT(t, mon != NULL);
	KT_EXPECT_EQ(t, ptest_run(mon, "/forks", argv, 3, &cap, &p), 0);
	ptest_expect_output(t, cap.buf, "mem 16 MiB: child saw only its writes yes, "
				  "parent saw only its own yes\n");
	ktest_log("fork of 16 MiB: %lu bytes moved (ExCache %lu KiB)", p->stats.fork_bytes,
		  (u64)mon->nframes * 4);
	KT_EXPECT_EQ(t, p->stats.forks, 1);
	KT_EXPECT(t, p->stats.fork_bytes > 0);
	KT_EXPECT(t, p->stats.fork_bytes < PTEST_SMALL_CACHE + 64 * KiB);
	pproc_free(p);
	KT_EXPECT_EQ(t, ptest_mem_pages(&mon->mem), 0);
	ptest_mon_free(mon);
}

