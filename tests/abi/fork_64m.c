/* fork of a process with 64 MiB resident: the child rewrites every page
 * and checks its copy; the parent's copy is unchanged; then the parent
 * rewrites its copy and a second child sees the parent's new contents,
 * not the first child's. (Acceptance 3 of issue 10.) */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define SIZE (64u << 20)
#define PAGE 4096u

static int pages_wrong(const uint8_t *m, uint8_t seed)
{
	int bad = 0;

	for (size_t off = 0; off < SIZE; off += PAGE)
		bad += m[off] != (uint8_t)(seed + off / PAGE) ||
		       m[off + PAGE - 1] != (uint8_t)(seed ^ 0x5a);
	return bad;
}

static void fill(uint8_t *m, uint8_t seed)
{
	for (size_t off = 0; off < SIZE; off += PAGE) {
		m[off] = (uint8_t)(seed + off / PAGE);
		m[off + PAGE - 1] = (uint8_t)(seed ^ 0x5a);
	}
}

int main(int argc, char **argv)
{
	uint8_t *m = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	pid_t kid;

	abi_init(argc, argv);
	if (m == MAP_FAILED) {
		say("mmap: %s", ename(errno));
		return 1;
	}
	fill(m, 1);
	kid = xfork();
	if (kid == 0) {
		int before = pages_wrong(m, 1);

		fill(m, 2);
		_exit(before == 0 && pages_wrong(m, 2) == 0 ? 0 : 1);
	}
	reap(kid);
	say("parent's pages wrong after the child wrote: %d", pages_wrong(m, 1));
	fill(m, 3);
	kid = xfork();
	if (kid == 0)
		_exit(pages_wrong(m, 3) == 0 ? 0 : 1);
	reap(kid);
	say("parent's pages wrong at end: %d", pages_wrong(m, 3));
	return 0;
}
