/* Linux-only setup of plat_linux.c: where frames go. */
#ifndef NET_PLAT_PLAT_LINUX_H
#define NET_PLAT_PLAT_LINUX_H

#include <tessera/types.h>

/* Transmit one frame on port (the net_if_config.port). 0 or -errno;
 * must copy the frame and must not call into net/. */
typedef int (*plat_linux_xmit_fn)(void *port, const void *frame, size_t len);

void plat_linux_set_xmit(plat_linux_xmit_fn fn);

#endif
