// Weights from drivers: blends of history, potential, capacity and pipeline; capacity from
// headcount and selling hours; ramp-up factors for new hires.
//   auto w = blend({history, potential}, std::vector<double>{0.7, 0.3});
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gsl/span>

#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/core/error.hpp"

namespace quotaflow {

namespace detail {
inline double checked_sum(gsl::span<const double> v, const std::string& name) {
  double s = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) fail(errc::invalid_argument, name, "[", i, "] is ", v[i]);
    if (v[i] < 0) fail(errc::invalid_argument, name, "[", i, "] is ", v[i], "; values must be >= 0");
    s += v[i];
  }
  return s;
}
}  // namespace detail

// Normalised blend: each driver is scaled to sum 1, then mixed by the coefficients (>= 0,
// normalised too), so a driver measured in units and one in money mix by share, not by size.
// A driver that sums to 0 may only carry a zero coefficient. The result sums to 1.
inline std::vector<double> blend(const std::vector<gsl::span<const double>>& drivers, gsl::span<const double> coefficients) {
  if (drivers.empty()) fail(errc::invalid_argument, "drivers is empty");
  if (drivers.size() != coefficients.size())
    fail(errc::invalid_argument, "length mismatch: ", drivers.size(), " drivers but ", coefficients.size(), " coefficients");
  const size_t n = drivers[0].size();
  double csum = detail::checked_sum(coefficients, "coefficients");
  if (csum <= 0) fail(errc::invalid_argument, "coefficients sum to 0; at least one must be positive");
  std::vector<double> out(n, 0.0);
  for (size_t j = 0; j < drivers.size(); ++j) {
    const std::string name = "drivers[" + std::to_string(j) + "]";
    if (drivers[j].size() != n)
      fail(errc::invalid_argument, "length mismatch: drivers[0] has ", n, " values, ", name, " has ", drivers[j].size());
    double s = detail::checked_sum(drivers[j], name);
    if (coefficients[j] == 0) continue;
    if (s <= 0) fail(errc::invalid_argument, name, " sums to 0 but its coefficient is ", coefficients[j]);
    const double k = coefficients[j] / csum / s;
    for (size_t i = 0; i < n; ++i) out[i] += k * drivers[j][i];
  }
  return out;
}

// Capacity weights: headcount x selling hours per week (x availability, 0..1, when given).
inline std::vector<double> capacity_weights(gsl::span<const double> headcount, gsl::span<const double> hours_per_week,
                                            gsl::span<const double> availability = {}) {
  if (headcount.size() != hours_per_week.size())
    fail(errc::invalid_argument, "length mismatch: headcount has ", headcount.size(), " values, hours_per_week has ", hours_per_week.size());
  if (!availability.empty() && availability.size() != headcount.size())
    fail(errc::invalid_argument, "length mismatch: headcount has ", headcount.size(), " values, availability has ", availability.size());
  detail::checked_sum(headcount, "headcount");
  detail::checked_sum(hours_per_week, "hours_per_week");
  if (!availability.empty()) {
    detail::checked_sum(availability, "availability");
    for (size_t i = 0; i < availability.size(); ++i)
      if (availability[i] > 1) fail(errc::invalid_argument, "availability[", i, "] is ", availability[i], "; it must be in 0..1");
  }
  std::vector<double> out(headcount.size());
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = headcount[i] * hours_per_week[i] * (availability.empty() ? 1.0 : availability[i]);
  return out;
}

// Ramp factors of new hires over [period_start, period_end): the average, over the period's
// working days, of schedule[tenure month] (0 before the start date), where tenure month 0 is the
// calendar month of the start date and the last schedule value holds from then on. So a hire
// who starts mid-month is prorated by the working days left in that month.
//   schedule {0.25, 0.5, 0.75, 1.0}: a person who started long ago has factor 1.
inline std::vector<double> ramp_factors(gsl::span<const Date> start_dates, const Calendar& cal, Date period_start,
                                        Date period_end, gsl::span<const double> schedule) {
  if (schedule.empty()) fail(errc::invalid_argument, "schedule is empty");
  for (size_t i = 0; i < schedule.size(); ++i)
    if (!std::isfinite(schedule[i]) || schedule[i] < 0 || schedule[i] > 1)
      fail(errc::invalid_argument, "schedule[", i, "] is ", schedule[i], "; ramp factors must be in 0..1");
  const int32_t total = cal.working_days(period_start, period_end);
  if (total == 0) fail(errc::invalid_argument, "the period ", date_to_string(period_start), "..", date_to_string(period_end), " has no working days");
  const auto months = cal.periods(period_start, period_end, Grain::month);
  std::vector<double> out(start_dates.size());
  for (size_t i = 0; i < start_dates.size(); ++i) {
    const Date s = start_dates[i];
    check_date(s, "start_dates[" + std::to_string(i) + "]");
    const auto sy = date_to_ymd(s);
    double acc = 0;
    for (const Period& m : months) {
      if (m.end <= s) continue;
      const auto my = date_to_ymd(m.start);
      const int tenure = (my.year - sy.year) * 12 + (my.month - sy.month);
      const double f = schedule[std::min<size_t>(static_cast<size_t>(tenure), schedule.size() - 1)];
      const int32_t days = s > m.start ? cal.working_days(s, m.end) : m.working_days;
      acc += f * days;
    }
    out[i] = acc / total;
  }
  return out;
}

}  // namespace quotaflow
