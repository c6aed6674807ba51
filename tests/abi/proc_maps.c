/* /proc/self/maps: "start-end perms offset dev inode path" lines in
 * address order; the program text is an r-xp mapping of its own path;
 * a local variable lies in [stack], memory from brk in [heap], an
 * anonymous mapping in a line without a path whose permissions follow
 * mprotect. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"

static char maps[65536];

/* The maps line holding addr, copied to out; 0 if none. */
static int line_of(unsigned long addr, char *out, size_t cap)
{
	for (char *l = maps; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		unsigned long lo, hi;

		if (sscanf(l, "%lx-%lx", &lo, &hi) == 2 && addr >= lo && addr < hi) {
			snprintf(out, cap, "%.*s", (int)strcspn(l, "\n"), l);
			return 1;
		}
	}
	return 0;
}

static void describe(const char *what, unsigned long addr)
{
	char l[512], perms[8] = "", path[400] = "";
	unsigned long lo, hi, off, ino;
	unsigned maj, mnr;
	int n;

	if (!line_of(addr, l, sizeof(l))) {
		say("%s: no line", what);
		return;
	}
	n = sscanf(l, "%lx-%lx %7s %lx %x:%x %lu %399s", &lo, &hi, perms, &off, &maj, &mnr, &ino,
		   path);
	say("%s: fields %d, perms %s, path %s", what, n, perms,
	    !path[0] ? "(none)" : strcmp(path, self_path()) == 0 ? "(own)" : path);
}

int main(int argc, char **argv)
{
	int local = 0, fd, sorted = 1;
	unsigned long prev = 0;
	char *anon;
	void *heap;

	abi_init(argc, argv);
	heap = (void *)syscall(SYS_brk, 0);
	syscall(SYS_brk, (char *)heap + 8192);
	*(volatile char *)heap = 1;
	anon = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(anon + 4096, 4096, PROT_READ);
	fd = open("/proc/self/maps", O_RDONLY);
	if (fd < 0 || read_full(fd, maps, sizeof(maps) - 1) <= 0) {
		say("read: %s", ename(errno));
		return 1;
	}
	for (char *l = maps; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		unsigned long lo;

		sscanf(l, "%lx", &lo);
		sorted &= lo > prev;
		prev = lo;
	}
	say("in address order: %d", sorted);
	describe("main", (unsigned long)main);
	describe("stack", (unsigned long)&local);
	describe("heap", (unsigned long)heap);
	describe("anon", (unsigned long)anon);
	describe("anon+1", (unsigned long)anon + 4096);
	return 0;
}
