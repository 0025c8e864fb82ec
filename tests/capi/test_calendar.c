/* C ABI: business calendars. Compiled as C99 (POSIX only for mkstemp). */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qf_test.h"

#ifndef QF_TEST_TMPDIR
#define QF_TEST_TMPDIR "/tmp"
#endif

static int32_t D(const char* text) {
  int32_t d = 0;
  if (qf_date_parse(text, &d) != QF_OK) {
    fprintf(stderr, "bad date in test: %s (%s)\n", text, qf_last_error_message());
    qf_test_fail();
  }
  return d;
}

/* Writes text to a fresh temporary file; its path goes into path (size >= 256). */
static int write_temp_csv(const char* text, char* path) {
  int fd;
  FILE* f;
  snprintf(path, 256, "%s/qf_capi_test_XXXXXX", QF_TEST_TMPDIR);
  fd = mkstemp(path);
  if (fd < 0) {
    perror("mkstemp");
    qf_test_fail();
    return 0;
  }
  f = fdopen(fd, "wb");
  if (f == NULL) {
    close(fd);
    qf_test_fail();
    return 0;
  }
  fputs(text, f);
  fclose(f);
  return 1;
}

static uint32_t rng_state = 2463534242u;
static uint32_t next_rand(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}

void test_calendar_lifecycle(void) {
  qf_calendar* cal = NULL;
  int32_t from = 0, until = 0, fiscal = 0;
  qf_calendar_options opt = QF_CALENDAR_OPTIONS_INIT;
  int32_t holidays[2];
  int32_t workdays[1];

  qf_calendar_destroy(NULL); /* NULL is fine */

  CHECK_OK(qf_calendar_preset(&cal, "plain"));
  CHECK(cal != NULL);
  CHECK_OK(qf_calendar_info(cal, &from, &until, &fiscal));
  CHECK_INT_EQ(from, -25567);
  CHECK_INT_EQ(until, 84006);
  CHECK_INT_EQ(fiscal, 1);
  CHECK_OK(qf_calendar_info(cal, NULL, NULL, NULL)); /* every output is optional */
  qf_calendar_destroy(cal);

  CHECK_OK(qf_calendar_preset(&cal, "CN"));
  CHECK_OK(qf_calendar_info(cal, &from, &until, &fiscal));
  CHECK_INT_EQ(from, D("2007-01-01"));
  CHECK_INT_EQ(until, D("2027-01-01"));
  qf_calendar_destroy(cal);

  /* Defaults through NULL options and through the _INIT macro agree. */
  CHECK_OK(qf_calendar_create(&cal, NULL, NULL, 0, NULL, 0));
  CHECK_OK(qf_calendar_info(cal, &from, &until, &fiscal));
  CHECK_INT_EQ(from, opt.valid_from);
  CHECK_INT_EQ(until, opt.valid_until);
  CHECK_INT_EQ(fiscal, opt.fiscal_year_start_month);
  qf_calendar_destroy(cal);

  holidays[0] = D("2025-10-01");
  holidays[1] = D("2025-10-02");
  workdays[0] = D("2025-10-11");
  opt.fiscal_year_start_month = 4;
  opt.valid_from = D("2025-01-01");
  opt.valid_until = D("2026-01-01");
  CHECK_OK(qf_calendar_create(&cal, &opt, holidays, 2, workdays, 1));
  CHECK_OK(qf_calendar_info(cal, &from, &until, &fiscal));
  CHECK_INT_EQ(from, D("2025-01-01"));
  CHECK_INT_EQ(until, D("2026-01-01"));
  CHECK_INT_EQ(fiscal, 4);
  {
    int32_t n = 0, w = 0;
    CHECK_OK(qf_calendar_working_days(cal, D("2025-01-01"), D("2026-01-01"), &n));
    CHECK_INT_EQ(n, 261 - 2 + 1);
    CHECK_OK(qf_calendar_is_working_day(cal, D("2025-10-11"), &w));
    CHECK_INT_EQ(w, 1);
  }
  qf_calendar_destroy(cal);

  /* Fri+Sat weekend. */
  opt.weekend_mask = QF_WEEKEND_FRI_SAT;
  CHECK_OK(qf_calendar_create(&cal, &opt, NULL, 0, NULL, 0));
  {
    int32_t w = -1;
    CHECK_OK(qf_calendar_is_working_day(cal, D("2025-10-10"), &w)); /* Friday */
    CHECK_INT_EQ(w, 0);
    CHECK_OK(qf_calendar_is_working_day(cal, D("2025-10-12"), &w)); /* Sunday */
    CHECK_INT_EQ(w, 1);
  }
  qf_calendar_destroy(cal);
}

