/*
 * tessera: the user's command line. It holds no state: each subcommand is
 * one request line sent to GPM's CLI socket; the answer's lines are
 * printed as they are, and its last line ("ok" or "err MESSAGE") gives
 * the exit status. Errors are one line on stderr and exit status 1.
 * `run` streams a program's output instead (tessera_run.c).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "tools/tessera/cli.h"

#define CLI_DEFAULT_SOCKET "build/rig/default/gpm.cli"
#define CLI_REPLY_MAX 65536

static const char usage[] =
	"usage: tessera [--socket PATH] COMMAND\n"
	"\n"
	"Commands (answered by GPM, the global process manager):\n"
	"  nodes               every component that registered: name, role,\n"
	"                      state (alive/dead), id, incarnation, address,\n"
	"                      cores, RAM and free RAM, disk, load and the age\n"
	"                      of its last heartbeat\n"
	"  vnode create NAME   create a vNode: GPM picks the least loaded\n"
	"                      processor, GMM a home memory component and a\n"
	"                      vRegion owner, GSM a storage component\n"
	"  vnode ls            list vNodes and the components serving them\n"
	"  stats               the manager's message counters (rejected\n"
	"                      registrations by reason)\n"
	"  run [--vnode NAME] [--excache SIZE] [--stats] [--upload] PATH [ARGS...]\n"
	"                      run the static Linux program PATH (from the\n"
	"                      vNode's storage component) in vNode NAME (made\n"
	"                      if there is none; default: a fresh vNode, gone\n"
	"                      after the run). Its stdout and stderr are\n"
	"                      printed as it writes them; tessera exits with\n"
	"                      its exit status, or 128+N if it died of signal\n"
	"                      N, after a one-line reason on stderr (e.g.\n"
	"                      \"tessera: segmentation fault at 0x0 ...\"), or\n"
	"                      125 if it could not be started.\n"
	"                      --upload: PATH is a local program, copied to the\n"
	"                      vNode's storage for the run and removed after.\n"
	"                      --excache SIZE (bytes, or with K, M, G) caps the\n"
	"                      share of its pComponent's ExCache (whole sets,\n"
	"                      at least one); --stats prints its\n"
	"                      fault and ExCache counters on stderr at exit.\n"
	"                      Our stdin is the program's, to its end; SIGINT,\n"
	"                      SIGTERM, SIGHUP and SIGQUIT go to its process\n"
	"                      group (so Ctrl-C ends it, status 130)\n"
	"  cp LOCAL VNODE:PATH, cp VNODE:PATH LOCAL\n"
	"                      copy a file into or out of vNode VNODE's storage\n"
	"                      (PATH absolute there; the vNode is made if there\n"
	"                      is none; LOCAL may be a directory); a line of\n"
	"                      progress on stderr every 8 MiB of a large file\n"
	"  ps [VNODE]          the processes of every vNode (or one): pid, ppid,\n"
	"                      process group, state (R, S, T, Z), pComponent,\n"
	"                      lines in its ExCache, command\n"
	"  kill [-SIGNAL] VNODE PID\n"
	"                      send SIGNAL (a number or a name; default TERM)\n"
	"                      to process PID of the vNode, or to the process\n"
	"                      group -PID\n"
	"\n"
	"--socket PATH (or $TESSERA_SOCKET) names the manager's CLI socket;\n"
	"the default, " CLI_DEFAULT_SOCKET ", is the one `make run` starts.\n";

int cli_connect(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(a.sun_path)) {
		fprintf(stderr, "tessera: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(a.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
		return fd;
	fprintf(stderr, "tessera: cannot reach GPM at %s: %s (is the cluster up?)\n",
		path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

int cli_send(int fd, const char *line)
{
	size_t len = strlen(line), off = 0;

	while (off < len) {
		ssize_t w = write(fd, line + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

/* Read the whole answer into buf (NUL-terminated); its length or -1. */
static ssize_t cli_read(int fd, char *buf, size_t cap)
{
	size_t len = 0;

	for (;;) {
		ssize_t r = read(fd, buf + len, cap - 1 - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0 || len + (size_t)r == cap - 1)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	return (ssize_t)len;
}

/* Print the answer's body; the exit status from its last line. */
static int cli_answer(char *buf, size_t len)
{
	char *last;

	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	last = strrchr(buf, '\n');
	last = last ? last + 1 : buf;
	fwrite(buf, 1, (size_t)(last - buf), stdout);
	if (!strcmp(last, "ok"))
		return 0;
	if (!strncmp(last, "err ", 4))
		fprintf(stderr, "tessera: %s\n", last + 4);
	else
		fprintf(stderr, "tessera: malformed answer from GPM\n");
	return 1;
}

static int cli_request(const char *path, const char *line)
{
	static char buf[CLI_REPLY_MAX];
	int fd = cli_connect(path);
	ssize_t n;

	if (fd < 0)
		return 1;
	if (cli_send(fd, line) < 0 || (n = cli_read(fd, buf, sizeof(buf))) < 0) {
		fprintf(stderr, "tessera: lost GPM at %s: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	return cli_answer(buf, (size_t)n);
}

/* The request line for argv, or NULL (with a message) if it is not one. */
static const char *cli_line(int argc, char **argv, char *line, size_t cap)
{
	bool ok = (argc == 1 && (!strcmp(argv[0], "nodes") ||
				 !strcmp(argv[0], "stats"))) ||
		  (argc == 2 && !strcmp(argv[0], "vnode") && !strcmp(argv[1], "ls")) ||
		  (argc == 3 && !strcmp(argv[0], "vnode") && !strcmp(argv[1], "create"));

	if (!ok) {
		fprintf(stderr, "tessera: unknown command \"%s\"; see tessera --help\n",
			argc ? argv[0] : "");
		return NULL;
	}
	if (argc == 3 && (strpbrk(argv[2], " \t\r\n") || strlen(argv[2]) > 64)) {
		fprintf(stderr, "tessera: bad vnode name \"%s\"\n", argv[2]);
		return NULL;
	}
	snprintf(line, cap, "%s%s%s%s%s\n", argv[0], argc > 1 ? " " : "",
		 argc > 1 ? argv[1] : "", argc > 2 ? " " : "", argc > 2 ? argv[2] : "");
	return line;
}

int main(int argc, char **argv)
{
	const char *path = getenv("TESSERA_SOCKET");
	char line[128];
	int i = 1;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "--socket")) {
		path = argv[2];
		i = 3;
	}
	if (i >= argc) {
		fputs(usage, stderr);
		return 1;
	}
	path = path && *path ? path : CLI_DEFAULT_SOCKET;
	if (!strcmp(argv[i], "run"))
		return cli_run(path, argc - i, argv + i);
	if (!strcmp(argv[i], "cp"))
		return cli_cp(path, argc - i, argv + i);
	if (!strcmp(argv[i], "ps") || !strcmp(argv[i], "kill")) {
		if (!cli_proc_line(argc - i, argv + i, line, sizeof(line)))
			return 1;
	} else if (!cli_line(argc - i, argv + i, line, sizeof(line))) {
		return 1;
	}
	return cli_request(path, line);
}
