/* Compiles capi/include/quotaflow.h as strict ISO C99 (-std=c99 -pedantic -Werror -Wall -Wextra).
 * Nothing here runs; the build of this file is the test. */
#include "quotaflow.h"

#if !defined(QF_VERSION_MAJOR) || !defined(QF_VERSION_MINOR) || !defined(QF_VERSION_PATCH) || !defined(QF_VERSION_NUMBER)
#error "version macros missing"
#endif

/* Use every type and macro so a C compiler has to accept them. */
static const qf_calendar_options default_options = QF_CALENDAR_OPTIONS_INIT;
static const qf_grain grains[] = {QF_GRAIN_YEAR, QF_GRAIN_HALF, QF_GRAIN_QUARTER,
                                  QF_GRAIN_MONTH, QF_GRAIN_WEEK, QF_GRAIN_DAY};
static const qf_status statuses[] = {QF_OK, QF_ERR_INVALID_ARGUMENT, QF_ERR_OUT_OF_RANGE, QF_ERR_OVERFLOW,
                                     QF_ERR_NOT_FOUND, QF_ERR_IO, QF_ERR_PARSE, QF_ERR_NO_MEMORY,
                                     QF_ERR_BUFFER_TOO_SMALL, QF_ERR_NULL_POINTER, QF_ERR_INTERNAL};

int quotaflow_header_c99_check(void);
int quotaflow_header_c99_check(void) {
  qf_calendar* cal = 0;
  qf_status (*preset)(qf_calendar**, const char*) = qf_calendar_preset;
  void (*destroy)(qf_calendar*) = qf_calendar_destroy;
  unsigned mask = QF_WEEKEND_SAT_SUN | QF_WEEKEND_FRI_SAT;
  (void)cal;
  (void)preset;
  (void)destroy;
  return (int)default_options.version + (int)grains[0] + (int)statuses[0] + (int)mask +
         (int)QF_CALENDAR_OPTIONS_VERSION;
}
