/*
 * execve end to end: tests/progs/execs (the expected lines are what it
 * prints on Linux) run as a process, and "#!" scripts, one nested in
 * another, embedded in the image with /execs as their interpreter.
 */
#include <tessera/ktest.h>
#include <tessera/string.h>

#include "processor/test/ptest_run.h"

static const char execs_linux[] =
	"one 200 KiB string: -1 Argument list too long\n"
	"2.6 MiB in all: -1 Argument list too long\n"
	"missing: -1 No such file or directory\n"
	"directory: -1 Permission denied\n"
	"child: argc 4 argv0 renamed args one two env E=1 F=two words\n"
	"big: length 102400\n"
	"after exec: cloexec fds closed closed, others open open\n"
	"after exec: caught signal now default, ignored one ignored, mask kept 1\n";

KTEST(pexec, limits_errors_argv_cloexec_as_on_linux)
{
	static const char *const argv[] = { "execs" };

	ptest_run_expect(t, "/execs", argv, 1, 0, execs_linux);
}

KTEST(pexec, scripts_name_their_interpreter)
{
	static const char *const one[] = { "execs", "script", "/exec-script" };
	static const char *const two[] = { "execs", "script", "/exec-script2" };

	ptest_run_expect(t, "/execs", one, 3, 0,
			 "script: argc 5 [from-script] [/exec-script] [x] [y z]\n");
	ptest_run_expect(t, "/execs", two, 3, 0,
			 "script: argc 6 [from-script] [/exec-script] [/exec-script2] [x] [y z]\n");
}

