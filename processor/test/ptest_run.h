/*
 * Running test programs in a pMonitor of their own, for the end-to-end
 * process tests: a small instance on the test backends (the embedded
 * programs as files), and a run that captures what fds 1 and 2 wrote.
 */
#ifndef PROCESSOR_TEST_PTEST_RUN_H
#define PROCESSOR_TEST_PTEST_RUN_H

#include <tessera/ktest.h>
#include <tessera/types.h>

#include "processor/proc/proc.h"

#define PTEST_SMALL_CACHE (1 * MiB)
#define PTEST_TINY_CACHE (256 * KiB)
#define PTEST_CAPTURE_MAX 2048

/* What a process wrote, NUL-terminated (the rest is cut), and the sink
 * its fds 1 and 2 write to, which lives as long as the capture. */
struct ptest_capture {
	char buf[PTEST_CAPTURE_MAX];
	u32 len;
	struct pfd_sink sink;
};

/* A pMonitor with an ExCache of cache_bytes (8-way, clock); NULL if it
 * cannot be made. */
struct pmon *ptest_mon(u64 cache_bytes);
void ptest_mon_free(struct pmon *mon);

/* Start path with argv, output captured in cap; 0 and the process in
 * *out, or the spawn's error. */
int ptest_start(struct pmon *mon, const char *path, const char *const *argv, u32 argc,
		struct ptest_capture *cap, struct pproc **out);
/* Run it to completion: its status (0..255), or the spawn's error. */
int ptest_run(struct pmon *mon, const char *path, const char *const *argv, u32 argc,
	      struct ptest_capture *cap, struct pproc **out);
/* got must be want; if not, the first line that differs is logged (whole
 * outputs are longer than a log line). */
void ptest_expect_output(struct ktest_ctx *t, const char *got, const char *want);

/* In a pMonitor of its own: path with argv must end with status and print
 * exactly want, and leave no line stored at the memory backend. */
void ptest_run_expect(struct ktest_ctx *t, const char *path, const char *const *argv,
		      u32 argc, int status, const char *want);

/* Run a program with no arguments; its exit status, or -1 if it did not
 * start. Checks it left no ExCache line, copies its reason (if reason)
 * and frees it. */
int ptest_run_simple(struct ktest_ctx *t, struct pmon *mon, const char *path,
		     struct ptest_capture *cap, char *reason);

#endif
