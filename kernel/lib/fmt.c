/* printf-style formatting into a bounded buffer; see include/tessera/fmt.h. */
#include <tessera/fmt.h>

struct fmt_out {
	char *buf;
	size_t size;
	size_t len; /* characters produced so far, even past size */
};

struct fmt_spec {
	bool left, zero, alt, space, plus;
	int width, prec;
	int base;
	bool upper, is_signed;
};

static void fmt_putc(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void fmt_pad(struct fmt_out *o, int n, char c)
{
	while (n-- > 0)
		fmt_putc(o, c);
}

static void fmt_str(struct fmt_out *o, const struct fmt_spec *s, const char *str)
{
	int n = 0;

	if (!str)
		str = "(null)";
	while (str[n] && (s->prec < 0 || n < s->prec))
		n++;
	if (!s->left)
		fmt_pad(o, s->width - n, ' ');
	for (int i = 0; i < n; i++)
		fmt_putc(o, str[i]);
	if (s->left)
		fmt_pad(o, s->width - n, ' ');
}

static void fmt_num(struct fmt_out *o, const struct fmt_spec *s, u64 v, bool neg)
{
	const char *digits = s->upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24], sign = 0;
	const char *prefix = "";
	int n = 0, zeros, plen;

	do {
		tmp[n++] = digits[v % s->base];
		v /= s->base;
	} while (v);
	if (s->prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	if (neg)
		sign = '-';
	else if (s->is_signed && s->plus)
		sign = '+';
	else if (s->is_signed && s->space)
		sign = ' ';
	if (s->alt && s->base == 16 && n)
		prefix = s->upper ? "0X" : "0x";
	plen = (int)__builtin_strlen(prefix) + (sign != 0);
	zeros = s->prec > n ? s->prec - n : 0;
	if (s->zero && !s->left && s->prec < 0)
		zeros = MAX(zeros, s->width - plen - n);
	if (!s->left)
		fmt_pad(o, s->width - plen - zeros - n, ' ');
	if (sign)
		fmt_putc(o, sign);
	while (*prefix)
		fmt_putc(o, *prefix++);
	fmt_pad(o, zeros, '0');
	for (int i = n; i; i--)
		fmt_putc(o, tmp[i - 1]);
	if (s->left)
		fmt_pad(o, s->width - plen - zeros - n, ' ');
}

static const char *fmt_flags(const char *f, struct fmt_spec *s)
{
	for (;; f++) {
		if (*f == '-')
			s->left = true;
		else if (*f == '0')
			s->zero = true;
		else if (*f == '#')
			s->alt = true;
		else if (*f == ' ')
			s->space = true;
		else if (*f == '+')
			s->plus = true;
		else
			return f;
	}
}

static const char *fmt_int(const char *f, int *out, va_list *ap)
{
	if (*f == '*') {
		*out = va_arg(*ap, int);
		return f + 1;
	}
	*out = 0;
	while (*f >= '0' && *f <= '9')
		*out = *out * 10 + (*f++ - '0');
	return f;
}

/* Length modifier: returns the argument size in bytes (0 = int). */
static const char *fmt_length(const char *f, int *lsize)
{
	*lsize = 0;
	if (f[0] == 'h' && f[1] == 'h')
		return *lsize = 1, f + 2;
	if (f[0] == 'h')
		return *lsize = 2, f + 1;
	if (f[0] == 'l' && f[1] == 'l')
		return *lsize = 8, f + 2;
	if (f[0] == 'l' || f[0] == 'z' || f[0] == 'j' || f[0] == 't')
		return *lsize = 8, f + 1;
	return f;
}

static u64 fmt_arg(va_list *ap, int lsize, bool is_signed, bool *neg)
{
	s64 sv;
	u64 uv;

	*neg = false;
	if (lsize == 8)
		uv = va_arg(*ap, u64);
	else
		uv = va_arg(*ap, unsigned int);
	if (!is_signed) {
		if (lsize == 1)
			uv = (u8)uv;
		else if (lsize == 2)
			uv = (u16)uv;
		return uv;
	}
	sv = lsize == 8 ? (s64)uv : lsize == 1 ? (s8)uv : lsize == 2 ? (s16)uv : (s32)uv;
	if (sv < 0) {
		*neg = true;
		return -(u64)sv;
	}
	return (u64)sv;
}

static void fmt_conv(struct fmt_out *o, struct fmt_spec *s, char c, int lsize,
		     va_list *ap)
{
	bool neg;
	u64 v;

	switch (c) {
	case 'd': case 'i':
		s->is_signed = true;
		s->base = 10;
		break;
	case 'u':
		s->base = 10;
		break;
	case 'o':
		s->base = 8;
		break;
	case 'X':
		s->upper = true;
		/* fall through */
	case 'x':
		s->base = 16;
		break;
	case 'p':
		s->base = 16;
		s->alt = true;
		lsize = 8;
		break;
	case 's':
		fmt_str(o, s, va_arg(*ap, const char *));
		return;
	case 'c': {
		char ch[2] = { (char)va_arg(*ap, int), 0 };

		s->prec = -1;
		fmt_str(o, s, ch);
		return;
	}
	default:
		fmt_putc(o, '%');
		fmt_putc(o, c);
		return;
	}
	v = fmt_arg(ap, lsize, s->is_signed, &neg);
	fmt_num(o, s, v, neg);
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { buf, size, 0 };
	va_list aq;

	va_copy(aq, ap);
	for (const char *f = fmt; *f; f++) {
		struct fmt_spec s = { .prec = -1 };
		int lsize;

		if (*f != '%') {
			fmt_putc(&o, *f);
			continue;
		}
		if (*++f == '%') {
			fmt_putc(&o, '%');
			continue;
		}
		f = fmt_flags(f, &s);
		f = fmt_int(f, &s.width, &aq);
		if (s.width < 0) {
			s.left = true;
			s.width = -s.width;
		}
		if (*f == '.')
			f = fmt_int(f + 1, &s.prec, &aq);
		f = fmt_length(f, &lsize);
		if (!*f)
			break;
		fmt_conv(&o, &s, *f, lsize, &aq);
	}
	va_end(aq);
	if (size)
		buf[MIN(o.len, size - 1)] = '\0';
	return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
