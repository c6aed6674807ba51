/*
 * NVMe command encoding, PRP lists and status decoding: pure functions of
 * their arguments (virt_to_phys aside), no locks.
 *
 * PRPs (physical region pages): PRP1 is the transfer's first byte (any
 * 4-byte-aligned address); every later entry is the start of a page. A
 * transfer within two pages puts the second page in PRP2; a longer one
 * puts the address of a list of the remaining pages there. One list page
 * is all we build, so a command covers at most 1 + NVME_PRP_PER_LIST
 * pages (the controller's MDTS is smaller in practice).
 */
#include <tessera/arch.h>
#include <tessera/errno.h>
#include <tessera/string.h>

#include "kernel/drivers/nvme_priv.h"

static void nvme_cmd_clear(struct nvme_sqe *c, u8 opcode, u32 nsid)
{
	memset(c, 0, sizeof(*c));
	c->opcode = opcode;
	c->nsid = nsid;
}

void nvme_cmd_identify(struct nvme_sqe *c, u32 cns, u32 nsid, u64 page_pa)
{
	nvme_cmd_clear(c, NVME_ADM_IDENTIFY, nsid);
	c->prp1 = page_pa;
	c->cdw10 = cns;
}

/* Ask for nr submission and nr completion queues (0-based counts). */
void nvme_cmd_set_queues(struct nvme_sqe *c, u16 nr)
{
	nvme_cmd_clear(c, NVME_ADM_SET_FEATURES, 0);
	c->cdw10 = NVME_FEAT_NUM_QUEUES;
	c->cdw11 = (u32)(nr - 1) << 16 | (u16)(nr - 1);
}

/* Physically contiguous (PC), interrupts enabled (IEN) when irq. */
void nvme_cmd_create_cq(struct nvme_sqe *c, const struct nvme_queue *q,
			u16 vector, bool irq)
{
	nvme_cmd_clear(c, NVME_ADM_CREATE_CQ, 0);
	c->prp1 = virt_to_phys((const void *)q->cq);
	c->cdw10 = (u32)(q->depth - 1) << 16 | q->qid;
	c->cdw11 = (u32)vector << 16 | (irq ? 2u : 0u) | 1u;
}

void nvme_cmd_create_sq(struct nvme_sqe *c, const struct nvme_queue *q, u16 cqid)
{
	nvme_cmd_clear(c, NVME_ADM_CREATE_SQ, 0);
	c->prp1 = virt_to_phys(q->sq);
	c->cdw10 = (u32)(q->depth - 1) << 16 | q->qid;
	c->cdw11 = (u32)cqid << 16 | 1u;
}

void nvme_cmd_rw(struct nvme_sqe *c, bool write, u32 nsid, u64 lba, u32 nlb)
{
	nvme_cmd_clear(c, write ? NVME_CMD_WRITE : NVME_CMD_READ, nsid);
	c->cdw10 = (u32)lba;
	c->cdw11 = (u32)(lba >> 32);
	c->cdw12 = (nlb - 1) & 0xFFFF;
}

void nvme_cmd_flush(struct nvme_sqe *c, u32 nsid)
{
	nvme_cmd_clear(c, NVME_CMD_FLUSH, nsid);
}

u32 nvme_prp_pages(const void *buf, u32 len)
{
	u64 off = (u64)(uintptr_t)buf & (NVME_PAGE - 1);

	return (u32)((off + len + NVME_PAGE - 1) / NVME_PAGE);
}

int nvme_prp_build(struct nvme_sqe *c, const void *buf, u32 len, u64 *list)
{
	const char *page = (const char *)ALIGN_DOWN((uintptr_t)buf, NVME_PAGE);
	u32 pages = nvme_prp_pages(buf, len);

	if (((uintptr_t)buf & 3) || len == 0 || pages > 1 + NVME_PRP_PER_LIST)
		return -EINVAL;
	c->prp1 = virt_to_phys(buf);
	c->prp2 = 0;
	if (pages == 2)
		c->prp2 = virt_to_phys(page + NVME_PAGE);
	if (pages <= 2)
		return 0;
	if (!list)
		return -EINVAL;
	for (u32 i = 1; i < pages; i++)
		list[i - 1] = virt_to_phys(page + (u64)i * NVME_PAGE);
	c->prp2 = virt_to_phys(list);
	return 0;
}

const char *nvme_opcode_name(bool admin, u8 opcode)
{
	static const char *const adm[] = {
		[NVME_ADM_DELETE_SQ] = "DELETE SQ", [NVME_ADM_CREATE_SQ] = "CREATE SQ",
		[NVME_ADM_DELETE_CQ] = "DELETE CQ", [NVME_ADM_CREATE_CQ] = "CREATE CQ",
		[NVME_ADM_IDENTIFY] = "IDENTIFY", [NVME_ADM_SET_FEATURES] = "SET FEATURES",
	};
	static const char *const nvm[] = {
		[NVME_CMD_FLUSH] = "FLUSH", [NVME_CMD_WRITE] = "WRITE",
		[NVME_CMD_READ] = "READ",
	};
	const char *s = NULL;

	if (admin && opcode < ARRAY_SIZE(adm))
		s = adm[opcode];
	else if (!admin && opcode < ARRAY_SIZE(nvm))
		s = nvm[opcode];
	return s ? s : "command";
}

struct nvme_status_name {
	u16 status;
	const char *str;
};

static const struct nvme_status_name nvme_status_names[] = {
	{ NVME_STATUS(NVME_SCT_GENERIC, 0), "success" },
	{ NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_INVALID_OPCODE), "generic: invalid opcode" },
	{ NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_INVALID_FIELD), "generic: invalid field" },
	{ NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_DATA_XFER), "generic: data transfer error" },
	{ NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_INTERNAL), "generic: internal error" },
	{ NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_INVALID_NS), "generic: invalid namespace" },
	{ NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_LBA_RANGE), "generic: LBA out of range" },
	{ NVME_STATUS(NVME_SCT_CMD, 0x01), "command: invalid queue identifier" },
	{ NVME_STATUS(NVME_SCT_CMD, 0x02), "command: invalid queue size" },
	{ NVME_STATUS(NVME_SCT_CMD, 0x08), "command: invalid interrupt vector" },
	{ NVME_STATUS(NVME_SCT_MEDIA, NVME_SC_WRITE_FAULT), "media: write fault" },
	{ NVME_STATUS(NVME_SCT_MEDIA, NVME_SC_READ_ERROR), "media: unrecovered read error" },
};

const char *nvme_status_str(u16 status)
{
	static const char *const types[] = { "generic", "command", "media", "path" };
	u16 key = NVME_STATUS(NVME_SCT(status), NVME_SC(status));

	for (size_t i = 0; i < ARRAY_SIZE(nvme_status_names); i++)
		if (nvme_status_names[i].status == key)
			return nvme_status_names[i].str;
	return NVME_SCT(status) < ARRAY_SIZE(types) ? types[NVME_SCT(status)] :
						     "vendor specific";
}
