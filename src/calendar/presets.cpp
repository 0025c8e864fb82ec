// Built-in calendar presets. The CN facts live in cn_preset.inc, generated from the State
// Council's notices by tools/gen_cn_preset.py (the same facts ship as data/calendars/*.csv).
#include <string>

#include "quotaflow/calendar/calendar.hpp"

namespace quotaflow {
namespace {
#include "cn_preset.inc"
}  // namespace

Calendar Calendar::preset(std::string_view name) {
  if (name == "plain") return Calendar{};
  if (name == "CN") {
    CalendarOptions o;
    o.valid_from = date_from_ymd(2007, 1, 1);
    o.valid_until = date_from_ymd(2027, 1, 1);
    return Calendar(o, cn_holidays, cn_makeup_workdays);
  }
  fail(errc::not_found, "calendar preset \"", std::string(name), "\" is unknown; available presets: CN, plain");
}

}  // namespace quotaflow
