// Late cases: finished cases that ended after their planned end date.
//
// Why timestamps and not dates: a planned end is a deadline with a time of day (event logs such
// as the WABO receipt log carry case:enddate_planned to the millisecond), and a case that ends an
// hour after its deadline is late. Times are int64 nanoseconds since 1970-01-01 UTC (what
// process::parse_timestamp_ns returns); `no_time` marks a missing value.
//
// Per case i: finished when end[i] != no_time. Late when finished, planned[i] != no_time and
// end[i] > planned[i] (strictly: ending exactly on time is on time). Cases without a planned end
// are never late. Alert: entity case i, period = the day the case ended (days since 1970-01-01),
// observed = days late (fractional), expected 0; critical when at least critical_days late
// (default 30), else warning.
//
//   auto r = late_cases(end, planned, {.case_names = names});
//   r.alerts[0].message == "Case case-10011: finished 2011-12-08 14:00, 1.5 days after its planned end 2011-12-07 02:00"
//
// Thread rule: pure functions.
#pragma once

#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include <gsl/span>

#include "quotaflow/calendar/date.hpp"
#include "quotaflow/monitor/alert.hpp"
#include "quotaflow/monitor/alert_text.hpp"

namespace quotaflow::monitor {

inline constexpr int64_t no_time = std::numeric_limits<int64_t>::min();
inline constexpr int64_t ns_per_day = int64_t{86400} * 1'000'000'000;

// "YYYY-MM-DD hh:mm" (UTC) of nanoseconds since the epoch.
inline std::string time_text(int64_t ns) {
  const int64_t day = ns >= 0 ? ns / ns_per_day : -((-ns + ns_per_day - 1) / ns_per_day);
  const int64_t rest = (ns - day * ns_per_day) / 1'000'000'000;
  char buf[16];
  std::snprintf(buf, sizeof buf, " %02d:%02d", static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60));
  return date_to_string(static_cast<Date>(day)) + buf;
}

struct LateCaseOptions {
  double critical_days = 30;
  gsl::span<const std::string> case_names{};  // optional
};

struct LateCases {
  size_t finished = 0;           // cases with an end time
  std::vector<double> days_late; // per case: (end - planned) in days; NaN when unfinished or unplanned
  std::vector<Alert> alerts;     // Rule::case_late, in case order
};

inline LateCases late_cases(gsl::span<const int64_t> end, gsl::span<const int64_t> planned_end,
                            const LateCaseOptions& opt = {}) {
  const size_t n = end.size();
  detail::check_length(planned_end.size(), n, "planned_end", "end");
  detail::check_optional_length(opt.case_names.size(), n, "case_names", "case");
  detail::check_finite_nonneg(opt.critical_days, "critical_days");
  LateCases r;
  r.days_late.assign(n, std::numeric_limits<double>::quiet_NaN());
  for (size_t i = 0; i < n; ++i) {
    const int64_t e = end[i], p = planned_end[i];
    if (e == no_time) continue;
    ++r.finished;
    if (p == no_time) continue;
    // The comparison is exact; only the reported size goes through double (no int64 overflow).
    const double days = (static_cast<double>(e) - static_cast<double>(p)) / static_cast<double>(ns_per_day);
    r.days_late[i] = days;
    if (e <= p) continue;
    r.alerts.push_back(make_alert(Rule::case_late, days >= opt.critical_days ? Severity::critical : Severity::warning,
        EntityKind::case_, static_cast<int64_t>(i), -1, static_cast<int32_t>(e >= 0 ? e / ns_per_day : -((-(e + 1)) / ns_per_day) - 1), days, 0,
        message("Case ", label(opt.case_names, static_cast<int64_t>(i)), ": finished ", time_text(e), ", ", number_text(days),
                        days == 1 ? " day" : " days", " after its planned end ", time_text(p))));
  }
  return r;
}

}  // namespace quotaflow::monitor
