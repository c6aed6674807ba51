/*
 * nbd-serve: a RAM-backed NBD server for one client at a time, the far
 * end of the bench's "swap over the fabric" baseline (a second Linux guest
 * serves the first one's swap device over TCP on the fabric).
 *
 *   nbd-serve SIZE_MIB [PORT]
 *
 * Serves an export of SIZE_MIB MiB (zero-filled, in this process's memory)
 * under any name; prints "NBD serving size_mib=N port=P" once listening.
 * Bad requests (wrong magic, out-of-range offsets) end the connection.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/linux/nbd.h"

static char *disk;
static uint64_t disk_size;

static int handshake(int fd)
{
	uint64_t magic[2] = { htobe64(NBD_INIT_MAGIC), htobe64(NBD_OPTS_MAGIC) };
	uint16_t flags = htobe16(NBD_FLAG_FIXED_NEWSTYLE | NBD_FLAG_NO_ZEROES);
	uint32_t cflags, opt[2];
	uint64_t omagic, size = htobe64(disk_size);
	uint16_t tflags = htobe16(NBD_FLAG_HAS_FLAGS | NBD_FLAG_SEND_FLUSH);
	char name[4096];

	if (nbd_write_all(fd, magic, 16) || nbd_write_all(fd, &flags, 2) ||
	    nbd_read_all(fd, &cflags, 4) || nbd_read_all(fd, &omagic, 8) ||
	    nbd_read_all(fd, opt, 8))
		return -1;
	opt[1] = be32toh(opt[1]);
	if (be64toh(omagic) != NBD_OPTS_MAGIC || be32toh(opt[0]) != NBD_OPT_EXPORT_NAME ||
	    opt[1] >= sizeof(name) || nbd_read_all(fd, name, opt[1]))
		return -1;
	if (nbd_write_all(fd, &size, 8) || nbd_write_all(fd, &tflags, 2))
		return -1;
	if (!(be32toh(cflags) & NBD_FLAG_NO_ZEROES)) {
		static const char zeroes[124];

		return nbd_write_all(fd, zeroes, sizeof(zeroes));
	}
	return 0;
}

/* Serve requests until the client disconnects or misbehaves. */
static void serve(int fd)
{
	struct nbdw_request rq;
	struct nbdw_reply rp = { .magic = htobe32(NBD_REPLY_MAGIC) };

	while (!nbd_read_all(fd, &rq, sizeof(rq)) && be32toh(rq.magic) == NBD_REQUEST_MAGIC) {
		uint64_t off = be64toh(rq.offset);
		uint32_t len = be32toh(rq.length);
		uint16_t type = be16toh(rq.type);

		if (type == NBD_CMD_DISC)
			return;
		if ((type == NBD_CMD_READ || type == NBD_CMD_WRITE) &&
		    (off > disk_size || len > disk_size - off))
			return;
		if (type == NBD_CMD_WRITE && nbd_read_all(fd, disk + off, len))
			return;
		rp.handle = rq.handle;
		if (nbd_write_all(fd, &rp, sizeof(rp)) ||
		    (type == NBD_CMD_READ && nbd_write_all(fd, disk + off, len)))
			return;
	}
}

int main(int argc, char **argv)
{
	int port = argc > 2 ? atoi(argv[2]) : NBD_PORT, one = 1;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int lfd = socket(AF_INET, SOCK_STREAM, 0);

	disk_size = argc > 1 ? strtoull(argv[1], NULL, 0) << 20 : 0;
	disk = disk_size ? calloc(1, disk_size) : NULL;
	if (!disk || lfd < 0) {
		fprintf(stderr, "usage: nbd-serve SIZE_MIB [PORT]\n");
		return 2;
	}
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 1) < 0) {
		perror("nbd-serve: listen");
		return 1;
	}
	printf("NBD serving size_mib=%llu port=%d\n", (unsigned long long)(disk_size >> 20), port);
	fflush(stdout);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0)
			continue;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (!handshake(fd))
			serve(fd);
		close(fd);
	}
}
