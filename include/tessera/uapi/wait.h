/* Linux wait4(2) and waitid(2) values (include/uapi/linux/wait.h) and
 * struct rusage (include/uapi/linux/resource.h). The names carry an ABI_
 * prefix: the host tests also see libc's W* macros. */
#ifndef TESSERA_UAPI_WAIT_H
#define TESSERA_UAPI_WAIT_H

#include <tessera/types.h>
#include <tessera/uapi/time.h>

#define ABI_WNOHANG 0x00000001u
#define ABI_WSTOPPED 0x00000002u /* WUNTRACED */
#define ABI_WEXITED 0x00000004u
#define ABI_WCONTINUED 0x00000008u
#define ABI_WNOWAIT 0x01000000u
#define ABI_WNOTHREAD 0x20000000u
#define ABI_WALL 0x40000000u
#define ABI_WCLONE 0x80000000u

#define ABI_P_ALL 0
#define ABI_P_PID 1
#define ABI_P_PGID 2
#define ABI_P_PIDFD 3

struct rusage {
	struct timeval ru_utime;
	struct timeval ru_stime;
	s64 ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	s64 ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};
_Static_assert(sizeof(struct rusage) == 144, "rusage is 144 bytes");

#endif
