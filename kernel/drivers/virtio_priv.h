/* Split virtqueue set-up, shared by virtq.c and virtio_pci.c. */
#ifndef KERNEL_DRIVERS_VIRTIO_PRIV_H
#define KERNEL_DRIVERS_VIRTIO_PRIV_H

#include <tessera/virtio.h>

/* Allocate zeroed rings for size entries (a power of two) and chain every
 * descriptor on the free list. 0 or -ENOMEM. */
int virtq_init(struct virtq *vq, u16 index, u16 size);
void virtq_free(struct virtq *vq);
/* Physical addresses of the three rings, for the device. */
paddr_t virtq_desc_pa(const struct virtq *vq);
paddr_t virtq_avail_pa(const struct virtq *vq);
paddr_t virtq_used_pa(const struct virtq *vq);

#endif
