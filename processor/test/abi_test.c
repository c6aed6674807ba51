/*
 * The pMonitor's side of the syscall interface, called directly on a
 * process that has no thread yet: the file half of pabi_ops against the
 * embedded test programs (open, fstat, read, lseek, getdents, dup, the
 * read-only rules), the pseudo trees /dev and /proc, and the memory calls
 * keeping the VMA mirror in step with the test memory backend.
 */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/ktest.h>
#include <tessera/string.h>
#include <tessera/uapi/fcntl.h>
#include <tessera/uapi/mman.h>
#include <tessera/uapi/statfs.h>

#include "linux-abi/abi_dirent.h"
#include "processor/proc/proc.h"
#include "processor/test/test_backends.h"

#define PG 4096ull

struct bare {
	struct pmon mon;
	struct pproc p;
	struct abi_thread t;
};

/* A process with file descriptors and an address space at the backend,
 * but no page tables or thread. */
static struct bare *bare_new(void)
{
	struct bare *b = kzalloc(sizeof(*b));
	struct pmon_config cfg = { .cache_bytes = 64 * KiB, .ways = 4, .policy = "fifo" };

	if (!b || ptest_mem_create(&cfg.mem) ||
	    ptest_files_create(ptest_progs_start, (u64)(ptest_progs_end - ptest_progs_start),
			       &cfg.files) || pmon_init(&b->mon, &cfg))
		return NULL;
	b->p.mon = &b->mon;
	b->p.files = b->mon.files;
	b->p.pid = 99;
	mutex_init(&b->p.mm_lock, "pproc.mm", LOCK_RANK_PROC_MM);
	vmaset_init(&b->p.vmas, kmalloc, kfree);
	pwset_init(&b->p.written);
	pfd_table_init(&b->p.fds);
	pcwd_init(&b->p.cwd);
	b->p.abi.priv = &b->p;
	b->t.proc = &b->p.abi;
	if (b->mon.mem.ops->proc_create(b->mon.mem.be, 99, 0x500000))
		return NULL;
	return b;
}

static void bare_free(struct bare *b)
{
	pfd_close_all(&b->p.fds);
	vmaset_destroy(&b->p.vmas);
	pwset_clear(&b->p.written);
	ptest_mem_destroy(&b->mon.mem);
	ptest_files_destroy(&b->mon.files);
	pmon_destroy(&b->mon);
	kfree(b);
}

KTEST(pabi, open_stat_read_seek_and_dup)
{
	struct bare *b = bare_new();
	struct stat st;
	u8 magic[4];
	int fd, fd2;

	KT_ASSERT(t, b != NULL);
	fd = pabi_open(&b->t, AT_FDCWD, "exit3", O_RDONLY | O_CLOEXEC, 0);
	KT_ASSERT(t, fd == 0);
	KT_EXPECT_EQ(t, pfd_get_cloexec(&b->p.fds, fd), 1);
	KT_EXPECT_EQ(t, pabi_fstat(&b->t, fd, &st), 0);
	KT_EXPECT_EQ(t, st.st_mode & S_IFMT, S_IFREG);
	KT_EXPECT(t, st.st_size > 4096);
	KT_EXPECT_EQ(t, pabi_fd_read(&b->t, fd, magic, 4), 4);
	KT_EXPECT(t, !memcmp(magic, "\177ELF", 4));
	KT_EXPECT_EQ(t, pabi_lseek(&b->t, fd, -4, SEEK_END), st.st_size - 4);
	KT_EXPECT_EQ(t, pabi_fd_read(&b->t, fd, magic, 100), 4);
	KT_EXPECT_EQ(t, pabi_fd_read(&b->t, fd, magic, 100), 0);
	KT_EXPECT_EQ(t, pabi_lseek(&b->t, fd, -1, SEEK_SET), -EINVAL);
	fd2 = pfd_dup(&b->p.fds, fd, 7, false);
	KT_EXPECT_EQ(t, fd2, 7);
	KT_EXPECT_EQ(t, pabi_lseek(&b->t, fd2, 0, SEEK_CUR), st.st_size); /* shared offset */
	KT_EXPECT_EQ(t, pabi_close(&b->t, fd), 0);
	KT_EXPECT_EQ(t, pabi_close(&b->t, fd), -EBADF);
	KT_EXPECT_EQ(t, pabi_fd_write(&b->t, fd2, "x", 1), -EBADF);
	KT_EXPECT_EQ(t, pabi_open(&b->t, AT_FDCWD, "/exit3", O_WRONLY, 0), -EROFS);
	KT_EXPECT_EQ(t, pabi_open(&b->t, AT_FDCWD, "/new", O_CREAT | O_WRONLY, 0), -EROFS);
	KT_EXPECT_EQ(t, pabi_open(&b->t, AT_FDCWD, "/exit3", O_DIRECTORY, 0), -ENOTDIR);
	KT_EXPECT_EQ(t, pabi_open(&b->t, AT_FDCWD, "/nope", O_RDONLY, 0), -ENOENT);
	KT_EXPECT_EQ(t, pabi_open(&b->t, fd2, "exit3", O_RDONLY, 0), -ENOTDIR);
	bare_free(b);
}

