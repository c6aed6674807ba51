/*
 * Host tests of the file protocol dispatcher: well-formed requests give
 * the answers the file system gives directly, malformed ones are refused
 * before they reach it.
 */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/wire/fs.h>

#include "storage/fs_proto.h"
#include "storage/fs_test_util.h"

static struct fstest_vol vol;
static struct fs_proto proto;
static u8 req[RPC_MAX_BODY + 64], reply[RPC_MAX_BODY];

static int mount_proto(const char *img)
{
	int err = fstest_load(&vol, img);

	if (!err)
		err = fstest_mount(&vol);
	proto = (struct fs_proto){ .fs = vol.fs, .verf = 42 };
	return err;
}

static int lookup(const char *path, u32 flags, struct p2s_entry_reply *r)
{
	struct p2s_lookup_msg m = { { 0, 0 }, { 2, fs_root(vol.fs).gen },
				    flags, (u32)strlen(path) };
	u32 len;
	int err;

	memcpy(req, &m, sizeof(m));
	memcpy(req + sizeof(m), path, m.path_len);
	err = fs_proto_handle(&proto, P2S_LOOKUP, req, sizeof(m) + m.path_len,
			      reply, &len);
	if (!err && len != sizeof(*r))
		return -EPROTO;
	memcpy(r, reply, sizeof(*r));
	return err;
}

static int call(u32 op, const void *m, u32 m_len, u32 *len)
{
	memcpy(req, m, m_len);
	return fs_proto_handle(&proto, op, req, m_len, reply, len);
}

KTEST(fs_proto, lookup_getattr_read)
{
	static u8 direct[200];
	struct p2s_entry_reply lr;
	struct p2s_read_reply rr;
	struct p2s_read_msg rm;
	struct fs_handle h;
	u32 len, n;

	KT_ASSERT(t, !mount_proto(fstest_std_image(4096)));
	KT_ASSERT(t, !lookup("/links/fast", 0, &lr));
	KT_EXPECT_EQ(t, lr.attr.size, 100);
	KT_EXPECT_EQ(t, lr.attr.mode & FS_S_IFMT, FS_S_IFREG);
	KT_ASSERT(t, !lookup("/links/fast", P2S_LOOKUP_NOFOLLOW, &lr));
	KT_EXPECT_EQ(t, lr.attr.mode & FS_S_IFMT, FS_S_IFLNK);
	KT_EXPECT_EQ(t, lookup("/nope", 0, &lr), -ENOENT);
	KT_ASSERT(t, !lookup("/b13k", 0, &lr));
	rm = (struct p2s_read_msg){ lr.h, 13 * 1024 - 100, 200, 0 };
	KT_ASSERT(t, !call(P2S_READ, &rm, sizeof(rm), &len));
	memcpy(&rr, reply, sizeof(rr));
	KT_EXPECT(t, rr.len == 107 && rr.eof && len == sizeof(rr) + 107);
	h = (struct fs_handle){ lr.h.ino, lr.h.gen };
	KT_ASSERT(t, !fs_read(vol.fs, h, rm.offset, direct, 200, &n));
	KT_EXPECT(t, !memcmp(direct, reply + sizeof(rr), n));
	rm.len = 1 << 20;
	rm.offset = 0;
	KT_ASSERT(t, !call(P2S_READ, &rm, sizeof(rm), &len));
	KT_EXPECT_EQ(t, len, RPC_MAX_BODY);
	rm.h.gen++;
	KT_EXPECT_EQ(t, call(P2S_GETATTR, &rm.h, sizeof(rm.h), &len), -ESTALE);
	KT_EXPECT_EQ(t, len, 0);
}

/* A full listing of /many through READDIR, resumed from its cookies. */
KTEST(fs_proto, readdir)
{
	struct p2s_entry_reply lr;
	struct p2s_readdir_msg m;
	struct p2s_readdir_reply r;
	u32 len, entries = 0, calls = 0;

	KT_ASSERT(t, !mount_proto(fstest_std_image(1024)));
	KT_ASSERT(t, !lookup("/many", 0, &lr));
	m = (struct p2s_readdir_msg){ lr.h, 0, 1000, 0 };
	do {
		u32 off = sizeof(r);

		KT_ASSERT(t, !call(P2S_READDIR, &m, sizeof(m), &len));
		memcpy(&r, reply, sizeof(r));
		KT_ASSERT(t, len == sizeof(r) + r.bytes && r.bytes <= 1000);
		for (u32 i = 0; i < r.count; i++) {
			struct fs_wire_dirent d;

			memcpy(&d, reply + off, sizeof(d));
			KT_ASSERT(t, d.rec_len == FS_WIRE_DIRENT_LEN(d.name_len));
			off += d.rec_len;
		}
		KT_EXPECT_EQ(t, off, len);
		entries += r.count;
		m.cookie = r.next_cookie;
		calls++;
	} while (r.next_cookie != FS_COOKIE_EOF && calls < 100);
	KT_EXPECT_EQ(t, entries, 302);
	KT_EXPECT(t, calls > 5);
	m = (struct p2s_readdir_msg){ lr.h, 0, 20, 0 };
	KT_EXPECT_EQ(t, call(P2S_READDIR, &m, sizeof(m), &len), -EMSGSIZE);
}

