/* Phoenix-style word count: reads the whole file (argv[1]) into memory,
 * splits it into words (runs of letters), counts each distinct word in a
 * hash table and prints the total, the number of distinct words and the
 * ten most frequent with their counts. */
#include <ctype.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TABLE (1u << 16)

struct word {
	const char *s;
	unsigned len;
	unsigned long count;
};

static struct word table[TABLE];

static struct word *lookup(const char *s, unsigned len)
{
	uint32_t h = 2166136261u;

	for (unsigned i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	for (h &= TABLE - 1; table[h].s; h = (h + 1) & (TABLE - 1))
		if (table[h].len == len && !memcmp(table[h].s, s, len))
			break;
	return &table[h];
}

static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	char *buf;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st) < 0 || !(buf = malloc((size_t)st.st_size + 1)))
		return NULL;
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r <= 0)
			return NULL;
		got += (size_t)r;
	}
	close(fd);
	*len = got;
	return buf;
}

static int by_count(const void *a, const void *b)
{
	const struct word *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->len != y->len ? (int)x->len - (int)y->len : memcmp(x->s, y->s, x->len);
}

int main(int argc, char **argv)
{
	size_t len, i = 0;
	char *buf = argc > 1 ? slurp(argv[1], &len) : NULL;
	unsigned long total = 0, distinct = 0;

	if (!buf) {
		printf("wordcount: cannot read %s\n", argc > 1 ? argv[1] : "(no file)");
		return 2;
	}
	while (i < len) {
		size_t start;

		while (i < len && !isalpha((unsigned char)buf[i]))
			i++;
		for (start = i; i < len && isalpha((unsigned char)buf[i]); i++)
			;
		if (i > start) {
			struct word *w = lookup(buf + start, (unsigned)(i - start));

			distinct += !w->s;
			w->s = buf + start;
			w->len = (unsigned)(i - start);
			w->count++;
			total++;
		}
	}
	qsort(table, TABLE, sizeof(table[0]), by_count);
	printf("wordcount: %lu words, %lu distinct;", total, distinct);
	for (int k = 0; k < 10 && table[k].s; k++)
		printf(" %.*s=%lu", (int)table[k].len, table[k].s, table[k].count);
	printf("\n");
	return 0;
}
