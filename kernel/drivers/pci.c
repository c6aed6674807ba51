/*
 * PCI configuration space through mechanism #1 (ports 0xCF8/0xCFC), the scan
 * of every bus at boot, and lookups in the table it fills.
 *
 * Locking: pci_cfg_lock makes each address/data port pair atomic. pci_devs[]
 * and pci_nr_devs are written only by pci_init (the first initcall of
 * kernel/drivers, before any driver probes) and read without a lock after.
 */
#include <tessera/errno.h>
#include <tessera/fmt.h>
#include <tessera/lock.h>
#include <tessera/printk.h>
#include <tessera/role.h>

#include "kernel/drivers/pci_priv.h"

#define PCI_CFG_ADDR 0xCF8
#define PCI_CFG_DATA 0xCFC

struct pci_dev pci_devs[PCI_MAX_DEVS];
int pci_nr_devs;
static struct spinlock pci_cfg_lock = SPINLOCK_INIT("pci_cfg", LOCK_RANK_PCI_CFG);

static u32 pci_cfg_addr(u8 bus, u8 dev, u8 fn, u16 off)
{
	return 0x80000000u | (u32)bus << 16 | (u32)dev << 11 | (u32)fn << 8 |
	       (off & 0xFC);
}

u32 pci_cfg_read32_at(u8 bus, u8 dev, u8 fn, u16 off)
{
	u32 v;

	spin_lock(&pci_cfg_lock);
	arch_outl(PCI_CFG_ADDR, pci_cfg_addr(bus, dev, fn, off));
	v = arch_inl(PCI_CFG_DATA);
	spin_unlock(&pci_cfg_lock);
	return v;
}

static void pci_cfg_write32_at(u8 bus, u8 dev, u8 fn, u16 off, u32 v)
{
	spin_lock(&pci_cfg_lock);
	arch_outl(PCI_CFG_ADDR, pci_cfg_addr(bus, dev, fn, off));
	arch_outl(PCI_CFG_DATA, v);
	spin_unlock(&pci_cfg_lock);
}

u32 pci_cfg_read32(const struct pci_dev *d, u16 off)
{
	return pci_cfg_read32_at(d->bus, d->dev, d->fn, off);
}

u16 pci_cfg_read16(const struct pci_dev *d, u16 off)
{
	return (u16)(pci_cfg_read32(d, off) >> ((off & 2) * 8));
}

u8 pci_cfg_read8(const struct pci_dev *d, u16 off)
{
	return (u8)(pci_cfg_read32(d, off) >> ((off & 3) * 8));
}

void pci_cfg_write32(const struct pci_dev *d, u16 off, u32 v)
{
	pci_cfg_write32_at(d->bus, d->dev, d->fn, off, v);
}

/* A read-modify-write of the dword: only for registers without
 * write-1-to-clear bits next to them (PCI_STATUS is read-only here). */
void pci_cfg_write16(const struct pci_dev *d, u16 off, u16 v)
{
	int shift = (off & 2) * 8;
	u32 old = pci_cfg_read32(d, off & ~3);

	if ((off & ~3) == PCI_COMMAND)
		old &= 0xFFFF; /* never write back status bits */
	old &= ~(0xFFFFu << shift);
	pci_cfg_write32(d, off & ~3, old | (u32)v << shift);
}

int pci_count(void)
{
	return pci_nr_devs;
}

struct pci_dev *pci_get(int index)
{
	if (index < 0 || index >= pci_nr_devs)
		return NULL;
	return &pci_devs[index];
}

struct pci_dev *pci_find(u16 vendor, u16 device, int index)
{
	for (int i = 0; i < pci_nr_devs; i++)
		if (pci_devs[i].vendor == vendor && pci_devs[i].device == device &&
		    index-- == 0)
			return &pci_devs[i];
	return NULL;
}

