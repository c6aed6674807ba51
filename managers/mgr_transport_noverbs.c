/*
 * The verbs transport of tessera-mgr, which is built without libibverbs:
 * it says where the real one is.
 */
#include <errno.h>
#include <stdio.h>

#include "managers/mgr.h"

static int noverbs_start(struct mgr *m)
{
	fprintf(stderr, "%s: this build has no libibverbs transport; run "
		"tessera-mgr-verbs, or use --transport fabric\n", m->opts.name);
	return -ENOSYS;
}

const struct mgr_transport mgr_transport_verbs = { "verbs", noverbs_start };