void test_calendar_create_errors(void) {
  qf_calendar* cal = (qf_calendar*)&cal; /* garbage that must be reset to NULL */
  qf_calendar_options opt = QF_CALENDAR_OPTIONS_INIT;
  int32_t same[1];
  int32_t far[1];

  CHECK_ERROR(qf_calendar_preset(&cal, "XX"), QF_ERR_NOT_FOUND, "\"XX\"");
  CHECK(cal == NULL);
  CHECK_ERROR(qf_calendar_preset(NULL, "CN"), QF_ERR_NULL_POINTER, "out");
  CHECK_ERROR(qf_calendar_preset(&cal, NULL), QF_ERR_NULL_POINTER, "name");
  CHECK_ERROR(qf_calendar_create(NULL, NULL, NULL, 0, NULL, 0), QF_ERR_NULL_POINTER, "out");
  CHECK_ERROR(qf_calendar_create(&cal, NULL, NULL, 3, NULL, 0), QF_ERR_NULL_POINTER, "holidays");
  CHECK_ERROR(qf_calendar_create(&cal, NULL, NULL, 0, NULL, 1), QF_ERR_NULL_POINTER, "workdays");
  CHECK(cal == NULL);

  opt.version = 99;
  CHECK_ERROR(qf_calendar_create(&cal, &opt, NULL, 0, NULL, 0), QF_ERR_INVALID_ARGUMENT, "version");
  CHECK_ERROR(qf_calendar_create(&cal, &opt, NULL, 0, NULL, 0), QF_ERR_INVALID_ARGUMENT, "99");
  CHECK_ERROR(qf_calendar_from_csv(&cal, "whatever.csv", &opt), QF_ERR_INVALID_ARGUMENT, "version");
  opt.version = QF_CALENDAR_OPTIONS_VERSION;
  opt.weekend_mask = 0x100u;
  CHECK_ERROR(qf_calendar_create(&cal, &opt, NULL, 0, NULL, 0), QF_ERR_INVALID_ARGUMENT, "weekend_mask");
  opt.weekend_mask = 0x7fu;
  CHECK_ERROR(qf_calendar_create(&cal, &opt, NULL, 0, NULL, 0), QF_ERR_INVALID_ARGUMENT, "weekend_mask");
  opt.weekend_mask = QF_WEEKEND_SAT_SUN;
  opt.fiscal_year_start_month = 13;
  CHECK_ERROR(qf_calendar_create(&cal, &opt, NULL, 0, NULL, 0), QF_ERR_INVALID_ARGUMENT, "fiscal_year_start_month");
  opt.fiscal_year_start_month = 1;
  opt.valid_until = opt.valid_from;
  CHECK_ERROR(qf_calendar_create(&cal, &opt, NULL, 0, NULL, 0), QF_ERR_OUT_OF_RANGE, "valid_until");
  opt.valid_until = 84006;

  same[0] = D("2025-10-01");
  CHECK_ERROR(qf_calendar_create(&cal, &opt, same, 1, same, 1), QF_ERR_INVALID_ARGUMENT, "2025-10-01");
  far[0] = 90000;
  CHECK_ERROR(qf_calendar_create(&cal, &opt, far, 1, NULL, 0), QF_ERR_OUT_OF_RANGE, "holidays[0]");
  CHECK(cal == NULL);
}

