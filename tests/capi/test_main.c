/* Runs the C ABI tests and prints "N passed, M failed"; exits non-zero on any failure. */
#include <stdio.h>
#include <string.h>

#include "qf_test.h"

static int current_failed;

void qf_test_fail(void) { current_failed = 1; }

typedef struct {
  const char* name;
  void (*fn)(void);
} test_case;

/* test_monitor_stream.c */
void test_monitor_stream(void);
void test_monitor_stream_bad_input(void);

/* test_monitor_rules.c */
void test_monitor_rules(void);

/* test_incentive_plan.c */
void test_payout(void);
void test_payout_bad_input(void);

/* test_incentive_scorecard.c */
void test_scorecard(void);
void test_scorecard_json(void);
void test_scorecard_bad_input(void);

static const test_case tests[] = {
    {"version", test_version},
    {"status_names", test_status_names},
    {"amount_parse", test_amount_parse},
    {"amount_format", test_amount_format},
    {"amount_arithmetic", test_amount_arithmetic},
    {"dates", test_dates},
    {"calendar_lifecycle", test_calendar_lifecycle},
    {"calendar_create_errors", test_calendar_create_errors},
    {"calendar_queries", test_calendar_queries},
    {"calendar_query_errors", test_calendar_query_errors},
    {"calendar_bulk", test_calendar_bulk},
    {"calendar_bulk_errors", test_calendar_bulk_errors},
    {"calendar_periods", test_calendar_periods},
    {"calendar_period_labels", test_calendar_period_labels},
    {"calendar_csv", test_calendar_csv},
    {"calendar_cn_preset", test_calendar_cn_preset},
    {"hierarchy", test_hierarchy},
    {"hierarchy_errors", test_hierarchy_errors},
    {"apportion", test_apportion},
    {"allocate_tree", test_allocate_tree},
    {"phase", test_phase},
    {"allocate_grid", test_allocate_grid},
    {"reconcile", test_reconcile},
    {"log_create", test_log_create},
    {"log_options", test_log_options},
    {"log_bad_input", test_log_bad_input},
    {"log_csv", test_log_csv},
    {"dfg", test_dfg},
    {"variants", test_variants},
    {"temporal", test_temporal},
    {"process_model_build", test_process_model_build},
    {"process_model_bad_input", test_process_model_bad_input},
    {"process_model_json", test_process_model_json},
    {"process_check", test_process_check},
    {"process_fit", test_process_fit},
    {"rollup", test_rollup},
    {"rollup_bad_input", test_rollup_bad_input},
    {"track", test_track},
    {"track_bad_input", test_track_bad_input},
    {"monitor_stream", test_monitor_stream},
    {"monitor_stream_bad_input", test_monitor_stream_bad_input},
    {"monitor_rules", test_monitor_rules},
    {"price_volume_mix", test_price_volume_mix},
    {"control_chart", test_control_chart},
    {"control_charts_bulk", test_control_charts_bulk},
    {"control_chart_bad_input", test_control_chart_bad_input},
    {"scorecard", test_scorecard},
    {"scorecard_json", test_scorecard_json},
    {"scorecard_bad_input", test_scorecard_bad_input},
    {"payout", test_payout},
    {"payout_bad_input", test_payout_bad_input},
};

int main(int argc, char** argv) {
  int passed = 0, failed = 0;
  size_t i;
  const char* only = argc > 1 ? argv[1] : NULL;
  /* Before any call fails, the thread's message is "" (never NULL). */
  if (qf_last_error_message() == NULL || strcmp(qf_last_error_message(), "") != 0) {
    fprintf(stderr, "qf_last_error_message() is not \"\" before any failure\n");
    ++failed;
  } else {
    ++passed;
  }
  for (i = 0; i < sizeof tests / sizeof tests[0]; ++i) {
    if (only != NULL && strcmp(only, tests[i].name) != 0) continue;
    current_failed = 0;
    tests[i].fn();
    if (current_failed) {
      ++failed;
      printf("FAILED  %s\n", tests[i].name);
    } else {
      ++passed;
      printf("ok      %s\n", tests[i].name);
    }
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
