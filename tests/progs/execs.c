/* execve, each step one deterministic line (the same on Linux): E2BIG
 * for one string over 128 KiB and for over 2 MiB in all, ENOENT, EACCES
 * for a directory, running itself again through /proc/self/exe with new
 * argv and envp, close-on-exec descriptors closed and the others kept, a
 * 100 KiB argument, the mask and ignored signals kept and handlers reset.
 * "execs script PATH" runs the "#!" script PATH (whose interpreter is this
 * program) with two arguments. The other modes are what it runs. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SELF "/proc/self/exe"

extern char **environ;

static void on_usr1(int sig)
{
	(void)sig;
}

/* Run argv (NULL-ended) with envp in a child; wait for it. */
static void run(char *const *argv, char *const *envp)
{
	int st;
	pid_t c = fork();

	if (c == 0) {
		execve(SELF, argv, envp);
		printf("exec failed: %s\n", strerror(errno));
		_exit(127);
	}
	waitpid(c, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("child status %#x\n", st);
}

static void step_errors(void)
{
	static char big[200 * 1024];
	char *argv[24] = { "execs", big, NULL }, *envp[] = { NULL };
	int r;

	memset(big, 'a', sizeof(big) - 1);
	r = execve(SELF, argv, envp);
	printf("one 200 KiB string: %d %s\n", r, strerror(errno));
	big[120 * 1024] = 0;
	for (int i = 1; i < 23; i++)
		argv[i] = big;
	argv[23] = NULL;
	r = execve(SELF, argv, envp);
	printf("2.6 MiB in all: %d %s\n", r, strerror(errno));
	r = execve("/no/such/program", argv, envp);
	printf("missing: %d %s\n", r, strerror(errno));
	r = execve("/", argv, envp);
	printf("directory: %d %s\n", r, strerror(errno));
}

static void step_args_env(void)
{
	char *argv[] = { "renamed", "child", "one", "two", NULL };
	char *envp[] = { "E=1", "F=two words", NULL };
	static char big[100 * 1024 + 1];
	char *bargv[] = { "execs", "big", big, NULL };

	run(argv, envp);
	memset(big, 'b', sizeof(big) - 1);
	run(bargv, envp);
}

static void step_cloexec_signals(void)
{
	int a[2], b[2];
	char n[4][8];
	char *argv[] = { "execs", "fds", n[0], n[1], n[2], n[3], NULL };
	sigset_t set;

	pipe2(a, O_CLOEXEC);
	pipe(b);
	for (int i = 0; i < 2; i++) {
		snprintf(n[i], sizeof(n[i]), "%d", a[i]);
		snprintf(n[2 + i], sizeof(n[2 + i]), "%d", b[i]);
	}
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	run(argv, environ);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

static int child_mode(int argc, char **argv)
{
	printf("child: argc %d argv0 %s args %s %s env E=%s F=%s\n", argc, argv[0], argv[2],
	       argv[3], getenv("E"), getenv("F"));
	return 0;
}

static int fds_mode(char **argv)
{
	struct sigaction sa;
	sigset_t set;

	printf("after exec: cloexec fds %s %s, others %s %s\n",
	       fcntl(atoi(argv[2]), F_GETFD) < 0 ? "closed" : "open",
	       fcntl(atoi(argv[3]), F_GETFD) < 0 ? "closed" : "open",
	       fcntl(atoi(argv[4]), F_GETFD) < 0 ? "closed" : "open",
	       fcntl(atoi(argv[5]), F_GETFD) < 0 ? "closed" : "open");
	sigaction(SIGUSR1, NULL, &sa);
	printf("after exec: caught signal now %s,", sa.sa_handler == SIG_DFL ? "default" : "caught");
	sigaction(SIGUSR2, NULL, &sa);
	printf(" ignored one %s,", sa.sa_handler == SIG_IGN ? "ignored" : "not ignored");
	sigprocmask(SIG_BLOCK, NULL, &set);
	printf(" mask kept %d\n", sigismember(&set, SIGHUP));
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "child"))
		return child_mode(argc, argv);
	if (argc > 2 && !strcmp(argv[1], "big"))
		return printf("big: length %zu\n", strlen(argv[2])) < 0;
	if (argc > 5 && !strcmp(argv[1], "fds"))
		return fds_mode(argv);
	if (argc > 1 && !strcmp(argv[1], "from-script")) {
		printf("script: argc %d", argc);
		for (int i = 1; i < argc; i++)
			printf(" [%s]", argv[i]);
		printf("\n");
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "script")) {
		char *sargv[] = { argv[2], "x", "y z", NULL };

		execve(argv[2], sargv, environ);
		printf("script exec failed: %s\n", strerror(errno));
		return 1;
	}
	step_errors();
	step_args_env();
	step_cloexec_signals();
	return 0;
}