KTEST(fs_proto, malformed)
{
	struct p2s_entry_reply lr;
	struct p2s_readlink_msg rl;
	struct p2s_lookup_msg lm = { { 0, 0 }, { 2, 0 }, 0, 10 };
	struct p2s_read_msg rm = { { 2, 0 }, 0, 10, 1 };
	u32 len;

	KT_ASSERT(t, !mount_proto(fstest_std_image(1024)));
	KT_EXPECT_EQ(t, call(P2S_READ, &rm, sizeof(rm), &len), -EINVAL);
	KT_EXPECT_EQ(t, call(P2S_READ, &rm, sizeof(rm) - 1, &len), -EBADMSG);
	KT_EXPECT_EQ(t, call(P2S_GETATTR, &rm, sizeof(rm), &len), -EBADMSG);
	KT_EXPECT_EQ(t, call(0x3ff, &lm, sizeof(lm), &len), -EOPNOTSUPP);
	KT_EXPECT_EQ(t, fs_proto_handle(&proto, P2S_LOOKUP, req,
					sizeof(lm) + 9, reply, &len), -EBADMSG);
	memcpy(req + sizeof(lm), "/dir\0/xxxx", 10);
	KT_EXPECT_EQ(t, fs_proto_handle(&proto, P2S_LOOKUP, req,
					sizeof(lm) + 10, reply, &len), -EINVAL);
	KT_EXPECT_EQ(t, fs_proto_handle(&proto, P2S_LOOKUP, req,
					RPC_MAX_BODY + 1, reply, &len), -EBADMSG);
	KT_ASSERT(t, !lookup("/links/slow", P2S_LOOKUP_NOFOLLOW, &lr));
	rl.h = lr.h;
	KT_ASSERT(t, !call(P2S_READLINK, &rl, sizeof(rl), &len));
	KT_EXPECT_EQ(t, len, 8 + lr.attr.size);
	KT_EXPECT(t, !memcmp(reply + 8, "../dir/./", 9));
}

/* A call that changes something, sent twice with one request id (a retry
 * after a lost reply), is applied once and answered the same both times;
 * a new id is a new call. */
KTEST(fs_proto, retried_calls_apply_once)
{
	struct { struct p2s_write_msg m; char data[5]; } w;
	struct { struct p2s_create_msg m; char name[3]; } c;
	struct p2s_write_reply wr, wr2;
	struct p2s_entry_reply er;
	u32 len;

	KT_ASSERT(t, !fstest_load_rw(&vol, fstest_ext3_image(1024)));
	KT_ASSERT(t, !fstest_mount(&vol));
	proto = (struct fs_proto){ .fs = vol.fs, .verf = 7 };
	c.m = (struct p2s_create_msg){ .xid = { 99, 1 }, .mode = 0100644,
				       .flags = P2S_CREATE_EXCL, .name_len = 3 };
	memcpy(c.name, "new", 3);
	KT_ASSERT(t, !call(P2S_CREATE, &c, sizeof(c.m) + 3, &len));
	memcpy(&er, reply, sizeof(er));
	KT_EXPECT(t, er.created == 1 && len == sizeof(er));
	KT_ASSERT(t, !call(P2S_CREATE, &c, sizeof(c.m) + 3, &len));
	KT_EXPECT(t, !memcmp(reply, &er, sizeof(er)));
	c.m.xid.seq = 2;
	KT_EXPECT_EQ(t, call(P2S_CREATE, &c, sizeof(c.m) + 3, &len), -EEXIST);
	w.m = (struct p2s_write_msg){ .xid = { 99, 3 }, .h = er.h, .len = 5,
				      .flags = P2S_WRITE_APPEND };
	memcpy(w.data, "abcde", 5);
	KT_ASSERT(t, !call(P2S_WRITE, &w, sizeof(w.m) + 5, &len));
	memcpy(&wr, reply, sizeof(wr));
	KT_ASSERT(t, !call(P2S_WRITE, &w, sizeof(w.m) + 5, &len));
	memcpy(&wr2, reply, sizeof(wr2));
	KT_EXPECT(t, wr.attr.size == 5 && wr2.attr.size == 5 && wr.verf == 7);
	KT_EXPECT(t, proto.drc.hits == 2 && proto.applied == 3);
	w.m.xid.seq = 4;
	KT_ASSERT(t, !call(P2S_WRITE, &w, sizeof(w.m) + 5, &len));
	memcpy(&wr, reply, sizeof(wr));
	KT_EXPECT(t, wr.attr.size == 10 && wr.at == 5);
}
