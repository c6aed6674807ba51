/*
 * Loading a program into a new process, in two steps:
 *  - pexec_prepare (in the spawning thread): look the file up through the
 *    file backend, read and check its ELF headers (elf_load_plan) and
 *    build the initial stack image (exec_stack_build) in kernel memory.
 *  - pexec_start (in the process's own thread, its address space live):
 *    create the address space at the memory backend, map each segment
 *    and an 8 MiB stack, and copy the stack image in.
 *
 * Segments are private mappings whose first touch is filled from the
 * file by the pMonitor itself (VMASET_FILE: the file part, zeros after it),
 * so the memory backend stores a segment's page only once it was written
 * and evicted, exactly as for anonymous memory.
 */
#include <tessera/bootargs.h>
#include <tessera/errno.h>
#include <tessera/kmalloc.h>
#include <tessera/string.h>
#include <tessera/uapi/mman.h>
#include <tessera/user.h>

#include "linux-abi/abi.h"
#include "linux-abi/elf_load.h"
#include "linux-abi/exec_stack.h"
#include "processor/proc/proc.h"

#define PEXEC_STACK_SIZE (8 * MiB)
#define PEXEC_STACK_TOP ABI_USER_TOP

struct pexec_image {
	const struct pfile_backend *files; /* the process's */
	struct pfile_handle h;
	struct pfile_attr attr;
	struct elf_plan plan;
	u8 *stack;       /* the initial stack image, at rsp */
	u64 stack_size;
	u64 rsp;
};

static int pexec_read(void *ctx, u64 off, void *buf, u32 len)
{
	struct pexec_image *img = ctx;

	return (int)pfile_read_full(img->files, &img->h, off, buf, len);
}

/* AT_HWCAP: CPUID leaf 1 EDX, as Linux reports it on x86-64. */
static u64 pexec_hwcap(void)
{
	u32 a = 1, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d;
}

static int pexec_build_stack(struct pproc *p, struct pexec_image *img,
			     const struct pproc_spawn *a)
{
	u8 random[EXEC_RANDOM_BYTES];
	struct exec_args ea = {
		.argv = a->argv, .argc = a->argc, .envp = a->envp, .envc = a->envc,
		.execfn = p->exe, .plan = &img->plan, .random = random,
		.hwcap = pexec_hwcap(), .stack_top = PEXEC_STACK_TOP,
	};
	int err;

	pabi_ops.random(NULL, random, sizeof(random));
	err = exec_stack_size(&ea, &img->stack_size);
	if (err)
		return err;
	img->stack = kmalloc(img->stack_size);
	if (!img->stack)
		return -ENOMEM;
	return exec_stack_build(&ea, img->stack, img->stack_size, &img->rsp);
}

static void pexec_set_names(struct pproc *p, const char *path)
{
	const char *base = path;

	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			base = s + 1;
	str_copy(p->exe, path, sizeof(p->exe));
	str_copy(p->comm, base, sizeof(p->comm));
}

int pexec_prepare(struct pproc *p, const struct pproc_spawn *a)
{
	struct pexec_image *img = kzalloc(sizeof(*img));
	struct elf_source src = { pexec_read, img, 0 };
	int err;

	if (!img)
		return -ENOMEM;
	p->image = img;
	img->files = &p->files;
	if (strlen(a->path) >= sizeof(p->exe))
		return -ENAMETOOLONG;
	pexec_set_names(p, a->path);
	err = p->files.ops->lookup(p->files.be, a->path, &img->h, &img->attr);
	if (err)
		return err;
	if ((img->attr.mode & S_IFMT) != S_IFREG)
		return -EACCES;
	src.size = img->attr.size;
	err = elf_load_plan(&src, 0, &img->plan);
	if (err)
		return err;
	return pexec_build_stack(p, img, a);
}

u64 pexec_brk_start(struct pproc *p)
{
	return p->image->plan.hi;
}

static int pexec_map_segment(struct pproc *p, const struct pexec_image *img,
			     const struct elf_segment *s)
{
	struct pmem_mmap_req rq = {
		.addr = s->start, .len = s->end - s->start, .prot = s->prot,
		.flags = MAP_PRIVATE | MAP_FIXED, .file = img->h, .off = s->file_off,
	};
	struct vma v = { .flags = VMASET_FILE, .file = pfile_to_vma(img->h),
			  .off = s->file_off, .flen = s->copy_len };
	long r;

	if (!s->copy_len) {
		rq.flags |= MAP_ANONYMOUS;
		v.flags = 0;
	}
	r = pmap_mmap(p, &rq, &v);
	return r < 0 ? (int)r : 0;
}

static int pexec_map_stack(struct pproc *p)
{
	struct pmem_mmap_req rq = {
		.addr = PEXEC_STACK_TOP - PEXEC_STACK_SIZE, .len = PEXEC_STACK_SIZE,
		.prot = PROT_READ | PROT_WRITE,
		.flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	};
	long r = pmap_mmap(p, &rq, NULL);

	return r < 0 ? (int)r : 0;
}

int pexec_start(struct pproc *p, struct user_regs *regs)
{
	struct pexec_image *img = p->image;
	int err = p->mon->mem.ops->proc_create(p->mon->mem.be, p->pid, img->plan.hi);

	if (err)
		return err;
	p->mem_created = true;
	for (u32 i = 0; i < img->plan.nseg && !err; i++)
		err = pexec_map_segment(p, img, &img->plan.seg[i]);
	if (!err)
		err = pexec_map_stack(p);
	if (!err)
		err = copy_to_user(img->rsp, img->stack, img->stack_size);
	if (!err)
		user_regs_init(regs, img->plan.entry, img->rsp);
	return err;
}

void pexec_release(struct pproc *p)
{
	if (p->image)
		kfree(p->image->stack);
	kfree(p->image);
	p->image = NULL;
}
