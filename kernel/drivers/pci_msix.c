/*
 * MSI-X: the capability, the vector table in a memory BAR, one CPU vector
 * per table entry. A driver enables MSI-X once while probing, then routes
 * the entries it uses; the table belongs to that driver (no lock here).
 */
#include <tessera/errno.h>

#include "kernel/drivers/pci_priv.h"

#define MSIX_CTRL 2
#define MSIX_TABLE 4
#define MSIX_CTRL_ENABLE (1u << 15)
#define MSIX_CTRL_FMASK (1u << 14)
#define MSIX_ENTRY_DWORDS 4
#define MSIX_VCTRL_MASKED 1u

static void pci_msix_mask(struct pci_dev *d, u16 entry)
{
	d->msix.table[entry * MSIX_ENTRY_DWORDS + 3] = MSIX_VCTRL_MASKED;
}

int pci_msix_enable(struct pci_dev *d)
{
	u8 cap = pci_find_cap(d, PCI_CAP_MSIX, 0);
	u16 ctrl;
	u32 tab;
	char *bar;

	if (!cap)
		return -ENODEV;
	ctrl = pci_cfg_read16(d, cap + MSIX_CTRL);
	tab = pci_cfg_read32(d, cap + MSIX_TABLE);
	d->msix.nr = (ctrl & 0x7FF) + 1;
	bar = pci_map_bar(d, tab & 7);
	if (!bar || (tab & ~7u) + d->msix.nr * 16ull > d->bar[tab & 7].size)
		return -ENXIO;
	d->msix.table = (volatile u32 *)(bar + (tab & ~7u));
	d->msix.cap = cap;
	pci_cfg_write16(d, cap + MSIX_CTRL, ctrl | MSIX_CTRL_ENABLE | MSIX_CTRL_FMASK);
	for (u16 i = 0; i < d->msix.nr; i++)
		pci_msix_mask(d, i);
	pci_cfg_write16(d, cap + MSIX_CTRL, (ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_FMASK);
	pci_cfg_write16(d, PCI_COMMAND,
			pci_cfg_read16(d, PCI_COMMAND) | PCI_CMD_INTX_OFF);
	return 0;
}

int pci_msix_route(struct pci_dev *d, u16 entry, irq_handler_fn fn, void *arg)
{
	volatile u32 *e;
	u64 addr;
	u32 data;
	int vec;

	if (!d->msix.cap || entry >= d->msix.nr)
		return -EINVAL;
	vec = arch_irq_alloc_vector(fn, arg);
	if (vec < 0)
		return vec;
	arch_msi_message(vec, &addr, &data);
	e = d->msix.table + entry * MSIX_ENTRY_DWORDS;
	pci_msix_mask(d, entry);
	e[0] = (u32)addr;
	e[1] = (u32)(addr >> 32);
	e[2] = data;
	e[3] = 0; /* unmasked */
	return 0;
}
