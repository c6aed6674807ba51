/*
 * The file protocol's RPC service: one handler for the P2S_ opcodes that
 * takes the volume's lock and hands the request to the protocol's
 * dispatcher (fs_proto.h), which checks every field, and the thread that
 * ticks the volume (commits old transactions, marks it clean when idle).
 * The RPC layer has already checked the body's length against the
 * opcode's bounds. See sfs.h for the locking.
 */
#include <tessera/net/rpc.h>
#include <tessera/printk.h>
#include <tessera/thread.h>
#include <tessera/time.h>
#include <tessera/wire/fs.h>

#include "storage/sfs.h"

static const u16 sfs_opcodes[] = {
	P2S_LOOKUP, P2S_GETATTR, P2S_READ, P2S_READDIR, P2S_READLINK,
	P2S_CREATE, P2S_MKDIR, P2S_SYMLINK, P2S_LINK, P2S_UNLINK, P2S_RENAME,
	P2S_SETATTR, P2S_WRITE, P2S_COMMIT, P2S_STATFS,
};

static int sfs_handle(void *arg, const struct rpc_req *rq, void *reply,
		      u32 *reply_len)
{
	struct sfs_volume *v = arg;
	int err;

	mutex_lock(&v->lock);
	err = fs_proto_handle(&v->proto, rq->opcode, rq->body, rq->len, reply,
			      reply_len);
	mutex_unlock(&v->lock);
	return err;
}

static void sfs_tick_thread(void *arg)
{
	struct sfs_volume *v = arg;
	int err;

	for (;;) {
		thread_sleep_ns(SFS_TICK_NS);
		mutex_lock(&v->lock);
		err = fs_tick(v->fs, time_ns());
		mutex_unlock(&v->lock);
		if (err)
			pr_err("storage: commit failed: %d\n", err);
	}
}

int sfs_serve(struct sfs_volume *v, struct rpc_ep *ep)
{
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(sfs_opcodes) && !err; i++)
		err = rpc_register(ep, sfs_opcodes[i], sfs_handle, v);
	if (!err)
		err = thread_spawn(sfs_tick_thread, v, "sfs.tick");
	return err < 0 ? err : 0;
}
