/*
 * `tessera ps [VNODE]` and `tessera kill [-SIGNAL] VNODE PID`: request
 * lines for GPM (managers/gpm_proc.c), which asks the pComponents. A
 * signal is a number or a name, with or without "SIG" (default TERM).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tools/tessera/cli.h"

static const struct {
	const char *name;
	int sig;
} cli_signals[] = {
	{ "HUP", 1 },   { "INT", 2 },   { "QUIT", 3 },  { "ABRT", 6 },  { "KILL", 9 },
	{ "USR1", 10 }, { "SEGV", 11 }, { "USR2", 12 }, { "PIPE", 13 }, { "ALRM", 14 },
	{ "TERM", 15 }, { "CHLD", 17 }, { "CONT", 18 }, { "STOP", 19 }, { "TSTP", 20 },
	{ "TTIN", 21 }, { "TTOU", 22 }, { "WINCH", 28 },
};

/* The signal "-NAME" or "-N" names (0..64), or -1. */
static int cli_signal(const char *s)
{
	char *end;
	long n;

	if (*s++ != '-' || !*s)
		return -1;
	n = strtol(s, &end, 10);
	if (!*end)
		return n >= 0 && n <= 64 ? (int)n : -1;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof(cli_signals) / sizeof(cli_signals[0]); i++)
		if (!strcasecmp(s, cli_signals[i].name))
			return cli_signals[i].sig;
	return -1;
}

static bool cli_word_ok(const char *s)
{
	return *s && !strpbrk(s, " \t\r\n") && strlen(s) <= 64;
}

const char *cli_proc_line(int argc, char **argv, char *line, size_t cap)
{
	int sig = 15, i = 1;

	if (!strcmp(argv[0], "ps") && argc <= 2) {
		if (argc == 2 && !cli_word_ok(argv[1]))
			return fprintf(stderr, "tessera: bad vnode name \"%s\"\n", argv[1]), NULL;
		snprintf(line, cap, "ps%s%s\n", argc == 2 ? " " : "", argc == 2 ? argv[1] : "");
		return line;
	}
	if (!strcmp(argv[0], "kill") && argc > 1 && argv[1][0] == '-' &&
	    (sig = cli_signal(argv[i++])) < 0)
		return fprintf(stderr, "tessera: kill: bad signal \"%s\"\n", argv[1]), NULL;
	if (strcmp(argv[0], "kill") || argc != i + 2)
		return fprintf(stderr, "tessera: usage: tessera ps [VNODE] | "
				       "tessera kill [-SIGNAL] VNODE PID\n"), NULL;
	if (!cli_word_ok(argv[i]) || !cli_word_ok(argv[i + 1]))
		return fprintf(stderr, "tessera: kill: bad vnode or pid\n"), NULL;
	snprintf(line, cap, "kill %s %s %d\n", argv[i], argv[i + 1], sig);
	return line;
}
