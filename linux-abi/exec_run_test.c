/*
 * End-to-end check of the loader and the initial stack on the host: a
 * forked child maps a real static binary as its load plan says, copies the
 * built stack image below a fresh stack, and jumps to the entry point with
 * rsp at argc and rdx 0, as the kernel will. glibc's and musl's start-up
 * code must accept what we built and the program must print its line.
 */
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tessera/ktest.h>

#include "linux-abi/elf_test_util.h"
#include "linux-abi/exec_stack.h"

#define RUN_STACK_TOP 0x7e0000100000ull
#define RUN_STACK_SIZE (1024 * 1024ull)
#define RUN_PIE_BASE 0x200000000000ull

static void map_plan(const struct mem_elf *m, const struct elf_plan *p)
{
	for (u32 i = 0; i < p->nseg; i++) {
		const struct elf_segment *s = &p->seg[i];
		void *at = (void *)s->start;

		if (mmap(at, s->end - s->start, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != at)
			_exit(90);
		memcpy(at, m->data + s->file_off, s->copy_len);
		mprotect(at, s->end - s->start, s->prot);
	}
}

static __noreturn void jump(u64 entry, u64 rsp)
{
	__asm__ volatile("mov %0, %%rsp\n\txor %%edx, %%edx\n\txor %%ebp, %%ebp\n\tjmp *%1"
			 : : "D"(rsp), "a"(entry) : "memory");
	__builtin_unreachable();
}

static __noreturn void child(const char *path)
{
	static const char *const argv[] = { "prog", "arg1" };
	static const char *const envp[] = { "LANG=C" };
	static const u8 rnd[16] = { 7, 7, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	struct mem_elf m;
	struct elf_plan p;
	struct exec_args a = { .argv = argv, .argc = 2, .envp = envp, .envc = 1,
			       .execfn = path, .plan = &p, .random = rnd,
			       .uid = getuid(), .euid = geteuid(), .gid = getgid(),
			       .egid = getegid(), .stack_top = RUN_STACK_TOP };
	u64 size, rsp;
	void *lo = (void *)(RUN_STACK_TOP - RUN_STACK_SIZE);

	if (!mem_elf_load(&m, path) || elf_load_plan(&m.src, RUN_PIE_BASE, &p))
		_exit(91);
	map_plan(&m, &p);
	if (mmap(lo, RUN_STACK_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != lo)
		_exit(92);
	if (exec_stack_size(&a, &size) || size > RUN_STACK_SIZE)
		_exit(93);
	if (exec_stack_build(&a, (u8 *)(RUN_STACK_TOP - size), size, &rsp))
		_exit(94);
	jump(p.entry, rsp);
}

/* Run path in a child; its stdout into out (NUL-terminated); exit status. */
static int run(const char *path, char *out, u32 size)
{
	int fds[2], status = -1;
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		child(path);
	}
	close(fds[1]);
	while (got < (ssize_t)size - 1 && (n = read(fds[0], out + got, size - 1 - got)) > 0)
		got += n;
	out[got] = 0;
	close(fds[0]);
	waitpid(pid, &status, 0);
	return status;
}

static void expect_hello(struct ktest_ctx *t, const char *path)
{
	char out[256];
	int status = run(path, out, sizeof(out));

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		ktest_log("%s: wait status %#x", path, status);
	KT_EXPECT(t, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	KT_EXPECT(t, !strcmp(out, "hello, world\n"));
}

KTEST(exec_run, musl_hello)
{
	expect_hello(t, "build/progs/hello-musl");
}

KTEST(exec_run, glibc_hello)
{
	expect_hello(t, "build/progs/hello-glibc");
}

KTEST(exec_run, glibc_static_pie_hello)
{
	expect_hello(t, "build/progs/hello-pie");
}

KTEST(exec_run, exit_status)
{
	char out[16];
	int status = run("build/progs/exit3", out, sizeof(out));

	KT_EXPECT(t, WIFEXITED(status) && WEXITSTATUS(status) == 3);
}
