/*
 * Page tables, architecture-neutral interface. An mmu_space is one address
 * space (a top-level table); the kernel's is mmu_kernel(). Mappings are
 * 4 KiB. Callers serialize changes to one space (the kernel space is
 * changed only under its own lock inside arch code).
 */
#ifndef TESSERA_MMU_H
#define TESSERA_MMU_H

#include <tessera/types.h>

#define MMU_READ 0x1u
#define MMU_WRITE 0x2u
#define MMU_EXEC 0x4u
#define MMU_USER 0x8u
#define MMU_UNCACHED 0x10u
#define MMU_DIRTY 0x20u    /* reported by mmu_lookup */
#define MMU_ACCESSED 0x40u /* reported by mmu_lookup */

struct mmu_space;

struct mmu_space *mmu_kernel(void);
/* A new space that shares the kernel half; NULL when out of memory. */
struct mmu_space *mmu_space_create(void);
void mmu_space_destroy(struct mmu_space *s);
void mmu_space_activate(struct mmu_space *s);

/* Map one page; -EEXIST if va is mapped, -ENOMEM, -EINVAL if unaligned. */
int mmu_map(struct mmu_space *s, u64 va, paddr_t pa, u32 flags);
/* Unmap one page; -ENOENT if not mapped. The TLB entry is flushed. */
int mmu_unmap(struct mmu_space *s, u64 va);
/* Clear MMU_WRITE, MMU_DIRTY and/or MMU_ACCESSED on a mapped page in one
 * atomic step (TLB flushed); *old gets the flags before, so clearing
 * WRITE|DIRTY write-protects a page and takes its dirty bit with no
 * write lost in between. -ENOENT if not mapped. */
int mmu_clear_flags(struct mmu_space *s, u64 va, u32 bits, u32 *old);
/* Set the same bits again (undo mmu_clear_flags); -ENOENT if not mapped. */
int mmu_set_flags(struct mmu_space *s, u64 va, u32 bits);
/* Translate: 0 with pa and flags filled, or -ENOENT. */
int mmu_lookup(struct mmu_space *s, u64 va, paddr_t *pa, u32 *flags);

#endif
