/* Running test programs (ptest_run.h). */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>

#include "processor/test/ptest_run.h"
#include "processor/test/test_backends.h"

static void ptest_capture_write(void *ctx, const void *buf, u64 len)
{
	struct ptest_capture *c = ctx;
	u64 n = MIN(len, (u64)(PTEST_CAPTURE_MAX - 1 - c->len));

	memcpy(c->buf + c->len, buf, n);
	c->len += (u32)n;
	c->buf[c->len] = 0;
}

struct pmon *ptest_mon(u64 cache_bytes)
{
	struct pmon *mon = kzalloc(sizeof(*mon));
	struct pmon_config cfg = { .cache_bytes = cache_bytes, .ways = 8, .policy = "clock" };

	if (!mon || ptest_mem_create(&cfg.mem))
		return NULL;
	if (ptest_files_create(ptest_progs_start, (u64)(ptest_progs_end - ptest_progs_start),
			       &cfg.files) ||
	    pmon_init(mon, &cfg))
		return NULL;
	pproc_install_user_ops();
	return mon;
}

void ptest_mon_free(struct pmon *mon)
{
	ptest_mem_destroy(&mon->mem);
	ptest_files_destroy(&mon->files);
	pmon_destroy(mon);
	kfree(mon);
}

int ptest_start(struct pmon *mon, const char *path, const char *const *argv, u32 argc,
		struct ptest_capture *cap, struct pproc **out)
{
	static const char *const envp[] = { "PATH=/", "HOME=/" };
	struct pproc_spawn a = { .path = path, .argv = argv, .argc = argc, .envc = 2,
				 .envp = envp, .out = &cap->sink };

	memset(cap, 0, sizeof(*cap));
	cap->sink = (struct pfd_sink){ .write = ptest_capture_write, .ctx = cap };
	return pproc_spawn(mon, &a, out);
}

int ptest_run(struct pmon *mon, const char *path, const char *const *argv, u32 argc,
	      struct ptest_capture *cap, struct pproc **out)
{
	int err = ptest_start(mon, path, argv, argc, cap, out);

	return err ? err : pproc_wait(*out);
}

int ptest_run_simple(struct ktest_ctx *t, struct pmon *mon, const char *path,
		     struct ptest_capture *cap, char *reason)
{
	const char *argv[] = { path };
	struct pproc *p;
	int status = ptest_run(mon, path, argv, 1, cap, &p);

	if (status < 0)
		return -1;
	if (reason)
		str_copy(reason, p->exit_reason, PPROC_REASON_MAX);
	KT_EXPECT_EQ(t, excache_lines_of(&mon->cache, p->pid), 0);
	pproc_free(p);
	return status;
}

/* The length of the line at s, without its newline. */
static u32 ptest_line_len(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl ? (u32)(nl - s) : (u32)strlen(s);
}

void ptest_expect_output(struct ktest_ctx *t, const char *got, const char *want)
{
	u32 line = 1;

	KT_EXPECT(t, !strcmp(got, want));
	while (*got && *want) {
		u32 g = ptest_line_len(got), w = ptest_line_len(want);

		if (g != w || memcmp(got, want, g))
			break;
		got += g + (got[g] != 0);
		want += w + (want[w] != 0);
		line++;
	}
	if (*got || *want)
		ktest_log("line %u: got \"%.*s\", want \"%.*s\"", line, (int)MIN(ptest_line_len(got), 100u),
			  got, (int)MIN(ptest_line_len(want), 100u), want);
}

void ptest_run_expect(struct ktest_ctx *t, const char *path, const char *const *argv,
		      u32 argc, int status, const char *want)
{
	struct pmon *mon = ptest_mon(PTEST_SMALL_CACHE);
	struct ptest_capture *cap = kmalloc(sizeof(*cap));
	struct pproc *p;

	KT_ASSERT(t, mon != NULL && cap != NULL);
	KT_EXPECT_EQ(t, ptest_run(mon, path, argv, argc, cap, &p), status);
	ptest_expect_output(t, cap->buf, want);
	pproc_free(p);
	KT_EXPECT_EQ(t, ptest_mem_pages(&mon->mem), 0);
	ptest_mon_free(mon);
	kfree(cap);
}
