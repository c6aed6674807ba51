/*
 * The JBD2 journal's on-disk format (ext3's internal journal, inode 8), as
 * byte offsets: every field is big-endian and read or written through
 * tessera/wire/byteorder.h. Facts from Linux's include/linux/jbd2.h and
 * the ext4 documentation.
 *
 * Blocks of the log start with a header (magic, type, sequence). A
 * transaction is one or more descriptor blocks, each followed by copies of
 * the blocks its tags name, optional revoke blocks, then a commit block
 * with the same sequence number. Tags here are the 8-byte form of journals
 * without the 64bit and checksum features: block number, a 16-bit
 * checksum (unused) and 16-bit flags; the first tag of a descriptor is
 * followed by the journal's 16-byte UUID.
 */
#ifndef STORAGE_JOURNAL_H
#define STORAGE_JOURNAL_H

#include <tessera/wire/byteorder.h>

#define JBD2_MAGIC 0xC03B3998u

enum jbd2_block_type {
	JBD2_DESCRIPTOR = 1,
	JBD2_COMMIT = 2,
	JBD2_SUPERBLOCK_V1 = 3,
	JBD2_SUPERBLOCK_V2 = 4,
	JBD2_REVOKE = 5,
};

/* Every log block: magic, type, sequence. */
#define JH_MAGIC 0
#define JH_TYPE 4
#define JH_SEQ 8
#define JH_SIZE 12

/* The journal superblock (journal block 0). */
#define JSB_BLOCKSIZE 12
#define JSB_MAXLEN 16
#define JSB_FIRST 20
#define JSB_SEQUENCE 24
#define JSB_START 28 /* first block of the log, 0: empty */
#define JSB_ERRNO 32
#define JSB_COMPAT 36
#define JSB_INCOMPAT 40
#define JSB_ROCOMPAT 44
#define JSB_UUID 48

#define JBD2_INCOMPAT_REVOKE 0x1u
#define JBD2_INCOMPAT_64BIT 0x2u
#define JBD2_INCOMPAT_ASYNC_COMMIT 0x4u
#define JBD2_INCOMPAT_CSUM_V2 0x8u
#define JBD2_INCOMPAT_CSUM_V3 0x10u
#define JBD2_INCOMPAT_FAST_COMMIT 0x20u
/* What replay understands: revoke records and async commit blocks. */
#define JBD2_INCOMPAT_KNOWN (JBD2_INCOMPAT_REVOKE | JBD2_INCOMPAT_ASYNC_COMMIT)

/* Descriptor tags. */
#define JT_BLOCKNR 0
#define JT_FLAGS 6
#define JT_SIZE 8
#define JT_UUID_SIZE 16
#define JBD2_FLAG_ESCAPE 1u
#define JBD2_FLAG_SAME_UUID 2u
#define JBD2_FLAG_DELETED 4u
#define JBD2_FLAG_LAST_TAG 8u

/* Revoke blocks: the header, then the bytes used (header included), then
 * 4-byte block numbers. */
#define JR_COUNT 12
#define JR_SIZE 16

/* Commit blocks: checksum fields (unused), then the commit time. */
#define JC_SEC 48
#define JC_NSEC 56

/* Tags one descriptor block holds. */
static inline u32 jbd2_tags_per_block(u32 block_size)
{
	return (block_size - JH_SIZE - JT_UUID_SIZE) / JT_SIZE;
}

static inline void jbd2_header(u8 *b, u32 type, u32 seq)
{
	put_be32(b + JH_MAGIC, JBD2_MAGIC);
	put_be32(b + JH_TYPE, type);
	put_be32(b + JH_SEQ, seq);
}

#endif
