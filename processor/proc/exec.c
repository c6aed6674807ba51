/*
 * Loading a program, in two steps, for a new process (spawn) and for
 * execve (execve.c) alike:
 *  - pexec_load: look the file up through the file backend; a "#!" script
 *    names its interpreter, which is loaded instead with the script's
 *    path and the interpreter line's argument put in front of argv (up to
 *    PEXEC_MAX_SCRIPTS deep); read and check the ELF headers
 *    (elf_load_plan) and build the initial stack image (exec_stack_build)
 *    in kernel memory. Nothing of the process changes.
 *  - pexec_map (in the process's own thread, its address space live): map
 *    each segment and an 8 MiB stack at the memory backend and copy the
 *    stack image in.
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
#define PEXEC_MAX_SCRIPTS 4 /* interpreters of interpreters (Linux: 5 levels) */
#define PEXEC_LINE 256      /* what Linux reads of a "#!" line (BINPRM_BUF_SIZE) */

struct pexec_image {
	const struct pfile_backend *files; /* the process's */
	struct pfile_handle h;
	struct pfile_attr attr;
	struct elf_plan plan;
	char exe[PPROC_PATH_MAX]; /* the ELF file that runs */
	struct pargs *args; /* the strings on that stack, for /proc */
	u8 *stack;       /* the initial stack image, at rsp */
	u64 stack_size;
	u64 rsp;
};

