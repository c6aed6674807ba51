/*
 * execve end to end: tests/progs/execs (the expected lines are what it
 * prints on Linux) run as a process, and "#!" scripts, one nested in
 * another, embedded in the image with /execs as their interpreter.
 */
#include <tessera/ktest.h>
#include <tessera/string.h>

#include "processor/test/ptest_run.h"
#include "processor/test/test_backends.h"

static const char execs_linux[] =
	"one 200 KiB string: -1 Argument list too long\n"
	"2.6 MiB in all: -1 Argument list too long\n"
	"missing: -1 No such file or directory\n"
	"directory: -1 Permission denied\n"
	"child: argc 4 argv0 renamed args one two env E=1 F=two words\n"
	"big: length 102400\n"
	"after exec: cloexec fds closed closed, others open open\n"
	"after exec: caught signal now default, ignored one ignored, mask kept 1\n";

static void run_expect(struct ktest_ctx *t, const char *const *argv, u32 argc, const char *want)
{
	struct pmon *mon = ptest_mon(PTEST_SMALL_CACHE);
	struct ptest_capture cap;
	struct pproc *p;

	KT_ASSERT(t, mon != NULL);
	KT_EXPECT_EQ(t, ptest_run(mon, "/execs", argv, argc, &cap, &p), 0);
	ptest_expect_output(t, cap.buf, want);

	pproc_free(p);
	KT_EXPECT_EQ(t, ptest_mem_pages(&mon->mem), 0);
	ptest_mon_free(mon);
}

KTEST(pexec, limits_errors_argv_cloexec_as_on_linux)
{
	static const char *const argv[] = { "execs" };

	run_expect(t, argv, 1, execs_linux);
}

KTEST(pexec, scripts_name_their_interpreter)
{
	static const char *const one[] = { "execs", "script", "/exec-script" };
	static const char *const two[] = { "execs", "script", "/exec-script2" };

	run_expect(t, one, 3, "script: argc 5 [from-script] [/exec-script] [x] [y z]\n");
	run_expect(t, two, 3, "script: argc 6 [from-script] [/exec-script] [/exec-script2] "
			      "[x] [y z]\n");
}