void test_calendar_queries(void) {
  qf_calendar* cal = NULL;
  int32_t mon = D("2025-10-06"), w = -1, n = -1, r = 0;
  double f = -1.0;
  CHECK_OK(qf_calendar_preset(&cal, "plain"));

  CHECK_OK(qf_calendar_is_working_day(cal, mon, &w));
  CHECK_INT_EQ(w, 1);
  CHECK_OK(qf_calendar_is_working_day(cal, mon + 5, &w));
  CHECK_INT_EQ(w, 0);
  CHECK_OK(qf_calendar_working_days(cal, mon, mon + 7, &n));
  CHECK_INT_EQ(n, 5);
  CHECK_OK(qf_calendar_working_days(cal, mon, mon, &n));
  CHECK_INT_EQ(n, 0);
  CHECK_OK(qf_calendar_add_working_days(cal, mon + 4, 1, &r)); /* Friday + 1 = Monday */
  CHECK_INT_EQ(r, mon + 7);
  CHECK_OK(qf_calendar_add_working_days(cal, mon, -1, &r));
  CHECK_INT_EQ(r, mon - 3);
  CHECK_OK(qf_calendar_add_working_days(cal, mon + 5, 0, &r)); /* Saturday -> Monday */
  CHECK_INT_EQ(r, mon + 7);
  CHECK_OK(qf_calendar_add_working_days(cal, mon + 2, 0, &r));
  CHECK_INT_EQ(r, mon + 2);
  CHECK_OK(qf_calendar_elapsed_fraction(cal, mon, mon + 7, mon + 2, &f));
  CHECK(f == 0.6);
  CHECK_OK(qf_calendar_elapsed_fraction(cal, mon, mon + 7, mon - 1, &f));
  CHECK(f == 0.0);
  CHECK_OK(qf_calendar_elapsed_fraction(cal, mon, mon + 7, mon + 4, &f));
  CHECK(f == 1.0);
  CHECK_OK(qf_calendar_elapsed_fraction(cal, mon, mon + 7, mon + 100, &f));
  CHECK(f == 1.0);
  qf_calendar_destroy(cal);
}

void test_calendar_query_errors(void) {
  qf_calendar* cal = NULL;
  int32_t w = 0, r = 0;
  double f = 0;
  CHECK_OK(qf_calendar_preset(&cal, "CN"));

  CHECK_ERROR(qf_calendar_is_working_day(NULL, D("2025-10-01"), &w), QF_ERR_NULL_POINTER, "calendar");
  CHECK_ERROR(qf_calendar_is_working_day(cal, D("2025-10-01"), NULL), QF_ERR_NULL_POINTER, "out");
  CHECK_ERROR(qf_calendar_working_days(NULL, 0, 1, &w), QF_ERR_NULL_POINTER, "calendar");
  CHECK_ERROR(qf_calendar_working_days(cal, D("2025-10-01"), D("2025-11-01"), NULL), QF_ERR_NULL_POINTER, "out");
  CHECK_ERROR(qf_calendar_add_working_days(cal, D("2025-10-01"), 1, NULL), QF_ERR_NULL_POINTER, "out");
  CHECK_ERROR(qf_calendar_elapsed_fraction(cal, D("2025-10-01"), D("2025-11-01"), D("2025-10-05"), NULL),
              QF_ERR_NULL_POINTER, "out");
  CHECK_ERROR(qf_calendar_info(NULL, &w, &w, &w), QF_ERR_NULL_POINTER, "calendar");

  CHECK_ERROR(qf_calendar_working_days(cal, D("2025-11-01"), D("2025-10-01"), &w), QF_ERR_INVALID_ARGUMENT, "end");
  CHECK_ERROR(qf_calendar_working_days(cal, D("2025-11-01"), D("2025-10-01"), &w), QF_ERR_INVALID_ARGUMENT,
              "before start");
  CHECK_ERROR(qf_calendar_elapsed_fraction(cal, D("2025-11-01"), D("2025-10-01"), D("2025-10-05"), &f),
              QF_ERR_INVALID_ARGUMENT, "end");
  CHECK_ERROR(qf_calendar_elapsed_fraction(cal, D("2025-11-01"), D("2025-11-01"), D("2025-10-05"), &f),
              QF_ERR_INVALID_ARGUMENT, "empty");

  CHECK_ERROR(qf_calendar_is_working_day(cal, D("2027-01-01"), &w), QF_ERR_OUT_OF_RANGE, "2027-01-01");
  CHECK_ERROR(qf_calendar_is_working_day(cal, D("2006-12-31"), &w), QF_ERR_OUT_OF_RANGE, "2006-12-31");
  CHECK_ERROR(qf_calendar_is_working_day(cal, 1000000, &w), QF_ERR_OUT_OF_RANGE, "date");
  CHECK_ERROR(qf_calendar_working_days(cal, D("2026-12-01"), D("2027-02-01"), &w), QF_ERR_OUT_OF_RANGE, "end");
  CHECK_ERROR(qf_calendar_add_working_days(cal, D("2026-12-31"), 5, &r), QF_ERR_OUT_OF_RANGE, "valid range");
  CHECK_ERROR(qf_calendar_elapsed_fraction(cal, D("2025-10-01"), D("2025-11-01"), 1000000, &f), QF_ERR_OUT_OF_RANGE,
              "as_of");
  qf_calendar_destroy(cal);
}

