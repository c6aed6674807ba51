/* FPU and SSE state is per thread: threads that set different rounding
 * modes and keep values in SSE registers across yields and sleeps each
 * get their own results, as the main thread keeps its own. */
#include <fenv.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include "abi.h"

#define THREADS 4

static const int modes[THREADS] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };
static int bad[THREADS];

static void *body(void *arg)
{
	long i = (long)arg;
	volatile double one = 1.0, three = 3.0;
	double first, again;

	fesetround(modes[i]);
	first = one / three;
	for (int k = 0; k < 200; k++) {
		if (k % 50 == 0)
			usleep(1000);
		else
			sched_yield();
		again = one / three;
		bad[i] += again != first || fegetround() != modes[i];
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[THREADS];
	volatile double one = 1.0, three = 3.0;
	double mine = one / three;
	int nbad = 0;

	abi_init(argc, argv);
	for (long i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, body, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < THREADS; i++)
		nbad += bad[i];
	say("threads whose state changed under them: %d", nbad);
	say("main: rounding to nearest %d, same quotient %d", fegetround() == FE_TONEAREST,
	    mine == one / three);
	return 0;
}
