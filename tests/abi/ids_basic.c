/* Identities: uid, euid, gid, egid and the res* triples agree with each
 * other (printed: this suite runs as root on both sides); getgroups with
 * size 0 returns a count; setuid to the current uid succeeds. */
#include <grp.h>
#include <unistd.h>

#include "abi.h"

int main(int argc, char **argv)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	gid_t list[64];

	abi_init(argc, argv);
	say("uid %d euid %d gid %d egid %d", (int)getuid(), (int)geteuid(), (int)getgid(),
	    (int)getegid());
	SHOW(getresuid(&r, &e, &s));
	say("resuid agree: %d", r == getuid() && e == geteuid() && s == geteuid());
	SHOW(getresgid(&gr, &ge, &gs));
	say("resgid agree: %d", gr == getgid() && ge == getegid() && gs == getegid());
	say("getgroups count >= 0: %d", getgroups(0, NULL) >= 0);
	say("getgroups fills: %d", getgroups(64, list) == getgroups(0, NULL));
	SHOW(setuid(getuid()));
	SHOW(setgid(getgid()));
	return 0;
}
