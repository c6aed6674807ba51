/*
 * tessera-mgr: a global manager daemon. One program, three roles
 * (--role gpm|gmm|gsm): the roles share membership, the CLI socket and
 * the transport, and differ only in their placement work (gpm.c, gmm.c,
 * gsm.c). The transport is chosen at start-up (--transport fabric|verbs).
 *
 * The main thread parses options, starts everything, prints
 * "TESSERA READY name=NAME role=ROLE" and then sweeps the registry for
 * silent components every SWEEP_MS.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tessera/net/rpc.h>

#include "managers/mgr.h"

#define SWEEP_MS 100

static const char usage[] =
	"usage: tessera-mgr --role gpm|gmm|gsm [options]\n"
	"  --name NAME          name in logs and the CLI (default: the role)\n"
	"  --transport T        fabric (default) or verbs (a real RDMA NIC)\n"
	"  --listen PATH        fabric: Unix socket the fabric connects to\n"
	"  --mac MAC --ip IP    fabric: this manager's addresses\n"
	"  --cli PATH           CLI socket (default: tessera-NAME.sock)\n"
	"  --key N              cluster key components must present (default 0)\n"
	"  --heartbeat-ms N     heartbeat period asked of components (500)\n"
	"  --dead-ms N          silence after which a component is dead (3000)\n"
	"  --gmm IP --gsm IP    gpm: where GMM and GSM are\n";

static const struct option longopts[] = {
	{ "role", 1, NULL, 'r' },	  { "name", 1, NULL, 'n' },
	{ "transport", 1, NULL, 't' },	  { "listen", 1, NULL, 'l' },
	{ "mac", 1, NULL, 'm' },	  { "ip", 1, NULL, 'i' },
	{ "cli", 1, NULL, 'c' },	  { "key", 1, NULL, 'k' },
	{ "heartbeat-ms", 1, NULL, 'h' }, { "dead-ms", 1, NULL, 'd' },
	{ "gmm", 1, NULL, 'M' },	  { "gsm", 1, NULL, 'S' },
	{ "help", 0, NULL, '?' },	  { NULL, 0, NULL, 0 },
};

static int parse_mac(const char *s, u8 *mac)
{
	unsigned v[6];
	char end;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &end) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = (u8)v[i];
	return 0;
}

static int parse_ip(const char *s, u32 *ip)
{
	const char *end;

	return inet_parse(s, ip, &end) || *end ? -EINVAL : 0;
}

static int parse_u32(const char *s, u32 *v)
{
	char *end;
	unsigned long x = strtoul(s, &end, 0);

	if (!*s || *end || x == 0 || x > 3600000)
		return -EINVAL;
	*v = (u32)x;
	return 0;
}

static int set_opt(struct mgr_opts *o, int c, const char *a)
{
	char *end;

	switch (c) {
	case 'r': o->role = a; return 0;
	case 'n': o->name = a; return 0;
	case 't': o->transport = a; return 0;
	case 'l': o->listen = a; return 0;
	case 'c': o->cli = a; return 0;
	case 'm': return parse_mac(a, o->mac);
	case 'i': return parse_ip(a, &o->ip);
	case 'M': return parse_ip(a, &o->gmm_ip);
	case 'S': return parse_ip(a, &o->gsm_ip);
	case 'h': return parse_u32(a, &o->heartbeat_ms);
	case 'd': return parse_u32(a, &o->dead_ms);
	case 'k':
		o->key = strtoull(a, &end, 0);
		return *a && !*end ? 0 : -EINVAL;
	}
	return -EINVAL;
}

static const char *opt_name(int c)
{
	const struct option *l = longopts;

	while (l->name && l->val != c)
		l++;
	return l->name ? l->name : "?";
}

static int parse_args(int argc, char **argv, struct mgr_opts *o)
{
	int c;

	*o = (struct mgr_opts){ .transport = "fabric", .heartbeat_ms = 500,
				.dead_ms = 3000 };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == '?' || set_opt(o, c, optarg)) {
			if (c != '?')
				fprintf(stderr, "tessera-mgr: bad value \"%s\" for --%s\n",
					optarg, opt_name(c));
			fputs(usage, stderr);
			return -EINVAL;
		}
	}
	if (optind != argc || !o->role) {
		fputs(usage, stderr);
		return -EINVAL;
	}
	o->name = o->name ? o->name : o->role;
	return 0;
}

static const struct mgr_role_ops *const roles[] = { &gpm_ops, &gmm_ops, &gsm_ops };
static const struct mgr_transport *const transports[] = {
	&mgr_transport_fabric, &mgr_transport_verbs,
};

static int pick(struct mgr *m, const struct mgr_transport **t)
{
	for (size_t i = 0; i < ARRAY_SIZE(roles); i++)
		if (!strcmp(roles[i]->name, m->opts.role))
			m->ops = roles[i];
	for (size_t i = 0; i < ARRAY_SIZE(transports); i++)
		if (!strcmp(transports[i]->name, m->opts.transport))
			*t = transports[i];
	if (!m->ops)
		fprintf(stderr, "tessera-mgr: unknown role \"%s\" (gpm, gmm or gsm)\n",
			m->opts.role);
	else if (!*t)
		fprintf(stderr, "%s: unknown transport \"%s\" (fabric or verbs)\n",
			m->opts.name, m->opts.transport);
	return m->ops && *t ? 0 : -EINVAL;
}

static int start(struct mgr *m, const struct mgr_transport *t)
{
	static char cli[128];
	int err;

	if (!m->opts.cli) {
		snprintf(cli, sizeof(cli), "tessera-%s.sock", m->opts.name);
		m->opts.cli = cli;
	}
	mgr_registry_init(&m->reg, m->opts.name, m->opts.key,
			  m->opts.heartbeat_ms, m->opts.dead_ms);
	err = t->start(m);
	if (err)
		return err;
	err = mgr_registry_serve(&m->reg, m->ep);
	if (!err)
		err = m->ops->start(m);
	if (!err)
		err = mgr_cli_start(m);
	if (err)
		fprintf(stderr, "%s: start-up failed: %s\n", m->opts.name,
			strerror(-err));
	return err;
}

int main(int argc, char **argv)
{
	const struct mgr_transport *t = NULL;
	static struct mgr m;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (parse_args(argc, argv, &m.opts) || pick(&m, &t) || start(&m, t))
		return 1;
	printf("TESSERA READY name=%s role=%s transport=%s heartbeat_ms=%u dead_ms=%u\n",
	       m.opts.name, m.ops->name, t->name, m.opts.heartbeat_ms,
	       m.opts.dead_ms);
	for (;;) {
		usleep(SWEEP_MS * 1000);
		mgr_sweep(&m.reg, mgr_now_ns());
	}
}
