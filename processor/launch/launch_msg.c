/*
 * Checking a GP2P_EXEC message before anything uses it: the RPC layer has
 * checked its length against the opcode's bounds; here the version, the
 * argument count and the string area (path and argv, each NUL-terminated,
 * exactly filling strs_len bytes). No state, no locks.
 */
#include <tessera/errno.h>
#include <tessera/string.h>

#include "processor/launch/launch.h"

/* The next NUL-terminated string of s[*off..len), or NULL. */
static const char *plaunch_next(const char *s, u32 len, u32 *off)
{
	const char *str = s + *off;
	u32 n = 0;

	while (*off + n < len && str[n])
		n++;
	if (*off + n == len)
		return NULL;
	*off += n + 1;
	return str;
}

int plaunch_parse(const struct gp2p_exec_msg *m, u32 len, const char **argv)
{
	u32 off = 0;
	const char *path;

	if (len < PROC_EXEC_HDR || m->version != PROC_VERSION)
		return len < PROC_EXEC_HDR ? -EINVAL : -EPROTO;
	if (m->strs_len != len - PROC_EXEC_HDR || m->strs_len > PROC_STRS_MAX ||
	    m->argc == 0 || m->argc > PROC_ARGS_MAX ||
	    (m->backup_ip && m->backup_ip == m->home_ip))
		return -EINVAL;
	path = plaunch_next(m->strs, m->strs_len, &off);
	if (!path || path[0] != '/')
		return -EINVAL;
	if (strlen(path) >= PROC_PATH_MAX)
		return -ENAMETOOLONG;
	for (u32 i = 0; i < m->argc; i++) {
		argv[i] = plaunch_next(m->strs, m->strs_len, &off);
		if (!argv[i])
			return -EINVAL;
	}
	argv[m->argc] = NULL;
	return off == m->strs_len ? 0 : -EINVAL;
}
