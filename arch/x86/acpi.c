/*
 * The little of ACPI that SMP needs: the RSDP (from the boot loader, or
 * found in the BIOS areas), its RSDT or XSDT, and the MADT's list of
 * processor local APICs. acpi_find_root runs during bootinfo_parse on the
 * boot page tables (the RSDP is below 1 GiB, or a copy in the loader's
 * information); the tables it points to are read later through the full
 * direct map. Checksums are checked; a table that fails is ignored.
 * acpi_root is written once at boot, read-only after.
 */
#include <tessera/arch.h>
#include <tessera/string.h>

#include "arch/x86/x86.h"

struct acpi_rsdp {
	char sig[8];
	u8 checksum;
	char oem[6];
	u8 revision;
	u32 rsdt;
	u32 length;
	u64 xsdt;
	u8 xchecksum;
	u8 reserved[3];
} __packed;
_Static_assert(sizeof(struct acpi_rsdp) == 36, "ACPI RSDP layout");

struct acpi_sdt {
	char sig[4];
	u32 length;
	u8 revision, checksum;
	char oem[6], oem_table[8];
	u32 oem_revision, creator, creator_revision;
} __packed;
_Static_assert(sizeof(struct acpi_sdt) == 36, "ACPI table header layout");

struct acpi_madt {
	struct acpi_sdt h;
	u32 lapic_addr, flags;
} __packed;
_Static_assert(sizeof(struct acpi_madt) == 44, "ACPI MADT layout");

struct acpi_madt_lapic {
	u8 type, length, acpi_id, apic_id;
	u32 flags;
} __packed;
_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "MADT local APIC entry");

#define MADT_LAPIC 0
#define MADT_LAPIC_ENABLED 1u /* present now (not a hot-plug slot) */
#define ACPI_TABLE_MAX (1u << 20) /* a sane bound on any table's length */

static u64 acpi_root;  /* physical address of the RSDT or XSDT, 0 = none */
static bool acpi_xsdt; /* the root holds 64-bit entries */

static bool acpi_sum_ok(const void *p, u32 n)
{
	const u8 *b = p;
	u8 sum = 0;

	for (u32 i = 0; i < n; i++)
		sum += b[i];
	return sum == 0;
}

static bool acpi_rsdp_ok(const struct acpi_rsdp *r)
{
	if (memcmp(r->sig, "RSD PTR ", 8) || !acpi_sum_ok(r, 20))
		return false;
	return r->revision < 2 || (r->length >= sizeof(*r) && r->length <= 4096 &&
				   acpi_sum_ok(r, r->length));
}

static const struct acpi_rsdp *acpi_scan(u64 pa, u64 len)
{
	for (u64 off = 0; off + sizeof(struct acpi_rsdp) <= len; off += 16) {
		const struct acpi_rsdp *r = phys_to_virt(pa + off);

		if (acpi_rsdp_ok(r))
			return r;
	}
	return NULL;
}

/* Where the BIOS may leave the RSDP: the first KiB of the EBDA, then the
 * read-only BIOS area. */
static const struct acpi_rsdp *acpi_search(void)
{
	u64 ebda = (u64)*(const u16 *)phys_to_virt(0x40E) << 4;
	const struct acpi_rsdp *r = NULL;

	if (ebda >= 0x80000 && ebda < 0xA0000)
		r = acpi_scan(ebda, 1024);
	return r ? r : acpi_scan(0xE0000, 0x20000);
}

/* rsdp_pa: where the boot loader says the RSDP (or its copy) is, 0 if it
 * did not say. False if no valid RSDP was found. */
bool acpi_find_root(u64 rsdp_pa)
{
	const struct acpi_rsdp *r = rsdp_pa ? phys_to_virt(rsdp_pa) : NULL;

	if (!r || !acpi_rsdp_ok(r))
		r = acpi_search();
	if (!r)
		return false;
	acpi_xsdt = r->revision >= 2 && r->xsdt;
	acpi_root = acpi_xsdt ? r->xsdt : r->rsdt;
	return acpi_root != 0;
}

static const struct acpi_sdt *acpi_table_at(u64 pa)
{
	const struct acpi_sdt *t = phys_to_virt(pa);

	if (!pa || pa >= 4 * GiB || t->length < sizeof(*t) || t->length > ACPI_TABLE_MAX ||
	    !acpi_sum_ok(t, t->length))
		return NULL;
	return t;
}

static const struct acpi_sdt *acpi_find_table(const char sig[4])
{
	const struct acpi_sdt *root = acpi_table_at(acpi_root);
	u32 esize = acpi_xsdt ? 8 : 4, n;
	const u8 *entries;

	if (!root)
		return NULL;
	n = (root->length - sizeof(*root)) / esize;
	entries = (const u8 *)(root + 1);
	for (u32 i = 0; i < n; i++) {
		u64 pa = 0;
		const struct acpi_sdt *t;

		memcpy(&pa, entries + i * esize, esize);
		t = acpi_table_at(pa);
		if (t && !memcmp(t->sig, sig, 4))
			return t;
	}
	return NULL;
}

/* The APIC ids of the usable processors the MADT lists, in its order;
 * how many there are (at most max), or 0 without a MADT. */
int acpi_madt_apic_ids(u32 *ids, int max)
{
	const struct acpi_sdt *t = acpi_find_table("APIC");
	const u8 *p, *end;
	int n = 0;

	if (!t || t->length < sizeof(struct acpi_madt))
		return 0;
	p = (const u8 *)t + sizeof(struct acpi_madt);
	end = (const u8 *)t + t->length;
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		const struct acpi_madt_lapic *e = (const void *)p;

		if (e->type == MADT_LAPIC && e->length >= sizeof(*e) && n < max &&
		    (e->flags & MADT_LAPIC_ENABLED))
			ids[n++] = e->apic_id;
		p += p[1];
	}
	return n;
}