void test_calendar_bulk(void) {
  enum { N = 2000 };
  static int32_t dates[N], starts[N], ends[N], as_of[N], counts[N], out32[N];
  static uint8_t out8[N];
  static double outd[N];
  qf_calendar* cal = NULL;
  int32_t lo = D("2008-01-01"), span = D("2026-01-01") - D("2008-01-01");
  size_t i;
  CHECK_OK(qf_calendar_preset(&cal, "CN"));
  for (i = 0; i < N; ++i) {
    dates[i] = lo + (int32_t)(next_rand() % (uint32_t)span);
    starts[i] = lo + (int32_t)(next_rand() % (uint32_t)span);
    ends[i] = starts[i] + 1 + (int32_t)(next_rand() % 300u);
    as_of[i] = starts[i] - 20 + (int32_t)(next_rand() % 340u);
    counts[i] = (int32_t)(next_rand() % 301u) - 150;
  }
  CHECK_OK(qf_calendar_is_working_day_bulk(cal, dates, N, out8));
  for (i = 0; i < N; ++i) {
    int32_t w = -1;
    CHECK_OK(qf_calendar_is_working_day(cal, dates[i], &w));
    if (w != out8[i]) {
      fprintf(stderr, "is_working_day_bulk differs at %d\n", (int)i);
      qf_test_fail();
      break;
    }
  }
  CHECK_OK(qf_calendar_working_days_bulk(cal, starts, ends, N, out32));
  for (i = 0; i < N; ++i) {
    int32_t n = -1;
    CHECK_OK(qf_calendar_working_days(cal, starts[i], ends[i], &n));
    if (n != out32[i]) {
      fprintf(stderr, "working_days_bulk differs at %d\n", (int)i);
      qf_test_fail();
      break;
    }
  }
  CHECK_OK(qf_calendar_add_working_days_bulk(cal, dates, counts, N, out32));
  for (i = 0; i < N; ++i) {
    int32_t r = -1;
    CHECK_OK(qf_calendar_add_working_days(cal, dates[i], counts[i], &r));
    if (r != out32[i]) {
      fprintf(stderr, "add_working_days_bulk differs at %d\n", (int)i);
      qf_test_fail();
      break;
    }
  }
  CHECK_OK(qf_calendar_elapsed_fraction_bulk(cal, starts, ends, as_of, N, outd));
  for (i = 0; i < N; ++i) {
    double f = -1.0;
    CHECK_OK(qf_calendar_elapsed_fraction(cal, starts[i], ends[i], as_of[i], &f));
    if (f != outd[i]) {
      fprintf(stderr, "elapsed_fraction_bulk differs at %d\n", (int)i);
      qf_test_fail();
      break;
    }
  }
  /* Zero-length columns may be NULL. */
  CHECK_OK(qf_calendar_is_working_day_bulk(cal, NULL, 0, NULL));
  CHECK_OK(qf_calendar_working_days_bulk(cal, NULL, NULL, 0, NULL));
  CHECK_OK(qf_calendar_add_working_days_bulk(cal, NULL, NULL, 0, NULL));
  CHECK_OK(qf_calendar_elapsed_fraction_bulk(cal, NULL, NULL, NULL, 0, NULL));
  qf_calendar_destroy(cal);
}