u8 pci_find_cap(const struct pci_dev *d, u8 cap_id, u8 after)
{
	u8 off;
	int guard = 48; /* a malformed list must not loop forever */

	if (!(pci_cfg_read16(d, PCI_STATUS) & PCI_STATUS_CAPS))
		return 0;
	off = after ? pci_cfg_read8(d, after + 1) : pci_cfg_read8(d, PCI_CAP_PTR);
	for (off &= 0xFC; off >= 0x40 && guard--; off = pci_cfg_read8(d, off + 1) & 0xFC)
		if (pci_cfg_read8(d, off) == cap_id)
			return off;
	return 0;
}

/* Record one present function; returns whether it is multi-function. */
static bool pci_add(u8 bus, u8 dev, u8 fn, u32 id)
{
	struct pci_dev *d;
	u32 cr;
	u8 ht;

	if (pci_nr_devs == PCI_MAX_DEVS) {
		pr_warn("pci: more than %d functions, %02x:%02x.%x ignored\n",
			PCI_MAX_DEVS, bus, dev, fn);
		return false;
	}
	d = &pci_devs[pci_nr_devs++];
	d->bus = bus;
	d->dev = dev;
	d->fn = fn;
	d->vendor = id & 0xFFFF;
	d->device = id >> 16;
	cr = pci_cfg_read32(d, PCI_CLASS_REV);
	d->class = cr >> 8;
	d->revision = cr & 0xFF;
	ht = pci_cfg_read8(d, PCI_HEADER_TYPE);
	d->header_type = ht & 0x7F;
	if (d->header_type == 0) {
		cr = pci_cfg_read32(d, PCI_SUBSYS_VENDOR);
		d->subsys_vendor = cr & 0xFFFF;
		d->subsys_device = cr >> 16;
	} else if (d->header_type == 1) {
		d->secondary = (pci_cfg_read32(d, PCI_BRIDGE_BUSES) >> 8) & 0xFF;
		if (!d->secondary)
			pr_warn("pci %02x:%02x.%x: bridge without a bus number: "
				"nothing behind it is seen\n", bus, dev, fn);
	}
	pci_bars_probe(d);
	return ht & 0x80;
}

/* Brute force over every bus: bridges keep the bus numbers the firmware
 * gave them. */
static void pci_scan(void)
{
	for (int bus = 0; bus < 256; bus++)
		for (int dev = 0; dev < 32; dev++) {
			u32 id = pci_cfg_read32_at(bus, dev, 0, PCI_VENDOR_ID);

			if ((id & 0xFFFF) == 0xFFFF || !pci_add(bus, dev, 0, id))
				continue;
			for (int fn = 1; fn < 8; fn++) {
				id = pci_cfg_read32_at(bus, dev, fn, PCI_VENDOR_ID);
				if ((id & 0xFFFF) != 0xFFFF)
					pci_add(bus, dev, fn, id);
			}
		}
}

static void pci_print(const struct pci_dev *d)
{
	char bars[160];
	int n = 0;

	bars[0] = 0;
	for (int i = 0; i < PCI_NR_BARS && n < (int)sizeof(bars) - 40; i++) {
		const struct pci_bar *b = &d->bar[i];

		if (!b->size)
			continue;
		n += fmt_snprintf(bars + n, sizeof(bars) - n, " bar%d=%s%#lx+%#lx%s", i,
				  b->kind == PCI_BAR_IO ? "io:" : "", b->base, b->size,
				  b->assigned ? "*" : "");
	}
	if (d->header_type == 1)
		n += fmt_snprintf(bars + n, sizeof(bars) - n, " bus %02x, window %#x+%#lx%s",
				  d->secondary, (u32)pci_window_base(d),
				  pci_window_size(d), d->window_opened ? "*" : "");
	pr_info("pci %02x:%02x.%x %04x:%04x class %06x%s\n", d->bus, d->dev, d->fn,
		d->vendor, d->device, d->class, bars);
}

int pci_init(void)
{
	int assigned;

	pci_scan();
	assigned = pci_bars_assign();
	for (int i = 0; i < pci_nr_devs; i++)
		pci_print(&pci_devs[i]);
	pr_info("pci: %d functions, %d BARs assigned here (*)\n", pci_nr_devs, assigned);
	return pci_nr_devs ? 0 : -ENODEV;
}
INITCALL(pci_init);
