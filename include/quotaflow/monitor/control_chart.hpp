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
  size_t baseline_pairs = 0;  // adjacent pairs of baseline points (moving ranges)
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
  p.baseline_pairs = pairs;
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

// Checks every point of one series and estimates what is not given (one pass unless robust).
inline Params estimate(const double* x, size_t n, size_t series, const Plan& p, double given_center, double given_sigma,
                       std::vector<double>& scratch) {
  const bool need_center = std::isnan(given_center), need_sigma = std::isnan(given_sigma);
  const uint8_t* b = p.baseline;
  double sum = 0, mr = 0;
  bool finite = true;
  if (b == nullptr) {
    for (size_t i = 0; i < n; ++i) {
      finite &= std::isfinite(x[i]);
      sum += x[i];
      mr += std::fabs(x[i] - x[i == 0 ? 0 : i - 1]);
    }
  } else {
    for (size_t i = 0; i < n; ++i) {
      finite &= std::isfinite(x[i]);
      const double in = b[i] != 0 ? 1.0 : 0.0, pair = i > 0 && b[i - 1] != 0 ? in : 0.0;
      sum += in * x[i];
      mr += pair * std::fabs(x[i] - x[i == 0 ? 0 : i - 1]);
    }
  }
  if (!finite) [[unlikely]]
    for (size_t i = 0; i < n; ++i)
      if (!std::isfinite(x[i])) bad_point(p.bulk, series, i, x[i]);
  Params out{given_center, given_sigma};
  if (p.robust && (need_center || need_sigma)) {
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
    if (need_center) out.center = sum / static_cast<double>(p.baseline_points);
    if (need_sigma) out.sigma = mr / static_cast<double>(p.baseline_pairs) / moving_range_d2;
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

constexpr uint32_t bit(ChartRule r) { return uint32_t{1} << static_cast<int32_t>(r); }

// The X-mR scan runs 4 series side by side, one per lane (GCC/Clang vector extensions: SSE2
// on any x86-64, NEON on arm64). Doubles go in pairs (the native width), comparison masks are
// narrowed to 4 x 32-bit lanes for the bit registers. Lanes are independent, so a series gets
// the same signals whichever lanes run beside it.
inline constexpr size_t lanes = 4;
using f64x2 = double __attribute__((vector_size(16)));
using i64x2 = int64_t __attribute__((vector_size(16)));
using u32x4 = uint32_t __attribute__((vector_size(16)));
using i32x4 = int32_t __attribute__((vector_size(16)));

// Two pairs of lane masks (-1 / 0 as 64 bits) as one mask of 4 x 32 bits.
inline u32x4 narrow(const i64x2& lo, const i64x2& hi) {
  return reinterpret_cast<u32x4>(
      __builtin_shufflevector(reinterpret_cast<i32x4>(lo), reinterpret_cast<i32x4>(hi), 0, 2, 4, 6));
}
// Shifts one point into a bit register: bit 0 becomes 1 where the mask is all ones.
inline u32x4 push(const u32x4& reg, const u32x4& mask) { return (reg << 1) - mask; }
// Lanes where every bit of mask is set in r: all ones, else 0.
inline u32x4 all_of(const u32x4& r, uint32_t mask) { return reinterpret_cast<u32x4>((r & mask) == mask); }

struct Pending {
  uint32_t lane, rules;
  size_t index;
};

// X-mR run rules for up to 4 series in one pass. Each register holds one bit per recent point
// (bit 0 = point i): above / below the centre, beyond +1 / -1 and +2 / -2 sigma, within 1 sigma,
// a step up / down from the previous point. Points before the series are 0 bits, so "all of
// the last w" windows need i >= w - 1 by themselves; "k of the last w" test i >= w - 1.
// rules[l] == 0 switches lane l off (padding, or sigma 0). Fired (lane, index, rules) go to
// `pending` in index order.
inline void scan_xmr(const double* const* row, size_t n, const double* c, const double* s, const uint32_t* rules,
                     std::vector<Pending>& pending) {
  const f64x2 c_lo = {c[0], c[1]}, c_hi = {c[2], c[3]}, s_lo = {s[0], s[1]}, s_hi = {s[2], s[3]};
  const u32x4 rv = {rules[0], rules[1], rules[2], rules[3]};
  constexpr f64x2 zero = {0, 0}, one = {1, 1}, two = {2, 2}, three = {3, 3};
  u32x4 pos{}, neg{}, a1{}, b1{}, a2{}, b2{}, in1{}, up{}, dn{};
  f64x2 prev_lo = {row[0][0], row[1][0]}, prev_hi = {row[2][0], row[3][0]};
  for (size_t i = 0; i < n; ++i) {
    const f64x2 v_lo = {row[0][i], row[1][i]}, v_hi = {row[2][i], row[3][i]};
    const f64x2 z_lo = (v_lo - c_lo) / s_lo, z_hi = (v_hi - c_hi) / s_hi;
    pos = push(pos, narrow(z_lo > zero, z_hi > zero));
    neg = push(neg, narrow(z_lo < zero, z_hi < zero));
    a1 = push(a1, narrow(z_lo > one, z_hi > one));
    b1 = push(b1, narrow(z_lo < -one, z_hi < -one));
    a2 = push(a2, narrow(z_lo > two, z_hi > two));
    b2 = push(b2, narrow(z_lo < -two, z_hi < -two));
    in1 = push(in1, narrow((z_lo < one) & (z_lo > -one), (z_hi < one) & (z_hi > -one)));
    up = push(up, narrow(v_lo > prev_lo, v_hi > prev_hi));
    dn = push(dn, narrow(v_lo < prev_lo, v_hi < prev_hi));
    prev_lo = v_lo;
    prev_hi = v_hi;
    const u32x4 beyond3 = narrow((z_lo > three) | (z_lo < -three), (z_hi > three) | (z_hi < -three));
    // At least 2 of the last 3 bits: the majority of bits 0..2. At least 4 of the last 5: at
    // most one of bits 0..4 clear.
    const uint32_t from2 = i >= 2 ? ~0u : 0u, from4 = i >= 4 ? ~0u : 0u;
    const u32x4 maj_a = (a2 & (a2 >> 1)) | (a2 & (a2 >> 2)) | ((a2 >> 1) & (a2 >> 2));
    const u32x4 maj_b = (b2 & (b2 >> 1)) | (b2 & (b2 >> 2)) | ((b2 >> 1) & (b2 >> 2));
    const u32x4 k2of3 = reinterpret_cast<u32x4>(((maj_a | maj_b) & 1u) != 0) & from2;
    const u32x4 gap_a = ~a1 & 0x1Fu, gap_b = ~b1 & 0x1Fu;
    const u32x4 k4of5 = reinterpret_cast<u32x4>(((gap_a & (gap_a - 1)) == 0) | ((gap_b & (gap_b - 1)) == 0)) & from4;
    const u32x4 u13 = up & 0x1FFFu, d13 = dn & 0x1FFFu;
    const u32x4 alternating = reinterpret_cast<u32x4>(((u13 == 0x1555u) & (d13 == 0x0AAAu)) |
                                                      ((u13 == 0x0AAAu) & (d13 == 0x1555u)));
    const u32x4 mixed8 = all_of(a1 | b1, 0xFFu) & reinterpret_cast<u32x4>((a1 & 0xFFu) != 0) &
                         reinterpret_cast<u32x4>((b1 & 0xFFu) != 0);
    u32x4 fired = (beyond3 & (bit(ChartRule::nelson1) | bit(ChartRule::we1))) |
                  ((all_of(pos, 0x1FFu) | all_of(neg, 0x1FFu)) & bit(ChartRule::nelson2)) |
                  ((all_of(up, 0x1Fu) | all_of(dn, 0x1Fu)) & bit(ChartRule::nelson3)) |
                  (alternating & bit(ChartRule::nelson4)) |
                  (k2of3 & (bit(ChartRule::nelson5) | bit(ChartRule::we2))) |
                  (k4of5 & (bit(ChartRule::nelson6) | bit(ChartRule::we3))) |
                  (all_of(in1, 0x7FFFu) & bit(ChartRule::nelson7)) | (mixed8 & bit(ChartRule::nelson8)) |
                  ((all_of(pos, 0xFFu) | all_of(neg, 0xFFu)) & bit(ChartRule::we4));
    fired &= rv;
    if ((fired[0] | fired[1] | fired[2] | fired[3]) != 0) [[unlikely]]
      for (uint32_t l = 0; l < lanes; ++l)
        if (fired[l] != 0) pending.push_back({l, fired[l], i});
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
  std::vector<Pending> pending;
  constexpr double estimated = std::numeric_limits<double>::quiet_NaN();
  for (size_t first = 0; first < n_series; first += lanes) {
    // Centre and sigma of up to 4 series, then their scan. A lane without a series, or whose
    // sigma is 0 (a flat baseline: no signals, as documented), is switched off.
    const double* row[lanes];
    double c[lanes], sg[lanes];
    uint32_t rules[lanes];
    const size_t count = std::min(lanes, n_series - first);
    for (size_t l = 0; l < lanes; ++l) {
      const size_t s = first + std::min(l, count - 1);
      row[l] = values.data() + s * n_points;
      c[l] = 0;
      sg[l] = 1;
      rules[l] = 0;
      if (l >= count) continue;
      const double gc = o.center.empty() ? estimated : o.center[o.center.size() == 1 ? 0 : s];
      const double gs = o.sigma.empty() ? estimated : o.sigma[o.sigma.size() == 1 ? 0 : s];
      const Params prm = estimate(row[l], n_points, s, p, gc, gs, scratch);
      r.center[s] = prm.center;
      r.sigma[s] = prm.sigma;
      if (!(prm.sigma > 0)) continue;
      c[l] = prm.center;
      sg[l] = prm.sigma;
      rules[l] = p.rules;
    }
    if (p.kind == ChartKind::xmr) {
      pending.clear();
      scan_xmr(row, n_points, c, sg, rules, pending);
      for (uint32_t l = 0; l < count; ++l) {
        const auto id = static_cast<int64_t>(first + l);
        for (const Pending& hit : pending) {
          if (hit.lane != l) continue;
          for (uint32_t f = hit.rules; f != 0; f &= f - 1)
            emit(r.signals, id, hit.index, static_cast<uint32_t>(std::countr_zero(f)), row[l][hit.index], c[l],
                 c[l] - 3 * sg[l], c[l] + 3 * sg[l]);
        }
      }
      continue;
    }
    for (size_t l = 0; l < count; ++l) {
      if (rules[l] == 0) continue;
      const auto id = static_cast<int64_t>(first + l);
      if (p.kind == ChartKind::cusum)
        scan_cusum(row[l], n_points, id, c[l], sg[l], p, r.signals);
      else
        scan_ewma(row[l], n_points, id, c[l], sg[l], p, r.signals);
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
