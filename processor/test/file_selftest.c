/*
 * A boot-time check of the file path to an sMonitor:
 * pfile_selftest=IP:PATH looks PATH up over the file protocol, reads all
 * of it and prints its size and FNV-1a hash, lists PATH's directory and
 * looks up a name that is not there:
 *
 *	PFILE path=/tests/hello-musl size=25288 fnv1a=1234567890
 *	PFILE dir=/tests entries=7          (without "." and "..")
 *	PFILE missing=/tests/hello-musl.missing err=-2
 *
 * A failed step prints err=-errno in place of its values. Runs in its own
 * thread, which owns all the state here; it retries the first lookup while
 * the sMonitor is still booting.
 */
#include <tessera/bootargs.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/net/rpc.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>

#include "processor/backend/file_rpc.h"

BOOTARG_KNOWN(pfile_selftest, "IP:PATH: read PATH from the sMonitor at IP over RPC at boot and print PFILE lines");

#define PST_WAIT_NS (30ull * NSEC_PER_SEC) /* for the sMonitor to boot */
#define PST_RETRY_NS (100ull * NSEC_PER_MSEC)
#define PST_CHUNK 12000u /* not a multiple of the protocol's READ size */
#define PST_DIRENTS 8
#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u

struct pst {
	struct pfile_backend files;
	char path[BOOTARG_VAL_MAX];
};

static u32 pst_fnv1a(u32 h, const u8 *p, long len)
{
	for (long i = 0; i < len; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	return h;
}

static int pst_lookup_wait(struct pst *t, struct pfile_handle *h, struct pfile_attr *a)
{
	u64 until = time_ns() + PST_WAIT_NS;
	int err;

	while (((err = t->files.ops->lookup(t->files.be, t->path, h, a)) == -EIO ||
		err == -EOPNOTSUPP) && time_ns() < until)
		thread_sleep_ns(PST_RETRY_NS);
	return err;
}

/* Read the whole file h in PST_CHUNK pieces; its hash, size in *size. */
static int pst_read_all(struct pst *t, const struct pfile_handle *h, u64 *size, u32 *hash)
{
	u8 *buf = kmalloc(PST_CHUNK);
	long n = 0;

	if (!buf)
		return -ENOMEM;
	*size = 0;
	*hash = FNV_OFFSET;
	do {
		n = t->files.ops->read(t->files.be, h, *size, buf, PST_CHUNK);
		if (n > 0) {
			*hash = pst_fnv1a(*hash, buf, n);
			*size += (u64)n;
		}
	} while (n > 0);
	kfree(buf);
	return (int)n;
}

static void pst_file(struct pst *t)
{
	struct pfile_handle h;
	struct pfile_attr a, a2;
	u64 size;
	u32 hash;
	int err = pst_lookup_wait(t, &h, &a);

	if (!err)
		err = t->files.ops->getattr(t->files.be, &h, &a2);
	if (!err)
		err = pst_read_all(t, &h, &size, &hash);
	if (!err && (size != a.size || a2.size != a.size))
		err = -EIO;
	if (err)
		console_printf("PFILE path=%s err=%d\n", t->path, err);
	else
		console_printf("PFILE path=%s size=%lu fnv1a=%u\n", t->path, size, hash);
}

/* Count the entries of directory h other than "." and "..". */
static int pst_count(struct pst *t, const struct pfile_handle *h, u32 *count)
{
	struct pfile_dirent *d = kmalloc(PST_DIRENTS * sizeof(*d));
	u64 cookie = 0;
	int n;

	if (!d)
		return -ENOMEM;
	*count = 0;
	while ((n = t->files.ops->readdir(t->files.be, h, cookie, d, PST_DIRENTS)) > 0) {
		for (int i = 0; i < n; i++)
			*count += strcmp(d[i].name, ".") && strcmp(d[i].name, "..");
		cookie = d[n - 1].next_cookie;
	}
	kfree(d);
	return n;
}

static void pst_dir(struct pst *t)
{
	char *slash = t->path;
	struct pfile_handle h;
	struct pfile_attr a;
	u32 count;
	int err;

	for (char *p = t->path; *p; p++)
		if (*p == '/')
			slash = p;
	*slash = 0;
	err = t->files.ops->lookup(t->files.be, slash == t->path ? "/" : t->path, &h, &a);
	if (!err)
		err = pst_count(t, &h, &count);
	if (err)
		console_printf("PFILE dir=%s err=%d\n", slash == t->path ? "/" : t->path, err);
	else
		console_printf("PFILE dir=%s entries=%u\n", slash == t->path ? "/" : t->path,
			       count);
	*slash = '/';
}

static void pst_missing(struct pst *t)
{
	struct pfile_handle h;
	struct pfile_attr a;
	size_t len = strlen(t->path);
	int err = -ENAMETOOLONG;

	if (len + sizeof(".missing") <= sizeof(t->path)) {
		memcpy(t->path + len, ".missing", sizeof(".missing"));
		err = t->files.ops->lookup(t->files.be, t->path, &h, &a);
	}
	console_printf("PFILE missing=%s err=%d\n", t->path, err);
	t->path[len] = 0;
}

static void pst_main(void *arg)
{
	struct pst *t = arg;

	pst_file(t);
	pst_dir(t);
	pst_missing(t);
	pfile_rpc_destroy(&t->files);
	kfree(t);
}

static int pst_init(void)
{
	const char *arg = bootarg_str("pfile_selftest", NULL);
	const char *path;
	struct pst *t;
	u32 ip;
	int err;

	if (!arg)
		return 0;
	if (inet_parse(arg, &ip, &path) || *path != ':' || path[1] != '/') {
		pr_err("pfile: bad pfile_selftest=%s (want IP:/PATH)\n", arg);
		return -EINVAL;
	}
	t = kzalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	str_copy(t->path, path + 1, sizeof(t->path));
	err = pfile_rpc_create(NULL, ip, NULL, &t->files);
	if (err)
		goto out_free;
	err = thread_spawn(pst_main, t, "pfile-selftest");
	if (err)
		pfile_rpc_destroy(&t->files);
out_free:
	if (err)
		kfree(t);
	return err;
}
SERVICE_INITCALL(pst_init);
