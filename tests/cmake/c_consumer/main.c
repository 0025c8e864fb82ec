/* A C program built against the installed C ABI with `pkg-config --cflags --libs quotaflow`. */
#include <stdio.h>
#include <string.h>

#include <quotaflow.h>

int main(void) {
  qf_calendar* cal = NULL;
  int32_t start = 0, end = 0, n = 0;
  if (qf_calendar_preset(&cal, "CN") != QF_OK) return 1;
  qf_date_parse("2024-01-01", &start);
  qf_date_parse("2025-01-01", &end);
  if (qf_calendar_working_days(cal, start, end, &n) != QF_OK || n != 251) return 2;
  /* An error path: end before start names the argument. */
  if (qf_calendar_working_days(cal, end, start, &n) != QF_ERR_INVALID_ARGUMENT) return 3;
  if (strstr(qf_last_error_message(), "end") == NULL) return 4;
  qf_calendar_destroy(cal);
  printf("c consumer ok: 2024 has %d working days (quotaflow %s)\n", (int)n, qf_version());
  return 0;
}
