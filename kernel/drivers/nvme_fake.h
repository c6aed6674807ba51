/*
 * A fake NVMe controller for host tests of the portable core: registers
 * (CAP, CC, CSTS, AQA, ASQ, ACQ, doorbells) behind a struct nvme_hw, and a
 * RAM disk of 512-byte blocks. A submission doorbell runs the new
 * commands at once and posts their completions with the phase bit, so the
 * core's polling finds them. It checks what a real controller would
 * (PRP alignment and lists, LBA range, MDTS, queue ids) and can be told to
 * misbehave: never become ready, report a fatal status, fail commands of
 * one opcode, or swallow I/O commands without completing them.
 *
 * Host only, one thread; time is a fake clock that time_delay_us advances.
 */
#ifndef KERNEL_DRIVERS_NVME_FAKE_H
#define KERNEL_DRIVERS_NVME_FAKE_H

#include "kernel/drivers/nvme_priv.h"

#define FAKE_MAXQ 8
#define FAKE_MAX_SWALLOWED 8

struct nvme_fake_sq {
	u64 base;
	u16 size, head, cqid;
	bool live;
};

struct nvme_fake_cq {
	u64 base;
	u16 size, tail, head, vector;
	u8 phase;
	bool live, irq;
};

struct nvme_fake {
	struct nvme_hw hw;
	u64 cap;
	u32 cc, csts, aqa;
	u64 asq, acq;
	struct nvme_fake_sq sq[FAKE_MAXQ];
	struct nvme_fake_cq cq[FAKE_MAXQ];
	u8 *disk;
	u64 blocks;
	/* behaviour, set by the test before use */
	bool never_ready, fatal;
	u16 max_queues;     /* I/O queue pairs granted */
	u8 mdts, lbads;
	bool fail_admin;    /* fail_opcode names an admin command */
	u8 fail_opcode;
	int fail_count;     /* fail the next fail_count such commands */
	u16 fail_status;
	bool swallow;       /* fetch I/O commands, never complete them */
	bool write_protected; /* say so in the namespace's NSATTR */
	/* what it saw */
	u32 commands, prp_lists, max_pages, flushes, cq_overflows, bad_doorbells;
	struct { u16 sqid, cid, sqhd; } swallowed[FAKE_MAX_SWALLOWED];
	int nr_swallowed;
};

/* A controller with blocks of RAM disk (zeroed), one namespace, 4 queue
 * pairs, MDTS 5 (128 KiB), CAP.TO 2 (1 s), doorbell stride 4 << dstrd. */
void nvme_fake_init(struct nvme_fake *f, u64 blocks, u32 dstrd);
void nvme_fake_free(struct nvme_fake *f);
/* Complete every swallowed command now, successfully. */
void nvme_fake_release(struct nvme_fake *f);
/* The fake clock, in ns. */
u64 nvme_fake_now(void);

#endif
