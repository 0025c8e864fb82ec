/* C ABI: version, status names, amounts, dates. Compiled as C99. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "qf_test.h"

void test_version(void) {
  char expected[32];
  snprintf(expected, sizeof expected, "%d.%d.%d", QF_VERSION_MAJOR, QF_VERSION_MINOR, QF_VERSION_PATCH);
  CHECK(qf_version() != NULL);
  CHECK_STR_EQ(qf_version(), expected);
  CHECK_INT_EQ(qf_version_number(), QF_VERSION_NUMBER);
  CHECK_INT_EQ(QF_VERSION_NUMBER, QF_VERSION_MAJOR * 10000 + QF_VERSION_MINOR * 100 + QF_VERSION_PATCH);
}

void test_status_names(void) {
  CHECK_INT_EQ(QF_OK, 0);
  CHECK_INT_EQ(QF_ERR_INVALID_ARGUMENT, -1);
  CHECK_INT_EQ(QF_ERR_INTERNAL, -10);
  CHECK_STR_EQ(qf_status_name(QF_OK), "ok");
  CHECK_STR_EQ(qf_status_name(QF_ERR_INVALID_ARGUMENT), "invalid_argument");
  CHECK_STR_EQ(qf_status_name(QF_ERR_OUT_OF_RANGE), "out_of_range");
  CHECK_STR_EQ(qf_status_name(QF_ERR_OVERFLOW), "overflow");
  CHECK_STR_EQ(qf_status_name(QF_ERR_NOT_FOUND), "not_found");
  CHECK_STR_EQ(qf_status_name(QF_ERR_IO), "io_error");
  CHECK_STR_EQ(qf_status_name(QF_ERR_PARSE), "parse_error");
  CHECK_STR_EQ(qf_status_name(QF_ERR_NO_MEMORY), "no_memory");
  CHECK_STR_EQ(qf_status_name(QF_ERR_BUFFER_TOO_SMALL), "buffer_too_small");
  CHECK_STR_EQ(qf_status_name(QF_ERR_NULL_POINTER), "null_pointer");
  CHECK_STR_EQ(qf_status_name(QF_ERR_INTERNAL), "internal");
  CHECK_STR_EQ(qf_status_name(1), "unknown");
  CHECK_STR_EQ(qf_status_name(-11), "unknown");
  CHECK_STR_EQ(qf_status_name(INT32_MIN), "unknown");
  CHECK_STR_EQ(qf_status_name(INT32_MAX), "unknown");
  qf_free(NULL); /* NULL is fine */
}

void test_amount_parse(void) {
  int64_t v = 0;
  CHECK_OK(qf_amount_parse("1234.56", 2, &v));
  CHECK_INT_EQ(v, 123456);
  CHECK_OK(qf_amount_parse("-0.05", 2, &v));
  CHECK_INT_EQ(v, -5);
  CHECK_OK(qf_amount_parse("+7", 2, &v));
  CHECK_INT_EQ(v, 700);
  CHECK_OK(qf_amount_parse("1.2300", 2, &v));
  CHECK_INT_EQ(v, 123);
  CHECK_OK(qf_amount_parse("9223372036854775807", 0, &v));
  CHECK(v == INT64_MAX);
  CHECK_OK(qf_amount_parse("-9223372036854775808", 0, &v));
  CHECK(v == INT64_MIN);
  CHECK_OK(qf_amount_parse("-9.223372036854775808", 18, &v));
  CHECK(v == INT64_MIN);

  v = 42;
  CHECK_ERROR(qf_amount_parse("1.231", 2, &v), QF_ERR_PARSE, "1.231");
  CHECK_ERROR(qf_amount_parse("abc", 2, &v), QF_ERR_PARSE, "\"abc\"");
  CHECK_ERROR(qf_amount_parse("", 2, &v), QF_ERR_PARSE, "amount");
  CHECK_ERROR(qf_amount_parse("9223372036854775808", 0, &v), QF_ERR_OVERFLOW, "9223372036854775808");
  CHECK_ERROR(qf_amount_parse("92233720368547758.08", 2, &v), QF_ERR_OVERFLOW, "overflows");
  CHECK_ERROR(qf_amount_parse("1", 19, &v), QF_ERR_INVALID_ARGUMENT, "scale");
  CHECK_ERROR(qf_amount_parse("1", -1, &v), QF_ERR_INVALID_ARGUMENT, "scale");
  CHECK_INT_EQ(v, 42); /* untouched on failure */
  CHECK_ERROR(qf_amount_parse(NULL, 2, &v), QF_ERR_NULL_POINTER, "text");
  CHECK_ERROR(qf_amount_parse("1", 2, NULL), QF_ERR_NULL_POINTER, "out");
}

