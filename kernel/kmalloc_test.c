/* kmalloc: sizes, alignment, reuse, no overlap; kernel and host. */
#include <tessera/kmalloc.h>
#include <tessera/ktest.h>
#include <tessera/string.h>

KTEST(kmalloc, sizes_alignment_no_overlap)
{
	static const size_t sizes[] = { 1, 15, 16, 17, 100, 512, 2048, 2049, 5000, 70000 };
	void *p[ARRAY_SIZE(sizes)];

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i]);
		KT_ASSERT(t, p[i] != NULL);
		KT_EXPECT_EQ(t, (unsigned long)p[i] % 16, 0);
		memset(p[i], 0xA0 + i, sizes[i]);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		const unsigned char *b = p[i];

		for (size_t j = 0; j < sizes[i]; j++)
			KT_ASSERT(t, b[j] == 0xA0 + i);
		kfree(p[i]);
	}
}

KTEST(kmalloc, many_small_objects_return_everything)
{
	static void *p[3000];
	struct kmalloc_stats before, mid, after;

	kmalloc_get_stats(&before);
	for (unsigned i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = kmalloc(48 + (i % 3) * 100);
		KT_ASSERT(t, p[i] != NULL);
		*(unsigned *)p[i] = i;
	}
	kmalloc_get_stats(&mid);
	KT_EXPECT_EQ(t, mid.objects - before.objects, ARRAY_SIZE(p));
	for (unsigned i = 0; i < ARRAY_SIZE(p); i++)
		KT_EXPECT_EQ(t, *(unsigned *)p[i], i);
	for (unsigned i = 0; i < ARRAY_SIZE(p); i++)
		kfree(p[i]);
	kmalloc_get_stats(&after);
	KT_EXPECT_EQ(t, after.objects, before.objects);
	KT_EXPECT(t, after.slabs <= before.slabs + 8); /* one cached per class */
}

KTEST(kmalloc, kzalloc_zeroes_and_free_null)
{
	unsigned char *p = kmalloc(300);

	KT_ASSERT(t, p != NULL);
	memset(p, 0xFF, 300);
	kfree(p);
	p = kzalloc(300);
	KT_ASSERT(t, p != NULL);
	for (int i = 0; i < 300; i++)
		KT_ASSERT(t, p[i] == 0);
	kfree(p);
	kfree(NULL);
	KT_EXPECT(t, kmalloc((size_t)2 << 30) == NULL);
}
