/* Processes, each step one deterministic line (the same on Linux): 100
 * children exiting with distinct statuses, all reaped; WNOHANG, ECHILD;
 * a child killed by SIGTERM; stop and continue seen by waitpid; SIGCHLD
 * with its siginfo; waitid; a pipe shared across fork; getppid, process
 * groups and sessions; an orphan re-parented; vfork; exit status bits.
 * "forks mem N" instead forks a process with N MiB written; both sides
 * then write to a page in 64 (different ones) and check that each sees
 * only its own writes. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t chld_hits, chld_code, chld_status;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	chld_hits++;
	chld_code = si->si_code;
	chld_status = si->si_status;
}

static void step_hundred(void)
{
	int seen[100] = { 0 }, ok = 1, st;
	pid_t pids[100], p;

	for (int i = 0; i < 100; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(i);
	}
	for (int n = 0; n < 100; n++) {
		p = wait(&st);
		for (int i = 0; i < 100; i++)
			if (pids[i] == p && WIFEXITED(st) && WEXITSTATUS(st) == i)
				seen[i]++;
	}
	for (int i = 0; i < 100; i++)
		ok &= seen[i] == 1;
	p = wait(&st);
	printf("hundred: each status once %s, then wait %d %s\n", ok ? "yes" : "no", p,
	       strerror(errno));
}

static void step_nohang_and_signals(void)
{
	int fds[2], st;
	pid_t c, r;
	char b;

	pipe(fds);
	c = fork();
	if (c == 0) {
		read(fds[0], &b, 1);
		_exit(3);
	}
	r = waitpid(c, &st, WNOHANG);
	printf("nohang while running: %d\n", r);
	write(fds[1], "x", 1);
	r = waitpid(c, &st, 0);
	printf("after release: same pid %d exited %d status %d\n", r == c, WIFEXITED(st),
	       WEXITSTATUS(st));
	close(fds[0]);
	close(fds[1]);
	c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	kill(c, SIGTERM);
	waitpid(c, &st, 0);
	printf("sigterm: signaled %d sig %d core %d\n", WIFSIGNALED(st), WTERMSIG(st),
	       WCOREDUMP(st));
}

static void step_stop_cont(void)
{
	int st;
	pid_t c = fork();

	if (c == 0) {
		for (;;)
			pause();
	}
	kill(c, SIGSTOP);
	waitpid(c, &st, WUNTRACED);
	printf("stopped: %d sig %d\n", WIFSTOPPED(st), WSTOPSIG(st));
	kill(c, SIGCONT);
	waitpid(c, &st, WCONTINUED);
	printf("continued: %d\n", WIFCONTINUED(st));
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	printf("killed: sig %d\n", WTERMSIG(st));
}

static void step_sigchld_waitid(void)
{
	struct sigaction sa;
	siginfo_t si;
	pid_t c;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	c = fork();
	if (c == 0)
		_exit(42);
	memset(&si, 0, sizeof(si));
	waitid(P_PID, c, &si, WEXITED);
	printf("waitid: signo %d code %d status %d same pid %d\n", si.si_signo, si.si_code,
	       si.si_status, si.si_pid == c);
	printf("sigchld: hits %d code %d status %d\n", chld_hits, chld_code, chld_status);
	signal(SIGCHLD, SIG_DFL);
}

static void step_pipe_and_ids(void)
{
	int fds[2], st;
	char buf[64] = { 0 };
	pid_t me = getpid(), c;

	pipe(fds);
	c = fork();
	if (c == 0) {
		int ppid_ok = getppid() == me, pgrp_ok = getpgrp() == getpgid(me);

		setpgid(0, 0);
		dprintf(fds[1], "child: ppid %d pgrp %d newpgrp %d", ppid_ok, pgrp_ok,
			getpgrp() == getpid());
		_exit(0);
	}
	close(fds[1]);
	read(fds[0], buf, sizeof(buf) - 1);
	waitpid(c, &st, 0);
	printf("%s\n", buf);
	close(fds[0]);
	c = fork();
	if (c == 0) {
		pid_t s = setsid();

		_exit(s == getpid() && getsid(0) == getpid() && setsid() == -1 ? 5 : 6);
	}
	waitpid(c, &st, 0);
	printf("setsid in child: %s\n", WEXITSTATUS(st) == 5 ? "new session" : "wrong");
	errno = 0;
	st = setpgid(0, 0);
	printf("setpgid as session leader: %d %s\n", st, strerror(errno));
	st = setsid();
	printf("setsid as session leader: %d %s\n", st, strerror(errno));
}

static void step_orphan(void)
{
	int fds[2], st;
	char buf[16] = { 0 };
	pid_t c;

	pipe(fds);
	c = fork();
	if (c == 0) {
		pid_t me = getpid();

		if (fork() == 0) {
			while (getppid() == me)
				usleep(1000);
			write(fds[1], "moved", 5);
			_exit(0);
		}
		_exit(0);
	}
	waitpid(c, &st, 0);
	close(fds[1]);
	read(fds[0], buf, sizeof(buf) - 1);
	printf("orphan: %s\n", buf);
	close(fds[0]);
}

static void step_vfork_and_status(void)
{
	int st;
	pid_t c = vfork();

	if (c == 0)
		_exit(7);
	waitpid(c, &st, 0);
	printf("vfork: status %d\n", WEXITSTATUS(st));
	c = fork();
	if (c == 0)
		exit(256 + 5);
	waitpid(c, &st, 0);
	printf("exit(261): status %d\n", WEXITSTATUS(st));
}

#define WORDS_PER_PAGE 512

static uint64_t pat(size_t i)
{
	return i * 0x9e3779b97f4a7c15ull;
}

/* Word w of every 64th page from page off on: changed by delta, or
 * checked to be pat + delta (a count of mismatches). */
static size_t touch(uint64_t *m, size_t n, size_t off, size_t w, uint64_t delta, int check)
{
	size_t bad = 0;

	for (size_t i = off * WORDS_PER_PAGE + w; i < n; i += 64 * WORDS_PER_PAGE) {
		if (check)
			bad += m[i] != pat(i) + delta;
		else
			m[i] += delta;
	}
	return bad;
}

static int mem_mode(unsigned long mib)
{
	size_t n = mib * 1024 * 1024 / 8, bad;
	uint64_t *m = malloc(n * 8);
	int fds[2], st;
	pid_t c;

	for (size_t i = 0; i < n; i++)
		m[i] = pat(i);
	pipe(fds);
	c = fork();
	if (c == 0) {
		char go;

		touch(m, n, 0, 0, 3, 0);
		read(fds[0], &go, 1); /* the parent has written its own by now */
		bad = touch(m, n, 0, 0, 3, 1) + touch(m, n, 32, 1, 0, 1);
		_exit(bad ? 1 : 0);
	}
	touch(m, n, 32, 1, 7, 0);
	write(fds[1], "g", 1);
	waitpid(c, &st, 0);
	bad = touch(m, n, 32, 1, 7, 1) + touch(m, n, 0, 0, 0, 1);
	printf("mem %lu MiB: child saw only its writes %s, parent saw only its own %s\n", mib,
	       WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "yes" : "no", bad ? "no" : "yes");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 2 && !strcmp(argv[1], "mem"))
		return mem_mode(strtoul(argv[2], NULL, 0));
	step_hundred();
	step_nohang_and_signals();
	step_stop_cont();
	step_sigchld_waitid();
	step_pipe_and_ids();
	step_orphan();
	step_vfork_and_status();
	return 0;
}
