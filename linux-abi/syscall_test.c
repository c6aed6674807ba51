/* Dispatcher and table tests: table entries sit at their own numbers,
 * unknown and unimplemented numbers give -ENOSYS and are logged once. */
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "linux-abi/fake_proc.h"

KTEST(syscall, table_is_consistent)
{
	u32 named = 0, implemented = 0;

	for (u32 i = 0; i < NR_SYSCALLS; i++) {
		if (!syscall_table[i].name) {
			KT_EXPECT(t, syscall_table[i].fn == NULL);
			continue;
		}
		KT_EXPECT_EQ(t, syscall_table[i].nr, i);
		named++;
		implemented += syscall_table[i].fn != NULL;
	}
	ktest_log("%u syscalls named, %u implemented", named, implemented);
	KT_EXPECT(t, named > 350);
	KT_EXPECT(t, !strcmp(abi_syscall_name(__NR_read), "read"));
	KT_EXPECT(t, !strcmp(abi_syscall_name(__NR_exit_group), "exit_group"));
	KT_EXPECT(t, !strcmp(abi_syscall_name(__NR_rseq), "rseq"));
	KT_EXPECT(t, abi_syscall_name(400) == NULL);
	KT_EXPECT(t, abi_syscall_name(100000) == NULL);
}

KTEST(syscall, unimplemented_is_enosys)
{
	struct fake_proc f;

	fake_init(&f);
	KT_EXPECT(t, !abi_enosys_logged(__NR_kexec_load));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_kexec_load, 0, 0, 0, 0), -ENOSYS);
	KT_EXPECT(t, abi_enosys_logged(__NR_kexec_load));
	KT_EXPECT_EQ(t, fake_call(&f, __NR_kexec_load, 0, 0, 0, 0), -ENOSYS);
	KT_EXPECT_EQ(t, fake_call(&f, 400, 0, 0, 0, 0), -ENOSYS);
	KT_EXPECT_EQ(t, fake_call(&f, NR_SYSCALLS, 0, 0, 0, 0), -ENOSYS);
	KT_EXPECT_EQ(t, fake_call(&f, ~0ull, 0, 0, 0, 0), -ENOSYS);
	KT_EXPECT(t, abi_enosys_logged(~0ull));
	KT_EXPECT(t, !abi_enosys_logged(__NR_getpid));
	fake_free(&f);
}
