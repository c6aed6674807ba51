/*
 * State and helpers shared by the PCI files of kernel/drivers: the table of
 * functions (pci.c), BAR sizing and assignment (pci_bar.c) and the address
 * space allocator they use (pci_space.c).
 */
#ifndef KERNEL_DRIVERS_PCI_PRIV_H
#define KERNEL_DRIVERS_PCI_PRIV_H

#include <tessera/pci.h>

/* The functions found by pci_init; written only during pci_init. */
extern struct pci_dev pci_devs[PCI_MAX_DEVS];
extern int pci_nr_devs;

/* A span of bus addresses [base, end) in use. */
struct pci_range {
	u64 base, end;
};

#define PCI_SPACE_MAX_USED (PCI_MAX_DEVS * PCI_NR_BARS + 64) /* BARs + memory map */

/*
 * An address window [base, limit) from which BARs are given out, minus the
 * ranges already in use (firmware-assigned BARs, reserved memory, earlier
 * allocations). Used by one thread at boot: no lock.
 */
struct pci_space {
	u64 base, limit;
	int nr_used;
	struct pci_range used[PCI_SPACE_MAX_USED];
};

void pci_space_init(struct pci_space *s, u64 base, u64 limit);
/* Mark [base, base + size) in use. 0, or -ENOSPC when the table is full. */
int pci_space_reserve(struct pci_space *s, u64 base, u64 size);
/* A free naturally aligned block of size bytes (a power of two), now in
 * use; 0 when none fits. */
u64 pci_space_alloc(struct pci_space *s, u64 size);

/* pci_bar.c. Size the BARs of d (decoding off meanwhile) into d->bar[]. */
void pci_bars_probe(struct pci_dev *d);
/* Give an address to every implemented BAR still at 0. Returns how many. */
int pci_bars_assign(void);
/* Give BAR i of d (unassigned) an address from mem or io; false when
 * there is no room (logged). */
bool pci_bar_assign(struct pci_dev *d, int i, struct pci_space *mem,
		    struct pci_space *io);
/* Mark every BAR already placed (by the firmware or by us) in use. */
void pci_reserve_placed(struct pci_space *mem, struct pci_space *io);

/* pci_bridge.c. Assign the BARs of every function on bus and, depth
 * first, behind its bridges, opening the memory window of each bridge the
 * firmware left closed (from mem, the window of the bus above). Memory
 * BARs are placed largest first, so they pack into the window sized for
 * them; I/O BARs only on bus 0. Returns how many BARs were placed. */
int pci_bus_assign(u8 bus, struct pci_space *mem, struct pci_space *io, int depth);
/* A bridge's memory window as its registers say: base and size (0 when
 * closed). */
u64 pci_window_base(const struct pci_dev *br);
u64 pci_window_size(const struct pci_dev *br);

#endif
