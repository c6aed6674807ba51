/*
 * fabric-echo: the raw Ethernet echo protocol (EtherType 0x88B5) that the
 * monitors answer, spoken by a host tool attached to the fabric. Shared
 * state of the tool lives here; cluster/frame_echo.c is the program, echo_cmd.c the
 * request/reply exchanges (ping, bench).
 *
 * Echo frame: Ethernet header, then type (1 request, 2 reply), one pad
 * byte, two pad bytes, a 32-bit big-endian sequence number, and data. A
 * reply carries the request's sequence number and data back.
 */
#ifndef TOOLS_FABRIC_ECHO_H
#define TOOLS_FABRIC_ECHO_H

#include "tools/fabric/attach.h"

#define ECHO_ETHERTYPE 0x88b5
#define ECHO_REQUEST 1
#define ECHO_REPLY 2
#define ECHO_MIN_FRAME 60 /* Ethernet's minimum, without FCS */

struct echo_hdr {
	u8 dst[6];
	u8 src[6];
	u8 ethertype[2];
	u8 type;
	u8 pad0;
	u8 pad1[2];
	u8 seq[4];
};
_Static_assert(sizeof(struct echo_hdr) == 22, "echo header is 22 bytes");

struct echo_state {
	struct fabric_link link;
	char name[64];
	u8 mac[6];
	u32 next_seq;       /* sequence numbers are never reused in a run */
	u64 answered;       /* requests this tool replied to */
	/* set by echo_step() when a reply arrives */
	u32 last_reply_seq;
	u8 last_reply_src[6];
	u8 frame[FABRIC_LINK_MAX_FRAME];
};

extern struct echo_state echo;

/* Receive and handle one frame within timeout_ms: answers requests, notes
 * replies. 1 if a reply arrived, 0 otherwise, -ENOTCONN if the link died. */
int echo_step(int timeout_ms);
u64 echo_now_us(void);
int echo_parse_mac(const char *s, u8 *mac);
/* Send `count` requests of `size` bytes to `peer`, print "ECHO peer=.. sent=..
 * recv=..". */
void echo_ping(const u8 *peer, unsigned count, unsigned size);
/* `n` one-at-a-time round trips; print "BENCH ..." with median and p99. */
void echo_bench(const u8 *peer, unsigned n, unsigned size);

#endif
