/*
 * NVMe: the controller's registers and queue entries (NVM Express base
 * specification 1.4), and the portable core that drives them: queues with
 * phase-bit completion (nvme_queue.c), PRP lists, command encoding and
 * status decoding (nvme_cmd.c), controller reset, identify and I/O queue
 * setup (nvme_ctrl.c). The core reaches the device only through struct
 * nvme_hw (32-bit register reads and writes) and DMA memory through
 * kmem_pages_alloc and virt_to_phys, so it runs on the host against a fake
 * controller (nvme_fake.c) as well as in the kernel (nvme.c: PCI, MMIO,
 * MSI-X, the block device).
 *
 * Locking: each queue's lock guards its ring indices and its command table;
 * the controller's fields are written during nvme_ctrl_init only (one
 * thread), then read without a lock.
 */
#ifndef KERNEL_DRIVERS_NVME_PRIV_H
#define KERNEL_DRIVERS_NVME_PRIV_H

#include <tessera/lock.h>
#include <tessera/types.h>

/* Controller registers (BAR0). */
#define NVME_REG_CAP 0x00   /* 64-bit */
#define NVME_REG_VS 0x08
#define NVME_REG_INTMS 0x0C
#define NVME_REG_CC 0x14
#define NVME_REG_CSTS 0x1C
#define NVME_REG_AQA 0x24
#define NVME_REG_ASQ 0x28   /* 64-bit */
#define NVME_REG_ACQ 0x30   /* 64-bit */
#define NVME_REG_DOORBELLS 0x1000

#define NVME_CAP_MQES(c) ((u32)((c) & 0xFFFF))        /* entries - 1 */
#define NVME_CAP_TO(c) ((u32)(((c) >> 24) & 0xFF))    /* 500 ms units */
#define NVME_CAP_DSTRD(c) ((u32)(((c) >> 32) & 0xF))  /* stride 4 << n */
#define NVME_CAP_CSS_NVM(c) (((c) >> 37) & 1)
#define NVME_CAP_MPSMIN(c) ((u32)(((c) >> 48) & 0xF)) /* 4 KiB << n */

#define NVME_CC_EN (1u << 0)
#define NVME_CC_IOSQES (6u << 16) /* 64-byte submission entries */
#define NVME_CC_IOCQES (4u << 20) /* 16-byte completion entries */
#define NVME_CSTS_RDY (1u << 0)
#define NVME_CSTS_CFS (1u << 1)   /* controller fatal status */

#define NVME_PAGE 4096u           /* memory page size (CC.MPS = 0) */
#define NVME_PRP_PER_LIST 511u    /* data entries in our one list page */

/* Opcodes: admin, then NVM. */
#define NVME_ADM_DELETE_SQ 0x00
#define NVME_ADM_CREATE_SQ 0x01
#define NVME_ADM_DELETE_CQ 0x04
#define NVME_ADM_CREATE_CQ 0x05
#define NVME_ADM_IDENTIFY 0x06
#define NVME_ADM_SET_FEATURES 0x09
#define NVME_CMD_FLUSH 0x00
#define NVME_CMD_WRITE 0x01
#define NVME_CMD_READ 0x02

#define NVME_CNS_NAMESPACE 0x00
#define NVME_CNS_CONTROLLER 0x01
#define NVME_FEAT_NUM_QUEUES 0x07

/* Status field (the completion's status word without its phase bit). */
#define NVME_SC(s) ((s) & 0xFF)
#define NVME_SCT(s) (((s) >> 8) & 0x7)
#define NVME_STATUS(sct, sc) ((u16)((sct) << 8 | (sc)))
#define NVME_SCT_GENERIC 0
#define NVME_SCT_CMD 1
#define NVME_SCT_MEDIA 2
#define NVME_SC_INVALID_OPCODE 0x01
#define NVME_SC_INVALID_FIELD 0x02
#define NVME_SC_DATA_XFER 0x04
#define NVME_SC_INTERNAL 0x06
#define NVME_SC_INVALID_NS 0x0B
#define NVME_SC_LBA_RANGE 0x80
#define NVME_SC_WRITE_FAULT 0x80  /* media */
#define NVME_SC_READ_ERROR 0x81   /* media: unrecovered read error */

