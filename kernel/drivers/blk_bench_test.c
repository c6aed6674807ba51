/*
 * ktest=blk-bench (manual, for make bench): sequential reads of every
 * block device, one request at a time, in chunks of 4 KiB and 128 KiB;
 * each read is timed and the median, p99 and throughput printed as one
 * "BLKBENCH" line per disk and chunk size (tools/bench.py reads them).
 * The test fails only when a read fails.
 */
#include <tessera/blk.h>
#include <tessera/kmalloc.h>
#include <tessera/ktest.h>
#include <tessera/sort.h>
#include <tessera/time.h>

#define BB_SPAN (32 * MiB)      /* read per disk and chunk size, at most */
#define BB_MAX_READS 8192

static void bb_run(struct ktest_ctx *t, struct blkdev *dev, u32 chunk, u8 *buf,
		   u64 *lat)
{
	u32 sectors = chunk / BLK_SECTOR_SIZE;
	u64 span = MIN((u64)BB_SPAN, blk_capacity(dev) * BLK_SECTOR_SIZE);
	u64 n = MIN(span / chunk, (u64)BB_MAX_READS), total = 0;

	for (u64 i = 0; i < n; i++) {
		u64 t0 = time_ns();

		KT_EXPECT_EQ(t, blk_read(dev, i * sectors, sectors, buf), 0);
		lat[i] = time_ns() - t0;
		total += lat[i];
	}
	sort_u64(lat, n);
	ktest_log("BLKBENCH disk=%s chunk=%u n=%lu median_us=%lu p99_us=%lu mib_s=%lu",
		  dev->name, chunk, n, lat[n / 2] / 1000, lat[n * 99 / 100] / 1000,
		  (u64)(total ? n * chunk * NSEC_PER_SEC / total / MiB : 0));
}

KTEST_MANUAL(blk, bench)
{
	static const u32 chunks[] = { 4096, 128 * 1024 };
	u8 *buf = kmalloc(128 * 1024);
	u64 *lat = kmalloc(BB_MAX_READS * sizeof(u64));

	KT_ASSERT(t, buf && lat);
	KT_EXPECT(t, blk_count() > 0);
	for (int i = 0; i < blk_count(); i++)
		for (size_t c = 0; c < ARRAY_SIZE(chunks); c++)
			bb_run(t, blk_get(i), chunks[c], buf, lat);
	kfree(buf);
	kfree(lat);
}
