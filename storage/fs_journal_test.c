/*
 * Host tests of crash consistency. A deterministic workload (creates,
 * writes, renames, unlinks, directories, each batch made durable with
 * fs_commit) is cut at every single device write: the writes since the
 * last flush are lost in a random subset, later ones all lost, as a power
 * cut or a killed sMonitor would leave the disk. After each cut the volume
 * mounts (replaying its journal), e2fsck -fn is clean, and the files are
 * exactly those of the last durable batch (or of the batch whose commit
 * was cut, if that commit made it). A cut during replay is survived too.
 * Also: a journal written by e2fsprogs (debugfs), revoke record included,
 * is replayed as Linux would.
 */
#include <stdio.h>
#include <string.h>

#include <tessera/errno.h>
#include <tessera/ktest.h>

#include "storage/ext2.h"
#include "storage/fs_test_util.h"

#define STEPS 10
#define MAXF 2 * STEPS

static struct fstest_vol vol;
static const struct fs_owner root_owner = { 0, 0 };
static u8 data[64 * 1024], back[64 * 1024];

/* What the workload's directory holds: file i as name[i] (or none) with
 * size[i] bytes of pattern i. */
struct model {
	char name[MAXF][16];
	u32 size[MAXF];
	bool dir_made;
};

static void pattern(u32 i, u32 len)
{
	for (u32 k = 0; k < len; k++)
		data[k] = (u8)(k * 13 + i * 101 + (k >> 10));
}

static int wcreate(struct fs_handle dir, struct model *m, u32 i)
{
	struct fs_handle h;
	bool created;
	u32 n;
	u64 at;
	int err;

	snprintf(m->name[i], sizeof(m->name[i]), "f%u", i);
	m->size[i] = 700 + i * 3001 % 40000;
	pattern(i, m->size[i]);
	err = fs_create(vol.fs, dir, m->name[i], (u32)strlen(m->name[i]),
			FS_S_IFREG | 0644, 0, FS_CREATE_EXCL, &root_owner, &h,
			&created);
	if (!err)
		err = fs_write(vol.fs, h, 0, data, m->size[i], 0, &n, &at);
	return err;
}

/* Step s of the workload; the model follows it. An unlink comes first,
 * so the new files may want the blocks it frees. */
static int step(struct fs_handle dir, struct model *m, u32 s)
{
	char nn[16];
	int err = 0;

	if (s % 4 == 2) {
		err = fs_unlink(vol.fs, dir, m->name[2 * s - 3],
				(u32)strlen(m->name[2 * s - 3]), 0);
		m->name[2 * s - 3][0] = 0;
	}
	if (!err)
		err = wcreate(dir, m, 2 * s);
	if (!err)
		err = wcreate(dir, m, 2 * s + 1);
	if (!err && s % 3 == 1) {
		snprintf(nn, sizeof(nn), "r%u", 2 * s);
		err = fs_rename(vol.fs, dir, m->name[2 * s], (u32)strlen(m->name[2 * s]),
				dir, nn, (u32)strlen(nn), 0);
		memcpy(m->name[2 * s], nn, sizeof(nn));
	}
	return err;
}

/* The device has not lost a write yet: what completed is on disk. */
static bool before_cut(void)
{
	return !vol.crash_at || vol.writes < vol.crash_at;
}

/* Run the workload; models[k] is the volume's content after the k-th
 * commit returned. Returns how many commits returned before the cut (the
 * file system goes on after it, its writes lost). */
static u32 workload(struct model *models)
{
	struct model m = { 0 };
	struct fs_handle dir;
	u32 commits = 0, durable = 0;
	int err = fs_mkdir(vol.fs, fs_root(vol.fs), "w", 1, 0755, &root_owner,
			   &dir);

	m.dir_made = true;
	if (!err)
		err = fs_commit(vol.fs);
	for (u32 s = 0; !err; s++) {
		models[++commits] = m;
		if (before_cut())
			durable = commits;
		if (s == STEPS)
			break;
		err = step(dir, &m, s);
		if (!err)
			err = fs_commit(vol.fs);
	}
	return durable;
}

static int file_ok(struct fs_handle dir, const struct model *m, u32 i)
{
	struct fs_handle h;
	u32 n;
	int err = fs_lookup_at(vol.fs, dir, m->name[i], 0, &h);

	if (err)
		return err;
	pattern(i, m->size[i]);
	err = fs_read(vol.fs, h, 0, back, sizeof(back), &n);
	return !err && n == m->size[i] && !memcmp(back, data, n) ? 0 : -EIO;
}

static int count_fn(void *arg, const struct fs_dirent *d)
{
	++*(u32 *)arg;
	return 0;
}