void test_calendar_bulk_errors(void) {
  qf_calendar* cal = NULL;
  int32_t dates[4], ends[4], counts[4] = {1, 1, 1, 1}, out32[4];
  uint8_t out8[4];
  double outd[4];
  int i;
  CHECK_OK(qf_calendar_preset(&cal, "CN"));
  for (i = 0; i < 4; ++i) {
    dates[i] = D("2025-03-03") + i;
    ends[i] = D("2025-04-01");
  }
  CHECK_ERROR(qf_calendar_is_working_day_bulk(NULL, dates, 4, out8), QF_ERR_NULL_POINTER, "calendar");
  CHECK_ERROR(qf_calendar_is_working_day_bulk(cal, NULL, 4, out8), QF_ERR_NULL_POINTER, "dates");
  CHECK_ERROR(qf_calendar_is_working_day_bulk(cal, dates, 4, NULL), QF_ERR_NULL_POINTER, "out");
  CHECK_ERROR(qf_calendar_working_days_bulk(cal, NULL, ends, 4, out32), QF_ERR_NULL_POINTER, "starts");
  CHECK_ERROR(qf_calendar_working_days_bulk(cal, dates, NULL, 4, out32), QF_ERR_NULL_POINTER, "ends");
  CHECK_ERROR(qf_calendar_working_days_bulk(cal, dates, ends, 4, NULL), QF_ERR_NULL_POINTER, "out");
  CHECK_ERROR(qf_calendar_add_working_days_bulk(cal, dates, NULL, 4, out32), QF_ERR_NULL_POINTER, "counts");
  CHECK_ERROR(qf_calendar_elapsed_fraction_bulk(cal, dates, ends, NULL, 4, outd), QF_ERR_NULL_POINTER, "as_of");

  dates[3] = D("2027-01-01");
  CHECK_ERROR(qf_calendar_is_working_day_bulk(cal, dates, 4, out8), QF_ERR_OUT_OF_RANGE, "dates[3]");
  CHECK_ERROR(qf_calendar_working_days_bulk(cal, dates, ends, 4, out32), QF_ERR_OUT_OF_RANGE, "starts[3]");
  CHECK_ERROR(qf_calendar_add_working_days_bulk(cal, dates, counts, 4, out32), QF_ERR_OUT_OF_RANGE, "dates[3]");
  CHECK_ERROR(qf_calendar_elapsed_fraction_bulk(cal, dates, ends, dates, 4, outd), QF_ERR_OUT_OF_RANGE, "starts[3]");
  dates[3] = D("2025-03-06");
  ends[2] = D("2025-01-01");
  CHECK_ERROR(qf_calendar_working_days_bulk(cal, dates, ends, 4, out32), QF_ERR_INVALID_ARGUMENT, "ends[2]");
  CHECK_ERROR(qf_calendar_elapsed_fraction_bulk(cal, dates, ends, dates, 4, outd), QF_ERR_INVALID_ARGUMENT, "ends[2]");
  qf_calendar_destroy(cal);
}

