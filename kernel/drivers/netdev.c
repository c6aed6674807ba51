/*
 * The netdev registry: every NIC driver registers its struct netdev here;
 * layers above find devices by index and send and receive whole Ethernet
 * frames through this file, which keeps the per-device counters.
 *
 * Locking: netdev_lock guards netdevs[], netdev_nr, the taps and every
 * device's rx/rx_arg pair. A registered device is never removed, so netdev_get may
 * hand out pointers freely. The counters in dev->stats are updated with
 * atomic adds (senders on many threads, one receive thread per device).
 */
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/lock.h>
#include <tessera/netdev.h>
#include <tessera/time.h>

#define NETDEV_MAX 8
#define NETDEV_TAPS 4

struct netdev_tap {
	u16 ethertype; /* 0: unused */
	netdev_rx_fn fn;
	void *arg;
};

static struct spinlock netdev_lock = SPINLOCK_INIT("netdev", LOCK_RANK_NETDEV);
static struct netdev *netdevs[NETDEV_MAX];
static int netdev_nr;
static struct netdev_tap taps[NETDEV_TAPS];

static void netdev_count_add(u64 *counter, u64 n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

/* dev gets the name "eth<index>" unless its driver named it. */
int netdev_register(struct netdev *dev)
{
	int err = 0;

	spin_lock(&netdev_lock);
	for (int i = 0; i < netdev_nr; i++)
		if (netdevs[i] == dev)
			err = -EEXIST;
	if (!err && netdev_nr == NETDEV_MAX)
		err = -ENOSPC;
	if (!err) {
		if (!dev->name[0])
			fmt_snprintf(dev->name, sizeof(dev->name), "eth%d", netdev_nr);
		netdevs[netdev_nr++] = dev;
	}
	spin_unlock(&netdev_lock);
	return err;
}

struct netdev *netdev_get(int index)
{
	struct netdev *dev = NULL;

	spin_lock(&netdev_lock);
	if (index >= 0 && index < netdev_nr)
		dev = netdevs[index];
	spin_unlock(&netdev_lock);
	return dev;
}

int netdev_count(void)
{
	int n;

	spin_lock(&netdev_lock);
	n = netdev_nr;
	spin_unlock(&netdev_lock);
	return n;
}

void netdev_set_rx(struct netdev *dev, netdev_rx_fn fn, void *arg)
{
	spin_lock(&netdev_lock);
	dev->rx = fn;
	dev->rx_arg = arg;
	spin_unlock(&netdev_lock);
}

/* Frames are ETH_HLEN bytes of header and at most dev->mtu of payload. */
int netdev_xmit(struct netdev *dev, const void *frame, size_t len)
{
	int err;

	if (len < ETH_HLEN || len > ETH_HLEN + (size_t)dev->mtu) {
		netdev_count_add(&dev->stats.tx_dropped, 1);
		return len < ETH_HLEN ? -EINVAL : -EMSGSIZE;
	}
	err = dev->ops->xmit(dev, frame, len);
	if (err) {
		netdev_count_add(&dev->stats.tx_dropped, 1);
		return err;
	}
	netdev_count_add(&dev->stats.tx_frames, 1);
	netdev_count_add(&dev->stats.tx_bytes, len);
	return 0;
}

int netdev_add_tap(u16 ethertype, netdev_rx_fn fn, void *arg)
{
	int err = -ENOSPC;

	spin_lock(&netdev_lock);
	for (int i = 0; i < NETDEV_TAPS; i++)
		if (taps[i].ethertype == ethertype)
			err = -EEXIST;
	for (int i = 0; i < NETDEV_TAPS && err == -ENOSPC; i++)
		if (!taps[i].ethertype) {
			taps[i] = (struct netdev_tap){ ethertype, fn, arg };
			err = 0;
		}
	spin_unlock(&netdev_lock);
	return err;
}

/* The handler for a frame: a tap for its EtherType, else the device's. */
static void netdev_handler(struct netdev *dev, const u8 *frame, size_t len,
			   netdev_rx_fn *fn, void **arg)
{
	u16 type = len >= ETH_HLEN ? (u16)(frame[12] << 8 | frame[13]) : 0;

	spin_lock(&netdev_lock);
	*fn = dev->rx;
	*arg = dev->rx_arg;
	for (int i = 0; i < NETDEV_TAPS; i++)
		if (type && taps[i].ethertype == type) {
			*fn = taps[i].fn;
			*arg = taps[i].arg;
		}
	spin_unlock(&netdev_lock);
}

void netdev_note_rx_irq(struct netdev *dev)
{
	__atomic_store_n(&dev->rx_irq_ns, time_ns(), __ATOMIC_RELAXED);
}

void netdev_deliver(struct netdev *dev, const void *frame, size_t len)
{
	netdev_rx_fn fn;
	void *arg;

	netdev_handler(dev, frame, len, &fn, &arg);
	if (!fn) {
		netdev_count_add(&dev->stats.rx_dropped, 1);
		return;
	}
	netdev_count_add(&dev->stats.rx_frames, 1);
	netdev_count_add(&dev->stats.rx_bytes, len);
	fn(dev, frame, len, arg);
}
