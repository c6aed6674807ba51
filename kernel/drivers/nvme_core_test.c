/*
 * The portable NVMe core against the fake controller (host only): reset
 * and enable, identify, queue setup, reads and writes across PRP sizes,
 * the phase bit over many wraps, failed commands, a controller that never
 * becomes ready or reports a fatal status, a command the device never
 * completes, and PRP building on its own.
 */
#include <stdlib.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/string.h>

#include "kernel/drivers/nvme_fake.h"

#define NT_BLOCKS 4096 /* 2 MiB */

struct nt {
	struct nvme_fake f;
	struct nvme_ctrl c;
};

static struct nt *nt_new(u32 dstrd)
{
	struct nt *n = calloc(1, sizeof(*n));

	nvme_fake_init(&n->f, NT_BLOCKS, dstrd);
	n->c.hw = &n->f.hw;
	memcpy(n->c.name, "nvmeT", 6);
	return n;
}

static void nt_free(struct nt *n)
{
	nvme_ctrl_shutdown(&n->c);
	nvme_fake_free(&n->f);
	free(n);
}

static void nt_pattern(u8 *p, size_t len, u32 seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (u8)(i * 7 + seed * 13 + (i >> 9));
}

/* Write count blocks at lba from a buffer at offset off of an aligned
 * allocation, read them back elsewhere, compare with the disk too. */
static void nt_round_trip(struct ktest_ctx *t, struct nt *n, u64 lba, u32 count,
			  size_t off, u32 seed)
{
	size_t len = (size_t)count * 512;
	u8 *out = aligned_alloc(4096, ALIGN_UP(len + off, 4096));
	u8 *in = aligned_alloc(4096, ALIGN_UP(len + off, 4096));

	KT_ASSERT(t, out && in);
	nt_pattern(out + off, len, seed);
	memset(in, 0, len + off);
	KT_EXPECT_EQ(t, nvme_rw(&n->c, &n->c.ioq[0], true, lba, count, out + off), 0);
	KT_EXPECT(t, memcmp(n->f.disk + lba * 512, out + off, len) == 0);
	KT_EXPECT_EQ(t, nvme_rw(&n->c, &n->c.ioq[0], false, lba, count, in + off), 0);
	KT_EXPECT(t, memcmp(in + off, out + off, len) == 0);
	free(out);
	free(in);
}

KTEST(nvme_core, reset_identify_queues)
{
	struct nt *n = nt_new(0);

	n->f.cc = NVME_CC_EN; /* left enabled by "firmware": must be reset */
	n->f.csts = NVME_CSTS_RDY;
	KT_EXPECT_EQ(t, nvme_ctrl_init(&n->c, 2, 0), 0);
	KT_EXPECT_EQ(t, n->c.nsze, NT_BLOCKS);
	KT_EXPECT(t, strcmp(n->c.model, "Tessera fake NVMe") == 0);
	KT_EXPECT(t, strcmp(n->c.serial, "FAKE0001") == 0);
	KT_EXPECT_EQ(t, n->c.max_bytes, 128 * 1024);
	KT_EXPECT_EQ(t, n->c.nr_ioq, 2);
	KT_EXPECT(t, n->c.vwc);
	KT_EXPECT(t, n->f.sq[1].live && n->f.sq[2].live && !n->f.sq[3].live);
	KT_EXPECT(t, !n->f.cq[1].irq);
	KT_EXPECT_EQ(t, n->f.bad_doorbells, 0);
	nt_free(n);
}

KTEST(nvme_core, write_protection_is_read)
{
	struct nt *n = nt_new(0);

	n->f.write_protected = true;
	KT_EXPECT_EQ(t, nvme_ctrl_init(&n->c, 1, 0), 0);
	KT_EXPECT(t, n->c.read_only);
	nt_free(n);
	n = nt_new(0);
	KT_EXPECT_EQ(t, nvme_ctrl_init(&n->c, 1, 0), 0);
	KT_EXPECT(t, !n->c.read_only);
	nt_free(n);
}

