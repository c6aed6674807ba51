/* Time and timers, each step one deterministic line (the same on Linux):
 * alarm(1) interrupting a blocking pipe read with EINTR, and the read
 * restarted under SA_RESTART; an interval timer counted through
 * sigsuspend; alarm's return value; nanosleep sleeping at least as asked,
 * ended early by a signal with the time left; an absolute
 * clock_nanosleep; getitimer, times, getrusage and sysinfo answering. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;
static int wake_fd = -1;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
	if (wake_fd >= 0)
		write(wake_fd, "x", 1);
}

static void set_alarm_handler(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = flags;
	sigaction(SIGALRM, &sa, NULL);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void step_pipe_read(void)
{
	int p[2];
	char c = 0;
	ssize_t n;
	struct timespec t0;

	pipe(p);
	set_alarm_handler(0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	alarm(1);
	n = read(p[0], &c, 1);
	printf("read without SA_RESTART: %zd %s, alarms %d, after about 1 s %s\n", n,
	       strerror(errno), alarms, ms_since(&t0) >= 990 ? "yes" : "no");
	wake_fd = p[1];
	set_alarm_handler(SA_RESTART);
	alarm(1);
	n = read(p[0], &c, 1);
	printf("read with SA_RESTART: %zd '%c', alarms %d\n", n, c, alarms);
	wake_fd = -1;
	close(p[0]);
	close(p[1]);
}

static void step_interval(void)
{
	struct itimerval it = { { 0, 30000 }, { 0, 30000 } }, cur;
	sigset_t block, none;

	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&none);
	alarms = 0;
	set_alarm_handler(0);
	setitimer(ITIMER_REAL, &it, NULL);
	while (alarms < 3)
		sigsuspend(&none);
	getitimer(ITIMER_REAL, &cur);
	printf("interval timer: %d alarms, still armed %d, interval %ld us\n", alarms,
	       cur.it_value.tv_sec || cur.it_value.tv_usec, (long)cur.it_interval.tv_usec);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	getitimer(ITIMER_REAL, &cur);
	printf("disarmed: %d\n", !(cur.it_value.tv_sec || cur.it_value.tv_usec));
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	alarm(10);
	printf("alarm(0) after alarm(10): %u\n", alarm(0));
}

static void step_sleeps(void)
{
	struct timespec t0, d = { 0, 100000000 }, rem = { 0, 0 }, abs;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = nanosleep(&d, NULL);
	printf("nanosleep 100 ms: %d, at least 100 ms %s\n", r, ms_since(&t0) >= 100 ? "yes" : "no");
	set_alarm_handler(0);
	d.tv_sec = 5;
	alarm(1);
	r = nanosleep(&d, &rem);
	printf("nanosleep 5 s ended by alarm: %d %s, time left between 3 and 5 s %s\n", r,
	       strerror(errno), rem.tv_sec >= 3 && rem.tv_sec < 5 ? "yes" : "no");
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 50000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
	printf("absolute clock_nanosleep: %d, reached %s\n", r, ms_since(&abs) >= 0 ? "yes" : "no");
	d = (struct timespec){ 0, 1000000000 };
	r = nanosleep(&d, NULL);
	printf("bad timespec: %d\n", r == -1 && errno == EINVAL);
}

static void step_accounting(void)
{
	struct tms tm;
	struct rusage ru;
	struct sysinfo si;
	clock_t ticks = times(&tm);
	int r = getrusage(RUSAGE_SELF, &ru), s = sysinfo(&si);

	printf("times: %s, getrusage: %d, sysinfo: %d with ram %s\n",
	       ticks != (clock_t)-1 ? "ok" : "failed", r, s, si.totalram > 0 ? "yes" : "no");
	r = getrusage(7, &ru);
	printf("getrusage(7): %d %s\n", r, strerror(errno));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	step_pipe_read();
	step_interval();
	step_sleeps();
	step_accounting();
	return 0;
}