void test_calendar_periods(void) {
  static const int32_t expected_2025[12] = {19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23};
  qf_calendar* cal = NULL;
  int32_t ps[16], pe[16], wd[16];
  size_t count = 99, i;
  int32_t y2025 = D("2025-01-01"), y2026 = D("2026-01-01");
  CHECK_OK(qf_calendar_preset(&cal, "CN"));

  /* Size query. */
  CHECK_OK(qf_calendar_periods(cal, y2025, y2026, QF_GRAIN_MONTH, NULL, NULL, NULL, 0, &count));
  CHECK_INT_EQ(count, 12);
  /* Too small: the error still reports the count. */
  count = 0;
  CHECK_ERROR(qf_calendar_periods(cal, y2025, y2026, QF_GRAIN_MONTH, ps, pe, wd, 5, &count), QF_ERR_BUFFER_TOO_SMALL,
              "capacity");
  CHECK_INT_EQ(count, 12);
  CHECK_STATUS(qf_calendar_periods(cal, y2025, y2026, QF_GRAIN_MONTH, ps, pe, wd, 0, &count), QF_ERR_BUFFER_TOO_SMALL);
  CHECK_OK(qf_calendar_periods(cal, y2025, y2026, QF_GRAIN_MONTH, ps, pe, wd, 16, &count));
  CHECK_INT_EQ(count, 12);
  CHECK_INT_EQ(ps[0], y2025);
  CHECK_INT_EQ(pe[11], y2026);
  for (i = 0; i < 12; ++i) {
    CHECK_INT_EQ(wd[i], expected_2025[i]);
    if (i > 0) CHECK_INT_EQ(ps[i], pe[i - 1]);
  }
  CHECK_INT_EQ(pe[0], D("2025-02-01"));

  /* Other grains, clipping. */
  CHECK_OK(qf_calendar_periods(cal, D("2025-02-15"), D("2025-11-15"), QF_GRAIN_QUARTER, ps, pe, wd, 16, &count));
  CHECK_INT_EQ(count, 4);
  CHECK_INT_EQ(ps[0], D("2025-02-15"));
  CHECK_INT_EQ(ps[1], D("2025-04-01"));
  CHECK_INT_EQ(pe[3], D("2025-11-15"));
  CHECK_OK(qf_calendar_periods(cal, y2025, y2026, QF_GRAIN_YEAR, ps, pe, wd, 16, &count));
  CHECK_INT_EQ(count, 1);
  CHECK_INT_EQ(wd[0], 248);
  CHECK_OK(qf_calendar_periods(cal, y2025, y2026, QF_GRAIN_HALF, ps, pe, wd, 16, &count));
  CHECK_INT_EQ(count, 2);
  CHECK_INT_EQ(wd[0] + wd[1], 248);
  CHECK_OK(qf_calendar_periods(cal, D("2025-10-08"), D("2025-10-22"), QF_GRAIN_WEEK, ps, pe, wd, 16, &count));
  CHECK_INT_EQ(count, 3);
  CHECK_INT_EQ(ps[1], D("2025-10-13"));
  CHECK_OK(qf_calendar_periods(cal, D("2025-10-01"), D("2025-10-11"), QF_GRAIN_DAY, ps, pe, wd, 16, &count));
  CHECK_INT_EQ(count, 10);
  CHECK_INT_EQ(wd[0], 0);
  CHECK_INT_EQ(wd[8], 1); /* 2025-10-09 */
  /* An empty range has no periods. */
  CHECK_OK(qf_calendar_periods(cal, y2025, y2025, QF_GRAIN_DAY, ps, pe, wd, 16, &count));
  CHECK_INT_EQ(count, 0);

  /* Errors. */
  CHECK_ERROR(qf_calendar_periods(cal, y2025, y2026, 9, ps, pe, wd, 16, &count), QF_ERR_INVALID_ARGUMENT, "grain");
  CHECK_ERROR(qf_calendar_periods(cal, y2025, y2026, -1, ps, pe, wd, 16, &count), QF_ERR_INVALID_ARGUMENT, "grain");
  CHECK_ERROR(qf_calendar_periods(cal, y2025, y2026, QF_GRAIN_MONTH, ps, pe, wd, 16, NULL), QF_ERR_NULL_POINTER,
              "count");
  CHECK_ERROR(qf_calendar_periods(cal, y2025, y2026, QF_GRAIN_MONTH, NULL, pe, wd, 16, &count), QF_ERR_NULL_POINTER,
              "period_starts");
  CHECK_ERROR(qf_calendar_periods(cal, y2025, y2026, QF_GRAIN_MONTH, ps, NULL, wd, 16, &count), QF_ERR_NULL_POINTER,
              "period_ends");
  CHECK_ERROR(qf_calendar_periods(cal, y2025, y2026, QF_GRAIN_MONTH, ps, pe, NULL, 16, &count), QF_ERR_NULL_POINTER,
              "working_days");
  CHECK_ERROR(qf_calendar_periods(cal, y2026, y2025, QF_GRAIN_MONTH, ps, pe, wd, 16, &count), QF_ERR_INVALID_ARGUMENT,
              "end");
  CHECK_ERROR(qf_calendar_periods(cal, y2025, D("2027-02-01"), QF_GRAIN_MONTH, NULL, NULL, NULL, 0, &count),
              QF_ERR_OUT_OF_RANGE, "end");
  CHECK_ERROR(qf_calendar_periods(NULL, y2025, y2026, QF_GRAIN_MONTH, NULL, NULL, NULL, 0, &count),
              QF_ERR_NULL_POINTER, "calendar");
  qf_calendar_destroy(cal);
}

