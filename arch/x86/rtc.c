/*
 * The CMOS real-time clock (MC146818, ports 0x70/0x71): the date and time
 * in whole seconds, UTC as QEMU and PC firmware keep it. A read waits out
 * an update in progress and repeats until two reads agree, so no field is
 * taken from either side of a second's change. Read-only: the monitor
 * never sets it.
 */
#include <tessera/arch.h>
#include <tessera/errno.h>

#include "arch/x86/io.h"

#define CMOS_ADDR 0x70
#define CMOS_DATA 0x71
#define RTC_STATUS_A 0x0A
#define RTC_STATUS_B 0x0B
#define RTC_UIP 0x80         /* status A: an update is in progress */
#define RTC_24H 0x02         /* status B: 24-hour mode */
#define RTC_BINARY 0x04      /* status B: binary, not BCD */
#define RTC_CENTURY 0x32     /* the usual century register */
#define RTC_TRIES 1000

struct rtc_time {
	u8 sec, min, hour, mday, mon, year, century;
};

static u8 cmos_read(u8 reg)
{
	outb(CMOS_ADDR, reg);
	return inb(CMOS_DATA);
}

static void rtc_fetch(struct rtc_time *t)
{
	t->sec = cmos_read(0x00);
	t->min = cmos_read(0x02);
	t->hour = cmos_read(0x04);
	t->mday = cmos_read(0x07);
	t->mon = cmos_read(0x08);
	t->year = cmos_read(0x09);
	t->century = cmos_read(RTC_CENTURY);
}

static bool rtc_same(const struct rtc_time *a, const struct rtc_time *b)
{
	return a->sec == b->sec && a->min == b->min && a->hour == b->hour &&
	       a->mday == b->mday && a->mon == b->mon && a->year == b->year &&
	       a->century == b->century;
}

static u8 bcd(u8 v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

/* To binary and 24-hour time, as status B says the chip keeps them. */
static void rtc_normalize(struct rtc_time *t, u8 status_b)
{
	bool pm = t->hour & 0x80;

	t->hour &= 0x7f;
	if (!(status_b & RTC_BINARY)) {
		t->sec = bcd(t->sec), t->min = bcd(t->min), t->hour = bcd(t->hour);
		t->mday = bcd(t->mday), t->mon = bcd(t->mon), t->year = bcd(t->year);
		t->century = bcd(t->century);
	}
	if (!(status_b & RTC_24H))
		t->hour = (u8)(t->hour % 12 + (pm ? 12 : 0));
}

/* Days from 1970-01-01 to year-mon-day (proleptic Gregorian, civil). */
static s64 days_from_civil(s64 y, u32 m, u32 d)
{
	s64 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int arch_rtc_read(u64 *unix_sec)
{
	struct rtc_time a, b;
	s64 year, days;

	for (int i = 0; i < RTC_TRIES; i++) {
		while (cmos_read(RTC_STATUS_A) & RTC_UIP)
			arch_cpu_relax();
		rtc_fetch(&a);
		rtc_fetch(&b);
		if (!rtc_same(&a, &b))
			continue;
		rtc_normalize(&a, cmos_read(RTC_STATUS_B));
		year = (a.century >= 19 && a.century <= 99 ? a.century * 100 : 2000) + a.year;
		if (a.mon < 1 || a.mon > 12 || a.mday < 1 || a.mday > 31 || a.hour > 23 ||
		    a.min > 59 || a.sec > 59 || year < 1970)
			return -EINVAL;
		days = days_from_civil(year, a.mon, a.mday);
		*unix_sec = (u64)(days * 86400 + a.hour * 3600 + a.min * 60 + a.sec);
		return 0;
	}
	return -EIO;
}
