/*
 * `tessera cp LOCAL VNODE:PATH` and `tessera cp VNODE:PATH LOCAL`: a file
 * into or out of a vNode's storage, through GPM (managers/gpm_files.c).
 * Into: the request "cp-in VNODE PATH SIZE MODE", then the file's bytes,
 * then the answer. Out of: "cp-out VNODE PATH", then frames "data LEN\n"
 * + LEN bytes written to LOCAL.part, renamed to LOCAL (or LOCAL/NAME when
 * LOCAL is a directory) at "ok". Files of PROGRESS_MIN bytes or more get
 * a progress line on stderr every PROGRESS_STEP bytes. Errors are one
 * line on stderr, exit status 1, and nothing is left behind locally.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/tessera/cli.h"

#define CP_LINE_MAX 8192
#define CP_HEAD_MAX 512
#define PROGRESS_MIN (8ull << 20)
#define PROGRESS_STEP (8ull << 20)

/* Whether s names a file of a vNode: "VNODE:PATH", VNODE without '/'. */
static bool cp_is_remote(const char *s)
{
	const char *colon = strchr(s, ':');

	return colon && colon > s && !memchr(s, '/', (size_t)(colon - s));
}

/* "VNODE:PATH" split into vnode (cap bytes) and *path: 0, or -1 after a
 * message. */
static int cp_remote(const char *s, char *vnode, size_t cap, const char **path)
{
	size_t len = (size_t)(strchr(s, ':') - s);

	if (len >= cap || strpbrk(s, " \t\r\n"))
		return fprintf(stderr, "tessera: cp: bad vNode path \"%s\"\n", s), -1;
	memcpy(vnode, s, len);
	vnode[len] = '\0';
	*path = s + len + 1;
	return 0;
}

static void cp_progress(unsigned long long done, unsigned long long total,
			unsigned long long *next)
{
	if (total < PROGRESS_MIN || done < *next)
		return;
	fprintf(stderr, "tessera: cp: %llu of %llu MiB\n", done >> 20, total >> 20);
	*next += PROGRESS_STEP;
}

/* The connection with the request line sent, or -1 after a message. */
static int cp_start(const char *socket, const char *line)
{
	int fd = cli_connect(socket);

	if (fd >= 0 && cli_send(fd, line) < 0) {
		fprintf(stderr, "tessera: lost GPM at %s: %s\n", socket, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* A last line of GPM's answer: 0 for "ok", 1 after the message of an
 * "err", -1 for any other line. */
static int cp_verdict(char *head)
{
	head[strcspn(head, "\n")] = '\0';
	if (!strcmp(head, "ok"))
		return 0;
	if (strncmp(head, "err ", 4))
		return -1;
	fprintf(stderr, "tessera: %s\n", head + 4);
	return 1;
}

/* The rest of GPM's answer on in: 0 for "ok", else 1 after a message. */
static int cp_end(FILE *in)
{
	char head[CP_HEAD_MAX];
	int r;

	while (fgets(head, sizeof(head), in))
		if ((r = cp_verdict(head)) >= 0)
			return r;
	fprintf(stderr, "tessera: lost GPM before the copy's end\n");
	return 1;
}

/* Send size bytes of file fd on the connection c: 0, or -1 if GPM
 * stopped reading (its answer says why). */
static int cp_send_file(int fd, int c, unsigned long long size)
{
	static char buf[65536];
	unsigned long long done = 0, next = PROGRESS_STEP;

	while (done < size) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fprintf(stderr, "tessera: cp: the file shrank while read\n"), -2;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = send(c, buf + off, (size_t)(n - off), MSG_NOSIGNAL);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -1;
			off += w;
		}
		done += (unsigned long long)n;
		cp_progress(done, size, &next);
	}
	return 0;
}

static int cp_in(const char *socket, const char *local, const char *vnode, const char *path)
{
	char line[CP_LINE_MAX];
	struct stat st;
	int fd = open(local, O_RDONLY | O_CLOEXEC), c, r;
	FILE *in;

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "tessera: cp: %s: %s\n", local,
			fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return 1;
	}
	snprintf(line, sizeof(line), "cp-in %s %s %llu %o\n", vnode, path,
		 (unsigned long long)st.st_size, (unsigned)(st.st_mode & 07777));
	c = cp_start(socket, line);
	if (c < 0) {
		close(fd);
		return 1;
	}
	r = cp_send_file(fd, c, (unsigned long long)st.st_size);
	close(fd);
	shutdown(c, SHUT_WR);
	in = r == -2 ? NULL : fdopen(c, "r");
	r = in ? cp_end(in) : 1;
	if (in)
		fclose(in);
	else
		close(c);
	return r;
}

