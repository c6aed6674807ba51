/* What the CPU says about itself (CPUID) and its hardware random number
 * generator (RDRAND), for /proc/cpuinfo and the kernel's generator. */
#include <tessera/arch.h>

#define CPUID1_ECX_RDRAND (1u << 30)
#define RDRAND_TRIES 10 /* Intel's advice for a momentary underflow */

void arch_cpuid(u32 leaf, u32 sub, u32 out[4])
{
	asm volatile("cpuid"
		     : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3])
		     : "a"(leaf), "c"(sub));
}

bool arch_random_u64(u64 *out)
{
	u32 r[4];

	arch_cpuid(1, 0, r);
	if (!(r[2] & CPUID1_ECX_RDRAND))
		return false;
	for (int i = 0; i < RDRAND_TRIES; i++) {
		u8 ok;

		asm volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
		if (ok)
			return true;
	}
	return false;
}
