/*
 * Signals end to end: tests/progs/sigself (the expected lines are what it
 * prints on Linux) run as a process, a default action ending it, and a
 * signal sent from outside waking it from pause().
 */
#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>

#include "processor/proc/signal.h"
#include "processor/test/ptest_run.h"

static const char sigself_linux[] =
	"handler: hits 1 siginfo ok\n"
	"blocked: hits 1 pending 1\n"
	"unblocked: hits 2 (merged)\n"
	"nodefer: depth 3 calls 3\n"
	"deferred: depth 1 calls 3\n"
	"resethand: now SIG_DFL\n"
	"sigsuspend: -1 Interrupted system call hits 1\n"
	"mask after: usr1 1\n"
	"altstack: on it\n"
	"no SA_ONSTACK: not on it\n"
	"fpu: 5.00 after a handler that computed 1\n"
	"segv: left the handler by siglongjmp (si_addr ok)\n"
	"segv again: caught\n";

KTEST(psignal, handlers_masks_frames_as_on_linux)
{
	static const char *const argv[] = { "sigself" };

	ptest_run_expect(t, "/sigself", argv, 1, 0, sigself_linux);
}

KTEST(psignal, default_action_ends_the_process)
{
	static const char *const argv[] = { "sigself", "term" };
	struct pmon *mon = ptest_mon(PTEST_SMALL_CACHE);
	struct ptest_capture cap;
	struct pproc *p;
	u32 n = sizeof(sigself_linux) - 1;

	KT_ASSERT(t, mon != NULL);
	KT_EXPECT_EQ(t, ptest_run(mon, "/sigself", argv, 2, &cap, &p), 128 + SIGTERM);
	KT_EXPECT(t, !strncmp(cap.buf, sigself_linux, n));
	ptest_expect_output(t, cap.buf + n, "term: raising SIGTERM\n");
	KT_EXPECT(t, p->exit_reason[0] == 0);
	pproc_free(p);
	ptest_mon_free(mon);
}

/* Wait (up to 10 s) until p's thread sleeps interruptibly. */
static bool wait_asleep(struct pproc *p)
{
	u64 until = time_ns() + 10 * NSEC_PER_SEC;

	while (!__atomic_load_n(&p->main->abi.sleeping, __ATOMIC_ACQUIRE)) {
		if (time_ns() > until)
			return false;
		thread_sleep_ns(NSEC_PER_MSEC);
	}
	return true;
}

KTEST(psignal, signal_from_outside_ends_pause)
{
	static const char *const argv[] = { "sigself", "pause" };
	struct abi_sigrec rec = { .code = SI_USER };
	struct pmon *mon = ptest_mon(PTEST_SMALL_CACHE);
	struct ptest_capture cap;
	struct pproc *p;

	KT_ASSERT(t, mon != NULL);
	KT_ASSERT(t, ptest_start(mon, "/sigself", argv, 2, &cap, &p) == 0);
	KT_EXPECT(t, wait_asleep(p));
	psig_send(p, SIGCHLD, &rec); /* ignored by default: no wake-up */
	KT_EXPECT(t, p->main->abi.sleeping);
	psig_send(p, SIGUSR1, &rec);
	KT_EXPECT_EQ(t, pproc_wait(p), 0);
	ptest_expect_output(t, cap.buf, "pause: -1 Interrupted system call hits 1\n");
	pproc_free(p);
	ptest_mon_free(mon);
}