/* The argument vector while scripts prepend their interpreters. */
struct pexec_argv {
	const char **v;
	u32 n;
	char *owned[2 * PEXEC_MAX_SCRIPTS]; /* interpreter strings we made */
	u32 nowned;
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

static int pexec_build_stack(struct pexec_image *img, const struct pexec_argv *av,
			     const char *const *envp, u32 envc, const char *execfn)
{
	u8 random[EXEC_RANDOM_BYTES];
	struct exec_args ea = {
		.argv = av->v, .argc = av->n, .envp = envp, .envc = envc,
		.execfn = execfn, .plan = &img->plan, .random = random,
		.hwcap = pexec_hwcap(), .stack_top = PEXEC_STACK_TOP,
	};
	int err;

	pabi_ops.random(NULL, random, sizeof(random));
	err = exec_stack_size(&ea, &img->stack_size);
	if (err)
		return err;
	img->stack = kmalloc(img->stack_size);
	img->args = pargs_new(av->v, av->n, envp, envc);
	if (!img->stack || !img->args)
		return -ENOMEM;
	return exec_stack_build(&ea, img->stack, img->stack_size, &img->rsp);
}

static int pexec_mode_ok(const struct pfile_attr *a)
{
	return (a->mode & S_IFMT) == S_IFREG && (a->mode & 0111) ? 0 : -EACCES;
}

int pexec_runnable(struct pproc *p, const char *path)
{
	struct pfile_handle h;
	struct pfile_attr attr;
	int err = p->files.ops->lookup(p->files.be, path, &h, &attr);

	return err ? err : pexec_mode_ok(&attr);
}

/* Look path up: a regular file with an execute bit, or -EACCES. */
static int pexec_open(struct pexec_image *img, const char *path)
{
	int err = img->files->ops->lookup(img->files->be, path, &img->h, &img->attr);

	if (!err)
		err = pexec_mode_ok(&img->attr);
	if (err)
		return err;
	if (strlen(path) >= sizeof(img->exe))
		return -ENAMETOOLONG;
	str_copy(img->exe, path, sizeof(img->exe));
	return 0;
}

static bool pexec_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Split a "#!" line (after the "#!", NUL-terminated) into its interpreter
 * and optional argument, Linux's way: blanks around them dropped, the
 * argument is the whole rest of the line. -ENOEXEC if there is none. */
static int pexec_parse_line(char *s, char **interp, char **arg)
{
	char *end;

	while (pexec_blank(*s))
		s++;
	if (!*s)
		return -ENOEXEC;
	*interp = s;
	while (*s && !pexec_blank(*s))
		s++;
	if (*s)
		*s++ = 0;
	while (pexec_blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && pexec_blank(end[-1]))
		*--end = 0;
	*arg = *s ? s : NULL;
	return 0;
}

/* Put strs (n of them) in front of av with av's argv[0] replaced by path:
 * [strs..., path, argv[1..]]. */
static int pexec_prepend(struct pexec_argv *av, char **strs, u32 n, const char *path)
{
	const char **v = kmalloc((av->n + n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (u32 i = 0; i < n; i++)
		v[i] = strs[i];
	v[n] = path;
	for (u32 i = 1; i < av->n; i++)
		v[n + i] = av->v[i];
	kfree(av->v);
	av->v = v;
	av->n += n + (av->n == 0);
	return 0;
}

/* If img is a "#!" script: its interpreter line into line (NUL-ended)
 * and 1; 0 for anything else. */
static int pexec_script_line(struct pexec_image *img, char *line)
{
	long n = pfile_read_full(img->files, &img->h, 0, line, PEXEC_LINE - 1);
	char *nl;

	if (n < 0)
		return (int)n;
	line[n] = 0;
	if (n < 2 || line[0] != '#' || line[1] != '!')
		return 0;
	nl = strchr(line, '\n');
	if (nl)
		*nl = 0;
	return 1;
}

static char *pexec_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = kmalloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* img is a script: load its interpreter's name in *next, argv prepended. */
static int pexec_script(struct pexec_image *img, char *line, struct pexec_argv *av,
			const char *path, const char **next)
{
	char *interp, *arg, *strs[2];
	u32 n = 0;
	int err = pexec_parse_line(line + 2, &interp, &arg);

	if (err)
		return err;
	strs[n++] = interp;
	if (arg)
		strs[n++] = arg;
	for (u32 i = 0; i < n; i++) {
		strs[i] = pexec_strdup(strs[i]);
		if (!strs[i])
			return -ENOMEM;
		av->owned[av->nowned++] = strs[i];
	}
	*next = strs[0];
	return pexec_prepend(av, strs, n, path);
}

/* Open path, following "#!" lines, until an ELF file: its plan. */
static int pexec_find_elf(struct pexec_image *img, const char *path, struct pexec_argv *av)
{
	char *line = kmalloc(PEXEC_LINE);
	int err = line ? 0 : -ENOMEM;

	for (u32 depth = 0; !err; depth++) {
		struct elf_source src = { pexec_read, img, 0 };

		err = pexec_open(img, path);
		if (!err)
			err = pexec_script_line(img, line);
		if (err < 0)
			break;
		if (err == 0) {
			src.size = img->attr.size;
			err = elf_load_plan(&src, 0, &img->plan);
			break;
		}
		err = depth == PEXEC_MAX_SCRIPTS ? -ELOOP : pexec_script(img, line, av, path, &path);
	}
	kfree(line);
	return err;
}

static void pexec_argv_free(struct pexec_argv *av)
{
	for (u32 i = 0; i < av->nowned; i++)
		kfree(av->owned[i]);
	kfree(av->v);
}

int pexec_load(struct pproc *p, const struct pexec_request *rq, struct pexec_image **out)
{
	struct pexec_image *img = kzalloc(sizeof(*img));
	struct pexec_argv av = { .v = kmalloc((rq->argc + 1) * sizeof(char *)), .n = rq->argc };
	int err = img && av.v ? 0 : -ENOMEM;

	if (!err) {
		img->files = &p->files;
		for (u32 i = 0; i < rq->argc; i++)
			av.v[i] = rq->argv[i];
		err = pexec_find_elf(img, rq->path, &av);
	}
	if (!err)
		err = pexec_build_stack(img, &av, rq->envp, rq->envc, rq->path);
	pexec_argv_free(&av);
	*out = img;
	return err;
}

void pexec_free(struct pexec_image *img)
{
	if (img) {
		kfree(img->stack);
		pargs_put_ref(img->args);
	}
	kfree(img);
}

void pexec_keep_args(struct pproc *p, struct pexec_image *img)
{
	pargs_set(p, img->args);
	img->args = NULL;
}

const char *pexec_exe(const struct pexec_image *img)
{
	return img->exe;
}

u64 pexec_brk(const struct pexec_image *img)
{
	return img->plan.hi;
}

void pexec_set_names(struct pproc *p, const char *path, const char *exe)
{
	const char *base = path;

	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			base = s + 1;
	str_copy(p->exe, exe, sizeof(p->exe));
	str_copy(p->comm, base, sizeof(p->comm));
}

void pexec_set_args(struct pproc *p, const char *const *argv, u32 argc)
{
	u64 len = 0;

	p->args[0] = '\0';
	for (u32 i = 0; i < argc && len + 1 < sizeof(p->args); i++) {
		if (i)
			p->args[len++] = ' ';
		str_copy(p->args + len, argv[i], sizeof(p->args) - len);
		len += strlen(p->args + len);
	}
}

int pexec_prepare(struct pproc *p, const struct pproc_spawn *a)
{
	struct pexec_request rq = { .path = a->path, .argv = a->argv, .argc = a->argc,
				    .envp = a->envp, .envc = a->envc };
	int err;

	if (strlen(a->path) >= sizeof(p->exe))
		return -ENAMETOOLONG;
	pexec_set_names(p, a->path, a->path);
	pexec_set_args(p, a->argv, a->argc);
	err = pexec_load(p, &rq, &p->image);
	if (!err) {
		pexec_set_names(p, a->path, p->image->exe);
		pexec_keep_args(p, p->image);
	}
	return err;
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

int pexec_map(struct pproc *p, const struct pexec_image *img, struct user_regs *regs)
{
	int err = 0;

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

int pexec_start(struct pproc *p, struct user_regs *regs)
{
	struct pexec_image *img = p->image;
	int err = p->mon->mem.ops->proc_create(p->mon->mem.be, p->pid, img->plan.hi);

	if (err)
		return err;
	p->mem_created = true;
	return pexec_map(p, img, regs);
}

void pexec_release(struct pproc *p)
{
	pexec_free(p->image);
	p->image = NULL;
}
