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
 * Locking: echo_lock guards the pinger's outstanding sequence number and
 * the replied flag; the pinger sleeps on echo_wq.
 */
#include <tessera/bootargs.h>
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/netdev.h>
#include <tessera/printk.h>
#include <tessera/role.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/time.h>

BOOTARG_KNOWN(mac, "this component's fabric MAC address (checked against the NIC)");
BOOTARG_KNOWN(echo_peers, "MAC addresses to ping with the echo protocol after boot");
BOOTARG_KNOWN(echo_count, "echo requests per peer (default 20)");

#define ECHO_TYPE 0x88B5
#define ECHO_REQ 1
#define ECHO_REPLY 2
#define ECHO_HDR 22
#define ECHO_FRAME 64
#define ECHO_MAX_PEERS 16

static struct netdev *echo_dev;
static struct spinlock echo_lock = SPINLOCK_INIT("echo");
static struct wait_queue echo_wq;
static u32 echo_waiting_seq;  /* echo_lock */
static bool echo_replied;     /* echo_lock */
static u64 echo_answered;

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

static void echo_answer(struct netdev *dev, const u8 *f, size_t len)
{
	u8 reply[1514];

	if (len > sizeof(reply))
		return;
	memcpy(reply, f + 6, 6);
	memcpy(reply + 6, dev->mac, 6);
	memcpy(reply + 12, f + 12, len - 12);
	reply[14] = ECHO_REPLY;
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
	if (seq == echo_waiting_seq)
		echo_replied = true;
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

/* One request to peer; true if its reply came within timeout_ns. */
static bool echo_once(const u8 *peer, u32 seq, u64 timeout_ns)
{
	u8 f[ECHO_FRAME] = { 0 };

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
	if (netdev_xmit(echo_dev, f, sizeof(f)))
		return false;
	return wait_event_timeout(&echo_wq, echo_got_reply(), timeout_ns);
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
	if (*bootarg_str("echo_peers", ""))
		return thread_spawn(echo_pinger, NULL, "echo");
	return 0;
}
SERVICE_INITCALL(echo_init);
