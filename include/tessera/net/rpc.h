/*
 * The RPC layer: typed request/reply messages (tessera/wire/rpc.h) over
 * RC queue pairs set up at run time by the CM (tessera/net/cm.h).
 *
 * An endpoint (struct rpc_ep) serves one interface: it listens for
 * CM_SERVICE_RPC connections, runs registered handlers, and makes calls
 * on peers it connects to. Every connection carries calls both ways, and
 * any number of them may join the same two endpoints.
 *
 * Delivery: a message is one RC SEND into a receive buffer of the peer's
 * connection (registered memory, RPC_MSG_MAX bytes each). A request body
 * is handed to its handler in place (no copy); the handler writes its
 * reply straight into a send buffer; the reply body is copied once, from
 * the receive buffer into the caller's buffer. Nothing is retransmitted
 * by the RPC layer: the RC transport delivers each SEND exactly once and
 * in order, so a handler runs exactly once per delivered request. A call
 * that times out gives -ETIMEDOUT; if its reply comes later it is dropped
 * and counted (late_replies); the connection stays up. A slow peer is not
 * a dead one: a connection fails only when its QP gives up (a peer silent
 * for longer than CM_QP_* allow, tessera/net/cm.h), when the peer closes
 * it, or when the CM learns that the peer restarted; its calls then fail
 * with -ECONNRESET and the caller connects again.
 *
 * Messages are checked before use: bad magic, version, opcode or length
 * is dropped and counted, never trusted. A request for an opcode with no
 * handler is answered with status -EOPNOTSUPP.
 *
 * Threads: with cfg.workers > 0 (Linux, kernel) the endpoint starts a
 * progress thread that waits on its completion queue and that many
 * worker threads that run handlers; rpc_call blocks its caller. With
 * workers == 0 (the single-threaded simulated platform) handlers run in
 * rpc_poll, which the net_tick hook also calls, and only the async calls
 * are usable.
 *
 * Locking: ep->lock guards peers, calls, the work queue and statistics.
 * Order: cm->lock, ep->lock, nif->lock. Handlers run with no lock held.
 */
#ifndef TESSERA_NET_RPC_H
#define TESSERA_NET_RPC_H

#include <tessera/types.h>
#include <tessera/wire/rpc.h>

struct cm;
struct net_if;
struct rpc_ep;
struct rpc_peer;

#define RPC_MAX_PEERS 32
#define RPC_WINDOW_MAX 64

struct rpc_ep_config {
	u32 window; /* calls in flight per peer (each way); 0: 16 */
	u32 workers; /* handler threads; 0: run handlers in rpc_poll */
};

/* What a handler is given. body is valid until the handler returns. */
struct rpc_req {
	u32 peer_ip;
	u16 opcode;
	const void *body;
	u32 len;
};

/* Write up to RPC_MAX_BODY bytes of reply into reply, its length into
 * *reply_len; return 0, or -errno to answer with that status (no body). */
typedef int (*rpc_handler_fn)(void *arg, const struct rpc_req *rq,
			      void *reply, u32 *reply_len);

/* Completion of an async call: reply length (>= 0) or -errno. */
typedef void (*rpc_done_fn)(void *arg, int result);

struct rpc_stats {
	u64 calls, replies, timeouts, late_replies, conn_errors;
	u64 served, unknown_op, no_reply_buf;
	u64 bad_magic, bad_version, bad_opcode, bad_len;
};

int rpc_ep_create(struct net_if *nif, struct cm *cm,
		  const struct rpc_ep_config *cfg, struct rpc_ep **out);
/* Stops the endpoint's threads and frees every peer. */
void rpc_ep_destroy(struct rpc_ep *ep);
int rpc_register(struct rpc_ep *ep, u16 opcode, rpc_handler_fn fn,
		 void *arg);
void rpc_get_stats(struct rpc_ep *ep, struct rpc_stats *out);
/* Handle completions and expire async calls; see "Threads". */
void rpc_poll(struct rpc_ep *ep);

/* Connect to the endpoint at ip. Blocking form: 0 or -errno. */
int rpc_connect(struct rpc_ep *ep, u32 ip, u64 timeout_ns,
		struct rpc_peer **out);
/* Async form: *out is usable for calls once done(arg, 0) has run, and
 * must not be closed before done has run. */
int rpc_connect_start(struct rpc_ep *ep, u32 ip, u64 timeout_ns,
		      rpc_done_fn done, void *arg, struct rpc_peer **out);
/* Close a peer this side connected (the other side is told and releases
 * its end); its calls fail with -ECONNRESET. */
void rpc_peer_close(struct rpc_peer *peer);
u32 rpc_peer_ip(const struct rpc_peer *peer);

/* Send a request and wait for its reply: the reply body (up to
 * reply_cap bytes) lands in reply_buf. Returns the reply length, the
 * server's -errno status, -ETIMEDOUT, -ECONNRESET, -EMSGSIZE (reply
 * larger than reply_cap) or -EINVAL. Many threads may call at once. */
int rpc_call(struct rpc_peer *peer, u16 opcode, const void *req,
	     u32 req_len, void *reply_buf, u32 reply_cap, u64 timeout_ns);
/* Non-blocking: 0 when sent (done runs exactly once, later, from
 * rpc_poll or the progress thread, with no lock held), -EAGAIN when the
 * peer's window is full, or -errno. reply_buf must stay valid until done. */
int rpc_call_async(struct rpc_peer *peer, u16 opcode, const void *req,
		   u32 req_len, void *reply_buf, u32 reply_cap,
		   u64 timeout_ns, rpc_done_fn done, void *arg);

/* Serve the framework's own PING, ECHO and STATS on ep
 * (net/rpc/rpc_builtin.c). 0 or -errno. */
int rpc_builtin_register(struct rpc_ep *ep);

/* Parse a dotted-quad IPv4 address (host order). 0 or -EINVAL; *end is
 * set to the first character after it. */
int inet_parse(const char *s, u32 *ip, const char **end);

#endif
