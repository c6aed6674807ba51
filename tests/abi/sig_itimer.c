/* setitimer(ITIMER_REAL): a 50 ms interval timer delivers SIGALRM again
 * and again (four counted, at least 150 ms after arming); getitimer shows
 * the interval and a value within it; the old value comes back from the
 * next setitimer; disarming stops it; bad "which" or microseconds are
 * EINVAL; the timer is not inherited by fork. */
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static volatile int ticks;

static void on_tick(int sig)
{
	ticks++;
}

int main(int argc, char **argv)
{
	struct itimerval it = { { 0, 50000 }, { 0, 50000 } }, now, old, off = { { 0, 0 }, { 0, 0 } };
	struct itimerval bad = { { 0, 0 }, { 0, 1000000 } };
	long long t0;
	pid_t kid;
	int at_end;

	abi_init(argc, argv);
	signal(SIGALRM, on_tick);
	t0 = mono_ms();
	SHOW(setitimer(ITIMER_REAL, &it, NULL));
	getitimer(ITIMER_REAL, &now);
	say("interval %ld us, value within it: %d", (long)now.it_interval.tv_usec,
	    now.it_value.tv_sec == 0 && now.it_value.tv_usec <= 50000);
	kid = xfork();
	if (kid == 0) {
		getitimer(ITIMER_REAL, &now);
		say("child's timer: %ld %ld", (long)now.it_value.tv_sec, (long)now.it_value.tv_usec);
		_exit(0);
	}
	reap(kid);
	wait_until(&ticks, 4);
	say("4 ticks after >= 150 ms: %d", ticks >= 4 && mono_ms() - t0 >= 150);
	SHOW(setitimer(ITIMER_REAL, &off, &old));
	say("old interval %ld us", (long)old.it_interval.tv_usec);
	at_end = ticks;
	usleep(200000);
	say("no ticks after disarming: %d", ticks == at_end);
	SHOW(setitimer(7, &it, NULL));
	SHOW(setitimer(ITIMER_REAL, &bad, NULL));
	SHOW(getitimer(ITIMER_REAL, &now));
	say("disarmed: %ld %ld", (long)now.it_value.tv_sec, (long)now.it_value.tv_usec);
	return 0;
}
