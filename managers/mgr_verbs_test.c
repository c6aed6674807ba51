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

/* Run cmd (stderr folded into stdout); its exit status, output in buf. */
static int run(const char *cmd, char *buf, size_t cap)
{
	FILE *p = popen(cmd, "r");
	size_t len;
	int st;

	if (!p)
		return -1;
	len = fread(buf, 1, cap - 1, p);
	buf[len] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

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
	int rc = run("build/host/tessera-mgr-verbs --role gmm --transport verbs 2>&1",
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
	int rc = run("build/host/tessera-mgr --role gsm --transport verbs 2>&1",
		     out, sizeof(out));

	KT_EXPECT(t, rc > 0);
	KT_EXPECT_EQ(t, lines(out), 1);
	KT_EXPECT(t, strstr(out, "tessera-mgr-verbs") != NULL);
}

KTEST(mgr_verbs, bad_options_fail)
{
	char out[2048];

	KT_EXPECT(t, run("build/host/tessera-mgr --role xyz 2>&1", out,
			 sizeof(out)) > 0);
	KT_EXPECT(t, strstr(out, "unknown role") != NULL);
	KT_EXPECT(t, run("build/host/tessera-mgr --role gpm --dead-ms x 2>&1",
			 out, sizeof(out)) > 0);
	KT_EXPECT(t, strstr(out, "bad value \"x\" for --dead-ms") != NULL);
}
