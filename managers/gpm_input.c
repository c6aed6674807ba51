/*
 * A run's stdin: after its request line, the CLI connection carries the
 * user's stdin as raw bytes, and the CLI's half-close (shutdown SHUT_WR)
 * is its end of file. Once the program is started, a pump thread per
 * launch reads those bytes and sends them to the pMonitor in GP2P_INPUT
 * calls (tessera/wire/proc.h), at most PROC_INPUT_MAX at a time; what the
 * program's stdin pipe does not take yet is sent again after a pause
 * that grows while the pipe stays full (flow control: GPM reads no more
 * from the CLI meanwhile, so the CLI's writes block). End of file becomes
 * PROC_INPUT_EOF. The pump ends at end of file, when the pipe has no
 * reader left, or when the run is over (gpm_input_stop shuts the
 * connection's read side, which wakes it).
 *
 * Locking: the pump reads l->done under launch_lock; it owns its peer
 * connection; no other state.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <tessera/net/rpc.h>

#include "managers/mgr.h"

#define INPUT_CONNECT_NS (5ull * 1000000000ull)
#define INPUT_CALL_NS (5ull * 1000000000ull)
#define INPUT_PAUSE_MIN_US 500
#define INPUT_PAUSE_MAX_US 50000

struct pump {
	struct mgr *m;
	struct gpm_launch *l;
	struct rpc_peer *peer;
	struct gp2p_input_msg msg;
	u8 buf[PROC_INPUT_MAX];
};

static bool pump_over(struct pump *p)
{
	struct gpm *g = p->m->role_state;
	bool over;

	pthread_mutex_lock(&g->launch_lock);
	over = p->l->done;
	pthread_mutex_unlock(&g->launch_lock);
	return over;
}

/* One INPUT call: bytes taken, or -errno. */
static int pump_call(struct pump *p, const u8 *buf, u32 len, u16 flags)
{
	struct gp2p_input_reply rep;
	int err;

	p->msg = (struct gp2p_input_msg){ .version = PROC_VERSION, .flags = flags, .len = len,
					  .launch = p->l->id };
	if (len)
		memcpy(p->msg.data, buf, len);
	err = rpc_call(p->peer, GP2P_INPUT, &p->msg, (u32)PROC_INPUT_HDR + len, &rep,
		       sizeof(rep), INPUT_CALL_NS);
	if (err < 0)
		return err;
	return rep.taken <= len ? (int)rep.taken : -EPROTO;
}

/* Send len bytes, pausing while the pipe is full: 0 or -errno. */
static int pump_send(struct pump *p, const u8 *buf, u32 len)
{
	u32 pause = INPUT_PAUSE_MIN_US;

	while (len && !pump_over(p)) {
		int n = pump_call(p, buf, len, 0);

		if (n < 0)
			return n;
		buf += n;
		len -= (u32)n;
		if (n) {
			pause = INPUT_PAUSE_MIN_US;
			continue;
		}
		usleep(pause);
		pause = pause * 2 > INPUT_PAUSE_MAX_US ? INPUT_PAUSE_MAX_US : pause * 2;
	}
	return 0;
}

static void *pump_main(void *arg)
{
	struct pump *p = arg;
	int err = 0;

	while (!err) {
		ssize_t n = read(p->l->fd, p->buf, sizeof(p->buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || pump_over(p))
			break;
		err = pump_send(p, p->buf, (u32)n);
	}
	if (!err && !pump_over(p))
		pump_call(p, NULL, 0, PROC_INPUT_EOF);
	rpc_peer_close(p->peer);
	free(p);
	return NULL;
}

int gpm_input_start(struct mgr *m, struct gpm_launch *l, u32 processor_ip)
{
	struct pump *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	p->m = m;
	p->l = l;
	err = rpc_connect(m->ep, processor_ip, INPUT_CONNECT_NS, &p->peer);
	if (!err)
		err = -pthread_create(&l->pump, NULL, pump_main, p);
	if (err) {
		if (p->peer)
			rpc_peer_close(p->peer);
		free(p);
		return err;
	}
	l->pumping = true;
	return 0;
}

void gpm_input_stop(struct gpm_launch *l)
{
	if (!l->pumping)
		return;
	shutdown(l->fd, SHUT_RD);
	pthread_join(l->pump, NULL);
	l->pumping = false;
}
