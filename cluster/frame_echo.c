/*
 * The rig's raw Ethernet echo protocol (EtherType 0x88B5), used to check
 * that components reach each other before anything else is up. Frame:
 * Ethernet header, type (1 request, 2 reply), 3 pad bytes, a 32-bit
 * big-endian sequence number, data. Requests to our MAC are answered with
 * the same sequence number and data.
 *
 * With echo_peers=MAC,MAC,... the component also pings each peer after
 * boot: it waits (up to 60 s) for the peer to answer once, then sends
 * echo_count requests one at a time, each given 1 s, and prints
 * "ECHO peer=<mac> sent=<n> recv=<k>".
 *
 * With echo_bench=MAC it times echo_bench_n round trips (one at a time) to
 * that peer for 64-byte and 4096-byte frames and prints, per size,
 * "BENCH peer=<mac> size=<s> n=<n> lost=<l> median_us=<m> p99_us=<p>"
 * followed by where a round trip's time went (medians, in µs): tx_us from
 * the send call to the return of the NIC kick, peer_us in the peer from
 * its RX interrupt to its reply's send call, rx_us here from the reply's
 * RX interrupt to the pinger running again, outside_us the rest (the
 * virtual NICs' emulation, the fabric and the host). Each side measures
 * only its own clock: a reply's first 8 data bytes carry the responder's
 * part in ns (big-endian; 0 if it took no RX interrupt).
 *
 * Locking: echo_lock guards the pinger's outstanding sequence number, the
 * replied flag and the reply's stamps; the pinger sleeps on echo_wq.
 */
#include <tessera/bootargs.h>
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/kmalloc.h>
#include <tessera/netdev.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/sort.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>

BOOTARG_KNOWN(mac, "this component's fabric MAC address (checked against the NIC)");
BOOTARG_KNOWN(echo_peers, "MAC addresses to ping with the echo protocol after boot");
BOOTARG_KNOWN(echo_count, "echo requests per peer (default 20)");
BOOTARG_KNOWN(echo_bench, "MAC address to time echo round trips to after boot");
BOOTARG_KNOWN(echo_bench_n, "round trips per frame size for echo_bench (default 10000)");

#define ECHO_TYPE 0x88B5
#define ECHO_REQ 1
#define ECHO_REPLY 2
#define ECHO_HDR 22
#define ECHO_STAMP 8 /* the responder's time, after the header of a reply */
#define ECHO_FRAME 64
#define ECHO_BIG 4096
#define ECHO_MAX_PEERS 16

static struct netdev *echo_dev;
static struct spinlock echo_lock = SPINLOCK_INIT("echo", LOCK_RANK_ECHO);
static struct wait_queue echo_wq;
static u32 echo_waiting_seq;  /* echo_lock */
static bool echo_replied;     /* echo_lock */
static u64 echo_reply_irq_ns; /* echo_lock: the reply's RX interrupt */
static u64 echo_reply_peer_ns; /* echo_lock: the responder's stamp */
static u64 echo_answered;

/* One timed round trip, in ns (see the header comment). */
struct echo_times {
	u64 total, tx, peer, rx;
};

static void echo_put_seq(u8 *p, u32 seq)
{
	p[0] = seq >> 24;
	p[1] = seq >> 16;
	p[2] = seq >> 8;
	p[3] = seq;
}

