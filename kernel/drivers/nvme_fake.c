/*
 * The fake NVMe controller of the host tests (see nvme_fake.h). Host
 * addresses stand for physical ones: virt_to_phys is the identity here.
 */
#include <stdlib.h>

#include <tessera/arch.h>
#include <tessera/string.h>
#include <tessera/time.h>

#include "kernel/drivers/nvme_fake.h"

static u64 fake_clock;

u64 nvme_fake_now(void)
{
	return fake_clock;
}

/* Every read moves the clock a little, so a loop that never sleeps still
 * reaches its deadline. */
u64 time_ns(void)
{
	return fake_clock += 100;
}

void time_delay_us(u64 us)
{
	fake_clock += us * 1000;
}

paddr_t virt_to_phys(const void *va)
{
	return (paddr_t)(uintptr_t)va;
}

void *phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)pa;
}

static void fake_post(struct nvme_fake *f, u16 sqid, u16 cid, u16 sqhd, u16 status,
		      u32 dw0)
{
	struct nvme_fake_cq *cq = &f->cq[f->sq[sqid].cqid];
	struct nvme_cqe *e;

	if ((u16)((cq->tail + 1) % cq->size) == cq->head) {
		f->cq_overflows++;
		return;
	}
	e = (struct nvme_cqe *)phys_to_virt(cq->base) + cq->tail;
	e->dw0 = dw0;
	e->dw1 = 0;
	e->sqhd = sqhd;
	e->sqid = sqid;
	e->cid = cid;
	e->status = (u16)(status << 1 | cq->phase);
	if (++cq->tail == cq->size) {
		cq->tail = 0;
		cq->phase ^= 1;
	}
}

static void fake_put_str(u8 *dst, const char *s, size_t n)
{
	memset(dst, ' ', n);
	memcpy(dst, s, MIN(strlen(s), n));
}

static u16 fake_identify(struct nvme_fake *f, const struct nvme_sqe *c)
{
	u8 *p = phys_to_virt(c->prp1);

	if (c->prp1 & (NVME_PAGE - 1))
		return NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_INVALID_FIELD);
	memset(p, 0, NVME_PAGE);
	if (c->cdw10 == NVME_CNS_CONTROLLER) {
		fake_put_str(p + NVME_IDC_SN, "FAKE0001", 20);
		fake_put_str(p + NVME_IDC_MN, "Tessera fake NVMe", 40);
		p[NVME_IDC_MDTS] = f->mdts;
		p[NVME_IDC_NN] = 1;
		p[NVME_IDC_VWC] = 1;
		return 0;
	}
	if (c->cdw10 != NVME_CNS_NAMESPACE)
		return NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_INVALID_FIELD);
	if (c->nsid != 1)
		return NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_INVALID_NS);
	for (int i = 0; i < 8; i++)
		p[NVME_IDN_NSZE + i] = (u8)(f->blocks >> (8 * i));
	p[NVME_IDN_LBAF + 2] = f->lbads;
	p[NVME_IDN_NSATTR] = f->write_protected;
	return 0;
}

static u16 fake_create_cq(struct nvme_fake *f, const struct nvme_sqe *c)
{
	u16 qid = c->cdw10 & 0xFFFF;
	struct nvme_fake_cq *cq = &f->cq[qid % FAKE_MAXQ];

	if (qid == 0 || qid > f->max_queues || qid >= FAKE_MAXQ || cq->live)
		return NVME_STATUS(NVME_SCT_CMD, 0x01);
	if (!(c->cdw11 & 1) || (c->prp1 & (NVME_PAGE - 1)))
		return NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_INVALID_FIELD);
	*cq = (struct nvme_fake_cq){ .base = c->prp1, .size = (c->cdw10 >> 16) + 1,
				     .vector = c->cdw11 >> 16, .phase = 1,
				     .live = true, .irq = c->cdw11 & 2 };
	return 0;
}

static u16 fake_create_sq(struct nvme_fake *f, const struct nvme_sqe *c)
{
	u16 qid = c->cdw10 & 0xFFFF, cqid = c->cdw11 >> 16;
	struct nvme_fake_sq *sq = &f->sq[qid % FAKE_MAXQ];

	if (qid == 0 || qid > f->max_queues || qid >= FAKE_MAXQ || sq->live)
		return NVME_STATUS(NVME_SCT_CMD, 0x01);
	if (cqid >= FAKE_MAXQ || !f->cq[cqid].live)
		return NVME_STATUS(NVME_SCT_CMD, 0x00);
	*sq = (struct nvme_fake_sq){ .base = c->prp1, .size = (c->cdw10 >> 16) + 1,
				     .cqid = cqid, .live = true };
	return 0;
}

