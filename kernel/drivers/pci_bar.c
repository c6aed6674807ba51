/*
 * BARs: sizing at scan time, an address for every BAR the firmware left at 0
 * (qboot assigns none; SeaBIOS assigns all), mapping and enabling for
 * drivers.
 *
 * Memory BARs get addresses from the 32-bit hole: from 3 GiB (or the top of
 * RAM below 4 GiB, rounded up to 256 MiB, if higher) to the I/O APIC at
 * 0xFEC00000, avoiding every range the boot memory map names and every BAR
 * the firmware already placed. I/O BARs get ports from 0xC000. Behind a
 * bridge, BARs come from the bridge's memory window, which pci_bridge.c
 * opens when the firmware did not; I/O BARs behind bridges are left
 * unassigned (logged).
 *
 * Locking: pci_bars_probe/pci_bars_assign run once at boot in pci_init;
 * pci_map_lock guards every bar.virt.
 */
#include <tessera/boot.h>
#include <tessera/lock.h>
#include <tessera/pmm.h>
#include <tessera/printk.h>

#include "kernel/drivers/pci_priv.h"

#define PCI_MEM_WINDOW_MIN 0xC0000000ull
#define PCI_MEM_WINDOW_END 0xFEC00000ull
#define PCI_IO_WINDOW_BASE 0xC000ull
#define PCI_IO_WINDOW_END 0x10000ull

static struct spinlock pci_map_lock = SPINLOCK_INIT("pci_map", LOCK_RANK_PCI_MAP);

static int pci_nr_bars(const struct pci_dev *d)
{
	return d->header_type == 0 ? 6 : d->header_type == 1 ? 2 : 0;
}

/* Write all ones, read the mask back, restore. */
static u32 pci_bar_mask(struct pci_dev *d, u16 reg, u32 orig)
{
	u32 mask;

	pci_cfg_write32(d, reg, 0xFFFFFFFFu);
	mask = pci_cfg_read32(d, reg);
	pci_cfg_write32(d, reg, orig);
	return mask;
}

/* Size BAR i; returns how many BAR registers it took (1 or 2). */
static int pci_bar_probe_one(struct pci_dev *d, int i)
{
	struct pci_bar *b = &d->bar[i];
	u16 reg = PCI_BAR0 + 4 * i;
	u32 lo = pci_cfg_read32(d, reg), mlo = pci_bar_mask(d, reg, lo);
	u64 mask;

	if (lo & 1) {
		mask = (mlo & ~3u) | 0xFFFF0000u;
		b->kind = (mlo & ~3u) ? PCI_BAR_IO : PCI_BAR_NONE;
		b->base = lo & ~3u;
		b->size = b->kind ? (u32)(~mask + 1) : 0;
		return 1;
	}
	b->prefetch = lo & 8;
	b->base = lo & ~0xFu;
	mask = mlo & ~0xFu;
	b->kind = PCI_BAR_MEM32;
	if (((lo >> 1) & 3) == 2 && i + 1 < pci_nr_bars(d)) {
		u32 hi = pci_cfg_read32(d, reg + 4);

		b->kind = PCI_BAR_MEM64;
		b->base |= (u64)hi << 32;
		mask |= (u64)pci_bar_mask(d, reg + 4, hi) << 32;
	} else {
		mask |= 0xFFFFFFFF00000000ull;
	}
	b->size = (mlo & ~0xFu) ? ~mask + 1 : 0;
	if (!b->size)
		b->kind = PCI_BAR_NONE;
	return b->kind == PCI_BAR_MEM64 ? 2 : 1;
}

void pci_bars_probe(struct pci_dev *d)
{
	u16 cmd = pci_cfg_read16(d, PCI_COMMAND);

	pci_cfg_write16(d, PCI_COMMAND, cmd & ~(PCI_CMD_IO | PCI_CMD_MEM));
	for (int i = 0; i < pci_nr_bars(d);)
		i += pci_bar_probe_one(d, i);
	pci_cfg_write16(d, PCI_COMMAND, cmd);
}

