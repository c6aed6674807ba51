/*
 * Bridges: BARs behind them get addresses from the bridge's memory window,
 * and a window the firmware left closed (qboot programs no bridge windows;
 * SeaBIOS and OVMF program all) is opened here, sized for what is behind
 * it. Bus numbers are the firmware's: a bridge without one hides its bus
 * (pci.c logs it).
 *
 * A window is a power of two of at least 1 MiB, aligned to its size; in
 * it, memory BARs (powers of two, a page at least) and the windows of the
 * bridges below are placed largest first, which packs them without holes,
 * so a window of the sum's next power of two always has room. Our windows
 * carry memory only: the I/O and prefetchable windows of a bridge we open
 * are closed (base above limit); 64-bit BARs get 32-bit addresses.
 *
 * Locking: runs once at boot from pci_init (one thread), like pci_bar.c.
 */
#include <tessera/pmm.h>
#include <tessera/printk.h>

#include "kernel/drivers/pci_priv.h"

#define PCI_WINDOW_MIN (1 * MiB)
#define PCI_MAX_DEPTH 8

static u64 pci_pow2_up(u64 v)
{
	u64 p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

u64 pci_window_base(const struct pci_dev *br)
{
	return (u64)(pci_cfg_read32(br, PCI_BRIDGE_MEM) & 0xFFF0) << 16;
}

u64 pci_window_size(const struct pci_dev *br)
{
	u32 v = pci_cfg_read32(br, PCI_BRIDGE_MEM);
	u64 base = (u64)(v & 0xFFF0) << 16, limit = (u64)(v >> 16 & 0xFFF0) << 16 | 0xFFFFF;

	return v && base <= limit ? limit + 1 - base : 0;
}

static bool pci_is_bridge(const struct pci_dev *d)
{
	return d->header_type == 1 && d->secondary;
}

/* The space BAR i of d takes if it still needs one (0 if not). */
static u64 pci_bar_need(const struct pci_dev *d, int i)
{
	const struct pci_bar *b = &d->bar[i];

	if (!b->size || b->base || b->kind == PCI_BAR_IO || b->kind == PCI_BAR_NONE)
		return 0;
	return MAX(b->size, PAGE_SIZE);
}

static u64 pci_bus_need(u8 bus, int depth);

/* The window bridge br must get (0: it has one, or needs none). */
static u64 pci_window_need(const struct pci_dev *br, int depth)
{
	u64 need;

	if (!pci_is_bridge(br) || pci_window_size(br) || depth >= PCI_MAX_DEPTH)
		return 0;
	need = pci_bus_need(br->secondary, depth + 1);
	return need ? pci_pow2_up(MAX(need, PCI_WINDOW_MIN)) : 0;
}

/* What the functions on bus (and the bridges below) still need, summed. */
static u64 pci_bus_need(u8 bus, int depth)
{
	u64 sum = 0;

	for (int i = 0; i < pci_nr_devs; i++) {
		const struct pci_dev *d = &pci_devs[i];

		if (d->bus != bus)
			continue;
		for (int j = 0; j < PCI_NR_BARS; j++)
			sum += pci_bar_need(d, j);
		sum += pci_window_need(d, depth);
	}
	return sum;
}

/* Open br's memory window at an address from mem; close the others. */
static void pci_window_open(struct pci_dev *br, u64 size, struct pci_space *mem)
{
	u64 at = pci_space_alloc(mem, size);

	if (!at) {
		pr_warn("pci %02x:%02x.%x: no room for a %#lx-byte bridge window\n",
			br->bus, br->dev, br->fn, size);
		return;
	}
	pci_cfg_write32(br, PCI_BRIDGE_MEM,
			(u32)((at + size - 1) >> 16 & 0xFFF0) << 16 | (u32)(at >> 16 & 0xFFF0));
	pci_cfg_write32(br, PCI_BRIDGE_IO, 0x00F0);         /* closed; status untouched */
	pci_cfg_write32(br, PCI_BRIDGE_PREF, 0x0000FFF0);   /* closed */
	pci_cfg_write32(br, PCI_BRIDGE_PREF_HI, 0);
	pci_cfg_write32(br, PCI_BRIDGE_PREF_HI + 4, 0);
	br->window_opened = true;
}

/* Memory BARs and new bridge windows on bus, largest first. */
static int pci_bus_place(u8 bus, struct pci_space *mem, int depth)
{
	int n = 0;

	for (u64 size = 2 * GiB; size >= PAGE_SIZE; size >>= 1)
		for (int i = 0; i < pci_nr_devs; i++) {
			struct pci_dev *d = &pci_devs[i];

			if (d->bus != bus)
				continue;
			for (int j = 0; j < PCI_NR_BARS; j++)
				if (pci_bar_need(d, j) == size)
					n += pci_bar_assign(d, j, mem, NULL);
			if (pci_window_need(d, depth) == size)
				pci_window_open(d, size, mem);
		}
	return n;
}

/* I/O BARs on bus 0; behind bridges they stay unassigned (logged). */
static int pci_bus_io(u8 bus, struct pci_space *io)
{
	int n = 0;

	if (bus != 0)
		return 0;
	for (int i = 0; i < pci_nr_devs; i++)
		for (int j = 0; j < PCI_NR_BARS; j++) {
			struct pci_dev *d = &pci_devs[i];

			if (d->bus == 0 && d->bar[j].kind == PCI_BAR_IO && !d->bar[j].base)
				n += pci_bar_assign(d, j, NULL, io);
		}
	return n;
}

/* What is behind br, from its window. */
static int pci_behind(struct pci_dev *br, struct pci_space *io, int depth)
{
	static struct pci_space spaces[PCI_MAX_DEPTH];
	struct pci_space *win = &spaces[depth];
	u64 size = pci_window_size(br);

	if (!size)
		return 0;
	pci_space_init(win, pci_window_base(br), pci_window_base(br) + size);
	pci_reserve_placed(win, NULL);
	pci_cfg_write16(br, PCI_COMMAND, pci_cfg_read16(br, PCI_COMMAND) | PCI_CMD_MEM |
						 PCI_CMD_MASTER);
	return pci_bus_assign(br->secondary, win, io, depth + 1);
}

int pci_bus_assign(u8 bus, struct pci_space *mem, struct pci_space *io, int depth)
{
	int n = pci_bus_place(bus, mem, depth) + pci_bus_io(bus, io);

	for (int i = 0; i < pci_nr_devs && depth < PCI_MAX_DEPTH; i++)
		if (pci_devs[i].bus == bus && pci_is_bridge(&pci_devs[i]) &&
		    pci_devs[i].secondary > bus)
			n += pci_behind(&pci_devs[i], io, depth);
	return n;
}
