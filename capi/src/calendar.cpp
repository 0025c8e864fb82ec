// C ABI: business calendar. qf_calendar is the C++ Calendar itself behind an opaque pointer.
#include <memory>

#include "calendar_handle.hpp"
#include "quotaflow/calendar/csv.hpp"

using namespace quotaflow;
using namespace quotaflow::capi;

namespace {

CalendarOptions to_options(const qf_calendar_options* o) {
  CalendarOptions c;
  if (o == nullptr) return c;
  if (o->version != QF_CALENDAR_OPTIONS_VERSION)
    fail(errc::invalid_argument, "options->version is ", o->version, "; this library knows version ",
         QF_CALENDAR_OPTIONS_VERSION, " (initialise with QF_CALENDAR_OPTIONS_INIT)");
  if (o->weekend_mask > 0x7f) fail(errc::invalid_argument, "options->weekend_mask is ", o->weekend_mask, "; only bits 0..6 may be set");
  c.weekend_mask = static_cast<uint8_t>(o->weekend_mask);
  c.fiscal_year_start_month = o->fiscal_year_start_month;
  c.valid_from = o->valid_from;
  c.valid_until = o->valid_until;
  return c;
}

const Calendar& cal_of(const qf_calendar* c) { return calendar_of(c); }

void publish(qf_calendar** out, Calendar&& cal) { *out = new qf_calendar{std::move(cal)}; }

}  // namespace

extern "C" {

QF_API qf_status qf_calendar_create(qf_calendar** out, const qf_calendar_options* options, const int32_t* holidays,
                                    size_t n_holidays, const int32_t* workdays, size_t n_workdays) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require_column(holidays, n_holidays, "holidays");
    require_column(workdays, n_workdays, "workdays");
    publish(out, Calendar(to_options(options), {holidays, n_holidays}, {workdays, n_workdays}));
  });
}

QF_API qf_status qf_calendar_preset(qf_calendar** out, const char* name) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require(name, "name");
    publish(out, Calendar::preset(name));
  });
}

QF_API qf_status qf_calendar_from_csv(qf_calendar** out, const char* path, const qf_calendar_options* options) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require(path, "path");
    publish(out, load_calendar_csv(path, to_options(options)));
  });
}

QF_API void qf_calendar_destroy(qf_calendar* calendar) { delete calendar; }

QF_API qf_status qf_calendar_info(const qf_calendar* calendar, int32_t* valid_from, int32_t* valid_until,
                                  int32_t* fiscal_year_start_month) {
  return guard([&] {
    const Calendar& c = cal_of(calendar);
    if (valid_from) *valid_from = c.valid_from();
    if (valid_until) *valid_until = c.valid_until();
    if (fiscal_year_start_month) *fiscal_year_start_month = c.fiscal_year_start_month();
  });
}

QF_API qf_status qf_calendar_is_working_day(const qf_calendar* calendar, int32_t date, int32_t* out) {
  return guard([&] {
    const Calendar& c = cal_of(calendar);
    require(out, "out");
    *out = c.is_working_day(date) ? 1 : 0;
  });
}

QF_API qf_status qf_calendar_working_days(const qf_calendar* calendar, int32_t start, int32_t end, int32_t* out) {
  return guard([&] {
    const Calendar& c = cal_of(calendar);
    require(out, "out");
    *out = c.working_days(start, end);
  });
}

QF_API qf_status qf_calendar_add_working_days(const qf_calendar* calendar, int32_t date, int32_t n, int32_t* out) {
  return guard([&] {
    const Calendar& c = cal_of(calendar);
    require(out, "out");
    *out = c.add_working_days(date, n);
  });
}

QF_API qf_status qf_calendar_elapsed_fraction(const qf_calendar* calendar, int32_t start, int32_t end, int32_t as_of,
                                              double* out) {
  return guard([&] {
    const Calendar& c = cal_of(calendar);
    require(out, "out");
    *out = c.elapsed_fraction(start, end, as_of);
  });
}

QF_API qf_status qf_calendar_is_working_day_bulk(const qf_calendar* calendar, const int32_t* dates, size_t n,
                                                 uint8_t* out) {
  return guard([&] {
    const Calendar& c = cal_of(calendar);
    require_column(dates, n, "dates");
    require_column(out, n, "out");
    c.is_working_day({dates, n}, {out, n});
  });
}

QF_API qf_status qf_calendar_working_days_bulk(const qf_calendar* calendar, const int32_t* starts,
                                               const int32_t* ends, size_t n, int32_t* out) {
  return guard([&] {
    const Calendar& c = cal_of(calendar);
    require_column(starts, n, "starts");
    require_column(ends, n, "ends");
    require_column(out, n, "out");
    c.working_days({starts, n}, {ends, n}, {out, n});
  });
}

QF_API qf_status qf_calendar_add_working_days_bulk(const qf_calendar* calendar, const int32_t* dates,
                                                   const int32_t* counts, size_t n, int32_t* out) {
  return guard([&] {
    const Calendar& c = cal_of(calendar);
    require_column(dates, n, "dates");
    require_column(counts, n, "counts");
    require_column(out, n, "out");
    c.add_working_days({dates, n}, {counts, n}, {out, n});
  });
}

QF_API qf_status qf_calendar_elapsed_fraction_bulk(const qf_calendar* calendar, const int32_t* starts,
                                                   const int32_t* ends, const int32_t* as_of, size_t n, double* out) {
  return guard([&] {
    const Calendar& c = cal_of(calendar);
    require_column(starts, n, "starts");
    require_column(ends, n, "ends");
    require_column(as_of, n, "as_of");
    require_column(out, n, "out");
    c.elapsed_fraction({starts, n}, {ends, n}, {as_of, n}, {out, n});
  });
}

QF_API qf_status qf_calendar_periods(const qf_calendar* calendar, int32_t start, int32_t end, int32_t grain,
                                     int32_t* period_starts, int32_t* period_ends, int32_t* working_days,
                                     size_t capacity, size_t* count) {
  return guard([&] {
    const Calendar& c = cal_of(calendar);
    require(count, "count");
    *count = 0;
    Grain g = check_grain(grain);
    std::vector<Period> ps = c.periods(start, end, g);
    *count = ps.size();
    if (capacity == 0 && period_starts == nullptr && period_ends == nullptr && working_days == nullptr) return;
    if (capacity < ps.size())
      fail(errc::buffer_too_small, "capacity is ", capacity, " but the range has ", ps.size(), " periods");
    require(period_starts, "period_starts");
    require(period_ends, "period_ends");
    require(working_days, "working_days");
    for (size_t i = 0; i < ps.size(); ++i) {
      period_starts[i] = ps[i].start;
      period_ends[i] = ps[i].end;
      working_days[i] = ps[i].working_days;
    }
  });
}

QF_API qf_status qf_calendar_period_label(const qf_calendar* calendar, int32_t date, int32_t grain, char* buf,
                                          size_t capacity, size_t* needed) {
  return guard([&] {
    const Calendar& c = cal_of(calendar);
    write_string(c.period_label(date, check_grain(grain)), buf, capacity, needed, "buf");
  });
}

}  // extern "C"
