// Deal rules of the monitor: stalled deals, slipped deals and pipeline coverage.
//
// Each detector is a pure function over columns of the current state of open deals (one element
// per deal), so the streaming Monitor can call it at every advance(as_of) and a batch user can
// call it on a table. Per-row work is O(1) and allocation-free; only an alert allocates (its
// message), and alerts are the rare case.
//
//   auto limits = stall_limits(model);                    // per stage: max_duration, in days
//   StalledDeals s = detect_stalled(stage, entered, limits, cal, as_of);
//   s.alerts[0].message == "Deal #149: 153 working days in negotiation, limit 28"
//
// Stalled: a deal is stalled when the days it has spent in its current stage, counted from the
// day it entered (inclusive) to as_of (exclusive) in working days of the calendar (or calendar
// days, StallOptions::day_count), exceed its stage's limit. Limits come from the process model
// (stall_limits: the stage's max_duration, or a factor times its expected_duration) or from the
// observed sojourn times (sojourn_limits: a percentile of the completed stays per stage). A
// negative stage id marks a closed deal (no rule applies); a NaN limit means "no limit".
// Severity: critical when the days reach critical_factor x the limit, else warning.
// The alert has no period (-1): a stall is a condition of the deal in its stage, not of a day, so
// its key stays the same from day to day while the deal stays stuck (as_of is not part of the key).
//
// Slipped: a deal whose close date was inside the period [start, end) and now lies on or after
// `end` (moved out of the period). Observed: the new close date's distance in days; expected 0.
//
// Pipeline coverage per node: weighted open pipeline (sum of round(amount x probability) over
// open deals closing in [start, end)) divided by the remaining target. Below min_coverage is an
// alert (critical below half of it). A node whose remaining target is <= 0 has made its target:
// coverage NaN, no alert.
//
// Thread rule: pure functions.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gsl/span>

#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/core/amount.hpp"
#include "quotaflow/hierarchy/hierarchy.hpp"
#include "quotaflow/monitor/alert.hpp"
#include "quotaflow/monitor/alert_text.hpp"
#include "quotaflow/monitor/track.hpp"
#include "quotaflow/process/model.hpp"