static u16 fake_admin(struct nvme_fake *f, const struct nvme_sqe *c, u32 *dw0)
{
	u16 n = MIN((u16)(c->cdw11 & 0xFFFF) + 1, f->max_queues);

	switch (c->opcode) {
	case NVME_ADM_IDENTIFY:
		return fake_identify(f, c);
	case NVME_ADM_SET_FEATURES:
		if (c->cdw10 != NVME_FEAT_NUM_QUEUES)
			return NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_INVALID_FIELD);
		*dw0 = (u32)(n - 1) << 16 | (n - 1);
		return 0;
	case NVME_ADM_CREATE_CQ:
		return fake_create_cq(f, c);
	case NVME_ADM_CREATE_SQ:
		return fake_create_sq(f, c);
	}
	return NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_INVALID_OPCODE);
}

/* The host address of byte `at` of the transfer, or NULL when the PRPs
 * break the rules. */
static u8 *fake_prp_addr(struct nvme_fake *f, const struct nvme_sqe *c, u32 len, u32 at)
{
	u32 first = NVME_PAGE - (u32)(c->prp1 & (NVME_PAGE - 1));
	u32 page;

	if (at < first)
		return (u8 *)phys_to_virt(c->prp1) + at;
	page = (at - first) / NVME_PAGE;
	if (len - first <= NVME_PAGE) {
		if (c->prp2 & (NVME_PAGE - 1))
			return NULL;
		return (u8 *)phys_to_virt(c->prp2) + (at - first);
	}
	if ((c->prp2 & 7) || page >= NVME_PAGE / 8 ||
	    (((const u64 *)phys_to_virt(c->prp2))[page] & (NVME_PAGE - 1)))
		return NULL;
	return (u8 *)phys_to_virt(((const u64 *)phys_to_virt(c->prp2))[page]) +
	       (at - first) % NVME_PAGE;
}

static u16 fake_transfer(struct nvme_fake *f, const struct nvme_sqe *c, u8 *disk,
			 u32 len, bool write)
{
	u32 pages = (u32)(((c->prp1 & (NVME_PAGE - 1)) + len + NVME_PAGE - 1) / NVME_PAGE);

	if (c->prp1 & 3)
		return NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_INVALID_FIELD);
	for (u32 at = 0; at < len; at += 512) {
		u8 *mem = fake_prp_addr(f, c, len, at);

		if (!mem)
			return NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_INVALID_FIELD);
		if (write)
			memcpy(disk + at, mem, 512);
		else
			memcpy(mem, disk + at, 512);
	}
	f->prp_lists += pages > 2;
	f->max_pages = MAX(f->max_pages, pages);
	return 0;
}

static u16 fake_io(struct nvme_fake *f, const struct nvme_sqe *c)
{
	u64 lba = (u64)c->cdw11 << 32 | c->cdw10;
	u32 nlb = (c->cdw12 & 0xFFFF) + 1;

	if (c->nsid != 1)
		return NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_INVALID_NS);
	if (c->opcode == NVME_CMD_FLUSH) {
		f->flushes++;
		return 0;
	}
	if (c->opcode != NVME_CMD_READ && c->opcode != NVME_CMD_WRITE)
		return NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_INVALID_OPCODE);
	if (lba >= f->blocks || nlb > f->blocks - lba)
		return NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_LBA_RANGE);
	if (f->mdts && nlb * 512ull > (u64)NVME_PAGE << f->mdts)
		return NVME_STATUS(NVME_SCT_GENERIC, NVME_SC_INVALID_FIELD);
	return fake_transfer(f, c, f->disk + lba * 512, nlb * 512,
			     c->opcode == NVME_CMD_WRITE);
}

static void fake_run(struct nvme_fake *f, u16 sqid, const struct nvme_sqe *c, u16 sqhd)
{
	bool admin = sqid == 0;
	u32 dw0 = 0;
	u16 st;

	f->commands++;
	if (f->fail_count > 0 && f->fail_admin == admin && c->opcode == f->fail_opcode) {
		f->fail_count--;
		fake_post(f, sqid, c->cid, sqhd, f->fail_status, 0);
		return;
	}
	if (!admin && f->swallow && f->nr_swallowed < FAKE_MAX_SWALLOWED) {
		f->swallowed[f->nr_swallowed].sqid = sqid;
		f->swallowed[f->nr_swallowed].cid = c->cid;
		f->swallowed[f->nr_swallowed++].sqhd = sqhd;
		return;
	}
	st = admin ? fake_admin(f, c, &dw0) : fake_io(f, c);
	fake_post(f, sqid, c->cid, sqhd, st, dw0);
}

