// Control charts on KPI series: X-mR (individuals) with the Nelson and Western Electric rules,
// tabular CUSUM and EWMA; one series or many at once (one per node, a series x points matrix).
//   std::vector<double> weekly = ...;
//   ChartResult r = control_chart(weekly);                           // X-mR, the 8 Nelson rules
//   ChartResult c = control_chart(weekly, {.kind = ChartKind::cusum, .k = 0.5, .h = 5});
//   r.signals.index[0], r.signals.rule[0], r.center[0], r.sigma[0]
//
// Centre and sigma are set by the baseline points (a mask, default: every point):
//   centre  the mean of the baseline points (robust: their median);
//   sigma   the mean moving range / 1.128 (d2 for ranges of 2). The moving ranges are
//           |x[i] - x[i-1]| for every i whose point AND preceding point are both baseline points
//           (adjacent in time: a gap in the mask is never bridged). Robust: 1.4826 x the median
//           absolute deviation of the baseline points from their median.
//   A known centre or sigma (options.center / options.sigma, "standards given") replaces the
//   estimate; a robust sigma is then still taken about the baseline's own median.
// Charts, with z[i] = (x[i] - centre) / sigma computed in double (every comparison strict):
//   xmr    the rules of chart_rules.hpp on z (default: the 8 Nelson rules). A rule with a window of
//          w points fires at every index i >= w - 1 whose window [i-w+1, i] qualifies, so a run
//          of 10 points above the centre fires nelson2 at its 9th and 10th points. Signals carry
//          value x[i], centre, and lower/upper = centre -/+ 3 sigma.
//   cusum  Montgomery's tabular CUSUM with K = k sigma, H = h sigma:
//            C+[i] = max(0, x[i] - (centre + K) + C+[i-1]),  C-[i] = max(0, (centre - K) - x[i] + C-[i-1]),
//          C+[-1] = C-[-1] = 0; cusum_up fires when C+[i] > H, cusum_down when C-[i] > H. After a
//          signal (of a selected rule) BOTH sums restart at 0, as after the corrective action
//          that follows an alarm (Montgomery, Introduction to SQC, 6th ed., 9.1.2); the ARL is
//          then the mean gap between signals. Signals carry value C+[i] (cusum_up) or -C-[i]
//          (cusum_down), centre 0, lower -H, upper H: the CUSUM chart as plotted.
//   ewma   E[i] = lambda x[i] + (1 - lambda) E[i-1], E[-1] = centre, with the exact time-varying
//          limits centre -/+ L sigma sqrt(lambda / (2 - lambda) (1 - (1 - lambda)^(2(i+1)))).
//          ewma fires at every i with E[i] outside its limits (no restart). Signals carry value
//          E[i], centre and the limits at i.
//   Run rules are not applied to cusum and ewma charts; selecting one there is an error.
// Signals are ordered by series, then index, then rule id.
//
// Bad input is an error naming the argument and value: an empty series, a NaN or infinite point
// (NaN is never "missing": fill or trim the series first), a baseline mask of the wrong length
// or with fewer than 2 points (or, for the mean moving range, no two adjacent points), k < 0,
// h <= 0, lambda outside (0, 1], L <= 0, non-finite parameters, a given sigma <= 0, a rule that
// does not belong to the chart. An estimated sigma of 0 (a flat baseline) is NOT an error: that
// series gets no signals and reports sigma 0, so one constant node does not stop a bulk run.
//
// Bulk: control_charts(matrix, n_series, n_points) charts each row of a row-major matrix with
// the same options; the baseline mask is over the points (columns) and applies to every row;
// a given centre/sigma has 1 entry (all series) or n_series. It is one pass per series over
// its row with running bit counters for the rules, and allocates nothing per series (the robust
// mode reuses one scratch buffer). control_charts on one row equals control_chart.
//
// Thread rule: the functions are pure; call them concurrently freely.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <gsl/span>

#include "quotaflow/core/error.hpp"
#include "quotaflow/monitor/chart_rules.hpp"

