/*
 * The tessera CLI's parts: tessera.c (commands answered in one piece),
 * tessera_proc.c (their ps and kill lines) and tessera_run.c (`tessera
 * run`, whose answer streams).
 */
#ifndef TOOLS_TESSERA_CLI_H
#define TOOLS_TESSERA_CLI_H

#include <stddef.h>

/* Exit status of `tessera run` when no program ran (GPM refused or was
 * unreachable), as docker run's 125. */
#define CLI_RUN_FAILED 125

/* A connection to GPM's CLI socket, or -1 after a one-line message. */
int cli_connect(const char *path);
/* Send the request line: 0 or -1. */
int cli_send(int fd, const char *line);
/* tessera_proc.c: the request line of `ps ...` or `kill ...` (argv[0]),
 * or NULL after a one-line message. */
const char *cli_proc_line(int argc, char **argv, char *line, size_t cap);
/* tessera_cp.c: `tessera cp SRC DST` (argv[0] "cp"): 0, or 1 after a
 * one-line message. */
int cli_cp(const char *socket, int argc, char **argv);
/* `tessera run ...`: argv[0] is "run". The program's exit status. */
int cli_run(const char *socket, int argc, char **argv);

#endif
