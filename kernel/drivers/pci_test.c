/*
 * PCI discovery: the host bridge of the machine, the table against config
 * space, BAR placement (firmware's or ours) and the bridges in front of
 * functions on other buses (their windows, firmware's or ours). These hold
 * on any q35 or i440fx machine, with or without other devices (the
 * storage test image has its NVMe disk behind a PCIe root port).
 */
#include <tessera/boot.h>
#include <tessera/ktest.h>

#include "kernel/drivers/pci_priv.h"

#define Q35_HOST 0x29C0
#define I440FX_HOST 0x1237

KTEST(pci, host_bridge_at_00_00_0)
{
	struct pci_dev *d = pci_get(0);
	struct pci_dev *q35 = pci_find(0x8086, Q35_HOST, 0);
	struct pci_dev *pc = pci_find(0x8086, I440FX_HOST, 0);

	KT_ASSERT(t, d != NULL);
	KT_EXPECT(t, (q35 != NULL) != (pc != NULL));
	KT_EXPECT(t, d == q35 || d == pc);
	KT_EXPECT_EQ(t, d->bus | d->dev | d->fn, 0);
	KT_EXPECT_EQ(t, d->class >> 8, 0x0600); /* bridge: host */
	ktest_log("host bridge %04x:%04x, %d functions", d->vendor, d->device,
		  pci_count());
}

KTEST(pci, table_matches_config_space)
{
	int n = 0;

	for (int i = 0; i < pci_count(); i++) {
		struct pci_dev *d = pci_get(i);
		u32 id = pci_cfg_read32_at(d->bus, d->dev, d->fn, PCI_VENDOR_ID);

		KT_EXPECT_EQ(t, id, (u32)d->device << 16 | d->vendor);
		KT_EXPECT_EQ(t, pci_cfg_read32(d, PCI_CLASS_REV) >> 8, d->class);
		n++;
	}
	KT_EXPECT(t, n >= 1);
	KT_EXPECT(t, pci_get(pci_count()) == NULL);
	KT_EXPECT(t, pci_find(0xFFFF, 0xFFFF, 0) == NULL);
}

/* The BAR register holds b->base (flag bits aside). */
static u64 pci_test_bar_reg(struct pci_dev *d, int i)
{
	u64 v = pci_cfg_read32(d, PCI_BAR0 + 4 * i);

	if (d->bar[i].kind == PCI_BAR_MEM64)
		v |= (u64)pci_cfg_read32(d, PCI_BAR0 + 4 * i + 4) << 32;
	return v & (d->bar[i].kind == PCI_BAR_IO ? ~3ull : ~0xFull);
}

static bool pci_test_overlap(const struct pci_bar *a, const struct pci_bar *b)
{
	bool io_a = a->kind == PCI_BAR_IO, io_b = b->kind == PCI_BAR_IO;

	return io_a == io_b && a->base < b->base + b->size && b->base < a->base + a->size;
}

static bool pci_test_in_ram(const struct pci_bar *b)
{
	for (int i = 0; i < boot_info.nr_ranges; i++) {
		const struct boot_mem_range *r = &boot_info.ranges[i];

		if (r->type == BOOT_MEM_USABLE && b->base < r->base + r->len &&
		    r->base < b->base + b->size)
			return true;
	}
	return false;
}

KTEST(pci, bars_placed_aligned_disjoint)
{
	int bars = 0, ours = 0;

	for (int i = 0; i < pci_count(); i++) {
		struct pci_dev *d = pci_get(i);

		for (int j = 0; j < PCI_NR_BARS; j++) {
			struct pci_bar *b = &d->bar[j];

			if (!b->size || (d->bus != 0 && b->kind == PCI_BAR_IO))
				continue;
			bars++;
			ours += b->assigned;
			KT_EXPECT(t, (b->size & (b->size - 1)) == 0);
			KT_EXPECT(t, b->base != 0);
			KT_EXPECT_EQ(t, b->base & (b->size - 1), 0);
			KT_EXPECT_EQ(t, pci_test_bar_reg(d, j), b->base);
			KT_EXPECT(t, b->kind == PCI_BAR_IO || !pci_test_in_ram(b));
			for (int k = 0; k < pci_count() * PCI_NR_BARS; k++) {
				struct pci_bar *o = &pci_get(k / PCI_NR_BARS)->bar[k % PCI_NR_BARS];

				if (o != b && o->size)
					KT_EXPECT(t, !pci_test_overlap(b, o));
			}
		}
	}
	ktest_log("%d BARs (I/O BARs behind bridges aside), %d assigned by the kernel",
		  bars, ours);
}

static struct pci_dev *pci_test_bridge_to(u8 bus)
{
	for (int i = 0; i < pci_count(); i++)
		if (pci_get(i)->header_type == 1 && pci_get(i)->secondary == bus)
			return pci_get(i);
	return NULL;
}

/* Every function off bus 0 sits behind a bridge that forwards memory and
 * bus mastering, its memory BARs inside the bridge's window. */
KTEST(pci, bridges_route_what_is_behind)
{
	int behind = 0;

	for (int i = 0; i < pci_count(); i++) {
		struct pci_dev *d = pci_get(i), *br;

		if (d->bus == 0)
			continue;
		behind++;
		br = pci_test_bridge_to(d->bus);
		KT_ASSERT(t, br != NULL);
		KT_EXPECT_EQ(t, pci_cfg_read16(br, PCI_COMMAND) & (PCI_CMD_MEM | PCI_CMD_MASTER),
			     PCI_CMD_MEM | PCI_CMD_MASTER);
		for (int j = 0; j < PCI_NR_BARS; j++) {
			struct pci_bar *b = &d->bar[j];

			if (!b->size || b->kind == PCI_BAR_IO || b->base >= 4 * GiB)
				continue;
			KT_EXPECT(t, b->base >= pci_window_base(br));
			KT_EXPECT(t, b->base + b->size <= pci_window_base(br) + pci_window_size(br));
		}
	}
	ktest_log("%d functions behind bridges", behind);
}

KTEST(pci, capability_lists_terminate)
{
	for (int i = 0; i < pci_count(); i++) {
		struct pci_dev *d = pci_get(i);
		u8 off = 0;
		int n = 0;

		while ((off = pci_find_cap(d, PCI_CAP_VENDOR, off)) != 0 && n < 64) {
			KT_EXPECT(t, off >= 0x40);
			KT_EXPECT_EQ(t, pci_cfg_read8(d, off), PCI_CAP_VENDOR);
			n++;
		}
		KT_EXPECT(t, n < 64);
		off = pci_find_cap(d, PCI_CAP_MSIX, 0);
		KT_EXPECT(t, off == 0 || pci_cfg_read8(d, off) == PCI_CAP_MSIX);
	}
	KT_EXPECT_EQ(t, pci_find_cap(pci_get(0), 0xEE, 0), 0);
}
