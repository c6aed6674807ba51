/*
 * Membership: the components that registered with this manager, their
 * resources and liveness. Everything here is soft state: a restarted
 * manager starts empty and learns the cluster again from registrations
 * (a monitor whose heartbeat is answered -ENOENT registers again).
 *
 * A component is known by name: registering again under a known name
 * keeps its id; a new boot nonce counts a new incarnation. Every
 * malformed or refused message is counted in r->c and answered -errno;
 * nothing in a body is trusted before it is checked.
 *
 * Locking: r->lock guards all of *r.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <tessera/net/rpc.h>

#include "managers/mgr.h"

u64 mgr_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

void mgr_registry_init(struct mgr_registry *r, const char *who, u64 key,
		       u32 heartbeat_ms, u32 dead_ms)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	r->who = who;
	r->key = key;
	while (getrandom(&r->epoch, sizeof(r->epoch), 0) != sizeof(r->epoch))
		;
	r->start_ns = mgr_now_ns();
	r->heartbeat_ms = heartbeat_ms;
	r->dead_ms = dead_ms;
	r->next_id = 1;
}

const char *mgr_role_name(u16 role)
{
#define ROLE_NAME(name, val, str) [val] = str,
	static const char *const names[MGR_ROLE_MAX] = { MGR_ROLES(ROLE_NAME) };
#undef ROLE_NAME

	return role < MGR_ROLE_MAX && names[role] ? names[role] : "?";
}

static bool name_ok(const char *name)
{
	size_t n = strnlen(name, MGR_NAME_MAX);

	if (n == 0 || n == MGR_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (name[i] <= ' ' || name[i] > '~')
			return false;
	return true;
}

/* Check a register body; 0 or -errno, counted. */
static int register_check(struct mgr_registry *r, const void *body, u32 len)
{
	const struct c2g_register_msg *m = body;

	if (len != sizeof(*m))
		return r->c.bad_len++, -EINVAL;
	if (m->version != MGR_VERSION)
		return r->c.bad_version++, -EPROTO;
	if (m->key != r->key)
		return r->c.bad_key++, -EACCES;
	if (!m->role || m->role >= MGR_ROLE_MAX)
		return r->c.bad_role++, -EINVAL;
	if (!name_ok(m->name))
		return r->c.bad_name++, -EINVAL;
	return 0;
}

static struct mgr_comp *find_name(struct mgr_registry *r, const char *name)
{
	for (u32 i = 0; i < r->n; i++)
		if (!strncmp(r->comps[i].name, name, MGR_NAME_MAX))
			return &r->comps[i];
	return NULL;
}

struct mgr_comp *mgr_find_ip(struct mgr_registry *r, u32 ip)
{
	for (u32 i = 0; i < r->n; i++)
		if (r->comps[i].ip == ip)
			return &r->comps[i];
	return NULL;
}

const char *mgr_name_of(struct mgr_registry *r, u32 ip)
{
	struct mgr_comp *c = mgr_find_ip(r, ip);

	return c ? c->name : "?";
}

/* May an address start at s (a digit, not inside a word or number)? */
static bool addr_start(const char *from, const char *s)
{
	return *s >= '0' && *s <= '9' &&
	       (s == from || !(isalnum((unsigned char)s[-1]) || s[-1] == '.'));
}

void mgr_names_in(struct mgr_registry *r, const char *in, char *out, size_t cap)
{
	const char *s = in, *end;
	size_t n = 0;
	u32 ip;

	while (*s && n + 1 < cap) {
		struct mgr_comp *c = NULL;

		if (addr_start(in, s) && !inet_parse(s, &ip, &end))
			c = mgr_find_ip(r, ip);
		if (!c) {
			out[n++] = *s++;
			continue;
		}
		n += (size_t)snprintf(out + n, cap - n, "%s", c->name);
		n = MIN(n, cap - 1);
		s = end;
	}
	out[n] = '\0';
}