namespace quotaflow::monitor {

// Values are stable: the C ABI's QF_CHART_* values.
enum class ChartKind : int32_t { xmr = 0, cusum = 1, ewma = 2 };

inline constexpr std::array<std::string_view, 3> chart_kind_names = {"xmr", "cusum", "ewma"};

// parse_chart_kind("ewma") == ChartKind::ewma; unknown names are errc::invalid_argument.
inline ChartKind parse_chart_kind(std::string_view name) {
  for (size_t i = 0; i < chart_kind_names.size(); ++i)
    if (chart_kind_names[i] == name) return static_cast<ChartKind>(i);
  fail(errc::invalid_argument, "chart \"", std::string(name), "\" is unknown; expected xmr, cusum or ewma");
}

// check_chart_kind(1) == ChartKind::cusum; for values from the C ABI.
inline ChartKind check_chart_kind(int32_t value) {
  if (value < 0 || value > 2) fail(errc::invalid_argument, "chart is ", value, "; expected 0 (xmr), 1 (cusum) or 2 (ewma)");
  return static_cast<ChartKind>(value);
}

// d2 for moving ranges of 2 points (the tabulated 1.128; exactly 2 / sqrt(pi) = 1.12838).
inline constexpr double moving_range_d2 = 1.128;
// 1 / Phi^-1(3/4): makes the median absolute deviation a consistent sigma for normal data.
inline constexpr double mad_scale = 1.4826;

struct ChartOptions {
  ChartKind kind = ChartKind::xmr;
  RuleSet rules{};        // empty: the chart's default (xmr: nelson_rules; cusum: both sides; ewma: ewma)
  double k = 0.5;         // CUSUM reference value, in sigma units (>= 0)
  double h = 5.0;         // CUSUM decision interval, in sigma units (> 0)
  double lambda = 0.2;    // EWMA weight of the newest point, in (0, 1]
  double L = 3.0;         // EWMA limit width, in sigma units (> 0)
  bool robust = false;    // median and 1.4826 MAD instead of mean and mean moving range / 1.128
  gsl::span<const uint8_t> baseline{};  // empty: every point; else one per point, nonzero = baseline
  gsl::span<const double> center{};     // empty: estimated; else the known centre (1, or 1 per series)
  gsl::span<const double> sigma{};      // empty: estimated; else the known sigma > 0 (1, or 1 per series)
};

// Signals as columns, one entry per signal.
struct ChartSignals {
  std::vector<int64_t> series;  // row of the matrix (0 for control_chart)
  std::vector<int64_t> index;   // point index inside the series
  std::vector<ChartRule> rule;
  std::vector<double> value, center, lower, upper;  // as documented per chart above

