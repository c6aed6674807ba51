# Device drivers, linked into every image: PCI, the virtio PCI transport,
# virtio-net and virtio-blk, and the netdev registry. pci.c comes first: its
# initcall fills the PCI table the drivers' initcalls probe from.
ksrcs-kernel/drivers += kernel/drivers/pci.c kernel/drivers/pci_bar.c \
	kernel/drivers/pci_space.c kernel/drivers/pci_msix.c \
	kernel/drivers/pci_test.c kernel/drivers/pci_space_test.c \
	kernel/drivers/virtq.c kernel/drivers/virtio_pci.c \
	kernel/drivers/netdev.c kernel/drivers/netdev_test.c \
	kernel/drivers/virtio_net.c kernel/drivers/virtio_net_test.c \
	kernel/drivers/blk.c kernel/drivers/virtio_blk.c kernel/drivers/virtio_blk_test.c

$(eval $(call host_test,pci_space,kernel/drivers/pci_space.c kernel/drivers/pci_space_test.c tests/host/shim_kernel.c))
