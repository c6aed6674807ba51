/* Dotted-quad IPv4 addresses from text (boot arguments, command lines). */
#include <tessera/errno.h>
#include <tessera/net/rpc.h>

static int parse_octet(const char **s, u32 *out)
{
	u32 v = 0;
	int digits = 0;

	while (**s >= '0' && **s <= '9' && digits < 4) {
		v = v * 10 + (u32)(**s - '0');
		(*s)++;
		digits++;
	}
	if (!digits || digits > 3 || v > 255)
		return -EINVAL;
	*out = v;
	return 0;
}

int inet_parse(const char *s, u32 *ip, const char **end)
{
	u32 v = 0, o;

	for (int i = 0; i < 4; i++) {
		if (i && *s++ != '.')
			return -EINVAL;
		if (parse_octet(&s, &o))
			return -EINVAL;
		v = v << 8 | o;
	}
	*ip = v;
	if (end)
		*end = s;
	return 0;
}
