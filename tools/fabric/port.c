/*
 * The fabric's ports: one Unix stream socket each, carrying QEMU's
 * -netdev stream framing (a 4-byte big-endian length, then the Ethernet
 * frame). A port either connects to a socket its peer listens on (QEMU with
 * server=on; retried every 100 ms while absent) or listens for one peer at a
 * time (hosted programs). Output is non-blocking: what the socket does not
 * take waits in the port's buffer, and a frame that does not fit is dropped
 * and counted in tx_drops, as a congested switch port would.
 */
#define _GNU_SOURCE /* accept4, asprintf */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "tools/fabric/attach.h"
#include "tools/fabric/fabric.h"

int fabric_port_find(const char *name)
{
	for (unsigned p = 0; p < FABRIC_MAX_PORTS; p++)
		if (fabric.port[p] && !strcmp(fabric.port[p]->name, name))
			return (int)p;
	return -1;
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	if (fabric_unix_addr(path, &sa) < 0)
		return -ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int fabric_port_add(const char *name, const char *path, bool listen)
{
	struct fabric_io_port *io;
	int p = fabric_port_find(name);

	if (p >= 0 || strlen(name) >= FABRIC_NAME_MAX || strlen(path) >= FABRIC_PATH_MAX)
		return p >= 0 ? -EEXIST : -ENAMETOOLONG;
	for (p = 0; p < FABRIC_MAX_PORTS && fabric.port[p]; p++)
		;
	if (p == FABRIC_MAX_PORTS || !(io = calloc(1, sizeof(*io))))
		return -ENOSPC;
	strcpy(io->name, name);
	strcpy(io->path, path);
	io->listen = listen;
	io->fd = -1;
	io->lfd = listen ? listen_on(path) : -1;
	if (io->lfd < -1) {
		int err = io->lfd;

		free(io);
		return err;
	}
	if (listen)
		fabric_epoll_add(io->lfd, FABRIC_EV_LISTEN, (unsigned)p, EPOLLIN);
	memset(&fabric.sw.port[p], 0, sizeof(fabric.sw.port[p]));
	fabric.sw.port[p].faults = fabric.defaults;
	fabric.port[p] = io;
	return p;
}

static void port_up(unsigned p, int fd)
{
	struct fabric_io_port *io = fabric.port[p];
	int sz = 1 << 20;

	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	io->fd = fd;
	io->in_len = io->out_off = io->out_len = 0;
	fabric_epoll_add(fd, FABRIC_EV_PORT, p, EPOLLIN);
	fabric_switch_attach(&fabric.sw, p);
	printf("fabric: port %s connected\n", io->name);
}

static void port_down(unsigned p, const char *why)
{
	struct fabric_io_port *io = fabric.port[p];

	close(io->fd);
	io->fd = -1;
	io->retry_ns = fabric_now_ns() + FABRIC_RETRY_NS;
	fabric_switch_detach(&fabric.sw, p);
	printf("fabric: port %s disconnected (%s)\n", io->name, why);
}

int fabric_port_del(unsigned p)
{
	struct fabric_io_port *io = fabric.port[p];

	if (io->fd >= 0)
		port_down(p, "removed");
	if (io->lfd >= 0) {
		close(io->lfd);
		unlink(io->path);
	}
	free(io);
	fabric.port[p] = NULL;
	return 0;
}

static void try_connect(unsigned p)
{
	struct fabric_io_port *io = fabric.port[p];
	struct sockaddr_un sa;
	int fd;

	if (fabric_unix_addr(io->path, &sa) < 0)
		return;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		port_up(p, fd);
		return;
	}
	if (fd >= 0)
		close(fd);
	io->retry_ns = fabric_now_ns() + FABRIC_RETRY_NS;
}

void fabric_port_retry(u64 now)
{
	for (unsigned p = 0; p < FABRIC_MAX_PORTS; p++) {
		struct fabric_io_port *io = fabric.port[p];

		if (io && !io->listen && io->fd < 0 && now >= io->retry_ns)
			try_connect(p);
	}
}

