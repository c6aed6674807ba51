/*
 * The NBD protocol as the guest's NBD server and client speak it (the
 * "fixed newstyle" handshake with NBD_OPT_EXPORT_NAME, then simple
 * replies), for swap over the fabric in the bench's Linux baselines. All
 * fields are big-endian on the wire.
 */
#ifndef TESTS_LINUX_NBD_H
#define TESTS_LINUX_NBD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

#define NBD_PORT 10809
#define NBD_INIT_MAGIC 0x4e42444d41474943ull   /* "NBDMAGIC" */
#define NBD_OPTS_MAGIC 0x49484156454f5054ull   /* "IHAVEOPT" */
#define NBD_FLAG_FIXED_NEWSTYLE 1
#define NBD_FLAG_NO_ZEROES 2
#define NBD_OPT_EXPORT_NAME 1
#define NBD_FLAG_HAS_FLAGS 1
#define NBD_FLAG_SEND_FLUSH 4
#define NBD_REQUEST_MAGIC 0x25609513u
#define NBD_REPLY_MAGIC 0x67446698u
#define NBD_CMD_READ 0
#define NBD_CMD_WRITE 1
#define NBD_CMD_DISC 2
#define NBD_CMD_FLUSH 3

/* The kernel's NBD ioctls (linux/nbd.h, whose structs would clash). */
#define NBD_IOC_SET_SOCK _IO(0xab, 0)
#define NBD_IOC_SET_BLKSIZE _IO(0xab, 1)
#define NBD_IOC_SET_SIZE _IO(0xab, 2)
#define NBD_IOC_DO_IT _IO(0xab, 3)
#define NBD_IOC_SET_FLAGS _IO(0xab, 10)

struct nbdw_request {
	uint32_t magic;
	uint16_t flags;
	uint16_t type;
	uint64_t handle;
	uint64_t offset;
	uint32_t length;
} __attribute__((packed));
_Static_assert(sizeof(struct nbdw_request) == 28, "NBD request is 28 bytes");

struct nbdw_reply {
	uint32_t magic;
	uint32_t error;
	uint64_t handle;
} __attribute__((packed));
_Static_assert(sizeof(struct nbdw_reply) == 16, "NBD reply is 16 bytes");

/* Read or write exactly n bytes: 0, or -1 on error or end of stream. */
int nbd_read_all(int fd, void *buf, size_t n);
int nbd_write_all(int fd, const void *buf, size_t n);

#endif
