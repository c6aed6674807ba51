/* The file client's wire conversions: handles both ways (and the inode
 * numbers the protocol cannot name), attributes, READDIR replies packed
 * as the sMonitor packs them, and malformed replies, which must give
 * -EIO and never read past the body. Host and in-kernel. */
#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/string.h>

#include "processor/backend/file_rpc.h"

#define BODY_MAX 1024

struct body {
	u8 b[BODY_MAX];
	u32 len;
	u32 count;
};

static void body_init(struct body *x)
{
	memset(x, 0, sizeof(*x));
	x->len = sizeof(struct p2s_readdir_reply);
}

static void body_add(struct body *x, u64 ino, const char *name, u8 type)
{
	struct fs_wire_dirent w = {
		.ino = ino, .next_cookie = x->count + 1,
		.rec_len = FS_WIRE_DIRENT_LEN(strlen(name)),
		.name_len = (u8)strlen(name), .type = type,
	};

	memcpy(x->b + x->len, &w, sizeof(w));
	memcpy(x->b + x->len + sizeof(w), name, strlen(name));
	x->len += w.rec_len;
	x->count++;
}

static void body_seal(struct body *x)
{
	struct p2s_readdir_reply r = {
		.next_cookie = ~0ull, .count = x->count,
		.bytes = x->len - (u32)sizeof(r),
	};

	memcpy(x->b, &r, sizeof(r));
}

static void body_three(struct body *x)
{
	body_init(x);
	body_add(x, 2, ".", 4);
	body_add(x, 12, "hello-musl", 8);
	body_add(x, 13, "a-name-of-some-length", 10);
	body_seal(x);
}

KTEST(pfile_rpc, handles_round_trip_and_wide_inodes_are_stale)
{
	struct pfile_handle h = { .ino = 77, .gen = 5, .pad = 9 };
	struct fs_wire_handle w;

	KT_ASSERT(t, pfile_rpc_handle_to_wire(&h, &w) == 0);
	KT_EXPECT_EQ(t, w.ino, 77);
	KT_EXPECT_EQ(t, w.gen, 5);
	pfile_rpc_handle_from_wire(&w, &h);
	KT_EXPECT_EQ(t, h.ino, 77);
	KT_EXPECT_EQ(t, h.gen, 5);
	KT_EXPECT_EQ(t, h.pad, 0);
	h.ino = 1ull << 32;
	KT_EXPECT_EQ(t, pfile_rpc_handle_to_wire(&h, &w), -ESTALE);
}

KTEST(pfile_rpc, attributes_carry_over)
{
	struct fs_wire_attr w = {
		.ino = 12, .size = 25288, .blocks = 56, .mtime = 1700000000,
		.mode = 0100755, .nlink = 1, .uid = 3, .gid = 4, .blksize = 4096,
		.atime = 1600000000, .ctime = 1650000000, .mtime_ns = 999999999,
		.rdev = 0x801,
	};
	struct pfile_attr a;

	memset(&a, 0xff, sizeof(a));
	pfile_rpc_attr_from_wire(&w, &a);
	KT_EXPECT_EQ(t, a.ino, 12);
	KT_EXPECT_EQ(t, a.size, 25288);
	KT_EXPECT_EQ(t, a.blocks, 56);
	KT_EXPECT_EQ(t, a.mtime, 1700000000);
	KT_EXPECT_EQ(t, a.mtime_ns, 999999999);
	KT_EXPECT_EQ(t, a.atime, 1600000000);
	KT_EXPECT_EQ(t, a.ctime, 1650000000);
	KT_EXPECT_EQ(t, a.rdev, 0x801);
	KT_EXPECT_EQ(t, a.mode, 0100755);
	KT_EXPECT_EQ(t, a.nlink, 1);
	KT_EXPECT_EQ(t, a.uid, 3);
	KT_EXPECT_EQ(t, a.gid, 4);
	KT_EXPECT_EQ(t, a.blksize, 4096);
	KT_EXPECT_EQ(t, a.pad, 0);
}