/* Identify data offsets used. */
#define NVME_IDC_SN 4
#define NVME_IDC_MN 24
#define NVME_IDC_MDTS 77
#define NVME_IDC_NN 516
#define NVME_IDC_VWC 525
#define NVME_IDN_NSZE 0
#define NVME_IDN_FLBAS 26
#define NVME_IDN_NSATTR 99       /* bit 0: write protected */
#define NVME_IDN_LBAF 128

struct nvme_sqe {
	u8 opcode;
	u8 flags;       /* fused, PSDT = 0: PRPs */
	u16 cid;
	u32 nsid;
	u64 rsvd2;
	u64 mptr;
	u64 prp1;
	u64 prp2;
	u32 cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};
_Static_assert(sizeof(struct nvme_sqe) == 64, "NVMe submission queue entry");

struct nvme_cqe {
	u32 dw0;        /* command specific */
	u32 dw1;
	u16 sqhd;       /* the submission queue's head, as the device sees it */
	u16 sqid;
	u16 cid;
	u16 status;     /* bit 0: phase tag; bits 15:1: status field */
};
_Static_assert(sizeof(struct nvme_cqe) == 16, "NVMe completion queue entry");

/* The device's registers; ctx is the driver's (an MMIO mapping, a fake). */
struct nvme_hw {
	u32 (*read32)(void *ctx, u32 off);
	void (*write32)(void *ctx, u32 off, u32 v);
	void *ctx;
};

/* One command from submission to completion; lives with its submitter. */
struct nvme_req {
	struct nvme_sqe cmd;
	u16 status;     /* status field, valid once done */
	u16 cid;        /* queue lock: the slot it holds while in flight */
	u32 dw0;
	bool done;      /* set (release) by whoever reaps the completion */
};

#define NVME_QUEUE_MAX 64       /* entries per queue we ever ask for */

struct nvme_queue {
	struct spinlock lock;
	const struct nvme_hw *hw;
	u16 qid, depth;
	u32 sq_db, cq_db;       /* doorbell register offsets */
	struct nvme_sqe *sq;    /* one page each, device-visible */
	volatile struct nvme_cqe *cq;
	/* lock must be held when using these: */
	u16 sq_tail, sq_head, cq_head;
	u8 cq_phase;
	u16 inflight;
	u16 next_cid;
	struct nvme_req *reqs[NVME_QUEUE_MAX]; /* by cid; NULL: free */
	u64 completions;
	void *priv;             /* the driver's (its wait queue) */
};

/* nvme_queue.c. init: 0 or -ENOMEM. Every other call takes q->lock. */
int nvme_q_init(struct nvme_queue *q, const struct nvme_hw *hw, u16 qid,
		u16 depth, u32 dstrd);
void nvme_q_free(struct nvme_queue *q);
/* Give req a command id, copy it into the ring and ring the doorbell.
 * 0, or -EAGAIN when the ring (or the table of ids) is full. */
int nvme_q_submit(struct nvme_queue *q, struct nvme_req *req);
/* Consume every new completion (phase bit), mark its request done, and
 * tell the device how far we read. Returns how many. Safe in interrupt
 * handlers. */
int nvme_q_reap(struct nvme_queue *q);
/* Poll until req is done: 0, or -ETIMEDOUT after timeout_ns (req is then
 * abandoned: its id stays taken until the device completes it). */
int nvme_q_poll(struct nvme_queue *q, struct nvme_req *req, u64 timeout_ns);
void nvme_q_abandon(struct nvme_queue *q, struct nvme_req *req);
bool nvme_q_has_room(struct nvme_queue *q);

/* nvme_cmd.c: command encoding, PRPs, status. */
void nvme_cmd_identify(struct nvme_sqe *c, u32 cns, u32 nsid, u64 page_pa);
void nvme_cmd_set_queues(struct nvme_sqe *c, u16 nr);
void nvme_cmd_create_cq(struct nvme_sqe *c, const struct nvme_queue *q,
			u16 vector, bool irq);
