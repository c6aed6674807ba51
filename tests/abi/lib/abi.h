/*
 * Helpers of the differential ABI suite (tests/abi/README). Every program
 * prints only what Linux makes deterministic: results, errno names,
 * yes/no answers to comparisons; never pids, addresses or times. Output
 * goes to fd 1 one line per write(2), unbuffered, so fork and exec never
 * duplicate or lose a buffer.
 */
#ifndef TESTS_ABI_LIB_ABI_H
#define TESTS_ABI_LIB_ABI_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Remember argv[0] (for sibling()); call first in main. */
void abi_init(int argc, char **argv);

/* One line to stdout, newline added, in a single write. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "ENOENT" for ENOENT, "ok" for 0; "E#123" for numbers it does not know. */
const char *ename(int err);
/* "SIGTERM" for SIGTERM; "SIG#40" beyond the table. */
const char *sname(int sig);
/* A wait status in words: "exited 3", "killed by SIGTERM", "stopped by
 * SIGSTOP", "continued". Static buffer. */
const char *status_str(int st);

/* "what = R" for R >= 0, else "what = -1 ENAME" (errno); returns r. */
long show(const char *what, long r);
#define SHOW(call) show(#call, (long)(call))
/* "what: ok" or "what: ENAME"; returns r. For calls whose value varies. */
long check(const char *what, long r);
#define CHECK(call) check(#call, (long)(call))
/* "what: yes" or "what: no". */
bool expect(const char *what, bool cond);
#define EXPECT(cond) expect(#cond, (cond))

/* fork(), or "fork: ENAME" and exit(1) if it fails (so that no test
 * waits forever for a child that was never made). */
pid_t xfork(void);
/* Wait for pid (any child for -1) and print "child: <status_str>";
 * returns the raw status, or -1 with "child: ENAME". */
int reap(pid_t pid);
/* The path of program name built with this program's libc, in this
 * program's directory: sibling("help_echo") -> ".../help_echo-glibc". */
const char *sibling(const char *name);
/* The path of file name (no libc suffix) in this program's directory. */
const char *beside(const char *name);
/* This program's own path (argv[0]). */
const char *self_path(void);
/* Sleep in 5 ms steps until *flag >= value (a signal handler's count),
 * at most 10 s; the final *flag. Avoids the race of check-then-pause. */
int wait_until(volatile int *flag, int value);
/* Monotonic milliseconds. */
long long mono_ms(void);
/* Write all of buf to fd (retrying short writes); 0 or -1. */
int write_all(int fd, const void *buf, size_t len);
/* Read up to len bytes, until EOF; the count or -1. */
ssize_t read_full(int fd, void *buf, size_t len);
/* Become /bin/busybox sh running script name (beside this program) with
 * $1 a scratch directory of this program's own (its path + ".d", for
 * the script to make and remove) and $2 this program's path; prints
 * "exec: ENAME" and returns 1 if the exec fails. */
int sh_script(const char *name);

#endif
