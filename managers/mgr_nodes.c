/*
 * The text a manager answers CLI requests with: the component table
 * (`tessera nodes`) and the message counters (`tessera stats`). The
 * format is documented in README.md; scenarios match it.
 */
#include <stdarg.h>
#include <stdio.h>

#include "managers/mgr.h"

void mgr_outf(struct mgr_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len >= sizeof(o->buf) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, sizeof(o->buf) - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len = MIN(o->len + (size_t)n, sizeof(o->buf) - 1);
}

void mgr_ip_str(u32 ip, char *buf, size_t cap)
{
	snprintf(buf, cap, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
		 (ip >> 8) & 255, ip & 255);
}

static u64 mib(u64 bytes)
{
	return bytes >> 20;
}

static void node_line(const struct mgr_comp *c, struct mgr_out *o, u64 now)
{
	u64 ago_ms = (now - c->last_hb_ns) / 1000000;
	char ip[16];

	mgr_ip_str(c->ip, ip, sizeof(ip));
	mgr_outf(o, "%-8s %-9s %-5s %3u %3u %-12s %5u %7lu %7lu %7lu %4u %lu.%lus\n",
		 c->name, mgr_role_name(c->role),
		 c->state == MGR_ALIVE ? "alive" : "dead", c->id,
		 c->incarnation, ip, c->cores, mib(c->ram_bytes),
		 mib(c->ram_free), mib(c->disk_bytes), c->load + c->placed,
		 ago_ms / 1000, ago_ms % 1000 / 100);
}

void mgr_nodes(struct mgr_registry *r, struct mgr_out *o, u64 now)
{
	mgr_outf(o, "%-8s %-9s %-5s %3s %3s %-12s %5s %7s %7s %7s %4s %s\n",
		 "NAME", "ROLE", "STATE", "ID", "INC", "ADDRESS", "CORES",
		 "RAM_MB", "FREE_MB", "DISK_MB", "LOAD", "LAST_HB");
	pthread_mutex_lock(&r->lock);
	for (u32 i = 0; i < r->n; i++)
		node_line(&r->comps[i], o, now);
	pthread_mutex_unlock(&r->lock);
}

void mgr_stats(struct mgr_registry *r, struct mgr_out *o)
{
	struct mgr_counters c;

	pthread_mutex_lock(&r->lock);
	c = r->c;
	pthread_mutex_unlock(&r->lock);
	mgr_outf(o, "registered=%lu heartbeats=%lu deaths=%lu\n", c.registered,
		 c.heartbeats, c.deaths);
	mgr_outf(o, "rejected: bad_len=%lu bad_version=%lu bad_role=%lu "
		 "bad_name=%lu bad_key=%lu unknown_id=%lu\n", c.bad_len,
		 c.bad_version, c.bad_role, c.bad_name, c.bad_key, c.unknown_id);
}
