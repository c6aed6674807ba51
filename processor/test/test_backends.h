/*
 * Test backends for the pMonitor, used only by its in-kernel tests until
 * the RPC clients exist: a local page store with Linux's mmap rules as the
 * memory backend, and the test programs embedded in the image (a ustar
 * archive of build/progs/) as the file backend.
 */
#ifndef PROCESSOR_TEST_TEST_BACKENDS_H
#define PROCESSOR_TEST_TEST_BACKENDS_H

#include <tessera/types.h>

#include "processor/backend/file_backend.h"
#include "processor/backend/mem_backend.h"

/* test_mem.c: 0 or -ENOMEM. pages counts the stored lines. */
int ptest_mem_create(struct pmem_backend *out);
void ptest_mem_destroy(struct pmem_backend *b);
u64 ptest_mem_pages(const struct pmem_backend *b);
/* Requests so far: write-backs on their own, fetches carrying a victim. */
void ptest_mem_requests(const struct pmem_backend *b, u64 *writebacks, u64 *fetch_victims);
/* Refuse the next victims carried on fetches (not stored, victim_err
 * -EIO) and the next writebacks (-EIO). */
void ptest_mem_refuse(const struct pmem_backend *b, u64 victims, u64 writebacks);

/* test_files.c: serve the regular files of a ustar archive as /NAME.
 * 0, -ENOMEM, or -EINVAL for a malformed archive. */
int ptest_files_create(const void *tar, u64 size, struct pfile_backend *out);
void ptest_files_destroy(struct pfile_backend *b);

/* test_progs.S: the archive of the static test programs. */
extern const u8 ptest_progs_start[], ptest_progs_end[];

#endif
