/*
 * User mode end to end, with a few hand-assembled instructions: entering
 * ring 3, system calls with arguments and results, a user page fault that
 * the handler resolves (the instruction is retried), the FS base, and user
 * copies that resolve faults or fail with -EFAULT.
 */
#include <tessera/arch.h>
#include <tessera/errno.h>
#include <tessera/ktest.h>
#include <tessera/mmu.h>
#include <tessera/pmm.h>
#include <tessera/string.h>
#include <tessera/thread.h>
#include <tessera/user.h>

#define CODE_VA 0x400000ull
#define STACK_VA 0x7FFF0000ull
#define LAZY_VA 0x12345000ull

static const u8 user_prog[] = {
	0xB8, 0x27, 0x00, 0x00, 0x00,             /* mov $39, %eax (getpid) */
	0x48, 0xC7, 0xC7, 0x2A, 0x00, 0x00, 0x00, /* mov $42, %rdi */
	0x0F, 0x05,                               /* syscall */
	0x48, 0x89, 0xC7,                         /* mov %rax, %rdi */
	0xB8, 0xE8, 0x03, 0x00, 0x00,             /* mov $1000, %eax (report) */
	0x0F, 0x05,                               /* syscall */
	0x48, 0xC7, 0xC3, 0x00, 0x50, 0x34, 0x12, /* mov $LAZY_VA, %rbx */
	0x48, 0x8B, 0x3B,                         /* mov (%rbx), %rdi */
	0xB8, 0xE8, 0x03, 0x00, 0x00,             /* mov $1000, %eax (report) */
	0x0F, 0x05,                               /* syscall */
	0x64, 0x48, 0x8B, 0x3C, 0x25, 0x08, 0x00, 0x00, 0x00, /* mov %fs:8, %rdi */
	0xB8, 0xE8, 0x03, 0x00, 0x00,             /* mov $1000, %eax (report) */
	0x0F, 0x05,                               /* syscall */
	0xB8, 0x3C, 0x00, 0x00, 0x00,             /* mov $60, %eax (exit) */
	0x0F, 0x05,                               /* syscall */
};

static struct {
	struct mmu_space *space;
	u64 reports[4];
	int nreports;
	u64 getpid_arg;
	int faults;
	u64 fault_addr;
} ut;

static void ut_syscall(struct user_regs *r)
{
	if (r->rax == 39) {
		ut.getpid_arg = r->rdi;
		r->rax = 7;
	} else if (r->rax == 1000 && ut.nreports < 4) {
		ut.reports[ut.nreports++] = r->rdi;
		r->rax = 0;
	} else if (r->rax == 60) {
		thread_exit();
	} else {
		r->rax = (u64)-ENOSYS;
	}
}

static bool ut_map_lazy(u64 addr)
{
	u8 *page;

	if (ALIGN_DOWN(addr, PAGE_SIZE) != LAZY_VA || !(page = page_alloc_zeroed()))
		return false;
	page[0] = 0x77;
	return mmu_map(ut.space, LAZY_VA, virt_to_phys(page), MMU_READ | MMU_WRITE | MMU_USER) == 0;
}

static void ut_fault(struct user_regs *r, enum user_fault_kind kind, u64 addr, bool write)
{
	ut.faults++;
	ut.fault_addr = addr;
	if (kind == USER_FAULT_PAGE && ut_map_lazy(addr))
		return;
	thread_exit();
}

static bool ut_resolve(u64 addr, bool write)
{
	return ut_map_lazy(addr);
}

static const struct user_ops ut_ops = { ut_syscall, ut_fault, ut_resolve, NULL };

static int ut_map_new(u64 va, u32 flags, const void *data, size_t n)
{
	u8 *page = page_alloc_zeroed();

	if (!page)
		return -ENOMEM;
	memcpy(page, data, n);
	return mmu_map(ut.space, va, virt_to_phys(page), flags | MMU_USER);
}

static void ut_thread(void *arg)
{
	struct user_regs regs;

	mmu_space_activate(ut.space);
	user_set_fs_base(0x600000);
	user_regs_init(&regs, CODE_VA, STACK_VA + PAGE_SIZE);
	user_enter(&regs);
}

KTEST(user, syscalls_faults_and_tls)
{
	static const u64 tls[2] = { 0, 0xABCDEF };
	struct thread *th;

	memset(&ut, 0, sizeof(ut));
	ut.space = mmu_space_create();
	KT_ASSERT(t, ut.space != NULL);
	KT_ASSERT(t, ut_map_new(CODE_VA, MMU_READ | MMU_EXEC, user_prog, sizeof(user_prog)) == 0);
	KT_ASSERT(t, ut_map_new(STACK_VA, MMU_READ | MMU_WRITE, "", 0) == 0);
	KT_ASSERT(t, ut_map_new(0x600000, MMU_READ | MMU_WRITE, tls, sizeof(tls)) == 0);
	user_set_ops(&ut_ops);
	th = thread_create(ut_thread, NULL, "user-test");
	KT_ASSERT(t, th != NULL);
	thread_join(th);
	KT_EXPECT_EQ(t, ut.getpid_arg, 42);
	KT_EXPECT_EQ(t, ut.nreports, 3);
	KT_EXPECT_EQ(t, ut.reports[0], 7);      /* syscall result came back */
	KT_EXPECT_EQ(t, ut.reports[1], 0x77);   /* fault resolved, load retried */
	KT_EXPECT_EQ(t, ut.reports[2], 0xABCDEF); /* FS base in effect */
	KT_EXPECT_EQ(t, ut.faults, 1);
	KT_EXPECT_EQ(t, ut.fault_addr, LAZY_VA);
	mmu_space_destroy(ut.space);
	user_set_ops(NULL);
}

KTEST(user, copies_check_and_resolve)
{
	u8 buf[16];
	char str[8];

	memset(&ut, 0, sizeof(ut));
	ut.space = mmu_space_create();
	KT_ASSERT(t, ut.space != NULL);
	user_set_ops(&ut_ops);
	mmu_space_activate(ut.space);
	KT_EXPECT_EQ(t, copy_from_user(buf, 0x1, 10), -EFAULT);          /* unmapped */
	KT_EXPECT_EQ(t, copy_from_user(buf, USER_TOP - 4, 10), -EFAULT); /* crosses the top */
	KT_EXPECT_EQ(t, copy_to_user((u64)buf, "x", 1), -EFAULT);        /* kernel address */
	KT_EXPECT_EQ(t, copy_from_user(buf, LAZY_VA, 4), 0);             /* resolved on fault */
	KT_EXPECT_EQ(t, buf[0], 0x77);
	KT_EXPECT_EQ(t, copy_to_user(LAZY_VA + 100, "tessera", 8), 0);
	KT_EXPECT_EQ(t, strncpy_from_user(str, LAZY_VA + 100, sizeof(str)), 7);
	KT_EXPECT(t, !strcmp(str, "tessera"));
	KT_EXPECT_EQ(t, strncpy_from_user(str, LAZY_VA + 100, 4), -ENAMETOOLONG);
	KT_EXPECT_EQ(t, copy_to_user(LAZY_VA + PAGE_SIZE - 2, "ab", 2), 0);
	/* the string runs into the next page, which cannot be resolved */
	KT_EXPECT_EQ(t, strncpy_from_user(str, LAZY_VA + PAGE_SIZE - 2, 8), -EFAULT);
	mmu_space_activate(mmu_kernel());
	mmu_space_destroy(ut.space);
	user_set_ops(NULL);
}