KTEST(nvme_core, fewer_queues_than_asked)
{
	struct nt *n = nt_new(0);

	n->f.max_queues = 1;
	KT_EXPECT_EQ(t, nvme_ctrl_init(&n->c, 4, 0), 0);
	KT_EXPECT_EQ(t, n->c.nr_ioq, 1);
	nt_free(n);
}

KTEST(nvme_core, vectors_limit_queues)
{
	struct nt *n = nt_new(0);

	KT_EXPECT_EQ(t, nvme_ctrl_init(&n->c, 4, 3), 0);
	KT_EXPECT_EQ(t, n->c.nr_ioq, 2); /* vector 0 is the admin queue's */
	KT_EXPECT(t, n->f.cq[1].irq && n->f.cq[1].vector == 1);
	KT_EXPECT(t, n->f.cq[2].irq && n->f.cq[2].vector == 2);
	nt_free(n);
}

KTEST(nvme_core, doorbell_stride)
{
	struct nt *n = nt_new(2); /* 16-byte doorbells */

	KT_EXPECT_EQ(t, nvme_ctrl_init(&n->c, 1, 0), 0);
	KT_EXPECT_EQ(t, n->c.ioq[0].sq_db, 0x1000 + 2 * 16);
	KT_EXPECT_EQ(t, n->c.ioq[0].cq_db, 0x1000 + 3 * 16);
	nt_round_trip(t, n, 3, 1, 0, 1);
	KT_EXPECT_EQ(t, n->f.bad_doorbells, 0);
	nt_free(n);
}

KTEST(nvme_core, read_write_across_prp_sizes)
{
	struct nt *n = nt_new(0);

	KT_ASSERT(t, nvme_ctrl_init(&n->c, 1, 0) == 0);
	nt_round_trip(t, n, 0, 1, 0, 1);        /* PRP1 only */
	nt_round_trip(t, n, 8, 8, 0, 2);        /* one full page */
	nt_round_trip(t, n, 20, 8, 512, 3);     /* a page, over two: PRP2 */
	KT_EXPECT_EQ(t, n->f.prp_lists, 0);
	nt_round_trip(t, n, 100, 24, 0, 4);     /* 3 pages: a PRP list */
	nt_round_trip(t, n, 200, 100, 1024, 5); /* unaligned, 14 pages */
	KT_EXPECT(t, n->f.prp_lists >= 4);
	nt_round_trip(t, n, 1000, 2048, 4, 6);  /* 1 MiB: cut at MDTS */
	KT_EXPECT_EQ(t, n->f.max_pages, 33);    /* 128 KiB at offset 4 */
	nt_round_trip(t, n, NT_BLOCKS - 3, 3, 0, 7); /* the last blocks */
	KT_EXPECT_EQ(t, nvme_flush(&n->c, &n->c.ioq[0]), 0);
	KT_EXPECT_EQ(t, n->f.flushes, 1);
	nt_free(n);
}

KTEST(nvme_core, phase_bit_over_many_wraps)
{
	struct nt *n = nt_new(0);
	struct nvme_queue *q;
	u8 buf[512];

	KT_ASSERT(t, nvme_ctrl_init(&n->c, 1, 0) == 0);
	q = &n->c.ioq[0];
	KT_EXPECT_EQ(t, q->depth, 64);
	for (int i = 0; i < 5 * 64 + 7; i++) {
		nt_pattern(buf, sizeof(buf), i);
		KT_EXPECT_EQ(t, nvme_rw(&n->c, q, true, i % 64, 1, buf), 0);
	}
	KT_EXPECT_EQ(t, q->completions, 5 * 64 + 7);
	KT_EXPECT_EQ(t, q->cq_head, 7);
	KT_EXPECT_EQ(t, q->cq_phase, 0); /* five wraps: flipped five times */
	KT_EXPECT_EQ(t, q->inflight, 0);
	KT_EXPECT_EQ(t, n->f.cq_overflows, 0);
	nt_free(n);
}