  [[nodiscard]] size_t size() const noexcept { return index.size(); }
};

struct ChartResult {
  ChartSignals signals;
  std::vector<double> center;  // per series: the centre used
  std::vector<double> sigma;   // per series: the sigma used (0: flat baseline, no signals)
};

namespace detail::chart_impl {

struct Plan {
  ChartKind kind = ChartKind::xmr;
  uint32_t rules = 0;
  double k = 0, h = 0, lambda = 0, L = 0;
  bool robust = false;
  const uint8_t* baseline = nullptr;  // nullptr: every point
  size_t baseline_points = 0;
  bool bulk = false;
};

// "values[3]" or "values[2, 3]".
inline std::string point_name(bool bulk, size_t series, size_t i) {
  std::string s = "values[";
  if (bulk) {
    s.append(std::to_string(series));
    s.append(", ");
  }
  s.append(std::to_string(i));
  s.push_back(']');
  return s;
}

[[noreturn]] inline void bad_point(bool bulk, size_t series, size_t i, double v) {
  if (std::isnan(v)) fail(errc::invalid_argument, point_name(bulk, series, i), " is NaN; points must be finite");
  fail(errc::invalid_argument, point_name(bulk, series, i), " is ", v, "; points must be finite");
}

inline void check_standard(gsl::span<const double> given, size_t n_series, const char* name, bool positive) {
  if (given.empty()) return;
  if (given.size() != 1 && given.size() != n_series)
    fail(errc::invalid_argument, name, " has ", given.size(), " entries; expected 1 or one per series (", n_series, ")");
  for (size_t i = 0; i < given.size(); ++i) {
    const double v = given[i];
    if (!std::isfinite(v) || (positive && !(v > 0)))
      fail(errc::invalid_argument, name, "[", i, "] is ", v, positive ? "; a given sigma must be finite and > 0"
                                                                       : "; a given centre must be finite");
  }
}

inline Plan resolve(const ChartOptions& o, size_t n_series, size_t n_points, bool bulk) {
  Plan p;
  p.bulk = bulk;
  p.kind = check_chart_kind(static_cast<int32_t>(o.kind));
  if (n_points == 0) fail(errc::invalid_argument, bulk ? "n_points is 0; a series needs at least 1 point" : "values is empty");
  const RuleSet allowed = p.kind == ChartKind::xmr ? run_rules : p.kind == ChartKind::cusum ? cusum_rules : ewma_rules;
  RuleSet rules = check_rule_set(o.rules.bits);
  if (rules.empty()) rules = p.kind == ChartKind::xmr ? nelson_rules : allowed;
  const RuleSet foreign{rules.bits & ~allowed.bits};
  if (!foreign.empty())
    fail(errc::invalid_argument, "rules select ", rule_set_names(foreign), "; ", chart_kind_names[static_cast<size_t>(p.kind)],
         " charts take only ", rule_set_names(allowed));
  p.rules = rules.bits;
  if (!std::isfinite(o.k) || o.k < 0) fail(errc::invalid_argument, "k is ", o.k, "; expected a finite number >= 0");
  if (!std::isfinite(o.h) || !(o.h > 0)) fail(errc::invalid_argument, "h is ", o.h, "; expected a finite number > 0");
  if (!(o.lambda > 0 && o.lambda <= 1)) fail(errc::invalid_argument, "lambda is ", o.lambda, "; expected 0 < lambda <= 1");
  if (!std::isfinite(o.L) || !(o.L > 0)) fail(errc::invalid_argument, "L is ", o.L, "; expected a finite number > 0");
  p.k = o.k;
  p.h = o.h;
  p.lambda = o.lambda;
  p.L = o.L;
  p.robust = o.robust;
  if (!bulk && (o.center.size() > 1 || o.sigma.size() > 1))
    fail(errc::invalid_argument, "a single chart takes one given centre and sigma; got ", o.center.size(), " and ",
         o.sigma.size());
  check_standard(o.center, n_series, "center", false);
  check_standard(o.sigma, n_series, "sigma", true);

  // The baseline is common to every series: check it once.
  const bool need_center = o.center.empty(), need_sigma = o.sigma.empty();
  size_t points = n_points, pairs = n_points - 1;
  if (!o.baseline.empty()) {
    if (o.baseline.size() != n_points)
      fail(errc::invalid_argument, "baseline has ", o.baseline.size(), " entries; expected one per point (", n_points, ")");
    p.baseline = o.baseline.data();
    points = pairs = 0;
    for (size_t i = 0; i < n_points; ++i) {
      points += o.baseline[i] != 0;
      pairs += i > 0 && o.baseline[i] != 0 && o.baseline[i - 1] != 0;
    }
  }
  p.baseline_points = points;
  if ((need_center || need_sigma) && points < 2)
    fail(errc::invalid_argument, "the baseline has ", points, points == 1 ? " point" : " points",
         "; at least 2 are needed to set the centre and sigma");
  if (need_sigma && !p.robust && pairs == 0)
    fail(errc::invalid_argument, "the baseline has no two adjacent points; the moving range needs at least one pair");
  return p;
}

// Median of a[0..m) (m >= 1), reordering a.
inline double median_inplace(double* a, size_t m) {
  double* mid = a + m / 2;
  std::nth_element(a, mid, a + m);
  const double hi = *mid;
  if (m % 2 == 1) return hi;
  const double lo = *std::max_element(a, mid);
  return lo * 0.5 + hi * 0.5;
}

struct Params {
  double center, sigma;
};

// Checks every point of one series and estimates what is not given.
inline Params estimate(const double* x, size_t n, size_t series, const Plan& p, double given_center, double given_sigma,
                       std::vector<double>& scratch) {
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i])) [[unlikely]]
      bad_point(p.bulk, series, i, x[i]);
  const bool need_center = std::isnan(given_center), need_sigma = std::isnan(given_sigma);
  Params out{given_center, given_sigma};
  if (!need_center && !need_sigma) return out;
  const uint8_t* b = p.baseline;
  if (p.robust) {
    scratch.clear();
    for (size_t i = 0; i < n; ++i)
      if (b == nullptr || b[i] != 0) scratch.push_back(x[i]);
    const size_t m = scratch.size();
    const double med = median_inplace(scratch.data(), m);
    if (need_center) out.center = med;
    if (need_sigma) {
      for (double& v : scratch) v = std::fabs(v - med);
      out.sigma = mad_scale * median_inplace(scratch.data(), m);
    }
  } else {
    double sum = 0, mr = 0;
    size_t pairs = 0;
    if (b == nullptr) {
      for (size_t i = 0; i < n; ++i) sum += x[i];
      for (size_t i = 1; i < n; ++i) mr += std::fabs(x[i] - x[i - 1]);
      pairs = n - 1;
    } else {
      for (size_t i = 0; i < n; ++i) {
        if (b[i] == 0) continue;
        sum += x[i];
        if (i > 0 && b[i - 1] != 0) {
          mr += std::fabs(x[i] - x[i - 1]);
          ++pairs;
        }
      }
    }
    if (need_center) out.center = sum / static_cast<double>(p.baseline_points);
    if (need_sigma) out.sigma = mr / static_cast<double>(pairs) / moving_range_d2;
  }
  if (!std::isfinite(out.center) || !std::isfinite(out.sigma))
    fail(errc::overflow, "the centre or sigma of series ", series, " overflows a double (points near +/-1.8e308)");
  return out;
}

