/* 100 children exit with distinct statuses (their index); the parent
 * reaps every one with wait() and finds each status exactly once, each
 * pid once, and then no child is left (ECHILD). */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define KIDS 100

int main(int argc, char **argv)
{
	pid_t pids[KIDS];
	int seen[KIDS] = { 0 };
	int bad = 0, reaped = 0;

	abi_init(argc, argv);
	for (int i = 0; i < KIDS; i++) {
		pids[i] = xfork();
		if (pids[i] == 0)
			_exit(i);
	}
	for (int i = 0; i < KIDS; i++) {
		int st;
		pid_t w = wait(&st);

		if (w < 0) {
			say("wait: %s", ename(errno));
			break;
		}
		reaped++;
		if (!WIFEXITED(st) || WEXITSTATUS(st) >= KIDS || pids[WEXITSTATUS(st)] != w)
			bad++;
		else
			seen[WEXITSTATUS(st)]++;
	}
	for (int i = 0; i < KIDS; i++)
		bad += seen[i] != 1;
	say("reaped %d, mismatches %d", reaped, bad);
	SHOW(wait(NULL));
	return 0;
}
