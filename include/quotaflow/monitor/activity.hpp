// Activity compliance: planned visits or calls per rep and period against those done.
//
// Why a matrix of counts: the plan is set per rep and period (a call plan), and the done counts
// come from activity rows already bucketed by rep and period (monitor::rollup does that), so the
// rule is one comparison per cell.
//
// Per cell (seller s, period k), row-major sellers x periods: planned P >= 0, done D >= 0.
//   compliance  D / P (NaN when P is 0: nothing was planned, never an alert)
//   shortfall   max(P - D, 0)
//   alert       compliance < min_compliance (default 1.0: any shortfall), critical below
//               critical_compliance (default 0.5); observed D, expected P, period k.
//
//   auto r = activity_compliance(planned, done, n_periods, {.what = "visits"});
//   r.alerts[0].message == "Seller #3: 6 of 10 planned visits done in period 1, 4 short (60.0%)"
//
// Thread rule: pure functions.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gsl/span>

#include "quotaflow/monitor/alert.hpp"
#include "quotaflow/monitor/alert_text.hpp"

namespace quotaflow::monitor {

struct ActivityOptions {
  double min_compliance = 1.0;
  double critical_compliance = 0.5;
  std::string what = "activities";               // "visits", "calls": said in messages
  gsl::span<const std::string> seller_names{};   // optional, per seller (row)
  gsl::span<const std::string> period_names{};   // optional, per period (column)
};

struct ActivityCompliance {
  std::vector<double> compliance;   // per cell
  std::vector<int64_t> shortfall;   // per cell
  std::vector<Alert> alerts;        // Rule::activity_shortfall, entity seller, period k
};

inline ActivityCompliance activity_compliance(gsl::span<const int64_t> planned, gsl::span<const int64_t> done,
                                              size_t n_periods, const ActivityOptions& opt = {}) {
  const size_t cells = planned.size();
  detail::check_length(done.size(), cells, "done", "planned");
  if (n_periods == 0) fail(errc::invalid_argument, "n_periods is 0; there must be at least one period");
  if (cells % n_periods != 0)
    fail(errc::invalid_argument, "planned has ", cells, " values, not a multiple of n_periods (", n_periods, ")");
  const size_t sellers = cells / n_periods;
  detail::check_optional_length(opt.seller_names.size(), sellers, "seller_names", "seller (row)");
  detail::check_optional_length(opt.period_names.size(), n_periods, "period_names", "period (column)");
  detail::check_finite_nonneg(opt.min_compliance, "min_compliance");
  detail::check_finite_nonneg(opt.critical_compliance, "critical_compliance");
  ActivityCompliance r;
  r.compliance.resize(cells);
  r.shortfall.resize(cells);
  for (size_t c = 0; c < cells; ++c) {
    const int64_t P = planned[c], D = done[c];
    if (P < 0) fail(errc::invalid_argument, "planned[", c, "] is ", P, "; a planned count cannot be negative");
    if (D < 0) fail(errc::invalid_argument, "done[", c, "] is ", D, "; a done count cannot be negative");
    const double comp = P == 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(D) / static_cast<double>(P);
    r.compliance[c] = comp;
    r.shortfall[c] = P > D ? P - D : 0;
    if (P == 0 || !(comp < opt.min_compliance)) continue;
    const size_t s = c / n_periods, k = c % n_periods;
    r.alerts.push_back(make_alert(Rule::activity_shortfall, comp < opt.critical_compliance ? Severity::critical : Severity::warning,
        EntityKind::seller, static_cast<int64_t>(s), -1, static_cast<int32_t>(k), static_cast<double>(D), static_cast<double>(P),
        message("Seller ", label(opt.seller_names, static_cast<int64_t>(s)), ": ", D, " of ", P, " planned ", opt.what,
                        " done in period ",
                        opt.period_names.empty() ? std::to_string(k) : opt.period_names[k], ", ", r.shortfall[c],
                        " short (", percent(comp), ")")));
  }
  return r;
}

}  // namespace quotaflow::monitor
