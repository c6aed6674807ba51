/*
 * Files into and out of a vNode (`tessera cp`, `tessera run --upload`):
 * GPM speaks the file protocol (tessera/wire/fs.h) to the vNode's
 * sComponent as a pMonitor does.
 *
 *   cp-in VNODE PATH SIZE MODE   SIZE raw bytes follow the request line;
 *                                PATH is made (or emptied) with MODE, the
 *                                bytes written and committed; "ok"
 *   cp-out VNODE PATH            the answer is frames "data LEN\n" + LEN
 *                                bytes, then "ok"
 *
 * A failure is one "err ..." line naming the path. Each change carries a
 * request id of its own (client: random per GPM run), so a retried call
 * is applied once. The vNode is made if it does not exist, as `run
 * --vnode` does.
 *
 * Locking: no state but the request counter (atomic).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <tessera/net/rpc.h>
#include <tessera/wire/fs.h>

#include "managers/mgr.h"

#define FILES_CONNECT_NS (5ull * 1000000000ull)
#define FILES_CALL_NS (30ull * 1000000000ull)

static u64 files_client, files_seq;

static struct fs_wire_xid files_xid(void)
{
	u64 c = __atomic_load_n(&files_client, __ATOMIC_RELAXED);

	while (!c) {
		if (getrandom(&c, sizeof(c), 0) != sizeof(c))
			c = 0;
		else if (c)
			__atomic_store_n(&files_client, c, __ATOMIC_RELAXED);
	}
	return (struct fs_wire_xid){ c, __atomic_add_fetch(&files_seq, 1, __ATOMIC_RELAXED) };
}

/* A request of fixed part + tail bytes; the reply's length or -errno. */
static int files_call(struct rpc_peer *p, u16 op, const void *fixed, u32 flen, const void *tail,
		      u32 tlen, void *reply, u32 cap)
{
	u8 *m = malloc(flen + tlen);
	int r;

	if (!m)
		return -ENOMEM;
	memcpy(m, fixed, flen);
	memcpy(m + flen, tail, tlen);
	r = rpc_call(p, op, m, flen + tlen, reply, cap, FILES_CALL_NS);
	free(m);
	return r;
}

/* LOOKUP of path (absolute) into *h and *attr. */
static int files_lookup(struct rpc_peer *p, const char *path, struct fs_wire_handle *h,
			struct fs_wire_attr *attr)
{
	struct p2s_lookup_msg m = { .path_len = (u32)strlen(path) };
	struct p2s_entry_reply r;
	int n = files_call(p, P2S_LOOKUP, &m, sizeof(m), path, m.path_len, &r, sizeof(r));

	if (n >= 0 && n != sizeof(r))
		n = -EIO;
	if (n < 0)
		return n;
	*h = r.h;
	if (attr)
		*attr = r.attr;
	return 0;
}

/* Make (or empty) the regular file name in dir. */
static int files_create(struct rpc_peer *p, struct fs_wire_handle dir, const char *name,
			u32 mode, struct fs_wire_handle *h)
{
	struct p2s_create_msg m = { .xid = files_xid(), .dir = dir, .mode = 0100000 | (mode & 07777),
				    .flags = P2S_CREATE_TRUNC, .name_len = (u32)strlen(name) };
	struct p2s_entry_reply r;
	int n = files_call(p, P2S_CREATE, &m, sizeof(m), name, m.name_len, &r, sizeof(r));

	if (n >= 0 && n != sizeof(r))
		n = -EIO;
	if (n >= 0 && (r.attr.mode & 0170000) != 0100000)
		n = -EISDIR;
	if (n >= 0)
		*h = r.h;
	return n < 0 ? n : 0;
}

static int files_write(struct rpc_peer *p, struct fs_wire_handle h, u64 off, const u8 *buf,
		       u32 len)
{
	struct p2s_write_msg m = { .xid = files_xid(), .h = h, .offset = off, .len = len };
	struct p2s_write_reply r;
	int n = files_call(p, P2S_WRITE, &m, sizeof(m), buf, len, &r, sizeof(r));

	if (n >= 0 && (n != sizeof(r) || r.len != len))
		n = n == sizeof(r) ? -ENOSPC : -EIO;
	return n < 0 ? n : 0;
}

