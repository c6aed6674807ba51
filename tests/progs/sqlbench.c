/* A library workload: SQLite (Debian's libsqlite3.a, linked static) on an
 * in-memory database runs a fixed query mix: ROWS rows (argv[1], default
 * 60000) inserted with random keys and 80-byte texts, an index on the
 * keys, then OPS (argv[2], default 2000) point selects by id, OPS / 2
 * updates, OPS / 10 range counts over the index and one GROUP BY over the
 * whole table. Prints one line with a checksum of every result; exits 0
 * only if every statement succeeded. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

static sqlite3 *db;
static uint64_t sum = 14695981039346656037ull, rng = 0x853c49e6748fea9bull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void mix(int64_t v)
{
	sum = (sum ^ (uint64_t)v) * 0x100000001b3ull;
}

static void die(const char *what)
{
	printf("sqlbench: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static sqlite3_stmt *prepare(const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die(sql);
	return st;
}

static void exec(const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(sql);
}

/* Step st to its end, mixing every column of every row into the sum. */
static void run(sqlite3_stmt *st)
{
	int r;

	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			const unsigned char *t = sqlite3_column_text(st, c);

			mix(sqlite3_column_int64(st, c));
			mix(t ? (int64_t)strlen((const char *)t) + t[0] : 0);
		}
	if (r != SQLITE_DONE)
		die("step");
	sqlite3_reset(st);
}

static void text80(char *b)
{
	for (int i = 0; i < 80; i++)
		b[i] = (char)('a' + next() % 26);
	b[80] = 0;
}

static void load(long rows)
{
	sqlite3_stmt *ins = prepare("INSERT INTO t(id, k, v) VALUES (?, ?, ?)");
	char v[81];

	exec("BEGIN");
	for (long i = 1; i <= rows; i++) {
		text80(v);
		sqlite3_bind_int64(ins, 1, i);
		sqlite3_bind_int64(ins, 2, (int64_t)(next() % 1000000));
		sqlite3_bind_text(ins, 3, v, -1, SQLITE_TRANSIENT);
		run(ins);
	}
	exec("COMMIT");
	sqlite3_finalize(ins);
	exec("CREATE INDEX tk ON t(k)");
}

static void queries(long rows, long ops)
{
	sqlite3_stmt *sel = prepare("SELECT k, v FROM t WHERE id = ?");
	sqlite3_stmt *upd = prepare("UPDATE t SET v = ?, k = k + 1 WHERE id = ?");
	sqlite3_stmt *rng_q = prepare("SELECT count(*), sum(length(v)) FROM t "
				      "WHERE k BETWEEN ? AND ?");
	char v[81];

	for (long i = 0; i < ops; i++) {
		sqlite3_bind_int64(sel, 1, (int64_t)(next() % (uint64_t)rows) + 1);
		run(sel);
		if (i % 2 == 0) {
			text80(v);
			sqlite3_bind_text(upd, 1, v, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(upd, 2, (int64_t)(next() % (uint64_t)rows) + 1);
			run(upd);
		}
		if (i % 10 == 0) {
			int64_t lo = (int64_t)(next() % 990000);

			sqlite3_bind_int64(rng_q, 1, lo);
			sqlite3_bind_int64(rng_q, 2, lo + 2000);
			run(rng_q);
		}
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	sqlite3_finalize(rng_q);
}

int main(int argc, char **argv)
{
	long rows = argc > 1 ? strtol(argv[1], NULL, 0) : 60000;
	long ops = argc > 2 ? strtol(argv[2], NULL, 0) : 2000;
	sqlite3_stmt *agg;

	if (rows < 1 || ops < 0 || sqlite3_open(":memory:", &db) != SQLITE_OK) {
		printf("sqlbench: bad arguments or no database\n");
		return 2;
	}
	exec("PRAGMA cache_size = -262144");
	exec("CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v TEXT)");
	load(rows);
	queries(rows, ops);
	agg = prepare("SELECT k % 100, count(*) FROM t GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5");
	run(agg);
	sqlite3_finalize(agg);
	sqlite3_close(db);
	printf("sqlbench: %ld rows %ld ops checksum %016llx ok\n", rows, ops,
	       (unsigned long long)sum);
	return 0;
}
