/*
 * Host tests of the placement policies: load spreads new processes, homes,
 * vRegion owners and storage; dead components and other roles are never
 * picked; ties are broken the same way every time.
 */
#include <string.h>

#include <tessera/ktest.h>

#include "managers/mgr.h"

static struct mgr_comp comp(u32 id, u16 role, u32 ip, u64 free_mb)
{
	return (struct mgr_comp){ .id = id, .role = role, .ip = ip,
				  .state = MGR_ALIVE, .cores = 1,
				  .ram_free = free_mb << 20 };
}

KTEST(mgr_policy, processes_spread_by_load)
{
	struct mgr_comp c[3] = { comp(1, MGR_ROLE_PROCESSOR, 1, 0),
				 comp(2, MGR_ROLE_PROCESSOR, 2, 0),
				 comp(3, MGR_ROLE_MEMORY, 3, 0) };
	int seen[2] = { 0, 0 };

	for (int i = 0; i < 10; i++) {
		int p = gpm_pick_processor(c, 3);

		KT_EXPECT(t, p == 0 || p == 1);
		c[p].placed++;
		seen[p]++;
	}
	KT_EXPECT_EQ(t, seen[0], 5);
	KT_EXPECT_EQ(t, seen[1], 5);
	c[0].load = 4; /* reported load counts too */
	KT_EXPECT_EQ(t, gpm_pick_processor(c, 3), 1);
	c[1].cores = 4; /* per core */
	c[1].placed = 40;
	KT_EXPECT_EQ(t, gpm_pick_processor(c, 3), 0);
	c[0].state = c[1].state = MGR_DEAD;
	KT_EXPECT_EQ(t, gpm_pick_processor(c, 3), -1);
}

KTEST(mgr_policy, homes_and_owners_spread)
{
	struct mgr_comp c[3] = { comp(1, MGR_ROLE_MEMORY, 1, 100),
				 comp(2, MGR_ROLE_MEMORY, 2, 100),
				 comp(3, MGR_ROLE_PROCESSOR, 3, 900) };
	int h, o;

	h = gmm_pick_home(c, 3);
	KT_EXPECT_EQ(t, h, 0); /* tie: lowest id */
	c[h].placed++;
	KT_EXPECT_EQ(t, gmm_pick_home(c, 3), 1);
	o = gmm_pick_owner(c, 3, 0);
	KT_EXPECT_EQ(t, o, 0);
	c[o].vregions++;
	KT_EXPECT_EQ(t, gmm_pick_owner(c, 3, 0), 1);
	/* A backup is never the primary. */
	KT_EXPECT_EQ(t, gmm_pick_owner(c, 3, c[1].ip), 0);
	/* Equal counts: the most free RAM wins. */
	c[1].vregions++;
	c[1].ram_free = 200 << 20;
	KT_EXPECT_EQ(t, gmm_pick_owner(c, 3, 0), 1);
	c[1].state = MGR_DEAD;
	KT_EXPECT_EQ(t, gmm_pick_home(c, 3), 0);
	KT_EXPECT_EQ(t, gmm_pick_owner(c, 3, c[0].ip), -1);
}

KTEST(mgr_policy, storage_spreads_vnodes)
{
	struct mgr_comp c[2] = { comp(1, MGR_ROLE_STORAGE, 1, 0),
				 comp(2, MGR_ROLE_STORAGE, 2, 0) };

	c[1].disk_bytes = 1 << 30;
	KT_EXPECT_EQ(t, gsm_pick_storage(c, 2), 1); /* larger disk */
	c[1].placed++;
	KT_EXPECT_EQ(t, gsm_pick_storage(c, 2), 0);
	c[0].role = MGR_ROLE_MEMORY;
	c[1].state = MGR_DEAD;
	KT_EXPECT_EQ(t, gsm_pick_storage(c, 2), -1);
}
