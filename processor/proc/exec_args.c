/*
 * What /proc/<pid>/cmdline and environ show: a copy of the argument and
 * environment strings a process was started with (after "#!" put its
 * interpreter in front), each NUL-terminated, made when exec builds the
 * initial stack. Programs that rewrite their argv in place are not
 * followed. One copy is shared by a process and the children it forks
 * until one of them execs (refs).
 *
 * Locking: pproc.pargs is swapped under mon->lock; readers of another
 * process copy it under mon->lock; refs is atomic.
 */
#include <tessera/kmalloc.h>
#include <tessera/string.h>

#include "processor/proc/proc.h"

static u32 pargs_len(const char *const *v, u32 n)
{
	u32 len = 0;

	for (u32 i = 0; i < n; i++)
		len += (u32)strlen(v[i]) + 1;
	return len;
}

static char *pargs_put(char *at, const char *const *v, u32 n)
{
	for (u32 i = 0; i < n; i++) {
		u64 l = strlen(v[i]) + 1;

		memcpy(at, v[i], l);
		at += l;
	}
	return at;
}

struct pargs *pargs_new(const char *const *argv, u32 argc, const char *const *envp, u32 envc)
{
	u32 alen = pargs_len(argv, argc), elen = pargs_len(envp, envc);
	struct pargs *a = kmalloc(sizeof(*a) + alen + elen);

	if (!a)
		return NULL;
	a->refs = 1;
	a->argv_len = alen;
	a->env_len = elen;
	pargs_put(pargs_put(a->data, argv, argc), envp, envc);
	return a;
}

struct pargs *pargs_get(struct pargs *a)
{
	if (a)
		__atomic_fetch_add(&a->refs, 1, __ATOMIC_RELAXED);
	return a;
}

void pargs_put_ref(struct pargs *a)
{
	if (a && __atomic_sub_fetch(&a->refs, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(a);
}

void pargs_set(struct pproc *p, struct pargs *a)
{
	struct pargs *old;

	spin_lock(&p->mon->lock);
	old = p->pargs;
	p->pargs = a;
	spin_unlock(&p->mon->lock);
	pargs_put_ref(old);
}
