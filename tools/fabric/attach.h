/*
 * Attaching a hosted program (a manager daemon, a test tool) to the fabric.
 * The link speaks the same framing as QEMU's -netdev stream: a 4-byte
 * big-endian length, then one Ethernet frame with no FCS.
 *
 * Two ways to attach, as for VMs:
 *   fabric_link_listen   the program listens, like QEMU with server=on, and
 *                        the fabric connects ("fabric --port NAME=PATH" or
 *                        the control command "add NAME connect PATH"). The
 *                        fabric may restart; the link accepts it again.
 *   fabric_link_connect  the fabric listens ("add NAME listen PATH") and the
 *                        program connects.
 * and a third for a program inside a Linux guest on the fabric:
 *   fabric_link_packet   an AF_PACKET socket on the guest's interface to
 *                        the fabric (eth0): whole frames, no framing
 *                       .
 * A link is used by one thread at a time.
 */
#ifndef TOOLS_FABRIC_ATTACH_H
#define TOOLS_FABRIC_ATTACH_H

#include <tessera/types.h>

#define FABRIC_LINK_MAX_FRAME (14 + 9216) /* the switch's FABRIC_MAX_FRAME */

struct fabric_link {
	int fd;        /* the connection, -1 while there is none */
	bool packet;   /* fd is an AF_PACKET socket (fabric_link_packet) */
	int lfd;       /* the listening socket, -1 for a connecting link */
	size_t in_len; /* bytes buffered in `in` */
	u8 in[2 * (FABRIC_LINK_MAX_FRAME + 4)];
};

/* 0 or -errno. */
int fabric_link_listen(struct fabric_link *l, const char *path);
int fabric_link_connect(struct fabric_link *l, const char *path);
/* Open an AF_PACKET socket on interface `ifname`: 0 or -errno. Frames
 * the interface itself sends are not received. */
int fabric_link_packet(struct fabric_link *l, const char *ifname);
/* Wait until the fabric is connected: 0, or -ETIMEDOUT. timeout_ms < 0
 * waits for ever. */
int fabric_link_wait(struct fabric_link *l, int timeout_ms);
/* Send one frame (blocking): 0, -EMSGSIZE, or -ENOTCONN when not attached. */
int fabric_link_send(struct fabric_link *l, const void *frame, size_t len);
/* Receive one frame into buf: its length, -ETIMEDOUT, -EMSGSIZE (frame
 * larger than cap, skipped) or -ENOTCONN (a connecting link lost the
 * fabric). A listening link waits for the fabric to come back. */
int fabric_link_recv(struct fabric_link *l, void *buf, size_t cap,
		     int timeout_ms);
/* A complete frame is already buffered (fabric_link_recv will not block). */
bool fabric_link_pending(const struct fabric_link *l);
/* The descriptor to poll for input: the connection, or the listening socket
 * while the fabric is away. */
int fabric_link_pollfd(const struct fabric_link *l);
void fabric_link_close(struct fabric_link *l);

struct sockaddr_un;
/* Fill sa with the Unix socket path; -ENAMETOOLONG if it does not fit. */
int fabric_unix_addr(const char *path, struct sockaddr_un *sa);

#endif