KTEST(pfile_rpc, readdir_replies_unpack_up_to_max)
{
	static struct body x;
	static struct pfile_dirent d[4];

	body_three(&x);
	KT_ASSERT(t, pfile_rpc_dirents(x.b, x.len, d, 4) == 3);
	KT_EXPECT(t, !strcmp(d[0].name, "."));
	KT_EXPECT(t, !strcmp(d[1].name, "hello-musl"));
	KT_EXPECT_EQ(t, d[1].name_len, 10);
	KT_EXPECT_EQ(t, d[1].ino, 12);
	KT_EXPECT_EQ(t, d[1].type, 8);
	KT_EXPECT_EQ(t, d[1].next_cookie, 2);
	KT_EXPECT(t, !strcmp(d[2].name, "a-name-of-some-length"));
	KT_EXPECT_EQ(t, pfile_rpc_dirents(x.b, x.len, d, 2), 2);
	KT_EXPECT_EQ(t, d[1].next_cookie, 2); /* the caller resumes there */
	body_init(&x);
	body_seal(&x);
	KT_EXPECT_EQ(t, pfile_rpc_dirents(x.b, x.len, d, 4), 0);
}

/* Overwrite len bytes at off of a good three-entry reply. */
static int corrupt(u32 off, const void *v, u32 len)
{
	static struct body x;
	static struct pfile_dirent d[4];

	body_three(&x);
	memcpy(x.b + off, v, len);
	return pfile_rpc_dirents(x.b, x.len, d, 4);
}

KTEST(pfile_rpc, malformed_readdir_replies_are_eio)
{
	const u32 e1 = sizeof(struct p2s_readdir_reply); /* first entry */
	const u32 rec = offsetof(struct fs_wire_dirent, rec_len);
	const u32 nlen = offsetof(struct fs_wire_dirent, name_len);
	static struct body x;
	static struct pfile_dirent d[4];
	u32 v32 = 4;
	u16 v16;
	u8 v8;

	body_three(&x);
	KT_EXPECT_EQ(t, pfile_rpc_dirents(x.b, 8, d, 4), -EIO);
	KT_EXPECT_EQ(t, pfile_rpc_dirents(x.b, x.len - 8, d, 4), -EIO);
	KT_EXPECT_EQ(t, corrupt(offsetof(struct p2s_readdir_reply, count), &v32, 4), -EIO);
	v32 = 1000;
	KT_EXPECT_EQ(t, corrupt(offsetof(struct p2s_readdir_reply, count), &v32, 4), -EIO);
	v16 = 20;
	KT_EXPECT_EQ(t, corrupt(e1 + rec, &v16, 2), -EIO); /* not 8-aligned */
	v16 = 24;
	KT_EXPECT_EQ(t, corrupt(e1 + rec, &v16, 2), -EIO); /* too short for its name */
	v16 = 4096;
	KT_EXPECT_EQ(t, corrupt(e1 + rec, &v16, 2), -EIO); /* past the body */
	v8 = 0;
	KT_EXPECT_EQ(t, corrupt(e1 + nlen, &v8, 1), -EIO); /* empty name */
	v8 = '/';
	KT_EXPECT_EQ(t, corrupt(e1 + sizeof(struct fs_wire_dirent), &v8, 1), -EIO);
}

KTEST(pfile_rpc, byte_flips_never_overrun)
{
	static struct body x;
	static struct pfile_dirent d[4];
	u32 seed = 12345;

	for (int i = 0; i < 20000; i++) {
		int n;

		body_three(&x);
		for (int k = 0; k < 3; k++) {
			seed = seed * 1103515245u + 12345u;
			x.b[(seed >> 8) % x.len] ^= (u8)(1u << ((seed >> 4) & 7));
		}
		n = pfile_rpc_dirents(x.b, x.len, d, 4);
		KT_ASSERT(t, n == -EIO || (n >= 0 && n <= 3));
		for (int k = 0; k < n; k++)
			KT_ASSERT(t, d[k].name_len && strlen(d[k].name) == d[k].name_len);
	}
}

KTEST(pfile_rpc, names_for_requests)
{
	char longname[300];

	memset(longname, 'n', sizeof(longname));
	longname[FS_WIRE_NAME_MAX] = 0;
	KT_EXPECT_EQ(t, pfile_rpc_name_len("a"), 1);
	KT_EXPECT_EQ(t, pfile_rpc_name_len(longname), FS_WIRE_NAME_MAX);
	longname[FS_WIRE_NAME_MAX] = 'n';
	longname[FS_WIRE_NAME_MAX + 1] = 0;
	KT_EXPECT_EQ(t, pfile_rpc_name_len(longname), -ENAMETOOLONG);
	KT_EXPECT_EQ(t, pfile_rpc_name_len(""), -EINVAL);
	KT_EXPECT_EQ(t, pfile_rpc_name_len("a/b"), -EINVAL);
}