void test_amount_format(void) {
  char buf[64];
  size_t needed = 0;
  /* Size query. */
  CHECK_OK(qf_amount_format(123456, 2, NULL, 0, &needed));
  CHECK_INT_EQ(needed, 7);
  CHECK_OK(qf_amount_format(123456, 2, buf, sizeof buf, &needed));
  CHECK_STR_EQ(buf, "1234.56");
  CHECK_INT_EQ(needed, 7);
  /* Exactly big enough (length + NUL), and one byte short. */
  CHECK_OK(qf_amount_format(123456, 2, buf, 8, NULL));
  CHECK_STR_EQ(buf, "1234.56");
  needed = 0;
  CHECK_ERROR(qf_amount_format(123456, 2, buf, 7, &needed), QF_ERR_BUFFER_TOO_SMALL, "buf");
  CHECK_INT_EQ(needed, 7);
  CHECK_ERROR(qf_amount_format(1, 2, NULL, 5, &needed), QF_ERR_NULL_POINTER, "buf");

  CHECK_OK(qf_amount_format(-5, 2, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "-0.05");
  CHECK_OK(qf_amount_format(0, 0, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "0");
  CHECK_OK(qf_amount_format(INT64_MIN, 0, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "-9223372036854775808");
  CHECK_OK(qf_amount_format(INT64_MIN, 18, buf, sizeof buf, &needed));
  CHECK_STR_EQ(buf, "-9.223372036854775808");
  CHECK_INT_EQ(needed, 21);
  CHECK_OK(qf_amount_format(INT64_MAX, 2, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "92233720368547758.07");
  CHECK_OK(qf_amount_format(5, 18, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "0.000000000000000005");
  CHECK_ERROR(qf_amount_format(1, 19, buf, sizeof buf, NULL), QF_ERR_INVALID_ARGUMENT, "scale");

  /* Round trip over a spread of values and scales. */
  {
    uint64_t x = 88172645463325252ULL;
    int i;
    for (i = 0; i < 2000; ++i) {
      int64_t v, back = 0;
      int32_t scale;
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      v = (int64_t)(x >> (x % 64));
      if (x & 1) v = (int64_t)(0u - (uint64_t)v); /* wraps INT64_MIN onto itself, no UB */
      scale = (int32_t)(x % 19);
      CHECK_OK(qf_amount_format(v, scale, buf, sizeof buf, NULL));
      CHECK_OK(qf_amount_parse(buf, scale, &back));
      if (back != v) {
        fprintf(stderr, "round trip of %lld at scale %d gave %lld via \"%s\"\n", (long long)v, (int)scale,
                (long long)back, buf);
        qf_test_fail();
        break;
      }
    }
  }
}

void test_amount_arithmetic(void) {
  int64_t r = 0;
  CHECK_OK(qf_amount_add(150, -50, &r));
  CHECK_INT_EQ(r, 100);
  CHECK_OK(qf_amount_sub(150, 200, &r));
  CHECK_INT_EQ(r, -50);
  CHECK_OK(qf_amount_mul(150, 3, &r));
  CHECK_INT_EQ(r, 450);
  CHECK_OK(qf_amount_add(INT64_MAX - 1, 1, &r));
  CHECK(r == INT64_MAX);
  r = 7;
  CHECK_ERROR(qf_amount_add(INT64_MAX, 1, &r), QF_ERR_OVERFLOW, "overflows int64");
  CHECK_ERROR(qf_amount_sub(INT64_MIN, 1, &r), QF_ERR_OVERFLOW, "overflows int64");
  CHECK_ERROR(qf_amount_mul(INT64_MIN, -1, &r), QF_ERR_OVERFLOW, "overflows int64");
  CHECK_ERROR(qf_amount_mul(INT64_MAX, 2, &r), QF_ERR_OVERFLOW, "overflows int64");
  CHECK_INT_EQ(r, 7);
  CHECK_ERROR(qf_amount_add(1, 2, NULL), QF_ERR_NULL_POINTER, "out");
  CHECK_ERROR(qf_amount_sub(1, 2, NULL), QF_ERR_NULL_POINTER, "out");
  CHECK_ERROR(qf_amount_mul(1, 2, NULL), QF_ERR_NULL_POINTER, "out");
}

void test_dates(void) {
  int32_t d = 0, y = 0, m = 0, day = 0;
  CHECK_OK(qf_date_from_ymd(1970, 1, 1, &d));
  CHECK_INT_EQ(d, 0);
  CHECK_OK(qf_date_from_ymd(2025, 10, 1, &d));
  CHECK_INT_EQ(d, 20362);
  CHECK_OK(qf_date_from_ymd(1900, 1, 1, &d));
  CHECK_INT_EQ(d, -25567);
  CHECK_OK(qf_date_from_ymd(2199, 12, 31, &d));
  CHECK_INT_EQ(d, 84005);
  CHECK_OK(qf_date_to_ymd(20362, &y, &m, &day));
  CHECK_INT_EQ(y, 2025);
  CHECK_INT_EQ(m, 10);
  CHECK_INT_EQ(day, 1);
  CHECK_OK(qf_date_to_ymd(-1, &y, &m, &day));
  CHECK(y == 1969 && m == 12 && day == 31);
  CHECK_OK(qf_date_parse("2024-02-29", &d));
  CHECK_INT_EQ(d, 19782);
  CHECK_OK(qf_date_parse("20251001", &d));
  CHECK_INT_EQ(d, 20362);

  CHECK_ERROR(qf_date_parse("2025-02-29", &d), QF_ERR_PARSE, "2025-02-29");
  CHECK_ERROR(qf_date_parse("2025-13-01", &d), QF_ERR_PARSE, "2025-13-01");
  CHECK_ERROR(qf_date_parse("1899-12-31", &d), QF_ERR_OUT_OF_RANGE, "1899-12-31");
  CHECK_ERROR(qf_date_parse("2200-01-01", &d), QF_ERR_OUT_OF_RANGE, "2200-01-01");
  CHECK_ERROR(qf_date_parse("1 Oct 2025", &d), QF_ERR_PARSE, "YYYY-MM-DD");
  CHECK_ERROR(qf_date_from_ymd(2025, 2, 29, &d), QF_ERR_INVALID_ARGUMENT, "2025-2-29");
  CHECK_ERROR(qf_date_to_ymd(84006, &y, &m, &day), QF_ERR_OUT_OF_RANGE, "84006");
  CHECK_ERROR(qf_date_parse(NULL, &d), QF_ERR_NULL_POINTER, "text");
  CHECK_ERROR(qf_date_parse("2025-10-01", NULL), QF_ERR_NULL_POINTER, "out");
  CHECK_ERROR(qf_date_from_ymd(2025, 10, 1, NULL), QF_ERR_NULL_POINTER, "out");
  CHECK_ERROR(qf_date_to_ymd(0, NULL, &m, &day), QF_ERR_NULL_POINTER, "year");
  CHECK_ERROR(qf_date_to_ymd(0, &y, NULL, &day), QF_ERR_NULL_POINTER, "month");
  CHECK_ERROR(qf_date_to_ymd(0, &y, &m, NULL), QF_ERR_NULL_POINTER, "day");

  /* Every day of 2000..2030 round-trips through ymd. */
  {
    int32_t first = 0, last = 0, x;
    CHECK_OK(qf_date_from_ymd(2000, 1, 1, &first));
    CHECK_OK(qf_date_from_ymd(2030, 12, 31, &last));
    for (x = first; x <= last; ++x) {
      int32_t back = 0;
      if (qf_date_to_ymd(x, &y, &m, &day) != QF_OK || qf_date_from_ymd(y, m, day, &back) != QF_OK || back != x) {
        fprintf(stderr, "date %d does not round-trip\n", (int)x);
        qf_test_fail();
        break;
      }
    }
  }
}