static void pci_mem_window(struct pci_space *mem)
{
	u64 base = PCI_MEM_WINDOW_MIN;

	for (int i = 0; i < boot_info.nr_ranges; i++) {
		const struct boot_mem_range *r = &boot_info.ranges[i];
		u64 end = r->base + r->len;

		if (r->type == BOOT_MEM_USABLE && end <= 4 * GiB && end > base)
			base = ALIGN_UP(end, 256 * MiB);
	}
	pci_space_init(mem, base, PCI_MEM_WINDOW_END);
	for (int i = 0; i < boot_info.nr_ranges; i++)
		pci_space_reserve(mem, boot_info.ranges[i].base, boot_info.ranges[i].len);
}

/* Everything the firmware already placed is off limits (io may be NULL). */
void pci_reserve_placed(struct pci_space *mem, struct pci_space *io)
{
	for (int i = 0; i < pci_nr_devs; i++)
		for (int j = 0; j < PCI_NR_BARS; j++) {
			struct pci_bar *b = &pci_devs[i].bar[j];
			struct pci_space *s = b->kind == PCI_BAR_IO ? io : mem;

			if (b->size && b->base && s)
				pci_space_reserve(s, b->base, b->size);
		}
}

bool pci_bar_assign(struct pci_dev *d, int i, struct pci_space *mem,
		    struct pci_space *io)
{
	struct pci_bar *b = &d->bar[i];
	u16 reg = PCI_BAR0 + 4 * i;
	u64 at;

	if (b->kind == PCI_BAR_IO)
		at = pci_space_alloc(io, MAX(b->size, 4ull));
	else /* a page of its own, so mappings never share one */
		at = pci_space_alloc(mem, MAX(b->size, PAGE_SIZE));
	if (!at) {
		pr_warn("pci %02x:%02x.%x: no room for bar%d (%#lx bytes)\n", d->bus,
			d->dev, d->fn, i, b->size);
		return false;
	}
	pci_cfg_write32(d, reg, (u32)at | (pci_cfg_read32(d, reg) & 0xF));
	if (b->kind == PCI_BAR_MEM64)
		pci_cfg_write32(d, reg + 4, (u32)(at >> 32));
	b->base = at;
	b->assigned = true;
	return true;
}

int pci_bars_assign(void)
{
	static struct pci_space mem, io;
	int n;

	pci_mem_window(&mem);
	pci_space_init(&io, PCI_IO_WINDOW_BASE, PCI_IO_WINDOW_END);
	pci_reserve_placed(&mem, &io);
	n = pci_bus_assign(0, &mem, &io, 0);
	for (int i = 0; i < pci_nr_devs; i++)
		for (int j = 0; j < PCI_NR_BARS; j++)
			if (pci_devs[i].bar[j].size && !pci_devs[i].bar[j].base)
				pr_warn("pci %02x:%02x.%x: bar%d left unassigned\n",
					pci_devs[i].bus, pci_devs[i].dev, pci_devs[i].fn, j);
	return n;
}

void *pci_map_bar(struct pci_dev *d, int bar)
{
	struct pci_bar *b;
	void *v;

	if (bar < 0 || bar >= PCI_NR_BARS)
		return NULL;
	b = &d->bar[bar];
	if (!b->size || !b->base || b->kind == PCI_BAR_IO || b->kind == PCI_BAR_NONE)
		return NULL;
	spin_lock(&pci_map_lock);
	if (!b->virt)
		b->virt = arch_ioremap(b->base, b->size);
	v = b->virt;
	spin_unlock(&pci_map_lock);
	return v;
}

void pci_enable(struct pci_dev *d)
{
	u16 cmd = pci_cfg_read16(d, PCI_COMMAND) | PCI_CMD_MASTER;

	for (int i = 0; i < PCI_NR_BARS; i++) {
		if (!d->bar[i].size || !d->bar[i].base)
			continue;
		cmd |= d->bar[i].kind == PCI_BAR_IO ? PCI_CMD_IO : PCI_CMD_MEM;
	}
	pci_cfg_write16(d, PCI_COMMAND, cmd);
}