void fabric_port_accept(unsigned p)
{
	struct fabric_io_port *io = fabric.port[p];
	int fd = accept4(io->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return;
	if (io->fd >= 0) {
		printf("fabric: port %s busy, refused a second peer\n", io->name);
		close(fd);
		return;
	}
	port_up(p, fd);
}

static u32 get_be32(const u8 *b)
{
	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static void handle_frame(unsigned p, const u8 *frame, size_t len)
{
	struct fabric_delivery d[FABRIC_MAX_DELIVERIES];
	u64 now = fabric_now_ns();
	unsigned n;

	fabric_pcap_write(frame, len);
	n = fabric_switch_input(&fabric.sw, p, frame, len, now, d);
	for (unsigned i = 0; i < n; i++) {
		if (d[i].due_ns <= now)
			fabric_port_send(d[i].port, frame, len);
		else if (fabric_delayq_push(&fabric.dq, d[i].due_ns, d[i].port,
					    frame, len) < 0)
			fabric.sw.port[d[i].port].st.tx_drops++;
	}
}

/* Forward every complete frame in the input buffer; -EPROTO on a length
 * no Ethernet frame can have. */
static int parse_frames(unsigned p)
{
	struct fabric_io_port *io = fabric.port[p];
	size_t off = 0;

	while (io->in_len - off >= 4) {
		u32 len = get_be32(io->in + off);

		if (len < FABRIC_MIN_FRAME || len > FABRIC_MAX_FRAME)
			return -EPROTO;
		if (io->in_len - off - 4 < len)
			break;
		handle_frame(p, io->in + off + 4, len);
		off += 4 + len;
	}
	memmove(io->in, io->in + off, io->in_len - off);
	io->in_len -= off;
	return 0;
}

void fabric_port_readable(unsigned p)
{
	struct fabric_io_port *io = fabric.port[p];
	ssize_t n;

	if (!io || io->fd < 0)
		return;
	n = read(io->fd, io->in + io->in_len, FABRIC_IN_BUF - io->in_len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0)
		return port_down(p, n ? strerror(errno) : "peer closed");
	io->in_len += (size_t)n;
	if (parse_frames(p) < 0)
		port_down(p, "bad frame length");
}

/* Append bytes to the port's output buffer and ask for EPOLLOUT. */
static bool out_append(unsigned p, const u8 *a, size_t alen, const u8 *b,
		       size_t blen)
{
	struct fabric_io_port *io = fabric.port[p];

	if (io->out_len + alen + blen > FABRIC_OUT_BUF)
		return false;
	if (io->out_off + io->out_len + alen + blen > FABRIC_OUT_BUF) {
		memmove(io->out, io->out + io->out_off, io->out_len);
		io->out_off = 0;
	}
	memcpy(io->out + io->out_off + io->out_len, a, alen);
	memcpy(io->out + io->out_off + io->out_len + alen, b, blen);
	if (!io->out_len)
		fabric_epoll_mod(io->fd, FABRIC_EV_PORT, p, EPOLLIN | EPOLLOUT);
	io->out_len += alen + blen;
	return true;
}

/* Write header + frame straight to the socket; the part it did not take
 * goes to the output buffer. False if the frame had to be dropped. */
static bool write_direct(unsigned p, const u8 *hdr, const u8 *frame, size_t len)
{
	struct iovec iov[2] = { { (void *)hdr, 4 }, { (void *)frame, len } };
	ssize_t w = writev(fabric.port[p]->fd, iov, 2);

	if (w < 0)
		return (errno == EAGAIN) && out_append(p, hdr, 4, frame, len);
	if ((size_t)w == len + 4)
		return true;
	if ((size_t)w < 4)
		return out_append(p, hdr + w, 4 - (size_t)w, frame, len);
	return out_append(p, frame + (w - 4), len - (size_t)(w - 4), NULL, 0);
}

void fabric_port_send(unsigned p, const u8 *frame, size_t len)
{
	struct fabric_io_port *io = fabric.port[p];
	struct fabric_port_stats *st = &fabric.sw.port[p].st;
	u8 hdr[4] = { (u8)(len >> 24), (u8)(len >> 16), (u8)(len >> 8), (u8)len };
	bool ok;

	if (!io || io->fd < 0)
		ok = false;
	else if (io->out_len)
		ok = out_append(p, hdr, 4, frame, len);
	else
		ok = write_direct(p, hdr, frame, len);
	if (!ok) {
		st->tx_drops++;
		return;
	}
	st->tx_frames++;
	st->tx_bytes += len;
}

void fabric_port_writable(unsigned p)
{
	struct fabric_io_port *io = fabric.port[p];
	ssize_t w;

	if (!io || io->fd < 0 || !io->out_len)
		return;
	w = write(io->fd, io->out + io->out_off, io->out_len);
	if (w < 0)
		return;
	io->out_off += (size_t)w;
	io->out_len -= (size_t)w;
	if (!io->out_len) {
		io->out_off = 0;
		fabric_epoll_mod(io->fd, FABRIC_EV_PORT, p, EPOLLIN);
	}
}

const char *fabric_port_state(unsigned p)
{
	if (fabric.port[p]->fd < 0)
		return "waiting";
	return fabric.sw.port[p].cut ? "down" : "up";
}

void fabric_port_close_all(void)
{
	for (unsigned p = 0; p < FABRIC_MAX_PORTS; p++)
		if (fabric.port[p])
			fabric_port_del(p);
}