inline void emit(ChartSignals& out, int64_t series, size_t i, uint32_t rule, double value, double center, double lower,
                 double upper) {
  out.series.push_back(series);
  out.index.push_back(static_cast<int64_t>(i));
  out.rule.push_back(static_cast<ChartRule>(rule));
  out.value.push_back(value);
  out.center.push_back(center);
  out.lower.push_back(lower);
  out.upper.push_back(upper);
}

// Number of set bits of a 5-bit window (std::popcount is a libgcc call without -mpopcnt).
inline constexpr std::array<uint8_t, 32> popcount5 = [] {
  std::array<uint8_t, 32> t{};
  for (unsigned v = 0; v < 32; ++v) t[v] = static_cast<uint8_t>(std::popcount(v));
  return t;
}();

constexpr uint32_t bit(ChartRule r) { return uint32_t{1} << static_cast<int32_t>(r); }

// X-mR run rules in one pass. Each register holds one bit per recent point (bit 0 = point i):
// above/below centre, beyond +/-1 and +/-2 sigma, within 1 sigma, and a step up / down from the
// previous point. Points before the series are 0 bits, so "all of the last w" windows need
// i >= w - 1 by themselves; "k of the last w" windows test i >= w - 1 explicitly.
inline void scan_xmr(const double* x, size_t n, int64_t series, double c, double s, uint32_t rules, ChartSignals& out) {
  const double lower = c - 3 * s, upper = c + 3 * s;
  uint32_t pos = 0, neg = 0, a1 = 0, b1 = 0, a2 = 0, b2 = 0, in1 = 0, up = 0, dn = 0;
  double prev = x[0];
  for (size_t i = 0; i < n; ++i) {
    const double v = x[i];
    const double z = (v - c) / s;
    pos = pos << 1 | static_cast<uint32_t>(z > 0);
    neg = neg << 1 | static_cast<uint32_t>(z < 0);
    a1 = a1 << 1 | static_cast<uint32_t>(z > 1);
    b1 = b1 << 1 | static_cast<uint32_t>(z < -1);
    a2 = a2 << 1 | static_cast<uint32_t>(z > 2);
    b2 = b2 << 1 | static_cast<uint32_t>(z < -2);
    in1 = in1 << 1 | static_cast<uint32_t>(std::fabs(z) < 1);
    up = up << 1 | static_cast<uint32_t>(v > prev);
    dn = dn << 1 | static_cast<uint32_t>(v < prev);
    prev = v;
    const uint32_t u13 = up & 0x1FFFu, d13 = dn & 0x1FFFu;
    const uint32_t k2of3 = static_cast<uint32_t>(i >= 2) &
                           static_cast<uint32_t>(popcount5[a2 & 7u] >= 2 || popcount5[b2 & 7u] >= 2);
    const uint32_t k4of5 = static_cast<uint32_t>(i >= 4) &
                           static_cast<uint32_t>(popcount5[a1 & 0x1Fu] >= 4 || popcount5[b1 & 0x1Fu] >= 4);
    uint32_t fired = 0;
    fired |= static_cast<uint32_t>(std::fabs(z) > 3) * (bit(ChartRule::nelson1) | bit(ChartRule::we1));
    fired |= static_cast<uint32_t>((pos & 0x1FFu) == 0x1FFu || (neg & 0x1FFu) == 0x1FFu) * bit(ChartRule::nelson2);
    fired |= static_cast<uint32_t>((up & 0x1Fu) == 0x1Fu || (dn & 0x1Fu) == 0x1Fu) * bit(ChartRule::nelson3);
    fired |= static_cast<uint32_t>((u13 == 0x1555u && d13 == 0x0AAAu) || (u13 == 0x0AAAu && d13 == 0x1555u)) *
             bit(ChartRule::nelson4);
    fired |= k2of3 * (bit(ChartRule::nelson5) | bit(ChartRule::we2));
    fired |= k4of5 * (bit(ChartRule::nelson6) | bit(ChartRule::we3));
    fired |= static_cast<uint32_t>((in1 & 0x7FFFu) == 0x7FFFu) * bit(ChartRule::nelson7);
    fired |= static_cast<uint32_t>(((a1 | b1) & 0xFFu) == 0xFFu && (a1 & 0xFFu) != 0 && (b1 & 0xFFu) != 0) *
             bit(ChartRule::nelson8);
    fired |= static_cast<uint32_t>((pos & 0xFFu) == 0xFFu || (neg & 0xFFu) == 0xFFu) * bit(ChartRule::we4);
    fired &= rules;
    while (fired != 0) [[unlikely]] {
      emit(out, series, i, static_cast<uint32_t>(std::countr_zero(fired)), v, c, lower, upper);
      fired &= fired - 1;
    }
  }
}

