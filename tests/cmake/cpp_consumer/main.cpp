// Uses both installed products: the C++ library and the C ABI.
#include <cstdio>

#include <quotaflow.h>
#include <quotaflow/quotaflow.hpp>

int main() {
  using namespace quotaflow;
  Calendar cal = Calendar::preset("CN");
  int32_t cpp = cal.working_days(date_from_string("2025-01-01"), date_from_string("2026-01-01"));
  qf_calendar* c = nullptr;
  int32_t from_c = -1;
  if (qf_calendar_preset(&c, "CN") != QF_OK) return 1;
  qf_calendar_working_days(c, date_from_string("2025-01-01"), date_from_string("2026-01-01"), &from_c);
  qf_calendar_destroy(c);
  std::printf("cpp=%d c=%d version=%s\n", cpp, from_c, qf_version());
  return cpp == 248 && from_c == 248 ? 0 : 1;
}