/* The record for a registering name: the known one or a new one. */
static struct mgr_comp *comp_slot(struct mgr_registry *r,
				  const struct c2g_register_msg *m)
{
	struct mgr_comp *c = find_name(r, m->name);

	if (c)
		return c;
	if (r->n == MGR_MAX_COMPS)
		return NULL;
	c = &r->comps[r->n++];
	memset(c, 0, sizeof(*c));
	c->id = r->next_id++;
	memcpy(c->name, m->name, MGR_NAME_MAX);
	return c;
}

static void comp_update(struct mgr_comp *c, const struct c2g_register_msg *m,
			u32 src_ip, u64 now)
{
	if (c->nonce != m->nonce || !c->incarnation)
		c->incarnation++;
	c->nonce = m->nonce;
	c->role = m->role;
	c->ip = src_ip;
	c->cores = m->cores;
	c->load = m->load;
	c->ram_bytes = m->ram_bytes;
	c->ram_free = m->ram_free;
	c->disk_bytes = m->disk_bytes;
	c->state = MGR_ALIVE;
	c->last_hb_ns = now;
}

int mgr_register(struct mgr_registry *r, const void *body, u32 len,
		 u32 src_ip, struct c2g_register_reply *rep, u64 now)
{
	const struct c2g_register_msg *m = body;
	struct mgr_comp *c;
	int err;

	pthread_mutex_lock(&r->lock);
	err = register_check(r, body, len);
	c = err ? NULL : comp_slot(r, m);
	if (!err && !c)
		err = -ENOSPC;
	if (!err) {
		comp_update(c, m, src_ip, now);
		r->c.registered++;
		*rep = (struct c2g_register_reply){
			.version = MGR_VERSION, .id = c->id, .epoch = r->epoch,
			.incarnation = c->incarnation,
			.heartbeat_ms = r->heartbeat_ms, .dead_ms = r->dead_ms };
		printf("%s: registered %s id=%u role=%s inc=%u at_ms=%lu\n",
		       r->who, c->name, c->id, mgr_role_name(c->role),
		       c->incarnation, (now - r->start_ns) / 1000000);
	}
	pthread_mutex_unlock(&r->lock);
	return err;
}

int mgr_heartbeat(struct mgr_registry *r, const void *body, u32 len,
		  struct c2g_heartbeat_reply *rep, u64 now)
{
	const struct c2g_heartbeat_msg *m = body;
	struct mgr_comp *c = NULL;
	int err = 0;

	pthread_mutex_lock(&r->lock);
	if (len != sizeof(*m))
		err = (r->c.bad_len++, -EINVAL);
	else if (m->version != MGR_VERSION)
		err = (r->c.bad_version++, -EPROTO);
	for (u32 i = 0; !err && i < r->n && !c; i++)
		if (r->comps[i].id == m->id && r->comps[i].nonce == m->nonce &&
		    r->comps[i].state == MGR_ALIVE)
			c = &r->comps[i];
	if (!err && !c)
		err = (r->c.unknown_id++, -ENOENT);
	if (!err) {
		c->last_hb_ns = now;
		c->ram_free = m->ram_free;
		c->load = m->load;
		r->c.heartbeats++;
		*rep = (struct c2g_heartbeat_reply){ .version = MGR_VERSION,
						     .seq = m->seq,
						     .epoch = r->epoch };
	}
	pthread_mutex_unlock(&r->lock);
	return err;
}

int mgr_sweep(struct mgr_registry *r, u64 now)
{
	u64 limit = (u64)r->dead_ms * 1000000;
	int dead = 0;

	pthread_mutex_lock(&r->lock);
	for (u32 i = 0; i < r->n; i++) {
		struct mgr_comp *c = &r->comps[i];

		if (c->state != MGR_ALIVE || now - c->last_hb_ns <= limit)
			continue;
		c->state = MGR_DEAD;
		r->c.deaths++;
		dead++;
		printf("%s: %s dead: no heartbeat for %lu ms (limit %u ms)\n",
		       r->who, c->name, (now - c->last_hb_ns) / 1000000,
		       r->dead_ms);
	}
	pthread_mutex_unlock(&r->lock);
	return dead;
}
