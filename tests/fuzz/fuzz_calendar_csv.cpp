// Fuzzes the calendar CSV parser; a parsed calendar must be internally consistent.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "quotaflow/calendar/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace quotaflow;
  try {
    CalendarOptions o;
    o.valid_from = date_from_ymd(2000, 1, 1);
    o.valid_until = date_from_ymd(2031, 1, 1);
    Calendar cal = parse_calendar_csv(std::string_view(reinterpret_cast<const char*>(data), size), o);
    // Every listed holiday is off and every make-up day is worked; counts add up by month.
    for (Date d : cal.holidays())
      if (cal.is_working_day(d)) std::abort();
    for (Date d : cal.workdays())
      if (!cal.is_working_day(d)) std::abort();
    int32_t sum = 0;
    for (const Period& p : cal.periods(o.valid_from, o.valid_until, Grain::month)) sum += p.working_days;
    if (sum != cal.working_days(o.valid_from, o.valid_until)) std::abort();
  } catch (const error&) {
  }
  return 0;
}