void test_calendar_period_labels(void) {
  qf_calendar* cal = NULL;
  qf_calendar* fy = NULL;
  qf_calendar_options opt = QF_CALENDAR_OPTIONS_INIT;
  char buf[32];
  size_t needed = 0;
  int32_t d = D("2025-07-01");
  CHECK_OK(qf_calendar_preset(&cal, "plain"));
  CHECK_OK(qf_calendar_period_label(cal, d, QF_GRAIN_YEAR, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "2025");
  CHECK_OK(qf_calendar_period_label(cal, d, QF_GRAIN_HALF, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "2025-H2");
  CHECK_OK(qf_calendar_period_label(cal, d, QF_GRAIN_QUARTER, buf, sizeof buf, &needed));
  CHECK_STR_EQ(buf, "2025-Q3");
  CHECK_INT_EQ(needed, 7);
  CHECK_OK(qf_calendar_period_label(cal, d, QF_GRAIN_MONTH, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "2025-07");
  CHECK_OK(qf_calendar_period_label(cal, d, QF_GRAIN_WEEK, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "2025-W27");
  CHECK_OK(qf_calendar_period_label(cal, d, QF_GRAIN_DAY, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "2025-07-01");
  CHECK_OK(qf_calendar_period_label(cal, D("2021-01-03"), QF_GRAIN_WEEK, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "2020-W53");
  CHECK_OK(qf_calendar_period_label(cal, D("2024-12-30"), QF_GRAIN_WEEK, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "2025-W01");

  /* Size query and a buffer one byte short. */
  needed = 0;
  CHECK_OK(qf_calendar_period_label(cal, d, QF_GRAIN_DAY, NULL, 0, &needed));
  CHECK_INT_EQ(needed, 10);
  CHECK_ERROR(qf_calendar_period_label(cal, d, QF_GRAIN_DAY, buf, 10, &needed), QF_ERR_BUFFER_TOO_SMALL, "buf");
  CHECK_INT_EQ(needed, 10);
  CHECK_ERROR(qf_calendar_period_label(cal, d, 9, buf, sizeof buf, NULL), QF_ERR_INVALID_ARGUMENT, "grain");
  CHECK_ERROR(qf_calendar_period_label(cal, 90000, QF_GRAIN_DAY, buf, sizeof buf, NULL), QF_ERR_OUT_OF_RANGE, "date");
  CHECK_ERROR(qf_calendar_period_label(NULL, d, QF_GRAIN_DAY, buf, sizeof buf, NULL), QF_ERR_NULL_POINTER,
              "calendar");

  /* Fiscal year starting in April, named after the year it ends in. */
  opt.fiscal_year_start_month = 4;
  CHECK_OK(qf_calendar_create(&fy, &opt, NULL, 0, NULL, 0));
  CHECK_OK(qf_calendar_period_label(fy, D("2025-04-01"), QF_GRAIN_QUARTER, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "FY2026-Q1");
  CHECK_OK(qf_calendar_period_label(fy, D("2025-10-01"), QF_GRAIN_HALF, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "FY2026-H2");
  CHECK_OK(qf_calendar_period_label(fy, D("2025-03-31"), QF_GRAIN_YEAR, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "FY2025");
  qf_calendar_destroy(fy);
  qf_calendar_destroy(cal);
}

void test_calendar_csv(void) {
  qf_calendar* cal = (qf_calendar*)&cal;
  char path[256];
  int32_t w = -1;

  CHECK_ERROR(qf_calendar_from_csv(&cal, QF_TEST_TMPDIR "/no_such_dir/missing.csv", NULL), QF_ERR_IO,
              "no_such_dir/missing.csv");
  CHECK(cal == NULL);
  CHECK_ERROR(qf_calendar_from_csv(&cal, NULL, NULL), QF_ERR_NULL_POINTER, "path");
  CHECK_ERROR(qf_calendar_from_csv(NULL, "x.csv", NULL), QF_ERR_NULL_POINTER, "out");

  if (write_temp_csv("date,kind,name\r\n2025-10-01,holiday,National Day\r\n# comment\r\n\r\n"
                     "2025-10-11,makeup_workday,National Day\r\n",
                     path)) {
    CHECK_OK(qf_calendar_from_csv(&cal, path, NULL));
    CHECK_OK(qf_calendar_is_working_day(cal, D("2025-10-01"), &w));
    CHECK_INT_EQ(w, 0);
    CHECK_OK(qf_calendar_is_working_day(cal, D("2025-10-11"), &w));
    CHECK_INT_EQ(w, 1);
    qf_calendar_destroy(cal);
    remove(path);
  }
  if (write_temp_csv("date,kind\n2025-10-01,holiday\nnot a row\n", path)) {
    CHECK_ERROR(qf_calendar_from_csv(&cal, path, NULL), QF_ERR_PARSE, "line 3");
    CHECK_ERROR(qf_calendar_from_csv(&cal, path, NULL), QF_ERR_PARSE, path);
    CHECK(cal == NULL);
    remove(path);
  }
  if (write_temp_csv("date,kind\n2025-10-01,vacation\n", path)) {
    CHECK_ERROR(qf_calendar_from_csv(&cal, path, NULL), QF_ERR_PARSE, "vacation");
    remove(path);
  }
  if (write_temp_csv("date,kind\n2025-10-01,holiday\n2025-1x-02,holiday\n", path)) {
    CHECK_ERROR(qf_calendar_from_csv(&cal, path, NULL), QF_ERR_PARSE, "line 3");
    remove(path);
  }
}

void test_calendar_cn_preset(void) {
  enum { MAXN = 8000 };
  static int32_t dates[MAXN];
  static uint8_t a[MAXN], b[MAXN];
  qf_calendar* cn = NULL;
  qf_calendar* file = NULL;
  qf_calendar_options opt = QF_CALENDAR_OPTIONS_INIT;
  int32_t n = 0, w = -1, first = D("2007-01-01"), last = D("2026-12-31");
  size_t k, count;

  CHECK_OK(qf_calendar_preset(&cn, "CN"));
  CHECK_OK(qf_calendar_working_days(cn, D("2024-01-01"), D("2025-01-01"), &n));
  CHECK_INT_EQ(n, 251);
  CHECK_OK(qf_calendar_working_days(cn, D("2025-01-01"), D("2026-01-01"), &n));
  CHECK_INT_EQ(n, 248);
  CHECK_OK(qf_calendar_working_days(cn, D("2026-01-01"), D("2027-01-01"), &n));
  CHECK_INT_EQ(n, 248);
  CHECK_OK(qf_calendar_is_working_day(cn, D("2025-01-26"), &w)); /* Sunday make-up day */
  CHECK_INT_EQ(w, 1);
  CHECK_OK(qf_calendar_is_working_day(cn, D("2025-10-01"), &w));
  CHECK_INT_EQ(w, 0);

  /* The shipped CSV of the same facts gives the same calendar. */
  opt.valid_from = first;
  opt.valid_until = last + 1;
  CHECK_OK(qf_calendar_from_csv(&file, QF_TEST_PROJECT_DATA_DIR "/calendars/cn_official_2007_2026.csv", &opt));
  if (file != NULL) {
    count = (size_t)(last - first + 1);
    CHECK(count <= MAXN);
    for (k = 0; k < count && k < MAXN; ++k) dates[k] = first + (int32_t)k;
    CHECK_OK(qf_calendar_is_working_day_bulk(cn, dates, count, a));
    CHECK_OK(qf_calendar_is_working_day_bulk(file, dates, count, b));
    CHECK(memcmp(a, b, count) == 0);
    qf_calendar_destroy(file);
  }
  qf_calendar_destroy(cn);
}
