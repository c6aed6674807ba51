/* Moving data across the user boundary for the handlers: every user
 * pointer goes through these, which check the range against user space and
 * then call the process's copy ops. All return 0 or -EFAULT. */
#ifndef LINUX_ABI_USER_H
#define LINUX_ABI_USER_H

#include "linux-abi/abi_proc.h"

int abi_copy_in(struct abi_thread *t, void *dst, u64 uaddr, u64 len);
int abi_copy_out(struct abi_thread *t, u64 uaddr, const void *src, u64 len);

/* Copy the NUL-terminated user string at uaddr into dst (size bytes).
 * Returns its length, -EFAULT, or -ENAMETOOLONG if it does not fit. */
long abi_copy_str_in(struct abi_thread *t, char *dst, u64 uaddr, u64 size);

/* Copy the user path at upath into a new buffer of ABI_PATH_MAX bytes
 * (*out, kfree it): its length, -EFAULT or -ENAMETOOLONG. Paths live on
 * the heap: kernel stacks are small. */
#define ABI_PATH_MAX 4096
long abi_path_in(struct abi_thread *t, u64 upath, char **out);
/* A new file's permission bits: mode without the process's umask. */
u32 abi_mode(struct abi_thread *t, u32 mode);

#endif
