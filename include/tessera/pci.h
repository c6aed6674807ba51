/*
 * PCI: configuration space (mechanism #1, the first 256 bytes), the table of
 * functions found at boot, BAR decoding and assignment, capability lists and
 * MSI-X.
 *
 * pci_init() runs first among the drivers' initcalls: it scans every bus,
 * sizes each BAR, gives an address to every BAR the firmware left at zero
 * (from the 32-bit hole above RAM, or the I/O ports from 0xC000), opens a
 * memory window in every bridge the firmware left closed that has such
 * BARs behind it, and prints one line per function. The table is written only then and read-only
 * afterwards, so lookups take no lock. pci_cfg_lock (pci.c) makes each
 * address/data port pair atomic; a function's config registers belong to its
 * driver once bound.
 */
#ifndef TESSERA_PCI_H
#define TESSERA_PCI_H

#include <tessera/arch.h>
#include <tessera/types.h>

#define PCI_MAX_DEVS 64
#define PCI_NR_BARS 6

/* Configuration header offsets and bits used by the drivers. */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_CLASS_REV 0x08
#define PCI_HEADER_TYPE 0x0E
#define PCI_BAR0 0x10
#define PCI_SUBSYS_VENDOR 0x2C
#define PCI_CAP_PTR 0x34
#define PCI_IRQ_LINE 0x3C
/* Bridge (header type 1) registers. */
#define PCI_BRIDGE_BUSES 0x18     /* primary, secondary, subordinate */
#define PCI_BRIDGE_IO 0x1C        /* I/O base and limit */
#define PCI_BRIDGE_MEM 0x20       /* memory base, limit: bits 31:20 */
#define PCI_BRIDGE_PREF 0x24      /* prefetchable base, limit */
#define PCI_BRIDGE_PREF_HI 0x28   /* their upper halves */

#define PCI_CMD_IO (1u << 0)
#define PCI_CMD_MEM (1u << 1)
#define PCI_CMD_MASTER (1u << 2)
#define PCI_CMD_INTX_OFF (1u << 10)
#define PCI_STATUS_CAPS (1u << 4)

#define PCI_CAP_MSIX 0x11
#define PCI_CAP_VENDOR 0x09

enum pci_bar_kind {
	PCI_BAR_NONE,  /* not implemented (or the upper half of a 64-bit BAR) */
	PCI_BAR_MEM32,
	PCI_BAR_MEM64,
	PCI_BAR_IO,
};

struct pci_bar {
	u64 base;      /* bus address (the physical address on x86) */
	u64 size;      /* 0 when not implemented */
	u8 kind;       /* enum pci_bar_kind */
	bool prefetch;
	bool assigned; /* firmware had left it at 0; pci_init chose base */
	void *virt;    /* uncached mapping, made on first pci_map_bar */
};

/* MSI-X state of a function, filled by pci_msix_enable. */
struct pci_msix {
	u8 cap;                /* capability offset, 0 = none */
	u16 nr;                /* table entries */
	volatile u32 *table;   /* 16 bytes per entry */
};

struct pci_dev {
	u8 bus, dev, fn;
	u8 header_type;        /* 0 endpoint, 1 bridge (multi-function bit cleared) */
	u16 vendor, device;
	u16 subsys_vendor, subsys_device;
	u32 class;             /* class << 16 | subclass << 8 | prog-if */
	u8 revision;
	u8 secondary;          /* a bridge's secondary bus (0: none given) */
	bool window_opened;    /* a bridge whose memory window pci_init set */
	struct pci_bar bar[PCI_NR_BARS];
	struct pci_msix msix;  /* owned by the driver */
};

/* Config space of a found function; off must be naturally aligned. */
u8 pci_cfg_read8(const struct pci_dev *d, u16 off);
u16 pci_cfg_read16(const struct pci_dev *d, u16 off);
u32 pci_cfg_read32(const struct pci_dev *d, u16 off);
void pci_cfg_write16(const struct pci_dev *d, u16 off, u16 v);
void pci_cfg_write32(const struct pci_dev *d, u16 off, u32 v);
/* Raw access by address, for the scan (and tests). */
u32 pci_cfg_read32_at(u8 bus, u8 dev, u8 fn, u16 off);

/* The table filled by pci_init. */
int pci_count(void);
struct pci_dev *pci_get(int index);
/* The index-th function (0-based) with these ids, or NULL. */
struct pci_dev *pci_find(u16 vendor, u16 device, int index);

/* Offset of the first capability cap_id after offset `after` (0: from the
 * start of the list), or 0 when there is none. */
u8 pci_find_cap(const struct pci_dev *d, u8 cap_id, u8 after);

/* Turn on memory/I/O decoding and bus mastering. */
void pci_enable(struct pci_dev *d);
/* The whole BAR mapped uncached (memory BARs only); NULL if unusable. */
void *pci_map_bar(struct pci_dev *d, int bar);

/* MSI-X: find the capability, map the table, mask every entry, enable
 * MSI-X (INTx off). 0 or -errno (-ENODEV: no MSI-X capability). */
int pci_msix_enable(struct pci_dev *d);
/* Route table entry `entry` to a new CPU vector that calls fn(arg), and
 * unmask it. 0 or -errno. */
int pci_msix_route(struct pci_dev *d, u16 entry, irq_handler_fn fn, void *arg);

int pci_init(void);

#endif