static int files_commit(struct rpc_peer *p)
{
	struct p2s_commit_msg m = { 0 };
	struct p2s_commit_reply r;
	int n = rpc_call(p, P2S_COMMIT, &m, sizeof(m), &r, sizeof(r), FILES_CALL_NS);

	return n < 0 ? n : 0;
}

/* Split path into its directory (in dir, cap bytes) and last name. */
static const char *files_split(const char *path, char *dir, size_t cap)
{
	const char *slash = strrchr(path, '/');
	size_t len = (size_t)(slash - path);

	if (!slash || !slash[1] || len >= cap)
		return NULL;
	memcpy(dir, path, len);
	dir[len ? len : 1] = '\0';
	if (!len)
		dir[0] = '/';
	return slash + 1;
}

/* Read exactly len bytes of the CLI connection: 0, or -EPIPE. */
static int files_recv(int fd, u8 *buf, size_t len)
{
	while (len) {
		ssize_t r = recv(fd, buf, len, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -EPIPE;
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

/* Write size bytes read from fd into the file h from offset 0. */
static int files_pump_in(struct rpc_peer *p, struct fs_wire_handle h, int fd, u64 size)
{
	static const u32 chunk = P2S_WRITE_MAX & ~4095u;
	u8 *buf = malloc(chunk);
	int err = buf ? 0 : -ENOMEM;

	for (u64 off = 0; !err && off < size; off += chunk) {
		u32 n = (u32)(size - off < chunk ? size - off : chunk);

		err = files_recv(fd, buf, n);
		if (!err)
			err = files_write(p, h, off, buf, n);
	}
	free(buf);
	return err ? err : files_commit(p);
}

int gpm_files_put(struct mgr *m, const struct gpm_vnode *v, const char *path, u64 size,
		  u32 mode, int fd, struct mgr_out *o)
{
	char dir[FS_WIRE_PATH_MAX + 1];
	const char *name = path[0] == '/' ? files_split(path, dir, sizeof(dir)) : NULL;
	struct fs_wire_handle d, h;
	struct rpc_peer *p;
	int err;

	if (!name || strlen(name) > FS_WIRE_NAME_MAX)
		return mgr_outf(o, "err %s: not an absolute path to a file\n", path), -EINVAL;
	err = rpc_connect(m->ep, v->storage_ip, FILES_CONNECT_NS, &p);
	if (err)
		return mgr_outf(o, "err %s: storage unreachable: %s\n", path, strerror(-err)), err;
	err = files_lookup(p, dir, &d, NULL);
	if (!err)
		err = files_create(p, d, name, mode, &h);
	if (!err)
		err = files_pump_in(p, h, fd, size);
	rpc_peer_close(p);
	if (err)
		mgr_outf(o, "err %s: %s\n", path, strerror(-err));
	return err;
}

/* Stream file h (size bytes, as LOOKUP said) to the CLI in data frames. */
static int files_pump_out(struct rpc_peer *p, struct fs_wire_handle h, struct mgr_out *o)
{
	struct p2s_read_msg m = { .h = h, .len = P2S_READ_MAX };
	u8 *rb = malloc(RPC_MAX_BODY);
	struct p2s_read_reply r = { 0 };
	int n = rb ? 0 : -ENOMEM;

	while (!n && !r.eof) {
		n = rpc_call(p, P2S_READ, &m, sizeof(m), rb, RPC_MAX_BODY, FILES_CALL_NS);
		if (n >= (int)sizeof(r))
			memcpy(&r, rb, sizeof(r));
		if (n >= 0 && (n < (int)sizeof(r) || r.len != (u32)n - sizeof(r)))
			n = -EIO;
		if (n < 0)
			break;
		mgr_outf(o, "data %u\n", r.len);
		n = mgr_out_flush(o) || mgr_write_all(o->fd, rb + sizeof(r), r.len) ? -EPIPE : 0;
		m.offset += r.len;
		r.eof = r.eof || !r.len;
	}
	free(rb);
	return n;
}

int gpm_files_get(struct mgr *m, const struct gpm_vnode *v, const char *path,
		  struct mgr_out *o)
{
	struct fs_wire_handle h;
	struct fs_wire_attr a;
	struct rpc_peer *p;
	int err = rpc_connect(m->ep, v->storage_ip, FILES_CONNECT_NS, &p);

	if (err)
		return mgr_outf(o, "err %s: storage unreachable: %s\n", path, strerror(-err)), err;
	err = path[0] == '/' ? files_lookup(p, path, &h, &a) : -EINVAL;
	if (!err && (a.mode & 0170000) != 0100000)
		err = (a.mode & 0170000) == 0040000 ? -EISDIR : -EINVAL;
	if (!err)
		err = files_pump_out(p, h, o);
	rpc_peer_close(p);
	if (err && err != -EPIPE)
		mgr_outf(o, "err %s: %s\n", path, strerror(-err));
	return err;
}

int gpm_files_mkdir(struct mgr *m, const struct gpm_vnode *v, const char *path,
		    struct mgr_out *o)
{
	char dir[FS_WIRE_PATH_MAX + 1];
	const char *name = files_split(path, dir, sizeof(dir));
	struct p2s_mkdir_msg k = { .xid = files_xid(), .mode = 0755 };
	struct p2s_entry_reply r;
	struct fs_wire_handle d;
	struct rpc_peer *p;
	int err = name ? rpc_connect(m->ep, v->storage_ip, FILES_CONNECT_NS, &p) : -EINVAL;

	if (err)
		return mgr_outf(o, "err %s: %s\n", path, strerror(-err)), err;
	err = files_lookup(p, dir, &d, NULL);
	k.dir = d;
	k.name_len = (u32)strlen(name);
	if (!err)
		err = files_call(p, P2S_MKDIR, &k, sizeof(k), name, k.name_len, &r, sizeof(r));
	if (err == -EEXIST)
		err = files_lookup(p, path, &d, NULL);
	rpc_peer_close(p);
	if (err < 0)
		mgr_outf(o, "err %s: %s\n", path, strerror(-err));
	return err < 0 ? err : 0;
}

int gpm_files_unlink(struct mgr *m, const struct gpm_vnode *v, const char *path, bool is_dir)
{
	char dir[FS_WIRE_PATH_MAX + 1];
	const char *name = files_split(path, dir, sizeof(dir));
	struct p2s_unlink_msg u = { .xid = files_xid(), .flags = is_dir ? P2S_UNLINK_DIR : 0 };
	struct fs_wire_handle d;
	struct rpc_peer *p;
	int err = name ? rpc_connect(m->ep, v->storage_ip, FILES_CONNECT_NS, &p) : -EINVAL;

	if (err)
		return err;
	err = files_lookup(p, dir, &d, NULL);
	u.dir = d;
	u.name_len = (u32)strlen(name);
	if (!err)
		err = files_call(p, P2S_UNLINK, &u, sizeof(u), name, u.name_len, NULL, 0);
	if (!err)
		err = files_commit(p);
	rpc_peer_close(p);
	return err < 0 ? err : 0;
}

int gpm_files_command(struct mgr *m, int argc, char **argv, struct mgr_out *o)
{
	struct gpm_vnode v;
	u64 size = 0;
	u32 mode = 0;
	char *end = NULL;
	bool in = argc == 5 && !strcmp(argv[0], "cp-in");
	int err;

	if (!in && !(argc == 3 && !strcmp(argv[0], "cp-out")))
		return mgr_outf(o, "err usage: cp-in VNODE PATH SIZE MODE | cp-out VNODE PATH\n"),
		       -EINVAL;
	if (in) {
		size = strtoull(argv[3], &end, 10);
		mode = *end ? 0 : (u32)strtoul(argv[4], &end, 8);
		if (*end || mode > 07777)
			return mgr_outf(o, "err cp-in: bad size or mode\n"), -EINVAL;
	}
	err = gpm_vnode_get(m, argv[1], true, &v, o);
	if (err)
		return err;
	if (in)
		return gpm_files_put(m, &v, argv[2], size, mode, o->fd, o);
	return gpm_files_get(m, &v, argv[2], o);
}
