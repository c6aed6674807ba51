/*
 * fabric-echo's exchanges: answering requests, pinging a peer (the same
 * result line the monitors print), and timing round trips for the bench.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tools/fabric/echo.h"

#define PING_INTERVAL_MS 5
#define PING_LINGER_MS 1000
#define BENCH_TIMEOUT_MS 200

u64 echo_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000 + (u64)ts.tv_nsec / 1000;
}

int echo_parse_mac(const char *s, u8 *mac)
{
	unsigned v[6];
	char end;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4],
		   &v[5], &end) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = (u8)v[i];
	return 0;
}

static u32 get_be32(const u8 *b)
{
	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static void put_be32(u8 *b, u32 v)
{
	b[0] = (u8)(v >> 24);
	b[1] = (u8)(v >> 16);
	b[2] = (u8)(v >> 8);
	b[3] = (u8)v;
}

static void answer(size_t len)
{
	struct echo_hdr *h = (struct echo_hdr *)echo.frame;

	memcpy(h->dst, h->src, 6);
	memcpy(h->src, echo.mac, 6);
	h->type = ECHO_REPLY;
	if (fabric_link_send(&echo.link, echo.frame, len) == 0)
		echo.answered++;
}

int echo_step(int timeout_ms)
{
	struct echo_hdr *h = (struct echo_hdr *)echo.frame;
	int n = fabric_link_recv(&echo.link, echo.frame, sizeof(echo.frame), timeout_ms);

	if (n == -ENOTCONN)
		return n;
	if (n < (int)sizeof(*h) || h->ethertype[0] != 0x88 || h->ethertype[1] != 0xb5 ||
	    memcmp(h->dst, echo.mac, 6))
		return 0;
	if (h->type == ECHO_REQUEST) {
		answer((size_t)n);
		return 0;
	}
	if (h->type != ECHO_REPLY)
		return 0;
	echo.last_reply_seq = get_be32(h->seq);
	memcpy(echo.last_reply_src, h->src, 6);
	return 1;
}

/* Send one request with sequence number seq. */
static int send_request(const u8 *peer, u32 seq, unsigned size)
{
	u8 f[FABRIC_LINK_MAX_FRAME];
	struct echo_hdr *h = (struct echo_hdr *)f;

	memset(f, (int)(seq & 0xff), size);
	memcpy(h->dst, peer, 6);
	memcpy(h->src, echo.mac, 6);
	h->ethertype[0] = 0x88;
	h->ethertype[1] = 0xb5;
	h->type = ECHO_REQUEST;
	h->pad0 = 0;
	memset(h->pad1, 0, 2);
	put_be32(h->seq, seq);
	return fabric_link_send(&echo.link, f, size);
}

/* A reply from `peer` with a sequence number in [base, base + count)? */
static bool reply_in(const u8 *peer, u32 base, unsigned count)
{
	return !memcmp(echo.last_reply_src, peer, 6) &&
	       echo.last_reply_seq - base < count;
}

/* Serve and collect replies for `ms`; marks seen[] and returns new replies. */
static unsigned collect(const u8 *peer, u32 base, unsigned count, bool *seen,
			int ms)
{
	u64 end = echo_now_us() + (u64)ms * 1000, now;
	unsigned got = 0;

	while ((now = echo_now_us()) < end) {
		int r = echo_step((int)((end - now + 999) / 1000));

		if (r < 0)
			break;
		if (r == 1 && reply_in(peer, base, count) &&
		    !seen[echo.last_reply_seq - base]) {
			seen[echo.last_reply_seq - base] = true;
			got++;
		}
	}
	return got;
}

static void print_mac(char *buf, const u8 *m)
{
	sprintf(buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

void echo_ping(const u8 *peer, unsigned count, unsigned size)
{
	bool *seen = calloc(count, sizeof(bool));
	u32 base = echo.next_seq;
	unsigned sent = 0, recv = 0;
	char mac[18];

	echo.next_seq += count;
	for (unsigned i = 0; i < count && seen; i++) {
		sent += send_request(peer, base + i, size) == 0;
		recv += collect(peer, base, count, seen, PING_INTERVAL_MS);
	}
	if (seen)
		recv += collect(peer, base, count, seen,
				recv == count ? 0 : PING_LINGER_MS);
	print_mac(mac, peer);
	printf("ECHO peer=%s sent=%u recv=%u\n", mac, sent, recv);
	free(seen);
}

/* One round trip: its time in microseconds, or 0 if it was lost. */
static u64 round_trip(const u8 *peer, unsigned size)
{
	u32 seq = echo.next_seq++;
	u64 t0 = echo_now_us(), end = t0 + BENCH_TIMEOUT_MS * 1000, now;

	if (send_request(peer, seq, size) < 0)
		return 0;
	while ((now = echo_now_us()) < end) {
		if (echo_step((int)((end - now + 999) / 1000)) == 1 &&
		    reply_in(peer, seq, 1))
			return MAX(echo_now_us() - t0, 1);
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

void echo_bench(const u8 *peer, unsigned n, unsigned size)
{
	u64 *rtt = calloc(n ? n : 1, sizeof(u64));
	unsigned ok = 0;
	char mac[18];

	for (unsigned i = 0; i < n && rtt; i++) {
		u64 t = round_trip(peer, size);

		if (t)
			rtt[ok++] = t;
	}
	print_mac(mac, peer);
	if (!ok) {
		printf("BENCH peer=%s size=%u n=%u lost=%u\n", mac, size, n, n);
		free(rtt);
		return;
	}
	qsort(rtt, ok, sizeof(u64), cmp_u64);
	printf("BENCH peer=%s size=%u n=%u lost=%u median_us=%llu p99_us=%llu "
	       "min_us=%llu max_us=%llu\n", mac, size, n, n - ok,
	       (unsigned long long)rtt[ok / 2],
	       (unsigned long long)rtt[(size_t)ok * 99 / 100],
	       (unsigned long long)rtt[0], (unsigned long long)rtt[ok - 1]);
	free(rtt);
}