KTEST(nvme_core, many_in_flight_then_reaped)
{
	struct nt *n = nt_new(0);
	static struct nvme_req reqs[70];
	static u8 bufs[70][512];
	struct nvme_queue *q;
	int sent = 0;

	KT_ASSERT(t, nvme_ctrl_init(&n->c, 1, 0) == 0);
	q = &n->c.ioq[0];
	for (int i = 0; i < 70; i++) {
		nvme_cmd_rw(&reqs[i].cmd, false, 1, i, 1);
		nvme_prp_build(&reqs[i].cmd, bufs[i], 512, NULL);
		if (nvme_q_submit(q, &reqs[i]) == 0)
			sent++;
	}
	KT_EXPECT_EQ(t, sent, 63); /* the ring holds depth - 1 */
	KT_EXPECT_EQ(t, nvme_q_reap(q), 63);
	for (int i = 0; i < 63; i++)
		KT_EXPECT(t, reqs[i].done && reqs[i].status == 0);
	KT_EXPECT_EQ(t, nvme_q_submit(q, &reqs[63]), 0);
	nt_free(n);
}

KTEST(nvme_core, failed_command_is_eio_then_recovers)
{
	struct nt *n = nt_new(0);
	u8 buf[1024] = { 0 };

	KT_ASSERT(t, nvme_ctrl_init(&n->c, 1, 0) == 0);
	n->f.fail_opcode = NVME_CMD_READ;
	n->f.fail_count = 1;
	n->f.fail_status = NVME_STATUS(NVME_SCT_MEDIA, NVME_SC_READ_ERROR);
	KT_EXPECT_EQ(t, nvme_rw(&n->c, &n->c.ioq[0], false, 10, 2, buf), -EIO);
	KT_EXPECT_EQ(t, nvme_rw(&n->c, &n->c.ioq[0], false, 10, 2, buf), 0);
	KT_EXPECT(t, strcmp(nvme_status_str(n->f.fail_status),
			    "media: unrecovered read error") == 0);
	/* The device's own range check, past what the core was told. */
	n->c.nsze = NT_BLOCKS + 8;
	KT_EXPECT_EQ(t, nvme_rw(&n->c, &n->c.ioq[0], false, NT_BLOCKS, 1, buf), -EIO);
	KT_EXPECT_EQ(t, n->c.ioq[0].inflight, 0);
	nt_free(n);
}

KTEST(nvme_core, never_ready_times_out)
{
	struct nt *n = nt_new(0);
	u64 t0 = nvme_fake_now();

	n->f.never_ready = true;
	KT_EXPECT_EQ(t, nvme_ctrl_init(&n->c, 1, 0), -ETIMEDOUT);
	KT_EXPECT(t, nvme_fake_now() - t0 >= 1000000000ull);  /* CAP.TO: 1 s */
	KT_EXPECT(t, nvme_fake_now() - t0 < 2000000000ull);
	KT_EXPECT_EQ(t, n->c.nr_ioq, 0);
	KT_EXPECT(t, n->c.admin.sq == NULL); /* freed */
	KT_EXPECT_EQ(t, n->f.cc & NVME_CC_EN, 0); /* left disabled */
	nt_free(n);
}

KTEST(nvme_core, fatal_status_is_eio)
{
	struct nt *n = nt_new(0);

	n->f.fatal = true;
	KT_EXPECT_EQ(t, nvme_ctrl_init(&n->c, 1, 0), -EIO);
	nt_free(n);
}

KTEST(nvme_core, no_device_reads_all_ones)
{
	struct nt *n = nt_new(0);

	n->f.cap = ~0ull;
	KT_EXPECT_EQ(t, nvme_ctrl_init(&n->c, 1, 0), -ENODEV);
	nt_free(n);
}

KTEST(nvme_core, failed_queue_creation_is_an_error)
{
	struct nt *n = nt_new(0);

	n->f.fail_admin = true;
	n->f.fail_opcode = NVME_ADM_CREATE_SQ;
	n->f.fail_count = 1;
	n->f.fail_status = NVME_STATUS(NVME_SCT_CMD, 0x02);
	KT_EXPECT_EQ(t, nvme_ctrl_init(&n->c, 1, 0), -EIO);
	KT_EXPECT_EQ(t, n->c.nr_ioq, 0);
	nt_free(n);
}

