/*
 * The libibverbs transport compiled into tessera-mgr-verbs: started where
 * there is no RDMA device (as on the build machines) it must stop at once
 * with a non-zero status and exactly one line naming the problem. Runs
 * the built programs (the test runner starts it in the tree's root).
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <tessera/ktest.h>

#include "tests/host/host_run.h"

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

KTEST(mgr_verbs, no_device_is_one_clear_line)
{
	char out[1024];
	int rc = host_run("build/host/tessera-mgr-verbs --role gmm --transport verbs 2>&1",
		     out, sizeof(out));

	ktest_log("%s", out);
	KT_EXPECT(t, rc > 0);
	KT_EXPECT_EQ(t, lines(out), 1);
	KT_EXPECT(t, !strncmp(out, "gmm: ", 5));
	KT_EXPECT(t, strstr(out, "RDMA device") != NULL);
	KT_EXPECT(t, strstr(out, "use --transport fabric") != NULL);
}

KTEST(mgr_verbs, plain_build_points_to_the_verbs_build)
{
	char out[1024];
	int rc = host_run("build/host/tessera-mgr --role gsm --transport verbs 2>&1",
		     out, sizeof(out));

	KT_EXPECT(t, rc > 0);
	KT_EXPECT_EQ(t, lines(out), 1);
	KT_EXPECT(t, strstr(out, "tessera-mgr-verbs") != NULL);
}

KTEST(mgr_verbs, bad_options_fail)
{
	char out[2048];

	KT_EXPECT(t, host_run("build/host/tessera-mgr --role xyz 2>&1", out,
			 sizeof(out)) > 0);
	KT_EXPECT(t, strstr(out, "unknown role") != NULL);
	KT_EXPECT(t, host_run("build/host/tessera-mgr --role gpm --dead-ms x 2>&1",
			 out, sizeof(out)) > 0);
	KT_EXPECT(t, strstr(out, "bad value \"x\" for --dead-ms") != NULL);
}