namespace quotaflow::monitor {

// How days in a stage are counted. Values are stable.
enum class DayCount : uint8_t { working_days = 0, calendar_days = 1 };

// Per stage of a model: the stall limit in the model's unit (days). max_duration where set;
// otherwise expected_factor x expected_duration when both are set; otherwise NaN (no limit).
// Terminal stages never stall (NaN).
//   stall_limits(model)        -> max_duration per stage
//   stall_limits(model, 2.0)   -> 2 x expected_duration where max_duration is not set
inline std::vector<double> stall_limits(const process::ProcessModel& model, double expected_factor = process::unset) {
  if (!std::isnan(expected_factor)) detail::check_finite_nonneg(expected_factor, "expected_factor");
  std::vector<double> out(model.num_stages(), process::unset);
  for (size_t s = 0; s < out.size(); ++s) {
    const auto& st = model.stages()[s];
    if (st.terminal != process::TerminalKind::none) continue;
    if (process::is_set(st.max_duration))
      out[s] = st.max_duration;
    else if (process::is_set(expected_factor) && process::is_set(st.expected_duration))
      out[s] = expected_factor * st.expected_duration;
  }
  return out;
}

// Per stage: the `percentile` (0..100, linear interpolation between order statistics, as numpy's
// default) of the completed stays `days[i]` in stage `stage[i]`; NaN for stages without stays.
//   sojourn_limits({0, 0, 0, 1}, {2, 4, 10, 5}, 2, 50) -> {4, 5}
inline std::vector<double> sojourn_limits(gsl::span<const int32_t> stage, gsl::span<const double> days, size_t n_stages,
                                          double percentile) {
  detail::check_length(days.size(), stage.size(), "days", "stage");
  if (!(percentile >= 0 && percentile <= 100))
    fail(errc::invalid_argument, "percentile is ", percentile, "; it must be in [0, 100]");
  std::vector<std::vector<double>> by(n_stages);
  for (size_t i = 0; i < stage.size(); ++i) {
    detail::check_id(stage[i], n_stages, "stage", i, "a stage id");
    detail::check_finite(days[i], "days", i);
    if (days[i] < 0) fail(errc::invalid_argument, "days[", i, "] is ", days[i], "; a stay cannot be negative");
    by[static_cast<size_t>(stage[i])].push_back(days[i]);
  }
  std::vector<double> out(n_stages, process::unset);
  for (size_t s = 0; s < n_stages; ++s) {
    auto& v = by[s];
    if (v.empty()) continue;
    std::sort(v.begin(), v.end());
    const double pos = percentile / 100.0 * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<size_t>(std::floor(pos));
    const size_t hi = std::min(lo + 1, v.size() - 1);
    out[s] = v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
  }
  return out;
}

struct StallOptions {
  DayCount day_count = DayCount::working_days;
  double critical_factor = 2.0;                // days >= this x limit: critical
  gsl::span<const std::string> deal_names{};   // optional, one per deal
  gsl::span<const std::string> stage_names{};  // optional, one per stage (process model names)
};

struct StalledDeals {
  std::vector<int32_t> days_in_stage;  // per deal; -1 for closed deals
  std::vector<Alert> alerts;           // Rule::deal_stalled, entity = deal, related = stage, period = -1
};

// Stalled deals as of `as_of`: deal i is in stage `stage[i]` (-1: closed) since `entered[i]`.
//   detect_stalled(stage, entered, stall_limits(model), cal, as_of)
inline StalledDeals detect_stalled(gsl::span<const int32_t> stage, gsl::span<const Date> entered,
                                   gsl::span<const double> limit, const Calendar& cal, Date as_of,
                                   const StallOptions& opt = {}) {
  const size_t n = stage.size(), S = limit.size();
  detail::check_length(entered.size(), n, "entered", "stage");
  detail::check_optional_length(opt.deal_names.size(), n, "deal_names", "deal");
  detail::check_optional_length(opt.stage_names.size(), S, "stage_names", "stage (limit)");
  detail::check_finite_nonneg(opt.critical_factor, "critical_factor");
  for (size_t s = 0; s < S; ++s)
    if (!std::isnan(limit[s]) && (!std::isfinite(limit[s]) || limit[s] < 0))
      fail(errc::invalid_argument, "limit[", s, "] is ", limit[s], "; a stall limit must be finite and >= 0 (NaN: none)");
  const bool working = opt.day_count == DayCount::working_days;
  if (working) detail::check_in_calendar(cal, as_of, "as_of");
  else check_date(as_of, "as_of");
  const char* unit = working ? " working days in " : " days in ";
  StalledDeals r;
  r.days_in_stage.assign(n, -1);
  for (size_t i = 0; i < n; ++i) {
    const int32_t s = stage[i];
    if (s < 0) continue;
    detail::check_id(s, S, "stage", i, "a stage id");
    const Date e = entered[i];
    if (e > as_of)
      fail(errc::invalid_argument, "entered[", i, "] is ", describe_date(e), ", after as_of ", describe_date(as_of));
    int32_t days;
    if (working) {
      detail::check_in_calendar(cal, e, "entered", i);
      days = cal.working_days(e, as_of);
    } else {
      check_date(e, "entered");
      days = as_of - e;
    }
    r.days_in_stage[i] = days;
    const double lim = limit[static_cast<size_t>(s)];
    if (std::isnan(lim) || !(days > lim)) continue;
    r.alerts.push_back(make_alert(Rule::deal_stalled, days >= opt.critical_factor * lim ? Severity::critical : Severity::warning,
        EntityKind::deal, static_cast<int64_t>(i), s, -1, days, lim,
        message("Deal ", label(opt.deal_names, static_cast<int64_t>(i)), ": ", days, unit, label(opt.stage_names, s),
                        ", limit ", number_text(lim))));
  }
  return r;
}

struct SlipOptions {
  int32_t period = -1;                        // the period index the alerts carry
  gsl::span<const std::string> deal_names{};  // optional
};

// Deals whose close date moved out of [start, end): original in it, current on or after end.
// A deal whose close date is in its past (already closed) is the caller's to leave out.
//   detect_slipped(original_close, current_close, jun1, jul1)
inline std::vector<Alert> detect_slipped(gsl::span<const Date> original_close, gsl::span<const Date> current_close,
                                         Date start, Date end, const SlipOptions& opt = {}) {
  const size_t n = original_close.size();
  detail::check_length(current_close.size(), n, "current_close", "original_close");
  detail::check_optional_length(opt.deal_names.size(), n, "deal_names", "deal");
  check_date(start, "start");
  check_date(end, "end");
  if (end <= start) fail(errc::invalid_argument, "end ", describe_date(end), " is not after start ", describe_date(start));
  std::vector<Alert> out;
  for (size_t i = 0; i < n; ++i) {
    const Date o = original_close[i], c = current_close[i];
    if (o < start || o >= end || c < end) continue;
    check_date(c, "current_close");
    out.push_back(make_alert(Rule::deal_slipped, Severity::warning,
        EntityKind::deal, static_cast<int64_t>(i), -1, opt.period, c - o, 0,
        message("Deal ", label(opt.deal_names, static_cast<int64_t>(i)), ": close date moved from ", date_to_string(o), " to ",
                        date_to_string(c), ", ", c - o, " days later and out of the period ending ",
                        date_to_string(end - 1))));
  }
  return out;
}

struct CoverageOptions {
  double min_coverage = 1.0;                  // weighted pipeline / remaining target below this: alert
  int32_t period = -1;                        // the period index the alerts carry
  int amount_scale = 0;                       // decimals of the amounts, for messages
  const Hierarchy* hierarchy = nullptr;       // given: deals roll up to every ancestor of their node
  gsl::span<const std::string> node_names{};  // optional; else the hierarchy's names, else "#id"
};

struct PipelineCoverage {
  std::vector<int64_t> weighted;  // per node: sum of round(amount x probability), minor units
  std::vector<double> coverage;   // per node: weighted / remaining target; NaN when target <= 0
  std::vector<Alert> alerts;      // Rule::pipeline_coverage_low, entity = node
};

// Coverage of each node's remaining target by its weighted open pipeline closing in [start, end).
//   pipeline_coverage(owner, amount, probability, close, jun1, jul1, remaining)
inline PipelineCoverage pipeline_coverage(gsl::span<const int32_t> owner, gsl::span<const int64_t> amount,
                                          gsl::span<const double> probability, gsl::span<const Date> close, Date start,
                                          Date end, gsl::span<const int64_t> remaining_target,
                                          const CoverageOptions& opt = {}) {
  const size_t n = owner.size(), N = remaining_target.size();
  detail::check_length(amount.size(), n, "amount", "owner");
  detail::check_length(probability.size(), n, "probability", "owner");
  detail::check_length(close.size(), n, "close", "owner");
  if (opt.hierarchy && opt.hierarchy->size() != N)
    fail(errc::invalid_argument, "length mismatch: remaining_target has ", N, " elements, the hierarchy has ",
         opt.hierarchy->size(), " nodes");
  detail::check_optional_length(opt.node_names.size(), N, "node_names", "node");
  detail::check_finite_nonneg(opt.min_coverage, "min_coverage");
  quotaflow::detail::check_scale(opt.amount_scale);
  PipelineCoverage r;
  r.weighted.assign(N, 0);
  for (size_t i = 0; i < n; ++i) {
    detail::check_id(owner[i], N, "owner", i, "a node id");
    detail::check_probability(probability[i], "probability", i);
    if (amount[i] < 0) fail(errc::invalid_argument, "amount[", i, "] is ", amount[i], "; a deal amount cannot be negative");
    if (close[i] < start || close[i] >= end) continue;
    const int64_t w = detail::scale_round(amount[i], probability[i], 1.0, "weighted amount");
    auto& acc = r.weighted[static_cast<size_t>(owner[i])];
    acc = quotaflow::detail::checked_add(acc, w, "weighted pipeline");
  }
  if (opt.hierarchy) opt.hierarchy->rollup(r.weighted, r.weighted);
  const gsl::span<const std::string> names =
      !opt.node_names.empty() ? opt.node_names
      : opt.hierarchy && opt.hierarchy->has_names() ? gsl::span<const std::string>(opt.hierarchy->names())
                                                    : gsl::span<const std::string>();
  r.coverage.assign(N, detail::nan);
  for (size_t v = 0; v < N; ++v) {
    const int64_t rem = remaining_target[v];
    if (rem <= 0) continue;
    const double cov = static_cast<double>(r.weighted[v]) / static_cast<double>(rem);
    r.coverage[v] = cov;
    if (!(cov < opt.min_coverage)) continue;
    r.alerts.push_back(make_alert(Rule::pipeline_coverage_low, cov < opt.min_coverage / 2 ? Severity::critical : Severity::warning,
        EntityKind::node, static_cast<int64_t>(v), -1, opt.period, cov, opt.min_coverage,
        message(label(names, static_cast<int64_t>(v)), ": weighted pipeline ", compact_amount(r.weighted[v], opt.amount_scale),
                        " covers ", number_text(std::round(cov * 100) / 100), "x of the remaining target ",
                        compact_amount(rem, opt.amount_scale), ", minimum ", number_text(opt.min_coverage), "x")));
  }
  return r;
}

}  // namespace quotaflow::monitor