KTEST(nvme_core, big_blocks_refused)
{
	struct nt *n = nt_new(0);

	n->f.lbads = 12;
	KT_EXPECT_EQ(t, nvme_ctrl_init(&n->c, 1, 0), -EOPNOTSUPP);
	nt_free(n);
}

KTEST(nvme_core, unanswered_command_is_abandoned)
{
	struct nt *n = nt_new(0);
	u8 buf[512];
	u64 t0;

	KT_ASSERT(t, nvme_ctrl_init(&n->c, 1, 0) == 0);
	n->f.swallow = true;
	t0 = nvme_fake_now();
	KT_EXPECT_EQ(t, nvme_rw(&n->c, &n->c.ioq[0], false, 0, 1, buf), -EIO);
	KT_EXPECT(t, nvme_fake_now() - t0 >= NVME_IO_TIMEOUT_NS);
	KT_EXPECT_EQ(t, n->c.ioq[0].inflight, 1); /* its id stays taken */
	n->f.swallow = false;
	nvme_fake_release(&n->f);               /* the late completion */
	KT_EXPECT_EQ(t, nvme_rw(&n->c, &n->c.ioq[0], false, 0, 1, buf), 0);
	KT_EXPECT_EQ(t, n->c.ioq[0].inflight, 0);
	nt_free(n);
}

KTEST(nvme_core, prp_build_rules)
{
	static u8 mem[4 * 4096] __attribute__((aligned(4096)));
	static u64 list[512] __attribute__((aligned(4096)));
	struct nvme_sqe c;

	KT_EXPECT_EQ(t, nvme_prp_build(&c, mem, 4096, NULL), 0);
	KT_EXPECT_EQ(t, c.prp1, (u64)(uintptr_t)mem);
	KT_EXPECT_EQ(t, c.prp2, 0);
	KT_EXPECT_EQ(t, nvme_prp_build(&c, mem + 4092, 8, NULL), 0);
	KT_EXPECT_EQ(t, c.prp2, (u64)(uintptr_t)(mem + 4096));
	KT_EXPECT_EQ(t, nvme_prp_build(&c, mem + 512, 8192, NULL), -EINVAL);
	KT_EXPECT_EQ(t, nvme_prp_build(&c, mem + 512, 8192, list), 0);
	KT_EXPECT_EQ(t, c.prp2, (u64)(uintptr_t)list);
	KT_EXPECT_EQ(t, list[0], (u64)(uintptr_t)(mem + 4096));
	KT_EXPECT_EQ(t, list[1], (u64)(uintptr_t)(mem + 8192));
	KT_EXPECT_EQ(t, nvme_prp_pages(mem + 512, 8192), 3);
	KT_EXPECT_EQ(t, nvme_prp_build(&c, mem + 2, 512, NULL), -EINVAL);
	KT_EXPECT_EQ(t, nvme_prp_build(&c, mem, 0, NULL), -EINVAL);
	KT_EXPECT_EQ(t, nvme_prp_build(&c, mem, 513 * 4096, list), -EINVAL);
}

KTEST(nvme_core, command_encoding)
{
	struct nvme_sqe c;

	nvme_cmd_rw(&c, true, 1, 0x123456789ull, 8);
	KT_EXPECT_EQ(t, c.opcode, NVME_CMD_WRITE);
	KT_EXPECT_EQ(t, c.cdw10, 0x23456789u);
	KT_EXPECT_EQ(t, c.cdw11, 0x1u);
	KT_EXPECT_EQ(t, c.cdw12, 7);
	nvme_cmd_set_queues(&c, 2);
	KT_EXPECT_EQ(t, c.cdw11, 0x00010001u);
	KT_EXPECT(t, strcmp(nvme_status_str(NVME_STATUS(0, NVME_SC_LBA_RANGE)),
			    "generic: LBA out of range") == 0);
	KT_EXPECT(t, strcmp(nvme_status_str(NVME_STATUS(7, 0x55)), "vendor specific") == 0);
	KT_EXPECT(t, strcmp(nvme_opcode_name(false, NVME_CMD_READ), "READ") == 0);
	KT_EXPECT(t, strcmp(nvme_opcode_name(true, 0x7F), "command") == 0);
}