static u32 echo_get_seq(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void echo_put_stamp(u8 *p, u64 ns)
{
	for (int i = 0; i < ECHO_STAMP; i++)
		p[i] = (u8)(ns >> (56 - 8 * i));
}

static u64 echo_get_stamp(const u8 *p)
{
	u64 ns = 0;

	for (int i = 0; i < ECHO_STAMP; i++)
		ns = ns << 8 | p[i];
	return ns;
}

/* ns since dev's latest RX interrupt, 0 if it never had one. */
static u64 echo_since_irq(const struct netdev *dev)
{
	u64 irq = __atomic_load_n(&dev->rx_irq_ns, __ATOMIC_RELAXED);

	return irq ? time_ns() - irq : 0;
}

/* Called only from the device's RX thread: one reply buffer is enough. */
static void echo_answer(struct netdev *dev, const u8 *f, size_t len)
{
	static u8 reply[9216 + ETH_HLEN];

	if (len > sizeof(reply))
		return;
	memcpy(reply, f + 6, 6);
	memcpy(reply + 6, dev->mac, 6);
	memcpy(reply + 12, f + 12, len - 12);
	reply[14] = ECHO_REPLY;
	if (len >= ECHO_HDR + ECHO_STAMP)
		echo_put_stamp(reply + ECHO_HDR, echo_since_irq(dev));
	if (netdev_xmit(dev, reply, len) == 0)
		__atomic_fetch_add(&echo_answered, 1, __ATOMIC_RELAXED);
}

static void echo_rx(struct netdev *dev, const void *frame, size_t len, void *arg)
{
	const u8 *f = frame;
	u32 seq;

	if (len < ECHO_HDR || memcmp(f, dev->mac, 6))
		return;
	if (f[14] == ECHO_REQ) {
		echo_answer(dev, f, len);
		return;
	}
	if (f[14] != ECHO_REPLY)
		return;
	seq = echo_get_seq(f + 18);
	spin_lock(&echo_lock);
	if (seq == echo_waiting_seq) {
		echo_replied = true;
		echo_reply_irq_ns = __atomic_load_n(&dev->rx_irq_ns, __ATOMIC_RELAXED);
		echo_reply_peer_ns = len >= ECHO_HDR + ECHO_STAMP ?
			echo_get_stamp(f + ECHO_HDR) : 0;
	}
	spin_unlock(&echo_lock);
	wake_up_all(&echo_wq);
}

static bool echo_got_reply(void)
{
	bool r;

	spin_lock(&echo_lock);
	r = echo_replied;
	spin_unlock(&echo_lock);
	return r;
}

/* The stamps of the reply that ended the wait: fills t->rx and t->peer. */
static void echo_reply_times(struct echo_times *t, u64 woke)
{
	spin_lock(&echo_lock);
	t->rx = echo_reply_irq_ns && woke > echo_reply_irq_ns ? woke - echo_reply_irq_ns : 0;
	t->peer = echo_reply_peer_ns;
	spin_unlock(&echo_lock);
}

/* One request of size bytes to peer; true if its reply came within
 * timeout_ns, with t (if not NULL) filled in. */
static bool echo_send_wait(const u8 *peer, u32 seq, size_t size, u64 timeout_ns,
			   struct echo_times *t)
{
	static u8 f[ECHO_BIG]; /* used by the one pinger thread only */
	u64 t0, t1, woke;

	memcpy(f, peer, 6);
	memcpy(f + 6, echo_dev->mac, 6);
	f[12] = ECHO_TYPE >> 8;
	f[13] = ECHO_TYPE & 0xFF;
	f[14] = ECHO_REQ;
	echo_put_seq(f + 18, seq);
	spin_lock(&echo_lock);
	echo_waiting_seq = seq;
	echo_replied = false;
	spin_unlock(&echo_lock);
	t0 = time_ns();
	if (netdev_xmit(echo_dev, f, size))
		return false;
	t1 = time_ns();
	if (!wait_event_timeout(&echo_wq, echo_got_reply(), timeout_ns))
		return false;
	woke = time_ns();
	if (t) {
		t->total = woke - t0;
		t->tx = t1 - t0;
		echo_reply_times(t, woke);
	}
	return true;
}

static bool echo_once(const u8 *peer, u32 seq, u64 timeout_ns)
{
	return echo_send_wait(peer, seq, ECHO_FRAME, timeout_ns, NULL);
}

static int echo_parse_mac(const char *s, u8 *mac)
{
	for (int i = 0; i < 6; i++) {
		int v = 0;

		for (int d = 0; d < 2; d++, s++) {
			char c = *s;
			int x = c >= '0' && c <= '9' ? c - '0' :
				c >= 'a' && c <= 'f' ? c - 'a' + 10 :
				c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

			if (x < 0)
				return -EINVAL;
			v = v * 16 + x;
		}
		mac[i] = (u8)v;
		if (i < 5 && *s++ != ':')
			return -EINVAL;
	}
	return *s == 0 || *s == ',' ? 0 : -EINVAL;
}

static void echo_ping_peer(const u8 *peer, const char *text, u32 *seq, u64 count)
{
	u64 t0 = time_ns(), recv = 0;

	while (!echo_once(peer, (*seq)++, 200 * NSEC_PER_MSEC))
		if (time_ns() - t0 > 60 * NSEC_PER_SEC)
			break;
	for (u64 i = 0; i < count; i++)
		recv += echo_once(peer, (*seq)++, NSEC_PER_SEC);
	console_printf("ECHO peer=%.17s sent=%lu recv=%lu\n", text, count, recv);
}

/* The median of the first n samples, in µs (sorts them). */
static u64 echo_median_us(u64 *ns, u64 n)
{
	sort_u64(ns, n);
	return (u64)(ns[n / 2] / NSEC_PER_USEC);
}

static void echo_bench_print(const char *text, size_t size, u64 n, u64 ok, u64 *s)
{
	u64 *total = s, *tx = s + n, *peer = s + 2 * n, *rx = s + 3 * n, *out = s + 4 * n;

	if (!ok) {
		console_printf("BENCH peer=%.17s size=%lu n=%lu lost=%lu\n", text, size, n, n);
		return;
	}
	for (u64 i = 0; i < ok; i++) {
		u64 inside = tx[i] + peer[i] + rx[i];

		out[i] = total[i] > inside ? total[i] - inside : 0;
	}
	sort_u64(total, ok);
	console_printf("BENCH peer=%.17s size=%lu n=%lu lost=%lu median_us=%lu p99_us=%lu "
		       "tx_us=%lu peer_us=%lu rx_us=%lu outside_us=%lu\n",
		       text, size, n, n - ok, (u64)MAX(total[ok / 2] / NSEC_PER_USEC, 1),
		       (u64)MAX(total[ok * 99 / 100] / NSEC_PER_USEC, 1), echo_median_us(tx, ok),
		       echo_median_us(peer, ok), echo_median_us(rx, ok), echo_median_us(out, ok));
}

static void echo_bench_size(const u8 *peer, const char *text, u32 *seq, size_t size, u64 n)
{
	u64 *s = kmalloc(5 * n * sizeof(u64)), ok = 0; /* total, tx, peer, rx, outside */
	struct echo_times t;

	if (!s) {
		pr_err("echo: no memory for %lu samples\n", n);
		return;
	}
	for (u64 i = 0; i < n; i++) {
		if (!echo_send_wait(peer, (*seq)++, size, 200 * NSEC_PER_MSEC, &t))
			continue;
		s[ok] = t.total;
		s[n + ok] = t.tx;
		s[2 * n + ok] = t.peer;
		s[3 * n + ok] = t.rx;
		ok++;
	}
	echo_bench_print(text, size, n, ok, s);
	kfree(s);
}

static void echo_bench_peer(u32 *seq)
{
	const char *text = bootarg_str("echo_bench", "");
	u64 n = bootarg_u64("echo_bench_n", 10000);
	u64 t0 = time_ns();
	u8 peer[6];

	if (echo_parse_mac(text, peer)) {
		pr_err("echo: bad MAC in echo_bench=%s\n", text);
		return;
	}
	while (!echo_once(peer, (*seq)++, 200 * NSEC_PER_MSEC) &&
	       time_ns() - t0 < 60 * NSEC_PER_SEC)
		;
	echo_bench_size(peer, text, seq, ECHO_FRAME, n);
	echo_bench_size(peer, text, seq, ECHO_BIG, n);
}

static void echo_pinger(void *arg)
{
	const char *list = bootarg_str("echo_peers", "");
	u64 count = bootarg_u64("echo_count", 20);
	u32 seq = 1;
	u8 peer[6];

	for (const char *p = list; *p; ) {
		if (echo_parse_mac(p, peer)) {
			pr_err("echo: bad MAC in echo_peers at \"%s\"\n", p);
			return;
		}
		echo_ping_peer(peer, p, &seq, count);
		p += 17;
		if (*p == ',')
			p++;
	}
	if (*bootarg_str("echo_bench", ""))
		echo_bench_peer(&seq);
}

static void echo_check_mac(void)
{
	const char *want = bootarg_str("mac", NULL);
	u8 mac[6];

	if (want && (echo_parse_mac(want, mac) || memcmp(mac, echo_dev->mac, 6)))
		pr_warn("echo: boot argument mac=%s differs from %s's MAC\n", want,
			echo_dev->name);
}

static int echo_init(void)
{
	int err;

	echo_dev = netdev_get(0);
	if (!echo_dev)
		return 0;
	wait_queue_init(&echo_wq);
	echo_check_mac();
	err = netdev_add_tap(ECHO_TYPE, echo_rx, NULL);
	if (err)
		return err;
	if (*bootarg_str("echo_peers", "") || *bootarg_str("echo_bench", ""))
		return thread_spawn(echo_pinger, NULL, "echo");
	return 0;
}
SERVICE_INITCALL(echo_init);
