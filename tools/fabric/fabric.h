/*
 * The fabric daemon's shared state and the interfaces between its files.
 * One thread runs everything from one epoll loop (main.c), so nothing here
 * is locked.
 *
 *   main.c    arguments, the event loop, signals, the delay timer
 *   port.c    Unix-socket ports: connect/listen, QEMU stream framing,
 *             buffered non-blocking output
 *   delayq.c  frames held for latency/reorder: a preallocated pool and a
 *             min-heap by due time
 *   ctl.c     the text control socket
 *   pcap.c    the capture file
 *   switch.c  the forwarding core (no I/O)
 */
#ifndef TOOLS_FABRIC_FABRIC_H
#define TOOLS_FABRIC_FABRIC_H

#include <stdio.h>

#include "tools/fabric/switch.h"

#define FABRIC_NAME_MAX 32
#define FABRIC_PATH_MAX 108               /* sun_path */
#define FABRIC_IN_BUF (2 * (FABRIC_MAX_FRAME + 4))
#define FABRIC_OUT_BUF (256 * 1024)
#define FABRIC_POOL 4096                  /* frames the delay queue can hold */
#define FABRIC_CTL_CLIENTS 8
#define FABRIC_RETRY_NS (100 * 1000 * 1000ull)

/* epoll tags: kind in the high half, index in the low half */
enum fabric_ev {
	FABRIC_EV_PORT = 1,   /* a port's connection */
	FABRIC_EV_LISTEN,     /* a port's listening socket */
	FABRIC_EV_CTL_LISTEN,
	FABRIC_EV_CTL,
	FABRIC_EV_TIMER,
	FABRIC_EV_SIGNAL,
};

struct fabric_io_port {
	char name[FABRIC_NAME_MAX];
	char path[FABRIC_PATH_MAX];
	bool listen;      /* we listen, the peer connects (hosted programs) */
	int fd;           /* the connection, -1 when none */
	int lfd;          /* listening socket, -1 unless listen */
	u64 retry_ns;     /* next connect attempt when not listening */
	size_t in_len;
	size_t out_off, out_len;
	u8 in[FABRIC_IN_BUF];
	u8 out[FABRIC_OUT_BUF];
};

struct fabric_pkt {
	u64 due_ns;
	u64 seq;          /* keeps equal due times in arrival order */
	u16 port;
	u16 pad;
	u32 len;
	u8 data[FABRIC_MAX_FRAME];
};

struct fabric_delayq {
	struct fabric_pkt *pool;
	u32 free[FABRIC_POOL];
	u32 heap[FABRIC_POOL];
	unsigned nfree, nheap;
	u64 seq;
};

struct fabric_ctl_client {
	int fd;           /* -1 when the slot is free */
	size_t len;
	char buf[4096];
};

struct fabric {
	struct fabric_switch sw;
	struct fabric_io_port *port[FABRIC_MAX_PORTS]; /* NULL: free slot */
	struct fabric_faults defaults;  /* faults given to new ports */
	struct fabric_delayq dq;
	struct fabric_ctl_client ctl[FABRIC_CTL_CLIENTS];
	char ctl_path[FABRIC_PATH_MAX];
	int epfd, timerfd, sigfd, ctl_lfd;
	FILE *pcap;
	u64 held_drops;   /* copies lost because the delay pool was full */
	bool quit;
};

extern struct fabric fabric;

u64 fabric_now_ns(void);
void fabric_epoll_add(int fd, enum fabric_ev kind, unsigned idx, u32 events);
void fabric_epoll_mod(int fd, enum fabric_ev kind, unsigned idx, u32 events);

int fabric_port_add(const char *name, const char *path, bool listen);
int fabric_port_del(unsigned p);
int fabric_port_find(const char *name);
void fabric_port_retry(u64 now);
void fabric_port_readable(unsigned p);
void fabric_port_writable(unsigned p);
void fabric_port_accept(unsigned p);
/* Queue a frame for output on port p now; counts tx or tx_drops. */
void fabric_port_send(unsigned p, const u8 *frame, size_t len);
const char *fabric_port_state(unsigned p);
void fabric_port_close_all(void);

int fabric_delayq_init(struct fabric_delayq *q);
/* Hold a copy of the frame for port p until due; -ENOSPC when full. */
int fabric_delayq_push(struct fabric_delayq *q, u64 due, unsigned p,
		       const u8 *frame, size_t len);
/* Send everything due by `now`; returns the next due time or 0. */
u64 fabric_delayq_run(struct fabric_delayq *q, u64 now);

int fabric_ctl_open(const char *path);
void fabric_ctl_accept(void);
void fabric_ctl_readable(unsigned c);
/* Run one control command; writes reply lines to `out`. 0 or -errno. */
int fabric_ctl_exec(char *line, FILE *out);

int fabric_pcap_open(const char *path);
void fabric_pcap_close(void);
void fabric_pcap_write(const u8 *frame, size_t len);

#endif
