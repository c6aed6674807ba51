/* Linux struct new_utsname, filled by uname(2): six NUL-terminated fields
 * of 65 bytes (include/uapi/linux/utsname.h). */
#ifndef TESSERA_UAPI_UTSNAME_H
#define TESSERA_UAPI_UTSNAME_H

#define UTS_LEN 65

struct utsname {
	char sysname[UTS_LEN];
	char nodename[UTS_LEN];
	char release[UTS_LEN];
	char version[UTS_LEN];
	char machine[UTS_LEN];
	char domainname[UTS_LEN];
};
_Static_assert(sizeof(struct utsname) == 6 * 65, "utsname is 390 bytes");

#endif