void nvme_cmd_create_sq(struct nvme_sqe *c, const struct nvme_queue *q, u16 cqid);
void nvme_cmd_rw(struct nvme_sqe *c, bool write, u32 nsid, u64 lba, u32 nlb);
void nvme_cmd_flush(struct nvme_sqe *c, u32 nsid);
/* PRP1/PRP2 of c for len bytes at buf (4-byte aligned kernel memory).
 * Over two pages, list (one NVME_PAGE page) gets the entries after the
 * first and PRP2 points at it. 0, or -EINVAL: misaligned, too long, or a
 * list needed and none given. */
int nvme_prp_build(struct nvme_sqe *c, const void *buf, u32 len, u64 *list);
/* Pages a transfer of len bytes at buf touches. */
u32 nvme_prp_pages(const void *buf, u32 len);
const char *nvme_opcode_name(bool admin, u8 opcode);
/* "generic: LBA out of range" and the like. */
const char *nvme_status_str(u16 status);

/* How a driver waits: the core polls unless given these. */
struct nvme_waits {
	/* Until req is done: 0 or -ETIMEDOUT (then abandon req). */
	int (*done)(struct nvme_queue *q, struct nvme_req *req, u64 timeout_ns);
	/* Until q may have room again, or ns have passed. */
	void (*room)(struct nvme_queue *q, u64 ns);
};

#define NVME_MAX_IOQ 8
#define NVME_ADMIN_DEPTH 16
#define NVME_ADMIN_TIMEOUT_NS (10 * 1000000000ull)
#define NVME_IO_TIMEOUT_NS (30 * 1000000000ull)
#define NVME_MAX_XFER (512 * 1024u) /* bytes per command, at most */

struct nvme_ctrl {
	char name[8];             /* "nvme0" */
	const struct nvme_hw *hw;
	const struct nvme_waits *waits; /* NULL: poll */
	u64 cap;
	u32 dstrd;                /* doorbell stride exponent */
	u64 ready_timeout_ns;     /* from CAP.TO */
	struct nvme_queue admin;
	struct nvme_queue ioq[NVME_MAX_IOQ];
	int nr_ioq;
	u32 max_bytes;            /* per command (MDTS, NVME_MAX_XFER) */
	u32 nsid;                 /* the namespace served: 1 */
	u64 nsze;                 /* its size in 512-byte blocks */
	bool vwc;                 /* a volatile write cache: FLUSH matters */
	bool read_only;           /* namespace 1 is write protected */
	char model[41], serial[21];
};

/* nvme_ctrl.c. Reset, enable and set up the admin queue, identify the
 * controller and namespace 1, create min(want, offered) I/O queue pairs.
 * vectors: the interrupt vectors the driver can take (0: none, poll);
 * with them, I/O queue i completes on vector i (so at most vectors - 1
 * pairs) and vector 0 stays the admin queue's, which is always polled.
 * 0 or -errno, each failure logged in one line; on failure the
 * controller is left disabled and its queues freed. */
int nvme_ctrl_init(struct nvme_ctrl *c, int want_ioq, u16 vectors);
/* Disable the controller, free its queues. */
void nvme_ctrl_shutdown(struct nvme_ctrl *c);

/* nvme_io.c. One admin command, polled: 0 or -EIO/-ETIMEDOUT (logged). */
int nvme_admin(struct nvme_ctrl *c, struct nvme_req *req);
/* count 512-byte blocks at lba through queue q, cut into commands of at
 * most max_bytes: 0, -EINVAL (misaligned buf), -ENOMEM, -EIO (the device
 * failed a command or did not answer; logged). */
int nvme_rw(struct nvme_ctrl *c, struct nvme_queue *q, bool write, u64 lba,
	    u32 count, void *buf);
int nvme_flush(struct nvme_ctrl *c, struct nvme_queue *q);
/* Submit and wait on q by c's waits; status decoded (0, -EIO, -ETIMEDOUT). */
int nvme_exec(struct nvme_ctrl *c, struct nvme_queue *q, struct nvme_req *req);

#endif
