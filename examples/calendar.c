/* The business calendar from C: working days per month of 2025 on China's official calendar.
 * Build: cc calendar.c $(pkg-config --cflags --libs quotaflow) */
#include <stdio.h>

#include <quotaflow.h>

static int check(qf_status s) {
  if (s != QF_OK) fprintf(stderr, "quotaflow error %d (%s): %s\n", (int)s, qf_status_name(s), qf_last_error_message());
  return s == QF_OK;
}

int main(void) {
  qf_calendar* cal = NULL;
  int32_t start, end, total;
  int32_t starts[12], ends[12], days[12];
  size_t count = 0, i;
  if (!check(qf_calendar_preset(&cal, "CN"))) return 1;
  if (!check(qf_date_from_ymd(2025, 1, 1, &start)) || !check(qf_date_from_ymd(2026, 1, 1, &end))) return 1;
  if (!check(qf_calendar_working_days(cal, start, end, &total))) return 1;
  if (!check(qf_calendar_periods(cal, start, end, QF_GRAIN_MONTH, starts, ends, days, 12, &count))) return 1;
  for (i = 0; i < count; ++i) {
    char label[32];
    qf_calendar_period_label(cal, starts[i], QF_GRAIN_MONTH, label, sizeof label, NULL);
    printf("%s %2d\n", label, (int)days[i]);
  }
  printf("2025: %d working days\n", (int)total);
  /* Errors come back as a status and a message naming the argument. */
  if (qf_calendar_working_days(cal, end, start, &total) != QF_OK) printf("as expected: %s\n", qf_last_error_message());
  qf_calendar_destroy(cal);
  return 0;
}
