/* Host tests that run a program and look at what it printed. */
#ifndef TESTS_HOST_HOST_RUN_H
#define TESTS_HOST_HOST_RUN_H

#include <stddef.h>

/* Run cmd with sh (stderr as the command redirects it); its output, cut to
 * cap - 1 bytes, in buf. Returns the exit status, or -1 if it did not run
 * or exit normally. */
int host_run(const char *cmd, char *buf, size_t cap);

#endif
