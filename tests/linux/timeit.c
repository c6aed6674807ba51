/*
 * timeit: runs a program in a fresh cgroup v2 group and reports how long
 * it took, for the bench's Linux baselines (tools/bench.py).
 *
 *   timeit MAX PROG ARGS...
 *
 * MAX is the group's memory.max in bytes, or "max" for no cap (anything
 * beyond it is swapped out). The program's output passes through; then one
 * line on stderr (so that stdout may be piped into a digest): "TIME
 * us=<wall time from fork to exit> status=<exit status>
 * peak_kib=<memory.peak> swapin=<pages> swapout=<pages>" (swap counts from
 * /proc/vmstat, before and after). With TIMEIT_LIMIT=SECONDS in the
 * environment the program is killed (SIGKILL) once it has run that long,
 * and its status is 137. Needs cgroup2 at /sys/fs/cgroup with the
 * memory controller (tests/linux/init mounts it).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROOT "/sys/fs/cgroup"

static char group[64];
static pid_t child;

static void on_alarm(int sig)
{
	kill(child, SIGKILL);
}

static int put(const char *file, const char *value)
{
	char path[128];
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), "%s/%s", group[0] ? group : ROOT, file);
	if (!(f = fopen(path, "w")))
		return -errno;
	if (fputs(value, f) < 0)
		err = -EIO;
	if (fclose(f) != 0)
		err = -errno;
	return err;
}

static unsigned long long get(const char *path, const char *key)
{
	char line[256];
	unsigned long long v = 0;
	size_t n = key ? strlen(key) : 0;
	FILE *f = fopen(path, "r");

	while (f && fgets(line, sizeof(line), f))
		if (!key || (!strncmp(line, key, n) && line[n] == ' ')) {
			v = strtoull(line + n, NULL, 10);
			break;
		}
	if (f)
		fclose(f);
	return v;
}

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000 + (unsigned long long)ts.tv_nsec / 1000;
}

static int make_group(const char *max)
{
	char pid[24];

	if (put("cgroup.subtree_control", "+memory") < 0)
		return -1;
	snprintf(group, sizeof(group), ROOT "/timeit-%d", getpid());
	if (mkdir(group, 0755) < 0 || put("memory.max", max) < 0)
		return -1;
	snprintf(pid, sizeof(pid), "%d", getpid());
	return put("cgroup.procs", pid);
}

int main(int argc, char **argv)
{
	unsigned long long in0 = get("/proc/vmstat", "pswpin");
	unsigned long long out0 = get("/proc/vmstat", "pswpout"), t0;
	char peak[128];
	int status;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: timeit MAX|max PROG ARGS...\n");
		return 2;
	}
	t0 = now_us();
	pid = fork();
	if (pid == 0) {
		if (make_group(argv[1]) < 0) {
			perror("timeit: cgroup");
			_exit(126);
		}
		execv(argv[2], argv + 2);
		perror("timeit: exec");
		_exit(127);
	}
	child = pid;
	signal(SIGALRM, on_alarm);
	if (getenv("TIMEIT_LIMIT"))
		alarm((unsigned)atoi(getenv("TIMEIT_LIMIT")));
	while (pid > 0 && waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 2;
	if (pid < 0)
		return 2;
	t0 = now_us() - t0;
	snprintf(group, sizeof(group), ROOT "/timeit-%d", pid);
	snprintf(peak, sizeof(peak), "%s/memory.peak", group);
	fprintf(stderr, "TIME us=%llu status=%d peak_kib=%llu swapin=%llu swapout=%llu\n", t0,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
	       get(peak, NULL) / 1024, get("/proc/vmstat", "pswpin") - in0,
	       get("/proc/vmstat", "pswpout") - out0);
	rmdir(group);
	return 0;
}
