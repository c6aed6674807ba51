/* Boot-argument parsing and typed access; see include/tessera/bootargs.h.
 * Portable: the same file is unit-tested on the host. */
#include <tessera/bootargs.h>
#include <tessera/errno.h>
#include <tessera/string.h>

extern const struct bootarg_known __start_bootargs_known[], __stop_bootargs_known[];

static bool ba_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static struct bootarg *ba_slot(struct bootargs *ba, const char *key, size_t klen)
{
	for (int i = 0; i < ba->n; i++)
		if (strlen(ba->a[i].key) == klen && !strncmp(ba->a[i].key, key, klen))
			return &ba->a[i];
	return ba->n < BOOTARGS_MAX ? &ba->a[ba->n++] : NULL;
}

/* One word [w, end): key or key=value. */
static void ba_word(struct bootargs *ba, const char *w, const char *end)
{
	const char *eq = w;
	size_t klen, vlen;
	struct bootarg *a;

	while (eq < end && *eq != '=')
		eq++;
	klen = eq - w;
	vlen = eq < end ? (size_t)(end - eq - 1) : 1;
	if (!klen || klen >= BOOTARG_KEY_MAX || vlen >= BOOTARG_VAL_MAX ||
	    !(a = ba_slot(ba, w, klen))) {
		ba->dropped++;
		return;
	}
	memcpy(a->key, w, klen);
	a->key[klen] = 0;
	if (eq < end)
		memcpy(a->val, eq + 1, vlen);
	else
		a->val[0] = '1';
	a->val[vlen] = 0;
}

void bootargs_parse(struct bootargs *ba, const char *cmdline)
{
	const char *p = cmdline, *w;

	ba->n = 0;
	ba->dropped = 0;
	while (p && *p) {
		while (ba_space(*p))
			p++;
		w = p;
		while (*p && !ba_space(*p))
			p++;
		if (p > w)
			ba_word(ba, w, p);
	}
}

const char *bootargs_get(const struct bootargs *ba, const char *key)
{
	for (int i = 0; i < ba->n; i++)
		if (!strcmp(ba->a[i].key, key))
			return ba->a[i].val;
	return NULL;
}

static int ba_digit(char c, unsigned base)
{
	int d = c >= '0' && c <= '9' ? c - '0' :
		c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;

	return d < (int)base ? d : -1;
}

static int ba_suffix(const char *s, u64 *v)
{
	unsigned shift = 0;

	if (*s == 'K' || *s == 'k')
		shift = 10;
	else if (*s == 'M' || *s == 'm')
		shift = 20;
	else if (*s == 'G' || *s == 'g')
		shift = 30;
	else if (*s)
		return -EINVAL;
	if (shift && s[1])
		return -EINVAL;
	if (shift && *v > (~0ull >> shift))
		return -EINVAL;
	*v <<= shift;
	return 0;
}

int bootargs_u64(const struct bootargs *ba, const char *key, u64 *out)
{
	const char *s = bootargs_get(ba, key);
	unsigned base = 10;
	u64 v = 0;
	int d;

	if (!s)
		return -ENOENT;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
		base = 16;
		s += 2;
	}
	if (ba_digit(*s, base) < 0)
		return -EINVAL;
	for (; (d = ba_digit(*s, base)) >= 0; s++) {
		if (v > (~0ull - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	if (ba_suffix(s, &v))
		return -EINVAL;
	*out = v;
	return 0;
}

int bootargs_bool(const struct bootargs *ba, const char *key, bool *out)
{
	static const char *const yes[] = { "1", "yes", "on", "true" };
	static const char *const no[] = { "0", "no", "off", "false" };
	const char *s = bootargs_get(ba, key);

	if (!s)
		return -ENOENT;
	for (unsigned i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(s, yes[i]))
			return *out = true, 0;
		if (!strcmp(s, no[i]))
			return *out = false, 0;
	}
	return -EINVAL;
}

static bool ba_is_known(const char *key)
{
	for (const struct bootarg_known *k = __start_bootargs_known;
	     k < __stop_bootargs_known; k++)
		if (!strcmp(k->key, key))
			return true;
	return false;
}

int bootargs_check_known(const struct bootargs *ba, void (*report)(const char *key))
{
	int unknown = 0;

	for (int i = 0; i < ba->n; i++) {
		if (ba_is_known(ba->a[i].key))
			continue;
		unknown++;
		report(ba->a[i].key);
	}
	return unknown;
}