inline void scan_cusum(const double* x, size_t n, int64_t series, double c, double s, const Plan& p, ChartSignals& out) {
  const double K = p.k * s, H = p.h * s, up_ref = c + K, down_ref = c - K;
  const bool want_up = (p.rules & bit(ChartRule::cusum_up)) != 0, want_down = (p.rules & bit(ChartRule::cusum_down)) != 0;
  double cp = 0, cm = 0;
  for (size_t i = 0; i < n; ++i) {
    cp = std::max(0.0, x[i] - up_ref + cp);
    cm = std::max(0.0, down_ref - x[i] + cm);
    const bool sig_up = want_up && cp > H, sig_down = want_down && cm > H;
    if (sig_up || sig_down) [[unlikely]] {
      if (sig_up) emit(out, series, i, static_cast<uint32_t>(ChartRule::cusum_up), cp, 0.0, -H, H);
      if (sig_down) emit(out, series, i, static_cast<uint32_t>(ChartRule::cusum_down), -cm, 0.0, -H, H);
      cp = cm = 0;
    }
  }
}

inline void scan_ewma(const double* x, size_t n, int64_t series, double c, double s, const Plan& p, ChartSignals& out) {
  const double lam = p.lambda, keep = 1 - lam, keep2 = keep * keep, f = lam / (2 - lam), width = p.L * s;
  double e = c, q = 1;  // q = (1 - lambda)^(2(i+1))
  for (size_t i = 0; i < n; ++i) {
    e = lam * x[i] + keep * e;
    q *= keep2;
    const double half = width * std::sqrt(f * (1 - q));
    const double lower = c - half, upper = c + half;
    if (e > upper || e < lower) [[unlikely]]
      emit(out, series, i, static_cast<uint32_t>(ChartRule::ewma), e, c, lower, upper);
  }
}

