// Time phasing: a target split over the periods of [start, end) in proportion to daily weights
//   w_d = working-day flag x month profile[month] x weekday profile[weekday] x daily profile[d],
// exact to the minor unit. Weeks that cross months and fiscal years just work: the weights are
// daily, and a period's weight is the sum of its days.
//   auto p = phase(120'000'00, Calendar::preset("CN"), date_from_string("2026-01-01"),
//                  date_from_string("2027-01-01"));   // p.targets: 12 months summing to 12,000,000
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gsl/span>

#include "quotaflow/allocation/apportion.hpp"
#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/core/error.hpp"

namespace quotaflow {

struct PhaseOptions {
  Grain grain = Grain::month;
  gsl::span<const double> month_profile = {};    // empty, or 12 values (January first), >= 0
  gsl::span<const double> weekday_profile = {};  // empty, or 7 values (Monday first), >= 0
  gsl::span<const double> daily_profile = {};    // empty, or one value per day of [start, end), >= 0
  ApportionMethod method = ApportionMethod::hamilton;
};

struct PhasePlan {
  std::vector<Period> periods;   // clipped to [start, end), with working days
  std::vector<double> weights;   // each period's summed daily weight
};

// The periods of [start, end) and their weights; shared by phase() and phase_many().
inline PhasePlan phase_weights(const Calendar& cal, Date start, Date end, const PhaseOptions& opt) {
  auto check_profile = [](gsl::span<const double> p, size_t want, const char* name) {
    if (p.empty()) return;
    if (p.size() != want) fail(errc::invalid_argument, name, " has ", p.size(), " values; expected ", want);
    for (size_t i = 0; i < p.size(); ++i)
      if (!std::isfinite(p[i]) || p[i] < 0) fail(errc::invalid_argument, name, "[", i, "] is ", p[i], "; profile values must be finite and >= 0");
  };
  if (end < start) fail(errc::invalid_argument, "end (", describe_date(end), ") is before start (", describe_date(start), ")");
  check_profile(opt.month_profile, 12, "month_profile");
  check_profile(opt.weekday_profile, 7, "weekday_profile");
  // In 64 bits: end - start can exceed INT32_MAX for dates far apart (cal.periods rejects them next).
  check_profile(opt.daily_profile, static_cast<size_t>(int64_t{end} - int64_t{start}), "daily_profile");
  PhasePlan plan;
  plan.periods = cal.periods(start, end, opt.grain);
  plan.weights.reserve(plan.periods.size());
  const bool plain = opt.month_profile.empty() && opt.weekday_profile.empty() && opt.daily_profile.empty();
  for (const Period& p : plan.periods) {
    if (plain) {  // every working day weighs 1: the period's weight is its working-day count
      plan.weights.push_back(p.working_days);
      continue;
    }
    double sum = 0;
    int month = date_to_ymd(p.start).month;
    Date next_month = cal.next_period_start(p.start, Grain::month);
    for (Date d = p.start; d < p.end; ++d) {
      if (d == next_month) {
        month = month % 12 + 1;
        next_month = cal.next_period_start(d, Grain::month);
      }
      if (!cal.is_working_day(d)) continue;
      double w = 1.0;
      if (!opt.month_profile.empty()) w *= opt.month_profile[static_cast<size_t>(month - 1)];
      if (!opt.weekday_profile.empty()) w *= opt.weekday_profile[static_cast<size_t>(iso_weekday(d))];
      if (!opt.daily_profile.empty()) w *= opt.daily_profile[static_cast<size_t>(d - start)];
      sum += w;
    }
    plan.weights.push_back(sum);
  }
  return plan;
}

struct PhaseResult {
  std::vector<Period> periods;
  std::vector<double> weights;
  std::vector<int64_t> targets;  // one per period, summing exactly to the total
};

inline PhaseResult phase(int64_t total, const Calendar& cal, Date start, Date end, const PhaseOptions& opt = {}) {
  PhasePlan plan = phase_weights(cal, start, end, opt);
  PhaseResult r{std::move(plan.periods), std::move(plan.weights), {}};
  r.targets.resize(r.periods.size());
  if (r.periods.empty() && total != 0) fail(errc::invalid_argument, "the range ", describe_date(start), "..", describe_date(end), " is empty but total is ", total);
  double sum = 0;
  for (double w : r.weights) sum += w;
  if (sum == 0 && total != 0)
    fail(errc::invalid_argument, "the range ", date_to_string(start), "..", date_to_string(end),
         " has no weighted working days but total is ", total);
  apportion(total, r.weights, r.targets, opt.method);
  return r;
}

// Bulk: many targets over the same periods into a totals.size() x periods matrix (row-major),
// every row summing exactly to its total. Returns the periods and their weights.
inline PhasePlan phase_many(gsl::span<const int64_t> totals, const Calendar& cal, Date start, Date end,
                            const PhaseOptions& opt, std::vector<int64_t>& out) {
  PhasePlan plan = phase_weights(cal, start, end, opt);
  const size_t p = plan.periods.size();
  out.assign(totals.size() * p, 0);
  double sum = 0;
  for (double w : plan.weights) sum += w;
  // Fast path for integer weights (working-day counts, the common case): Hamilton of T over
  // integer weights w with W = sum(w) is a*w + Hamilton(b, w) where T = a*W + b, because the
  // quotas differ by whole units and keep their remainders. So the W possible remainders' roundings
  // are computed once (by apportion itself, same tie rule) and each row costs two operations per
  // period: exact, and the same result as apportion row by row.
  bool integral = opt.method == ApportionMethod::hamilton && sum > 0 && sum <= 4096 && p > 0;
  for (double w : plan.weights) integral = integral && w == std::floor(w);
  if (integral) {
    const auto W = static_cast<int64_t>(sum);
    std::vector<int64_t> table(static_cast<size_t>(W) * p);
    for (int64_t b = 1; b < W; ++b)
      apportion(b, plan.weights, gsl::span<int64_t>(table.data() + static_cast<size_t>(b) * p, p), opt.method);
    std::vector<int64_t> wi(plan.weights.begin(), plan.weights.end());
    for (size_t i = 0; i < totals.size(); ++i) {
      const int64_t t = totals[i];
      if (t == INT64_MIN) {  // -(a*w) could overflow on the way; the general path handles it
        apportion(t, plan.weights, gsl::span<int64_t>(out.data() + i * p, p), opt.method);
        continue;
      }
      // |t| as unsigned so INT64_MIN works; a = |t| / W fits int64 because W >= 1.
      const uint64_t mag = t < 0 ? uint64_t{0} - static_cast<uint64_t>(t) : static_cast<uint64_t>(t);
      const auto a = static_cast<int64_t>(mag / static_cast<uint64_t>(W));
      const auto b = static_cast<size_t>(mag % static_cast<uint64_t>(W));
      const int64_t* base = table.data() + b * p;
      int64_t* row = out.data() + i * p;
      if (t >= 0)
        for (size_t k = 0; k < p; ++k) row[k] = a * wi[k] + base[k];
      else
        for (size_t k = 0; k < p; ++k) row[k] = -(a * wi[k] + base[k]);
    }
    return plan;
  }
  // Other weights (seasonality profiles): their exact integer form is found once for all rows.
  std::optional<detail::apportion_impl::HamiltonRows> rows;
  if (opt.method == ApportionMethod::hamilton && sum > 0) rows.emplace(plan.weights);
  for (size_t i = 0; i < totals.size(); ++i) {
    if (totals[i] == 0) continue;
    if (rows && rows->apply(totals[i], out.data() + i * p)) continue;
    if (sum == 0 || p == 0)
      fail(errc::invalid_argument, "totals[", i, "] is ", totals[i], " but the range ", describe_date(start), "..",
           describe_date(end), " has no weighted working days");
    try {
      apportion(totals[i], plan.weights, gsl::span<int64_t>(out.data() + i * p, p), opt.method);
    } catch (const error& e) {
      fail(e.code(), "totals[", i, "]: ", e.what());
    }
  }
  return plan;
}

}  // namespace quotaflow
