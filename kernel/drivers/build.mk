# kernel/drivers/: device drivers, linked into every image: PCI
# (enumeration, BARs, config space, MSI-X), the virtio PCI transport and
# its rings, virtio-net, the Intel 82574L (e1000e), virtio-blk, NVMe (a
# portable core, nvme_*.c, host-tested against a fake controller, and its
# PCI side, nvme.c), and the netdev and block device registries the
# layers above use. pci.c comes first: its initcall fills the PCI table
# the drivers' initcalls probe from; virtio_blk.c before nvme.c, so
# virtio disks keep the first indexes.

ksrcs-kernel/drivers += kernel/drivers/pci.c kernel/drivers/pci_bar.c kernel/drivers/pci_bridge.c \
	kernel/drivers/pci_space.c kernel/drivers/pci_msix.c \
	kernel/drivers/virtq.c kernel/drivers/virtio_pci.c \
	kernel/drivers/netdev.c kernel/drivers/virtio_net.c \
	kernel/drivers/e1000e.c kernel/drivers/e1000e_ring.c \
	kernel/drivers/blk.c kernel/drivers/virtio_blk.c \
	kernel/drivers/nvme_queue.c kernel/drivers/nvme_cmd.c \
	kernel/drivers/nvme_ctrl.c kernel/drivers/nvme_io.c kernel/drivers/nvme.c
ktests-kernel/drivers += kernel/drivers/pci_test.c kernel/drivers/pci_space_test.c \
	kernel/drivers/netdev_test.c kernel/drivers/nic_pair_test.c \
	kernel/drivers/virtio_net_test.c kernel/drivers/e1000e_test.c \
	kernel/drivers/e1000e_ring_test.c kernel/drivers/virtio_blk_test.c \
	kernel/drivers/nvme_test.c kernel/drivers/blk_bench_test.c

$(eval $(call host_test,pci_space,kernel/drivers/pci_space.c kernel/drivers/pci_space_test.c tests/host/shim_kernel.c))
$(eval $(call host_test,e1000e_ring,kernel/drivers/e1000e_ring.c kernel/drivers/e1000e_ring_test.c tests/host/shim_kernel.c))
$(eval $(call host_test,nvme,kernel/drivers/nvme_queue.c kernel/drivers/nvme_cmd.c \
	kernel/drivers/nvme_ctrl.c kernel/drivers/nvme_io.c kernel/drivers/nvme_fake.c \
	kernel/drivers/nvme_core_test.c kernel/lock.c kernel/lockrank.c kernel/lib/fmt.c \
	tests/host/shim_kernel.c tests/host/shim_pages.c))
