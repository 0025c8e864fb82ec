// The business calendar from C++: quarters of 2025 and pacing at an as-of date.
#include <cstdio>

#include <quotaflow/quotaflow.hpp>

int main() {
  using namespace quotaflow;
  const Calendar cal = Calendar::preset("CN");
  const Date start = date_from_string("2025-01-01"), end = date_from_string("2026-01-01");
  for (const Period& q : cal.periods(start, end, Grain::quarter))
    std::printf("%s %d\n", cal.period_label(q.start, Grain::quarter).c_str(), q.working_days);
  std::printf("2025: %d working days\n", cal.working_days(start, end));
  std::printf("share of the year's working days elapsed by 2025-06-30: %.3f\n",
              cal.elapsed_fraction(start, end, date_from_string("2025-06-30")));
  try {
    (void)cal.working_days(end, start);
  } catch (const error& e) {
    std::printf("as expected (%s): %s\n", errc_name(e.code()).data(), e.what());
  }
}
