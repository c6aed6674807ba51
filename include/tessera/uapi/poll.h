/* Linux poll(2) and select(2) types (include/uapi/asm-generic/poll.h,
 * linux/posix_types.h). */
#ifndef TESSERA_UAPI_POLL_H
#define TESSERA_UAPI_POLL_H

#include <tessera/types.h>

#define POLLIN 0x0001u
#define POLLPRI 0x0002u
#define POLLOUT 0x0004u
#define POLLERR 0x0008u
#define POLLHUP 0x0010u
#define POLLNVAL 0x0020u
#define POLLRDNORM 0x0040u
#define POLLRDBAND 0x0080u
#define POLLWRNORM 0x0100u
#define POLLWRBAND 0x0200u

struct pollfd {
	s32 fd;
	s16 events;
	s16 revents;
};
_Static_assert(sizeof(struct pollfd) == 8, "pollfd is 8 bytes");

#define ABI_FD_SETSIZE 1024 /* bits in an fd_set (FD_SETSIZE) */

#endif
