/*
 * Time and timers end to end: tests/progs/timers (the expected lines are
 * what it prints on Linux: alarm(1) interrupting a blocking pipe read
 * with EINTR and the read restarted under SA_RESTART, an interval timer,
 * sleeps that really sleep, the accounting calls) run as a process.
 */
#include <tessera/ktest.h>

#include "processor/test/ptest_run.h"

static const char timers_linux[] =
	"read without SA_RESTART: -1 Interrupted system call, alarms 1, after about 1 s yes\n"
	"read with SA_RESTART: 1 'x', alarms 2\n"
	"interval timer: 3 alarms, still armed 1, interval 30000 us\n"
	"disarmed: 1\n"
	"alarm(0) after alarm(10): 10\n"
	"nanosleep 100 ms: 0, at least 100 ms yes\n"
	"nanosleep 5 s ended by alarm: -1 Interrupted system call, time left between 3 and 5 s yes\n"
	"absolute clock_nanosleep: 0, reached yes\n"
	"bad timespec: 1\n"
	"times: ok, getrusage: 0, sysinfo: 0 with ram yes\n"
	"getrusage(7): -1 Invalid argument\n";

KTEST(ptimer, alarms_sleeps_and_restarts_as_on_linux)
{
	static const char *const argv[] = { "timers" };

	ptest_run_expect(t, "/timers", argv, 1, 0, timers_linux);
}
