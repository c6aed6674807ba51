/*
 * The initial stack and auxiliary vector (exec_stack.h). The image is laid
 * out top-down the way Linux's create_elf_tables does it, computed first
 * (exec_layout) and then written into a kernel buffer that mirrors
 * [rsp, stack_top).
 */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/uapi/auxv.h>

#include "linux-abi/abi.h"
#include "linux-abi/exec_stack.h"

#define EXEC_PLATFORM "x86_64"
#define AUXV_PAIRS 18 /* including AT_NULL */

/* Where each part of the image goes, as user addresses. */
struct exec_layout {
	u64 rsp;
	u64 random;   /* AT_RANDOM bytes */
	u64 platform; /* "x86_64" */
	u64 strings;  /* argv strings, then envp strings */
	u64 execfn;
	u64 top;
};

/* The bytes that argv and envp take: strings with their NULs plus the
 * pointers to them. Returns false beyond EXEC_ARG_MAX. */
static bool args_size(const char *const *v, u32 n, u64 *total)
{
	for (u32 i = 0; i < n; i++) {
		*total += strlen(v[i]) + 1 + sizeof(u64);
		if (*total > EXEC_ARG_MAX)
			return false;
	}
	return true;
}

static int exec_layout(const struct exec_args *a, struct exec_layout *l)
{
	u64 args = 0, strs, table, fnlen = strlen(a->execfn) + 1;

	if (a->stack_top % 16 || !abi_user_range_ok(a->stack_top, 0))
		return -EINVAL;
	if (!args_size(a->argv, a->argc, &args) || !args_size(a->envp, a->envc, &args))
		return -E2BIG;
	if (fnlen > EXEC_PATH_MAX)
		return -ENAMETOOLONG;
	strs = args - (u64)(a->argc + a->envc) * sizeof(u64);
	table = (1 + a->argc + 1 + a->envc + 1 + 2 * AUXV_PAIRS) * sizeof(u64);
	if (a->stack_top < ABI_USER_MIN + EXEC_ARG_MAX + EXEC_PATH_MAX + table + 256)
		return -EINVAL;
	l->top = a->stack_top;
	l->execfn = l->top - sizeof(u64) - fnlen;
	l->strings = l->execfn - strs;
	l->platform = l->strings - sizeof(EXEC_PLATFORM);
	l->random = ALIGN_DOWN(l->platform - EXEC_RANDOM_BYTES, 16);
	l->rsp = ALIGN_DOWN(l->random - table, 16);
	return 0;
}

int exec_stack_size(const struct exec_args *a, u64 *size)
{
	struct exec_layout l;
	int err = exec_layout(a, &l);

	if (!err)
		*size = l.top - l.rsp;
	return err;
}

/* The image under construction: buf mirrors [rsp, top). */
struct image {
	u8 *buf;
	u64 rsp;
	u64 at; /* next table slot, a user address */
};

static void put_u64(struct image *im, u64 v)
{
	memcpy(im->buf + (im->at - im->rsp), &v, sizeof(v));
	im->at += sizeof(v);
}

static void put_bytes(struct image *im, u64 addr, const void *p, u64 n)
{
	memcpy(im->buf + (addr - im->rsp), p, n);
}

/* Copy n strings to *str (advancing it) and their addresses to the table,
 * then the NULL that ends the array. */
static void put_strings(struct image *im, const char *const *v, u32 n, u64 *str)
{
	for (u32 i = 0; i < n; i++) {
		u64 len = strlen(v[i]) + 1;

		put_bytes(im, *str, v[i], len);
		put_u64(im, *str);
		*str += len;
	}
	put_u64(im, 0);
}

static void put_aux(struct image *im, u64 type, u64 val)
{
	put_u64(im, type);
	put_u64(im, val);
}

static void put_auxv(struct image *im, const struct exec_args *a,
		     const struct exec_layout *l)
{
	const struct elf_plan *p = a->plan;

	put_aux(im, AT_PHDR, p->phdr_addr);
	put_aux(im, AT_PHENT, p->phent);
	put_aux(im, AT_PHNUM, p->phnum);
	put_aux(im, AT_PAGESZ, ABI_PAGE_SIZE);
	put_aux(im, AT_BASE, 0);
	put_aux(im, AT_FLAGS, 0);
	put_aux(im, AT_ENTRY, p->entry);
	put_aux(im, AT_UID, a->uid);
	put_aux(im, AT_EUID, a->euid);
	put_aux(im, AT_GID, a->gid);
	put_aux(im, AT_EGID, a->egid);
	put_aux(im, AT_SECURE, 0);
	put_aux(im, AT_RANDOM, l->random);
	put_aux(im, AT_HWCAP, a->hwcap);
	put_aux(im, AT_CLKTCK, EXEC_CLKTCK);
	put_aux(im, AT_EXECFN, l->execfn);
	put_aux(im, AT_PLATFORM, l->platform);
	put_aux(im, AT_NULL, 0);
}

int exec_stack_build(const struct exec_args *a, u8 *buf, u64 cap, u64 *rsp)
{
	struct exec_layout l;
	struct image im = { .buf = buf };
	u64 str;
	int err = exec_layout(a, &l);

	if (err)
		return err;
	if (cap < l.top - l.rsp)
		return -ENOSPC;
	memset(buf, 0, l.top - l.rsp);
	im.rsp = im.at = l.rsp;
	str = l.strings;
	put_u64(&im, a->argc);
	put_strings(&im, a->argv, a->argc, &str);
	put_strings(&im, a->envp, a->envc, &str);
	put_auxv(&im, a, &l);
	put_bytes(&im, l.random, a->random, EXEC_RANDOM_BYTES);
	put_bytes(&im, l.platform, EXEC_PLATFORM, sizeof(EXEC_PLATFORM));
	put_bytes(&im, l.execfn, a->execfn, strlen(a->execfn) + 1);
	*rsp = l.rsp;
	return 0;
}
