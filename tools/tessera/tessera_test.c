/*
 * The tessera CLI's own behaviour, without a cluster: --help names every
 * command, and each error (unknown command, missing argument, no manager
 * at the socket) is one line on stderr with a non-zero exit status.
 * Runs build/host/tessera from the tree's root.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <tessera/ktest.h>

#include "tests/host/host_run.h"

static bool one_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl && nl[1] == '\0';
}

KTEST(cli, help_names_every_command)
{
	char out[4096];

	KT_EXPECT_EQ(t, host_run("build/host/tessera --help", out, sizeof(out)), 0);
	KT_EXPECT(t, strstr(out, "  nodes ") != NULL);
	KT_EXPECT(t, strstr(out, "  vnode create NAME ") != NULL);
	KT_EXPECT(t, strstr(out, "  vnode ls ") != NULL);
	KT_EXPECT(t, strstr(out, "  run [--vnode NAME] [--excache SIZE] [--stats] [--upload] PATH")
		  != NULL);
	KT_EXPECT(t, strstr(out, "  cp LOCAL VNODE:PATH, cp VNODE:PATH LOCAL\n") != NULL);
	KT_EXPECT(t, strstr(out, "  ps [VNODE] ") != NULL);
	KT_EXPECT(t, strstr(out, "  kill [-SIGNAL] VNODE PID\n") != NULL);
}

/* tessera run fails with 125 (no program ran), one line on stderr. */
KTEST(cli, run_errors_are_one_line_and_125)
{
	static const char *const cmds[] = {
		"build/host/tessera run 2>&1",
		"build/host/tessera run --excache 12Q /x 2>&1",
		"build/host/tessera run --bogus /x 2>&1",
		"build/host/tessera --socket /nonexistent/gpm.cli run /x 2>&1",
		"build/host/tessera run --upload /nonexistent/prog 2>&1",
		"build/host/tessera run --upload / 2>&1",
	};
	char out[1024];

	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		KT_EXPECT_EQ(t, host_run(cmds[i], out, sizeof(out)), 125);
		KT_EXPECT(t, one_line(out));
		KT_EXPECT(t, !strncmp(out, "tessera: ", 9));
	}
}

KTEST(cli, errors_are_one_line)
{
	static const char *const cmds[] = {
		"build/host/tessera frobnicate 2>&1",
		"build/host/tessera cp 2>&1",
		"build/host/tessera cp a b 2>&1",
		"build/host/tessera cp v:/a w:/b 2>&1",
		"build/host/tessera cp /nonexistent/file v:/x 2>&1",
		"build/host/tessera cp 'v:/a b' /tmp 2>&1",
		"build/host/tessera --socket /nonexistent/gpm.cli cp v:/a /tmp/x 2>&1",
		"build/host/tessera vnode create 2>&1",
		"build/host/tessera kill 2>&1",
		"build/host/tessera kill -BOGUS v 1 2>&1",
		"build/host/tessera kill v 2>&1",
		"build/host/tessera ps a b 2>&1",
		"build/host/tessera --socket /nonexistent/gpm.cli ps 2>&1",
		"build/host/tessera --socket /nonexistent/gpm.cli nodes 2>&1",
	};
	char out[1024];

	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		KT_EXPECT_EQ(t, host_run(cmds[i], out, sizeof(out)), 1);
		KT_EXPECT(t, one_line(out));
		KT_EXPECT(t, !strncmp(out, "tessera: ", 9));
	}
}