/* Copy the data frames on in to out until the answer's end. */
static int cp_frames(FILE *in, FILE *out, const char *part)
{
	char head[CP_HEAD_MAX], buf[65536];
	unsigned long long done = 0;
	size_t len;

	while (fgets(head, sizeof(head), in)) {
		if (sscanf(head, "data %zu", &len) != 1) {
			int r = cp_verdict(head);

			if (r >= 0)
				return r;
			continue;
		}
		while (len) {
			size_t n = fread(buf, 1, len < sizeof(buf) ? len : sizeof(buf), in);

			if (!n)
				break;
			if (fwrite(buf, 1, n, out) != n)
				return fprintf(stderr, "tessera: cp: %s: %s\n", part,
					       strerror(errno)), 1;
			len -= n;
			done += n;
		}
		if (done >= PROGRESS_MIN && done % PROGRESS_STEP < sizeof(buf))
			fprintf(stderr, "tessera: cp: %llu MiB\n", done >> 20);
	}
	return cp_end(in);
}

static int cp_out(const char *socket, const char *vnode, const char *path, const char *local)
{
	char line[CP_LINE_MAX], dst[4096], part[4200];
	const char *name = strrchr(path, '/');
	struct stat st;
	FILE *in, *out;
	int c, r;

	if (!stat(local, &st) && S_ISDIR(st.st_mode))
		snprintf(dst, sizeof(dst), "%s/%s", local, name ? name + 1 : path);
	else
		snprintf(dst, sizeof(dst), "%s", local);
	snprintf(part, sizeof(part), "%s.part", dst);
	out = fopen(part, "wbx");
	if (!out)
		return fprintf(stderr, "tessera: cp: %s: %s\n", part, strerror(errno)), 1;
	snprintf(line, sizeof(line), "cp-out %s %s\n", vnode, path);
	c = cp_start(socket, line);
	in = c < 0 ? NULL : fdopen(c, "r");
	r = in ? cp_frames(in, out, part) : 1;
	if (in)
		fclose(in);
	if (fclose(out) && !r)
		r = fprintf(stderr, "tessera: cp: %s: %s\n", part, strerror(errno)) > 0;
	if (!r && rename(part, dst))
		r = fprintf(stderr, "tessera: cp: %s: %s\n", dst, strerror(errno)) > 0;
	if (r)
		unlink(part);
	return r;
}

int cli_cp(const char *socket, int argc, char **argv)
{
	char vnode[80];
	const char *path;

	if (argc != 3)
		return fprintf(stderr, "tessera: usage: cp LOCAL VNODE:PATH | cp VNODE:PATH LOCAL\n"),
		       1;
	if (cp_is_remote(argv[1]) == cp_is_remote(argv[2]))
		return fprintf(stderr, "tessera: cp: one of %s and %s must be VNODE:PATH, the "
			       "other local\n", argv[1], argv[2]), 1;
	if (cp_is_remote(argv[2]))
		return cp_remote(argv[2], vnode, sizeof(vnode), &path) ? 1 :
		       cp_in(socket, argv[1], vnode, path);
	return cp_remote(argv[1], vnode, sizeof(vnode), &path) ? 1 :
	       cp_out(socket, vnode, path, argv[2]);
}
