/* A tiny test harness for the C ABI tests (plain C99, no dependencies). */
#ifndef QF_TEST_H
#define QF_TEST_H

#include <stdio.h>
#include <string.h>

#include "quotaflow.h"

/* Marks the running test as failed (defined in test_main.c). */
void qf_test_fail(void);

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
      qf_test_fail();                                                          \
    }                                                                          \
  } while (0)

#define CHECK_INT_EQ(actual, expected)                                                                   \
  do {                                                                                                   \
    long long a_ = (long long)(actual), e_ = (long long)(expected);                                      \
    if (a_ != e_) {                                                                                      \
      fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n", __FILE__, __LINE__, #actual, a_, e_);         \
      qf_test_fail();                                                                                    \
    }                                                                                                    \
  } while (0)

#define CHECK_STR_EQ(actual, expected)                                                                   \
  do {                                                                                                   \
    const char* a_ = (actual);                                                                           \
    const char* e_ = (expected);                                                                         \
    if (a_ == NULL || strcmp(a_, e_) != 0) {                                                             \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #actual,             \
              a_ ? a_ : "(null)", e_);                                                                   \
      qf_test_fail();                                                                                    \
    }                                                                                                    \
  } while (0)

#define CHECK_STATUS(call, expected)                                                                      \
  do {                                                                                                    \
    qf_status s_ = (call);                                                                                \
    if (s_ != (expected)) {                                                                               \
      fprintf(stderr, "%s:%d: %s returned %d (%s), expected %d (%s); last message: \"%s\"\n", __FILE__,   \
              __LINE__, #call, (int)s_, qf_status_name(s_), (int)(expected), qf_status_name(expected),    \
              qf_last_error_message());                                                                   \
      qf_test_fail();                                                                                     \
    }                                                                                                     \
  } while (0)

#define CHECK_OK(call) CHECK_STATUS(call, QF_OK)

/* The call fails with `expected` and the thread's message contains `needle`. */
#define CHECK_ERROR(call, expected, needle)                                                          \
  do {                                                                                               \
    CHECK_STATUS(call, expected);                                                                    \
    if (strstr(qf_last_error_message(), (needle)) == NULL) {                                         \
      fprintf(stderr, "%s:%d: message \"%s\" of %s does not contain \"%s\"\n", __FILE__, __LINE__,   \
              qf_last_error_message(), #call, (needle));                                             \
      qf_test_fail();                                                                                \
    }                                                                                                \
  } while (0)

/* Test functions (test_core.c, test_calendar.c). */
void test_version(void);
void test_status_names(void);
void test_amount_parse(void);
void test_amount_format(void);
void test_amount_arithmetic(void);
void test_dates(void);
void test_calendar_lifecycle(void);
void test_calendar_create_errors(void);
void test_calendar_queries(void);
void test_calendar_query_errors(void);
void test_calendar_bulk(void);
void test_calendar_bulk_errors(void);
void test_calendar_periods(void);
void test_calendar_period_labels(void);
void test_calendar_csv(void);
void test_calendar_cn_preset(void);
/* test_allocation.c */
void test_hierarchy(void);
void test_hierarchy_errors(void);
void test_apportion(void);
void test_allocate_tree(void);
void test_phase(void);
void test_allocate_grid(void);
void test_reconcile(void);
/* test_process_log.c */
void test_log_create(void);
void test_log_options(void);
void test_log_bad_input(void);
void test_log_csv(void);
void test_dfg(void);
void test_variants(void);
void test_temporal(void);
/* test_process_model.c */
void test_process_model_build(void);
void test_process_model_bad_input(void);
void test_process_model_json(void);
void test_process_check(void);
void test_process_fit(void);
/* test_monitor_track.c */
void test_rollup(void);
void test_rollup_bad_input(void);
void test_track(void);
void test_track_bad_input(void);
void test_price_volume_mix(void);
/* test_monitor.c */
void test_control_chart(void);
void test_control_charts_bulk(void);
void test_control_chart_bad_input(void);

#endif /* QF_TEST_H */
