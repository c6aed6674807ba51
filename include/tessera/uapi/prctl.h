/* arch_prctl(2) codes (arch/x86/include/uapi/asm/prctl.h). */
#ifndef TESSERA_UAPI_PRCTL_H
#define TESSERA_UAPI_PRCTL_H

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#define ARCH_GET_CPUID 0x1011
#define ARCH_SET_CPUID 0x1012

#endif
