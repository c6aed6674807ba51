/*
 * The reply cache of calls that change the volume (fs_proto.h): a ring of
 * the last FS_DRC_SLOTS answers, found by (client, seq) and checked
 * against the opcode, so a retried call gets the first answer. A linear
 * scan: the ring is small and a lookup is cheap next to the call.
 *
 * Locking: none; the caller holds the volume's lock.
 */
#include <tessera/string.h>

#include "storage/fs_proto.h"

const struct fs_drc_slot *fs_drc_find(struct fs_drc *d,
				      const struct fs_wire_xid *xid, u16 opcode)
{
	if (!xid->client)
		return NULL;
	for (u32 i = 0; i < FS_DRC_SLOTS; i++) {
		const struct fs_drc_slot *s = &d->slot[i];

		if (s->client == xid->client && s->seq == xid->seq &&
		    s->opcode == opcode) {
			d->hits++;
			return s;
		}
	}
	return NULL;
}

void fs_drc_put(struct fs_drc *d, const struct fs_wire_xid *xid, u16 opcode,
		int status, const void *reply, u32 reply_len)
{
	struct fs_drc_slot *s = &d->slot[d->next];

	if (!xid->client || reply_len > FS_DRC_REPLY_MAX)
		return;
	d->next = (d->next + 1) % FS_DRC_SLOTS;
	s->client = xid->client;
	s->seq = xid->seq;
	s->opcode = opcode;
	s->status = status;
	s->reply_len = (u16)reply_len;
	memcpy(s->reply, reply, reply_len);
}
