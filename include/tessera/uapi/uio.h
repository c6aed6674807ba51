/* Linux struct iovec for readv/writev (include/uapi/linux/uio.h). */
#ifndef TESSERA_UAPI_UIO_H
#define TESSERA_UAPI_UIO_H

#include <tessera/types.h>

struct iovec {
	u64 iov_base; /* a user address */
	u64 iov_len;
};
_Static_assert(sizeof(struct iovec) == 16, "iovec is 16 bytes");

#define UIO_MAXIOV 1024

#endif
