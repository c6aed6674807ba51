/* User copies with range checks (user.h). Strings are read a page at a
 * time, so a string that ends just before an unmapped page still copies. */
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>

#include "linux-abi/abi.h"
#include "linux-abi/user.h"

int abi_copy_in(struct abi_thread *t, void *dst, u64 uaddr, u64 len)
{
	if (!abi_user_range_ok(uaddr, len))
		return -EFAULT;
	if (len == 0)
		return 0;
	return t->proc->ops->copy_from_user(t, dst, uaddr, len) ? -EFAULT : 0;
}

int abi_copy_out(struct abi_thread *t, u64 uaddr, const void *src, u64 len)
{
	if (!abi_user_range_ok(uaddr, len))
		return -EFAULT;
	if (len == 0)
		return 0;
	return t->proc->ops->copy_to_user(t, uaddr, src, len) ? -EFAULT : 0;
}

static char *find_nul(char *s, u64 n)
{
	for (u64 i = 0; i < n; i++)
		if (s[i] == 0)
			return s + i;
	return NULL;
}

long abi_copy_str_in(struct abi_thread *t, char *dst, u64 uaddr, u64 size)
{
	u64 done = 0;

	while (done < size) {
		u64 at = uaddr + done;
		u64 n = MIN(size - done, ABI_PAGE_SIZE - at % ABI_PAGE_SIZE);
		char *nul;

		if (abi_copy_in(t, dst + done, at, n))
			return -EFAULT;
		nul = find_nul(dst + done, n);
		if (nul)
			return nul - dst;
		done += n;
	}
	return -ENAMETOOLONG;
}

long abi_path_in(struct abi_thread *t, u64 upath, char **out)
{
	char *buf = kmalloc(ABI_PATH_MAX);
	long len;

	if (!buf)
		return -ENOMEM;
	len = abi_copy_str_in(t, buf, upath, ABI_PATH_MAX);
	if (len < 0) {
		kfree(buf);
		return len;
	}
	*out = buf;
	return len;
}

u32 abi_mode(struct abi_thread *t, u32 mode)
{
	return mode & 07777 & ~__atomic_load_n(&t->proc->umask, __ATOMIC_RELAXED);
}