KTEST(pabi, getdents_lists_the_root_across_calls)
{
	struct bare *b = bare_new();
	u8 *buf = kmalloc(4096);
	u32 names = 0, calls = 0;
	bool saw_memtest = false;
	int dir;
	long n;

	KT_ASSERT(t, b != NULL && buf != NULL);
	dir = pabi_open(&b->t, AT_FDCWD, "/", O_RDONLY | O_DIRECTORY, 0);
	KT_ASSERT(t, dir >= 0);
	KT_EXPECT_EQ(t, pabi_getdents(&b->t, dir, buf, 10), -EINVAL);
	while ((n = pabi_getdents(&b->t, dir, buf, 100)) > 0 && calls++ < 50)
		for (long at = 0; at < n;) {
			struct abi_dirent64 *d = (struct abi_dirent64 *)(buf + at);

			names++;
			saw_memtest |= !strcmp(d->d_name, "memtest");
			at += d->d_reclen;
		}
	KT_EXPECT_EQ(t, n, 0);
	KT_EXPECT_EQ(t, names, 2 + 14); /* ".", "..", twelve programs, two scripts */
	KT_EXPECT(t, saw_memtest);
	KT_EXPECT(t, calls > 1);
	KT_EXPECT_EQ(t, pabi_fd_read(&b->t, dir, buf, 10), -EISDIR);
	kfree(buf);
	bare_free(b);
}

KTEST(pabi, memory_calls_keep_the_mirror_in_step)
{
	struct bare *b = bare_new();
	struct pmem_mmap_req rq = { .len = 8 * PG, .prot = PROT_READ | PROT_WRITE,
				    .flags = MAP_PRIVATE | MAP_ANONYMOUS };
	long a;

	KT_ASSERT(t, b != NULL);
	a = pmap_mmap(&b->p, &rq, NULL);
	KT_EXPECT_EQ(t, a, PMEM_MMAP_BASE - 8 * PG);
	KT_EXPECT_EQ(t, pmap_munmap(&b->p, (u64)a + 2 * PG, PG), 0);
	KT_EXPECT(t, vmaset_find(&b->p.vmas, (u64)a + 2 * PG) == NULL);
	KT_EXPECT_EQ(t, pmap_mprotect(&b->p, (u64)a, 4 * PG, PROT_READ), -ENOMEM); /* hole */
	KT_EXPECT_EQ(t, pmap_mprotect(&b->p, (u64)a + 3 * PG, PG, PROT_READ), 0);
	KT_EXPECT_EQ(t, vmaset_find(&b->p.vmas, (u64)a + 3 * PG)->prot, PROT_READ);
	KT_EXPECT_EQ(t, vmaset_find(&b->p.vmas, (u64)a + 4 * PG)->prot, PROT_READ | PROT_WRITE);
	rq.addr = (u64)a + PG;
	rq.flags |= MAP_FIXED_NOREPLACE;
	KT_EXPECT_EQ(t, pmap_mmap(&b->p, &rq, NULL), -EEXIST);
	KT_EXPECT_EQ(t, pmap_brk(&b->p, 0x500000, 0x500000 + 3 * PG + 1), 0);
	KT_EXPECT_EQ(t, vmaset_find(&b->p.vmas, 0x500000 + 3 * PG)->end, 0x500000 + 4 * PG);
	KT_EXPECT_EQ(t, pmap_brk(&b->p, 0x500000 + 3 * PG + 1, 0x500000 + PG), 0);
	KT_EXPECT(t, vmaset_find(&b->p.vmas, 0x500000 + PG) == NULL);
	KT_EXPECT(t, vmaset_find(&b->p.vmas, 0x500000) != NULL);
	KT_EXPECT_EQ(t, b->p.vmas.n, 4); /* brk page, and a split three ways */
	b->mon.mem.ops->proc_exit(b->mon.mem.be, 99);
	bare_free(b);
}

/* The pseudo trees through the same calls: links followed or not, a link
 * that leads to the file backend, devices, a text file, normal form. */