inline ChartResult run(gsl::span<const double> values, size_t n_series, size_t n_points, const ChartOptions& o, bool bulk) {
  const Plan p = resolve(o, n_series, n_points, bulk);
  ChartResult r;
  r.center.resize(n_series);
  r.sigma.resize(n_series);
  std::vector<double> scratch;
  if (p.robust) scratch.reserve(p.baseline_points);
  constexpr double estimated = std::numeric_limits<double>::quiet_NaN();
  for (size_t s = 0; s < n_series; ++s) {
    const double* x = values.data() + s * n_points;
    const double gc = o.center.empty() ? estimated : o.center[o.center.size() == 1 ? 0 : s];
    const double gs = o.sigma.empty() ? estimated : o.sigma[o.sigma.size() == 1 ? 0 : s];
    const Params prm = estimate(x, n_points, s, p, gc, gs, scratch);
    r.center[s] = prm.center;
    r.sigma[s] = prm.sigma;
    if (!(prm.sigma > 0)) continue;  // a flat baseline: no signals (documented)
    const auto id = static_cast<int64_t>(s);
    switch (p.kind) {
      case ChartKind::xmr: scan_xmr(x, n_points, id, prm.center, prm.sigma, p.rules, r.signals); break;
      case ChartKind::cusum: scan_cusum(x, n_points, id, prm.center, prm.sigma, p, r.signals); break;
      case ChartKind::ewma: scan_ewma(x, n_points, id, prm.center, prm.sigma, p, r.signals); break;
    }
  }
  return r;
}

}  // namespace detail::chart_impl

// One series. With the first five points as the baseline:
//   std::vector<double> x{10, 12, 11, 13, 12, 20};  std::vector<uint8_t> base{1, 1, 1, 1, 1, 0};
//   control_chart(x, {.baseline = base}): centre 11.6, sigma 1.5 / 1.128 = 1.33, nelson1 at index 5
inline ChartResult control_chart(gsl::span<const double> values, const ChartOptions& options = {}) {
  return detail::chart_impl::run(values, 1, values.size(), options, false);
}

// Many series at once: row s of the row-major matrix (n_series x n_points) is series s.
// An empty matrix (n_series 0) gives an empty result; n_points 0 is an error.
inline ChartResult control_charts(gsl::span<const double> matrix, size_t n_series, size_t n_points,
                                  const ChartOptions& options = {}) {
  if (n_points == 0) fail(errc::invalid_argument, "n_points is 0; a series needs at least 1 point");
  if (n_series > SIZE_MAX / n_points)
    fail(errc::overflow, "n_series x n_points overflows: ", n_series, " x ", n_points);
  if (matrix.size() != n_series * n_points)
    fail(errc::invalid_argument, "values has ", matrix.size(), " entries; expected n_series x n_points = ", n_series,
         " x ", n_points, " = ", n_series * n_points);
  return detail::chart_impl::run(matrix, n_series, n_points, options, true);
}

}  // namespace quotaflow::monitor
