/* In-place ascending sort of u64 arrays (heapsort: O(n log n), no memory). */
#ifndef TESSERA_SORT_H
#define TESSERA_SORT_H

#include <tessera/types.h>

void sort_u64(u64 *a, size_t n);

#endif
