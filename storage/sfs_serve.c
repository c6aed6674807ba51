/*
 * The file protocol's RPC service: one handler for the five P2S_
 * opcodes that takes the volume's lock and hands the request to the
 * protocol's dispatcher (fs_proto.h), which checks every field.
 * The RPC layer has already checked the body's length against the
 * opcode's bounds. See sfs.h for the locking.
 */
#include <tessera/net/rpc.h>
#include <tessera/wire/fs.h>

#include "storage/fs_proto.h"
#include "storage/sfs.h"

static const u16 sfs_opcodes[] = {
	P2S_LOOKUP, P2S_GETATTR, P2S_READ, P2S_READDIR, P2S_READLINK,
};

static int sfs_handle(void *arg, const struct rpc_req *rq, void *reply,
		      u32 *reply_len)
{
	struct sfs_volume *v = arg;
	int err;

	mutex_lock(&v->lock);
	err = fs_proto_handle(&v->fs, rq->opcode, rq->body, rq->len, reply,
			      reply_len);
	mutex_unlock(&v->lock);
	return err;
}

int sfs_serve(struct sfs_volume *v, struct rpc_ep *ep)
{
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(sfs_opcodes) && !err; i++)
		err = rpc_register(ep, sfs_opcodes[i], sfs_handle, v);
	return err;
}