static void fake_sq_doorbell(struct nvme_fake *f, u16 qid, u32 tail)
{
	struct nvme_fake_sq *sq = &f->sq[qid];

	if (!sq->live || tail >= sq->size || !(f->csts & NVME_CSTS_RDY)) {
		f->bad_doorbells++;
		return;
	}
	while (sq->head != tail) {
		struct nvme_sqe c = ((struct nvme_sqe *)phys_to_virt(sq->base))[sq->head];

		sq->head = (sq->head + 1) % sq->size;
		fake_run(f, qid, &c, sq->head);
	}
}

static void fake_doorbell(struct nvme_fake *f, u32 off, u32 v)
{
	u32 idx = (off - NVME_REG_DOORBELLS) / (4u << NVME_CAP_DSTRD(f->cap));
	u16 qid = (u16)(idx / 2);

	if (qid >= FAKE_MAXQ || (off - NVME_REG_DOORBELLS) % (4u << NVME_CAP_DSTRD(f->cap))) {
		f->bad_doorbells++;
		return;
	}
	if (idx % 2 == 0) {
		fake_sq_doorbell(f, qid, v);
	} else if (!f->cq[qid].live || v >= f->cq[qid].size) {
		f->bad_doorbells++;
	} else {
		f->cq[qid].head = (u16)v;
	}
}

/* CC.EN 0 -> 1 starts the admin queue; 1 -> 0 resets every queue. */
static void fake_set_cc(struct nvme_fake *f, u32 v)
{
	bool was = f->cc & NVME_CC_EN;

	f->cc = v;
	if (!was && (v & NVME_CC_EN)) {
		if (f->fatal)
			f->csts |= NVME_CSTS_CFS;
		if (f->never_ready || f->fatal)
			return;
		f->sq[0] = (struct nvme_fake_sq){ .base = f->asq,
						  .size = (f->aqa & 0xFFF) + 1,
						  .live = true };
		f->cq[0] = (struct nvme_fake_cq){ .base = f->acq,
						  .size = ((f->aqa >> 16) & 0xFFF) + 1,
						  .phase = 1, .live = true };
		f->csts |= NVME_CSTS_RDY;
	} else if (was && !(v & NVME_CC_EN)) {
		memset(f->sq, 0, sizeof(f->sq));
		memset(f->cq, 0, sizeof(f->cq));
		f->csts &= ~NVME_CSTS_RDY;
	}
}

static u32 fake_read32(void *ctx, u32 off)
{
	struct nvme_fake *f = ctx;

	switch (off) {
	case NVME_REG_CAP: return (u32)f->cap;
	case NVME_REG_CAP + 4: return (u32)(f->cap >> 32);
	case NVME_REG_VS: return 0x10400;
	case NVME_REG_CC: return f->cc;
	case NVME_REG_CSTS: return f->csts;
	case NVME_REG_AQA: return f->aqa;
	}
	return 0;
}

static void fake_write32(void *ctx, u32 off, u32 v)
{
	struct nvme_fake *f = ctx;

	if (off >= NVME_REG_DOORBELLS) {
		fake_doorbell(f, off, v);
		return;
	}
	switch (off) {
	case NVME_REG_CC: fake_set_cc(f, v); break;
	case NVME_REG_AQA: f->aqa = v; break;
	case NVME_REG_ASQ: f->asq = (f->asq & ~0xFFFFFFFFull) | v; break;
	case NVME_REG_ASQ + 4: f->asq = (f->asq & 0xFFFFFFFFull) | (u64)v << 32; break;
	case NVME_REG_ACQ: f->acq = (f->acq & ~0xFFFFFFFFull) | v; break;
	case NVME_REG_ACQ + 4: f->acq = (f->acq & 0xFFFFFFFFull) | (u64)v << 32; break;
	}
}

void nvme_fake_init(struct nvme_fake *f, u64 blocks, u32 dstrd)
{
	memset(f, 0, sizeof(*f));
	f->hw = (struct nvme_hw){ fake_read32, fake_write32, f };
	/* MQES 63, CQR, TO 2 (1 s), DSTRD, CSS NVM, MPSMIN 0 */
	f->cap = 63 | 1u << 16 | 2u << 24 | (u64)dstrd << 32 | 1ull << 37;
	f->disk = calloc(blocks, 512);
	f->blocks = blocks;
	f->max_queues = 4;
	f->mdts = 5;
	f->lbads = 9;
}

void nvme_fake_free(struct nvme_fake *f)
{
	free(f->disk);
	f->disk = NULL;
}

void nvme_fake_release(struct nvme_fake *f)
{
	for (int i = 0; i < f->nr_swallowed; i++)
		fake_post(f, f->swallowed[i].sqid, f->swallowed[i].cid,
			  f->swallowed[i].sqhd, 0, 0);
	f->nr_swallowed = 0;
}