KTEST(pabi, pseudo_trees_walk_links_and_devices)
{
	struct bare *b = bare_new();
	char buf[64], path[] = "/a/./b//c/../d/";
	struct statfs sfs;
	struct stat st;
	int fd, ends[2];

	KT_ASSERT(t, b != NULL);
	b->p.main = kzalloc(sizeof(*b->p.main)); /* /proc/<pid> reads its signal state */
	KT_ASSERT(t, b->p.main != NULL);
	spin_init(&b->p.abi.sig_lock, "abi_proc.sig", LOCK_RANK_ABI_SIG);
	str_copy(b->p.exe, "/exit3", sizeof(b->p.exe));
	list_add_tail(&b->mon.procs, &b->p.link);
	KT_EXPECT_EQ(t, pabi_stat(&b->t, AT_FDCWD, "/proc/self", false, &st), 0);
	KT_EXPECT_EQ(t, st.st_mode & S_IFMT, S_IFLNK);
	KT_EXPECT_EQ(t, pabi_readlink(&b->t, AT_FDCWD, "/proc/self", buf, sizeof(buf)), 2);
	KT_EXPECT(t, !memcmp(buf, "99", 2));
	KT_EXPECT_EQ(t, pabi_stat(&b->t, AT_FDCWD, "/proc/self/", false, &st), 0);
	KT_EXPECT_EQ(t, st.st_mode & S_IFMT, S_IFDIR);
	KT_EXPECT_EQ(t, pabi_stat(&b->t, AT_FDCWD, "/proc/self/exe", true, &st), 0);
	KT_EXPECT_EQ(t, st.st_mode & S_IFMT, S_IFREG); /* /exit3, from the backend */
	KT_EXPECT_EQ(t, pabi_stat(&b->t, AT_FDCWD, "/dev/../dev/./null", true, &st), 0);
	KT_EXPECT_EQ(t, st.st_rdev, 0x103u);
	KT_EXPECT_EQ(t, pabi_stat(&b->t, AT_FDCWD, "/dev/null/x", true, &st), -ENOTDIR);
	KT_EXPECT_EQ(t, pabi_stat(&b->t, AT_FDCWD, "/proc/98", true, &st), -ENOENT);
	KT_EXPECT_EQ(t, pabi_readlink(&b->t, AT_FDCWD, "/dev/null", buf, sizeof(buf)), -EINVAL);
	KT_EXPECT_EQ(t, pabi_mknod(&b->t, AT_FDCWD, "/proc/new", S_IFDIR | 0755, 0), -EACCES);
	fd = pabi_open(&b->t, AT_FDCWD, "/dev/zero", O_RDWR, 0);
	KT_ASSERT(t, fd >= 0);
	memset(buf, 1, sizeof(buf));
	KT_EXPECT_EQ(t, pabi_fd_read(&b->t, fd, buf, 8), 8);
	KT_EXPECT(t, !memcmp(buf, "\0\0\0\0\0\0\0\0", 8));
	KT_EXPECT_EQ(t, pabi_fd_write(&b->t, fd, "x", 1), 1);
	pabi_close(&b->t, fd);
	fd = pabi_open(&b->t, AT_FDCWD, "/proc/sys/kernel/pid_max", O_RDONLY, 0);
	KT_ASSERT(t, fd >= 0);
	KT_EXPECT_EQ(t, pabi_fd_read(&b->t, fd, buf, sizeof(buf)), 8);
	KT_EXPECT(t, !memcmp(buf, "4194304\n", 8));
	KT_EXPECT_EQ(t, pabi_fd_write(&b->t, fd, "1", 1), -EBADF);
	pabi_close(&b->t, fd);
	KT_EXPECT_EQ(t, pabi_open(&b->t, AT_FDCWD, "/proc/meminfo", O_WRONLY, 0), -EACCES);
	KT_EXPECT_EQ(t, pabi_open(&b->t, AT_FDCWD, "/dev/tty", O_RDWR, 0), -ENXIO);
	ppath_normalize(path);
	KT_EXPECT(t, !strcmp(path, "/a/b/d"));
	str_copy(buf, "pipe:", sizeof(buf));
	ppath_normalize(buf); /* not a path: left alone */
	KT_EXPECT(t, !strcmp(buf, "pipe:"));
	KT_ASSERT(t, pabi_pipe(&b->t, 0, ends) == 0);
	KT_EXPECT_EQ(t, pabi_statfs(&b->t, ends[0], NULL, &sfs), -EINVAL); /* path "pipe:" */
	KT_EXPECT_EQ(t, pabi_statfs(&b->t, AT_FDCWD, "/proc/self", &sfs), 0);
	KT_EXPECT_EQ(t, sfs.f_type, 0x9fa0);
	list_del(&b->p.link);
	kfree(b->p.main);
	bare_free(b);
}
