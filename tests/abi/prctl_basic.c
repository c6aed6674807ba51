/* prctl: PR_SET_NAME/PR_GET_NAME (cut to 15 bytes; /proc/self/comm
 * follows), PR_GET_DUMPABLE 1, PR_SET_PDEATHSIG and PR_GET_PDEATHSIG,
 * PR_GET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS; an unknown option or a
 * bad signal is EINVAL, a bad pointer EFAULT. */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	char name[32] = "", comm[32] = "";
	int sig = -1, fd;
	ssize_t n;

	abi_init(argc, argv);
	SHOW(prctl(PR_SET_NAME, "a-name-longer-than-fifteen", 0, 0, 0));
	SHOW(prctl(PR_GET_NAME, name, 0, 0, 0));
	say("name: %s", name);
	fd = open("/proc/self/comm", O_RDONLY);
	n = fd < 0 ? -1 : read(fd, comm, sizeof(comm) - 1);
	comm[n > 0 ? n : 0] = '\0';
	say("comm: %.*s", (int)strcspn(comm, "\n"), comm);
	SHOW(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	SHOW(prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0));
	SHOW(prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0));
	say("pdeathsig %s", sname(sig));
	SHOW(prctl(PR_SET_PDEATHSIG, 99, 0, 0, 0));
	SHOW(prctl(PR_GET_CHILD_SUBREAPER, &sig, 0, 0, 0));
	say("subreaper %d", sig);
	SHOW(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	SHOW(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	SHOW(prctl(9999, 0, 0, 0, 0));
	SHOW(prctl(PR_GET_NAME, (char *)8, 0, 0, 0));
	return 0;
}