/* The volume holds exactly what m says. */
static bool matches(const struct model *m)
{
	struct fs_handle dir;
	u32 want = 2, have = 0;
	u64 cookie = 0;

	if (fs_lookup(vol.fs, "/w", &dir))
		return !m->dir_made;
	if (!m->dir_made)
		return false;
	for (u32 i = 0; i < MAXF; i++) {
		if (!m->name[i][0])
			continue;
		want++;
		if (file_ok(dir, m, i))
			return false;
	}
	while (cookie != FS_COOKIE_EOF)
		if (fs_readdir(vol.fs, dir, cookie, count_fn, &have, &cookie))
			return false;
	return have == want;
}

static const char *crash_image(void)
{
	return fstest_image("crash3.img", "-t ext3 -b 1024", "/dir", "4M");
}

/* One cut at write cut: 0 if what is left is right. */
static int cut_at(u64 cut, u32 seed, bool cut_replay, u32 *commits)
{
	static struct model durable[STEPS + 2];
	u32 done;

	if (fstest_load_rw(&vol, crash_image()) || fstest_mount(&vol))
		return -1;
	vol.crash_at = cut;
	done = workload(durable);
	*commits = done;
	fstest_crash(&vol, seed);
	if (cut_replay) {
		vol.crash_at = 1 + seed % 4;
		fstest_mount(&vol);
		fstest_crash(&vol, seed + 1);
	}
	if (fstest_mount(&vol))
		return -2;
	if (fstest_fsck_vol(&vol))
		return -3;
	if (matches(&durable[done]) || (done < STEPS + 1 &&
					matches(&durable[done + 1])))
		return 0;
	return -4;
}

KTEST(fs_journal, cut_at_every_write)
{
	u64 total;
	u32 commits, bad = 0, points = 0;

	KT_ASSERT(t, crash_image());
	KT_ASSERT(t, !fstest_load_rw(&vol, crash_image()));
	KT_ASSERT(t, !fstest_mount(&vol));
	vol.crash_at = ~0ull;
	workload((struct model[STEPS + 2]){ 0 });
	total = vol.writes;
	ktest_log("workload: %lu writes, %lu flushes", (unsigned long)total,
		  (unsigned long)vol.flushes);
	KT_ASSERT(t, total > 50);
	for (u64 cut = 1; cut <= total + 1; cut++) {
		int r = cut_at(cut, (u32)cut, false, &commits);

		points++;
		if (r) {
			ktest_log("cut at write %lu (%u commits done): %d",
				  (unsigned long)cut, commits, r);
			bad++;
		}
	}
	KT_EXPECT_EQ(t, bad, 0);
	if (!bad)
		ktest_log("%u cuts, all clean and complete", points);
}

KTEST(fs_journal, cut_during_replay)
{
	u32 commits, bad = 0;

	for (u64 cut = 30; cut < 200; cut += 17)
		bad += cut_at(cut, (u32)cut * 7, true, &commits) != 0;
	KT_EXPECT_EQ(t, bad, 0);
}

/* debugfs writes two transactions: blocks A and B, then a revoke of B.
 * Replay must restore A from the log and leave B as it was. */
KTEST(fs_journal, replays_e2fsprogs_journal)
{
	const char *img = fstest_tmp("jw.img"), *blk = fstest_tmp("jw.blk");
	struct fs_info info;
	char cmd[1024], out[256];
	u8 a[1024], b0[1024];

	snprintf(cmd, sizeof(cmd),
		 "PATH=/sbin:/usr/sbin:$PATH; mke2fs -q -F -t ext3 -b 1024 '%s' 8M && "
		 "yes abcdefg | head -c 2048 > '%s' && "
		 "printf 'jo\\njw -b 8000,8001 %s\\njw -r 8001\\njc\\n' | "
		 "debugfs -w -f - '%s' >/dev/null 2>&1 && "
		 "dumpe2fs -h '%s' 2>/dev/null | grep -c needs_recovery",
		 img, blk, blk, img, img);
	KT_ASSERT(t, fstest_sh(cmd, out, sizeof(out)) == 0);
	KT_ASSERT(t, !fstest_load_rw(&vol, img));
	memcpy(b0, vol.img + 8001 * 1024, sizeof(b0));
	KT_ASSERT(t, !fstest_mount(&vol));
	fs_info(vol.fs, &info);
	KT_EXPECT_EQ(t, info.replayed, 2);
	KT_EXPECT(t, !info.read_only);
	KT_ASSERT(t, !fstest_save(&vol, img));
	for (u32 i = 0; i < sizeof(a); i++)
		a[i] = i % 8 == 7 ? '\n' : (u8)('a' + i % 8);
	KT_EXPECT(t, !memcmp(vol.img + 8000 * 1024, a, sizeof(a)));
	KT_EXPECT(t, !memcmp(vol.img + 8001 * 1024, b0, sizeof(b0)));
	KT_EXPECT_EQ(t, fstest_fsck(img), 0);
}
