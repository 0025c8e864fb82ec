// The opaque qf_calendar handle, shared by the calendar and allocation C ABI files.
#pragma once

#include "guard.hpp"
#include "quotaflow/calendar/calendar.hpp"

struct qf_calendar {
  quotaflow::Calendar cal;
};

namespace quotaflow::capi {
inline const Calendar& calendar_of(const qf_calendar* c) {
  require(c, "calendar");
  return c->cal;
}
}  // namespace quotaflow::capi
