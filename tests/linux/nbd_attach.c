/*
 * nbd-attach: connects an NBD device of this Linux guest to an NBD server
 * on the fabric (nbd-serve in another guest), for swap over the fabric.
 *
 *   nbd-attach SERVER_IP DEVICE [PORT]      e.g. nbd-attach 10.77.0.2 /dev/nbd0
 *
 * Does the handshake (fixed newstyle, export name ""), hands the socket to
 * the kernel and leaves a child in NBD_IOC_DO_IT, which serves the device until
 * it is disconnected; exits 0 once the device has its size ("NBD attached
 * DEVICE size_mib=N"). Needs nbd.ko loaded.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/linux/nbd.h"

static int handshake(int fd, uint64_t *size, uint16_t *flags)
{
	uint64_t magic[2], opt_magic = htobe64(NBD_OPTS_MAGIC);
	uint32_t cflags = htobe32(NBD_FLAG_FIXED_NEWSTYLE | NBD_FLAG_NO_ZEROES);
	uint32_t opt[2] = { htobe32(NBD_OPT_EXPORT_NAME), 0 };
	uint16_t sflags;

	if (nbd_read_all(fd, magic, 16) || be64toh(magic[0]) != NBD_INIT_MAGIC ||
	    be64toh(magic[1]) != NBD_OPTS_MAGIC || nbd_read_all(fd, &sflags, 2))
		return -1;
	if (nbd_write_all(fd, &cflags, 4) || nbd_write_all(fd, &opt_magic, 8) ||
	    nbd_write_all(fd, opt, 8) || nbd_read_all(fd, size, 8) || nbd_read_all(fd, flags, 2))
		return -1;
	*size = be64toh(*size);
	*flags = be16toh(*flags);
	return 0;
}

static int dial(const char *ip, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0 || inet_pton(AF_INET, ip, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

int main(int argc, char **argv)
{
	int port = argc > 3 ? atoi(argv[3]) : NBD_PORT, sock, dev;
	uint64_t size;
	uint16_t flags;

	if (argc < 3) {
		fprintf(stderr, "usage: nbd-attach SERVER_IP DEVICE [PORT]\n");
		return 2;
	}
	if ((sock = dial(argv[1], port)) < 0 || handshake(sock, &size, &flags) < 0) {
		perror("nbd-attach: server");
		return 1;
	}
	dev = open(argv[2], O_RDWR);
	if (dev < 0 || ioctl(dev, NBD_IOC_SET_BLKSIZE, 4096UL) < 0 ||
	    ioctl(dev, NBD_IOC_SET_SIZE, (unsigned long)size) < 0 ||
	    ioctl(dev, NBD_IOC_SET_FLAGS, (unsigned long)flags) < 0 ||
	    ioctl(dev, NBD_IOC_SET_SOCK, (unsigned long)sock) < 0) {
		perror("nbd-attach: device");
		return 1;
	}
	if (fork() == 0) {
		ioctl(dev, NBD_IOC_DO_IT);
		_exit(0);
	}
	printf("NBD attached %s size_mib=%llu\n", argv[2], (unsigned long long)(size >> 20));
	return 0;
}
