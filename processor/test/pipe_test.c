/*
 * Pipes end to end: tests/progs/pipes (the expected lines are what it
 * prints on Linux) run as a process, and death by SIGPIPE.
 */
#include <tessera/ktest.h>
#include <tessera/string.h>
#include <tessera/uapi/signal.h>

#include "processor/test/ptest_run.h"

static const char pipes_linux[] =
	"read 10: hello pipe\n"
	"after close: read 0\n"
	"flags: rd nonblock wr wronly, cloexec 1\n"
	"empty read: -1 Resource temporarily unavailable\n"
	"filled 65536 bytes, then Resource temporarily unavailable\n"
	"one more byte: -1 Resource temporarily unavailable\n"
	"200 into 100 free: -1 Resource temporarily unavailable\n"
	"50 into 100 free: -1\n"
	"F_SETFL 0: block\n"
	"no reader, SIGPIPE ignored: -1 Broken pipe\n"
	"no reader, SIGPIPE caught: -1 Broken pipe hits 1\n"
	"dupfd: 10 (cloexec 1) 11 (cloexec 0)\n"
	"setfd: 1\n"
	"bad fd: -1 Bad file descriptor\n"
	"fstat: fifo 1 size 0\n"
	"read end write: -1 Bad file descriptor\n"
	"poll empty: 2 rd 0 wr 0x4 bad 0x20\n"
	"ppoll with a byte: 1 rd 0x1\n"
	"select: 2 rd 1 wr 1\n"
	"poll after close: 1 rd 0x11\n"
	"select at eof: 1 rd 1\n"
	"select timeout: 0 left 0.030000\n"
	"select bad fd: -1 Bad file descriptor\n";

KTEST(ppipe, pipes_fcntl_poll_select_as_on_linux)
{
	static const char *const argv[] = { "pipes" };

	ptest_run_expect(t, "/pipes", argv, 1, 0, pipes_linux);
}

KTEST(ppipe, sigpipe_ends_a_writer_with_no_reader)
{
	static const char *const argv[] = { "pipes", "sigpipe" };

	ptest_run_expect(t, "/pipes", argv, 2, 128 + SIGPIPE, "writing to a pipe with no reader\n");
}
