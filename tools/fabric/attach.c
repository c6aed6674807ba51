/*
 * The fabric attach library (see attach.h): Unix stream sockets, QEMU
 * stream framing, blocking sends and poll()-based receives with timeouts;
 * and packet links, for a program inside a Linux guest on the fabric: an
 * AF_PACKET socket on the guest's fabric interface (the same virtio-net
 * NIC on the same fabric port as a monitor's), whole frames, with the
 * frames the interface sends itself (an ETH_P_ALL socket sees them too)
 * skipped.
 */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "tools/fabric/attach.h"

int fabric_unix_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

static void link_init(struct fabric_link *l)
{
	l->fd = -1;
	l->lfd = -1;
	l->packet = false;
	l->in_len = 0;
}

int fabric_link_listen(struct fabric_link *l, const char *path)
{
	struct sockaddr_un sa;
	int err = fabric_unix_addr(path, &sa);

	link_init(l);
	if (err)
		return err;
	l->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l->lfd < 0)
		return -errno;
	unlink(path);
	if (bind(l->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(l->lfd, 1) < 0) {
		err = -errno;
		close(l->lfd);
		l->lfd = -1;
	}
	return err;
}

int fabric_link_connect(struct fabric_link *l, const char *path)
{
	struct sockaddr_un sa;
	int err = fabric_unix_addr(path, &sa);

	link_init(l);
	if (err)
		return err;
	l->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l->fd < 0)
		return -errno;
	if (connect(l->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		close(l->fd);
		l->fd = -1;
	}
	return err;
}

static s64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (s64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining(s64 deadline)
{
	s64 left = deadline - now_ms();

	return deadline < 0 ? -1 : left < 0 ? 0 : (int)left;
}

int fabric_link_wait(struct fabric_link *l, int timeout_ms)
{
	struct pollfd pfd = { .fd = l->lfd, .events = POLLIN };

	if (l->fd >= 0)
		return 0;
	if (l->lfd < 0)
		return -ENOTCONN;
	if (poll(&pfd, 1, timeout_ms) <= 0)
		return -ETIMEDOUT;
	l->fd = accept4(l->lfd, NULL, NULL, SOCK_CLOEXEC);
	l->in_len = 0;
	return l->fd < 0 ? -errno : 0;
}

int fabric_link_packet(struct fabric_link *l, const char *ifname)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL) };
	int err = 0;

	memset(l, 0, sizeof(*l));
	l->lfd = -1;
	l->packet = true;
	sa.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sa.sll_ifindex)
		return -ENODEV;
	l->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (l->fd < 0)
		return -errno;
	if (bind(l->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		close(l->fd);
		l->fd = -1;
	}
	return err;
}

static int packet_send(struct fabric_link *l, const void *frame, size_t len)
{
	ssize_t w;

	do
		w = send(l->fd, frame, len, 0);
	while (w < 0 && errno == EINTR);
	return w == (ssize_t)len ? 0 : -EIO;
}

static int packet_recv(struct fabric_link *l, void *buf, size_t cap, int timeout_ms)
{
	for (;;) {
		struct pollfd pfd = { .fd = l->fd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t flen = sizeof(from);
		ssize_t r;
		int p = poll(&pfd, 1, timeout_ms);

		if (p < 0 && errno == EINTR)
			continue;
		if (p <= 0)
			return -ETIMEDOUT;
		r = recvfrom(l->fd, buf, cap, MSG_TRUNC, (struct sockaddr *)&from, &flen);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -ENOTCONN;
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		return (size_t)r > cap ? -EMSGSIZE : (int)r;
	}
}

int fabric_link_send(struct fabric_link *l, const void *frame, size_t len)
{
	u8 hdr[4] = { (u8)(len >> 24), (u8)(len >> 16), (u8)(len >> 8), (u8)len };
	struct iovec iov[2] = { { hdr, 4 }, { (void *)frame, len } };
	size_t left = len + 4;

	if (len > FABRIC_LINK_MAX_FRAME)
		return -EMSGSIZE;
	if (l->fd < 0)
		return -ENOTCONN;
	if (l->packet)
		return packet_send(l, frame, len);
	while (left) {
		ssize_t w = writev(l->fd, iov, 2);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -ENOTCONN;
		left -= (size_t)w;
		for (int i = 0; i < 2; i++) {
			size_t k = MIN((size_t)w, iov[i].iov_len);

			iov[i].iov_base = (u8 *)iov[i].iov_base + k;
			iov[i].iov_len -= k;
			w -= (ssize_t)k;
		}
	}
	return 0;
}

/* Take one complete frame out of the input buffer, if there is one. */
static int take_frame(struct fabric_link *l, void *buf, size_t cap)
{
	u32 len;

	if (l->in_len < 4)
		return 0;
	len = (u32)l->in[0] << 24 | (u32)l->in[1] << 16 | (u32)l->in[2] << 8 | l->in[3];
	if (len > FABRIC_LINK_MAX_FRAME)
		return -EPROTO;
	if (l->in_len < 4 + len)
		return 0;
	if (len <= cap)
		memcpy(buf, l->in + 4, len);
	l->in_len -= 4 + len;
	memmove(l->in, l->in + 4 + len, l->in_len);
	return len <= cap ? (int)len : -EMSGSIZE;
}

static void drop_conn(struct fabric_link *l)
{
	close(l->fd);
	l->fd = -1;
	l->in_len = 0;
}

int fabric_link_recv(struct fabric_link *l, void *buf, size_t cap, int timeout_ms)
{
	s64 deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;

	if (l->packet)
		return packet_recv(l, buf, cap, timeout_ms);
	for (;;) {
		int n = take_frame(l, buf, cap);
		struct pollfd pfd = { .fd = l->fd, .events = POLLIN };
		ssize_t r;

		if (n)
			return n == -EPROTO ? (drop_conn(l), -ENOTCONN) : n;
		if (l->fd < 0 && fabric_link_wait(l, remaining(deadline)) < 0)
			return l->lfd < 0 ? -ENOTCONN : -ETIMEDOUT;
		pfd.fd = l->fd;
		if (poll(&pfd, 1, remaining(deadline)) == 0)
			return -ETIMEDOUT;
		r = read(l->fd, l->in + l->in_len, sizeof(l->in) - l->in_len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			drop_conn(l);
		else
			l->in_len += (size_t)r;
	}
}

bool fabric_link_pending(const struct fabric_link *l)
{
	const u8 *b = l->in;

	return l->in_len >= 4 &&
	       l->in_len >= 4 + ((u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3]);
}

int fabric_link_pollfd(const struct fabric_link *l)
{
	return l->fd >= 0 ? l->fd : l->lfd;
}

void fabric_link_close(struct fabric_link *l)
{
	if (l->fd >= 0)
		close(l->fd);
	if (l->lfd >= 0)
		close(l->lfd);
	link_init(l);
}
