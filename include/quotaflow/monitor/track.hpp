// Plan vs actual and pacing: for every node and period, how much of the plan should be done by
// `as_of`, how much is, and what that means for the end of the period.
//   auto t = monitor::track(org, cal, plan, actual, date_from_string("2026-01-01"),
//                           date_from_string("2026-07-01"), date_from_string("2026-03-18"));
//   t.status[v * t.periods.size() + 2] == TrackStatus::behind
//
// Inputs: `plan` and `actual` are node x period int64 matrices (row-major, hierarchy node order,
// periods = cal.periods(start, end, options.grain)); `actual` holds what was booked up to and
// including as_of (monitor::rollup makes it from fact rows). Every measure below is per cell
// (node v, period k); P = plan, A = actual, [s, e) = the period.
//
//   elapsed days    Ed = working days of [s, min(as_of + 1, e)) (as_of counts as elapsed);
//                   Wd = working days of [s, e); Rd = Wd - Ed remain.
//   elapsed         Ed / Wd (calendar.elapsed_fraction: a period without working days is 0
//                   before its last day and 1 on it).
//   weights         day weight w_d = working-day flag x month_profile[month] x
//                   weekday_profile[weekday] x daily_profile[d] (absent profiles are 1, as in
//                   phase()); Ew = sum of w_d over the elapsed days, Rw over the remaining ones.
//                   Without a profile Ew = Ed and Rw = Rd.
//   plan_to_date    the plan's share of the elapsed weight, exact in minor units: the Hamilton
//                   (largest remainder) split of P into the two weights (Ew, Rw), ties to the
//                   elapsed part. With working-day weights this is round-half-up of P x Ed / Wd
//                   (symmetric for negative plans). A period with no weight at all is due in full
//                   on its last day: plan_to_date = P from then on, 0 before.
//   variance        A - plan_to_date (minor units);  variance_pct = 100 x variance / plan_to_date.
//   attainment      A / P (of the whole period's plan).
//   pace            A / plan_to_date (1.0 = exactly on plan).
//   projected       working-day run rate: A x Wd / Ed, rounded to the nearest minor unit (halves
//                   away from zero). projected_seasonal: A x (Ew + Rw) / Ew, the run rate
//                   weighted by the profile (equal to projected without one). Before any
//                   (weighted) working day has passed there is no run rate: both are
//                   A + (P - plan_to_date), the actual plus the plan still to come.
//   required_rate   max(P - A, 0) / Rd per remaining working day; 0 when made; NaN when no
//                   working day remains and the plan is not made.
//   gap_share       variance / the parent's variance: each child's share of its parent's gap (the
//                   children's shares sum to 1 when plan and actual are coherent sums); NaN for
//                   roots and when the parent's variance is 0.
// Ratios whose denominator is 0 are NaN (never inf).
//
// Status (TrackStatus), first rule that applies, thresholds from TrackThresholds:
//   1. the period is over (as_of >= its last day):  made if A >= P, else missed.
//   2. P > 0 and A >= P already:                    made.
//   3. plan_to_date <= 0 (nothing due yet):         ahead if A > 0, else on_track.
//   4. pace >= ahead_pace (1.10):                   ahead.
//   5. pace >= behind_pace (0.95):                  on_track.
//   6. pace < at_risk_pace (0.85), or no working day remains, or required_rate >
//      at_risk_required (1.5) x the plan's own rate for the rest ((P - plan_to_date) / Rd):
//                                                   at_risk.
//   7. otherwise:                                   behind.
//
// price_volume_mix() splits a revenue gap into volume, price and mix effects (see below).
//
// Thread rule: pure functions; call them concurrently on shared hierarchies and calendars.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gsl/span>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "quotaflow/allocation/apportion.hpp"
#include "quotaflow/allocation/phase.hpp"
#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/core/amount.hpp"
#include "quotaflow/core/error.hpp"
#include "quotaflow/hierarchy/hierarchy.hpp"

namespace quotaflow::monitor {

// Values are stable: they are the C ABI's QF_TRACK_* status values.
enum class TrackStatus : uint8_t { ahead = 0, on_track = 1, behind = 2, at_risk = 3, missed = 4, made = 5 };

inline constexpr std::array<std::string_view, 6> track_status_names = {"ahead", "on_track", "behind",
                                                                       "at_risk", "missed", "made"};
constexpr std::string_view track_status_name(TrackStatus s) noexcept { return track_status_names[static_cast<size_t>(s)]; }

struct TrackThresholds {
  double ahead_pace = 1.10;       // pace at or above: ahead
  double behind_pace = 0.95;      // pace below: behind (at or above, up to ahead_pace: on_track)
  double at_risk_pace = 0.85;     // pace below: at_risk
  double at_risk_required = 1.5;  // required rate above this multiple of the plan's own rate: at_risk
};

struct TrackOptions {
  Grain grain = Grain::month;
  gsl::span<const double> month_profile = {};    // empty, or 12 values (January first), >= 0
  gsl::span<const double> weekday_profile = {};  // empty, or 7 values (Monday first), >= 0
  gsl::span<const double> daily_profile = {};    // empty, or one value per day of [start, end), >= 0
  TrackThresholds thresholds = {};
};

struct TrackResult {
  std::vector<Period> periods;  // the columns
  size_t nodes = 0;             // the rows, hierarchy node order
  // Per period.
  std::vector<int32_t> elapsed_days, remaining_days;
  std::vector<double> elapsed;                          // elapsed working-day fraction
  std::vector<double> elapsed_weight, remaining_weight;  // Ew, Rw
  // Per cell, nodes x periods row-major.
  std::vector<int64_t> plan_to_date, variance, projected, projected_seasonal;
  std::vector<double> variance_pct, attainment, pace, required_rate, gap_share;
  std::vector<TrackStatus> status;

  [[nodiscard]] size_t cell(size_t node, size_t period) const { return node * periods.size() + period; }
};

namespace detail {

inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();
using quotaflow::detail::apportion_impl::i128;
using quotaflow::detail::apportion_impl::u128;

inline double ratio(double num, double den) { return den == 0 ? nan : num / den; }

// round(a * num / den), halves away from zero, exact (den != 0).
inline int64_t scale_round(int64_t a, int64_t num_in, int64_t den_in, const char* what) {
  int64_t p64;
  if (den_in > 0 && !__builtin_mul_overflow(a, num_in, &p64) && p64 != std::numeric_limits<int64_t>::min()) {
    // 64-bit fast path (the common case: amounts times day counts), same rounding.
    const uint64_t mag = p64 < 0 ? uint64_t{0} - static_cast<uint64_t>(p64) : static_cast<uint64_t>(p64);
    const auto d = static_cast<uint64_t>(den_in);
    uint64_t q = mag / d;
    if ((mag % d) * 2 >= d) ++q;  // mag % d < d <= 2^63: no overflow
    return p64 < 0 ? -static_cast<int64_t>(q) : static_cast<int64_t>(q);
  }
  i128 num = num_in, den = den_in;
  if (den < 0) num = -num, den = -den;
  const i128 p = static_cast<i128>(a) * num;  // |p| <= 2^126
  const i128 mag = p < 0 ? -p : p;
  i128 q = mag / den;
  if ((mag % den) * 2 >= den) ++q;
  if (p < 0) q = -q;
  if (q > std::numeric_limits<int64_t>::max() || q < std::numeric_limits<int64_t>::min())
    fail(errc::overflow, what, " overflows int64: ", a, " x ", num_in, " / ", den_in);
  return static_cast<int64_t>(q);
}

// round(a * num / den) for real weights (den > 0), halves away from zero.
inline int64_t scale_round(int64_t a, double num, double den, const char* what) {
  const long double q = static_cast<long double>(a) * num / den;
  const long double r = q < 0 ? -std::floor(-q + 0.5L) : std::floor(q + 0.5L);
  if (!(r >= -9223372036854775808.0L && r < 9223372036854775808.0L))
    fail(errc::overflow, what, " overflows int64: ", a, " x ", num, " / ", den);
  return static_cast<int64_t>(r);
}

// Elapsed part of the Hamilton split of p into integer weights (e, w - e), ties to the elapsed part.
inline int64_t split_elapsed(int64_t p, int64_t e, int64_t w) {
  const bool neg = p < 0;
  const uint64_t m64 = neg ? uint64_t{0} - static_cast<uint64_t>(p) : static_cast<uint64_t>(p);
  if (m64 <= UINT64_MAX / static_cast<uint64_t>(e)) {  // 64-bit fast path, same rounding
    const uint64_t prod = m64 * static_cast<uint64_t>(e), uw = static_cast<uint64_t>(w);
    uint64_t q = prod / uw;
    const uint64_t rem = prod % uw;
    if (rem != 0 && rem >= uw - rem) ++q;
    return neg ? static_cast<int64_t>(uint64_t{0} - q) : static_cast<int64_t>(q);
  }
  const u128 mag = neg ? static_cast<u128>(-static_cast<i128>(p)) : static_cast<u128>(p);
  const u128 prod = mag * static_cast<u128>(e);
  const auto uw = static_cast<u128>(w);
  u128 q = prod / uw;
  const u128 rem = prod % uw;
  if (rem != 0 && rem * 2 >= uw) ++q;
  // q <= |p| <= 2^63, so the negation below is exact.
  return neg ? static_cast<int64_t>(-static_cast<i128>(q)) : static_cast<int64_t>(q);
}

// Exact x / d and x % d for x < 2^52 from a divisor's precomputed reciprocal: a multiply and a
// correction instead of a 64-bit division (about 40 cycles on the reference Xeon; track divides
// twice per cell by per-period day counts, so the reciprocal is computed once per period).
// fl(x x fl(1 / d)) is within a relative 2^-52 of x / d < 2^52, so the truncated estimate is
// within 1 of the quotient and one correction step either way makes it exact.
struct SmallDivisor {
  static constexpr uint64_t limit = uint64_t{1} << 52;  // dividends must be below this
  uint64_t d = 1;
  double inv = 1;
  SmallDivisor() = default;
  explicit SmallDivisor(uint64_t divisor) : d(divisor), inv(1.0 / static_cast<double>(divisor)) {}
  // Largest m with m x f < limit: the dividends m x f that this divisor's fast path accepts.
  [[nodiscard]] static uint64_t max_factor(uint64_t f) { return f == 0 ? UINT64_MAX : (limit - 1) / f; }
  uint64_t div(uint64_t x, uint64_t& rem) const {
    uint64_t q = static_cast<uint64_t>(static_cast<double>(x) * inv);
    auto r = static_cast<int64_t>(x - q * d);  // |r| <= 2d: exact in int64
    if (r < 0) {
      --q;
      r += static_cast<int64_t>(d);
    } else if (static_cast<uint64_t>(r) >= d) {
      ++q;
      r -= static_cast<int64_t>(d);
    }
    rem = static_cast<uint64_t>(r);
    return q;
  }
};

// Per period: split_elapsed(p, e, w) and scale_round(a, w, e) with the divisions replaced by
// reciprocals when the products stay below 2^52 (always, for amounts up to ~10^13 minor units);
// otherwise the general functions above. Same results bit for bit.
struct PeriodDivisors {
  SmallDivisor by_w, by_e;
  uint64_t split_max = 0, scale_max = 0;  // |p| <= split_max: p x e < 2^52; |a| <= scale_max: a x w < 2^52
  PeriodDivisors() = default;
  PeriodDivisors(int32_t e, int32_t w)
      : by_w(static_cast<uint64_t>(w > 0 ? w : 1)),
        by_e(static_cast<uint64_t>(e > 0 ? e : 1)),
        split_max(SmallDivisor::max_factor(static_cast<uint64_t>(e))),
        scale_max(SmallDivisor::max_factor(static_cast<uint64_t>(w))) {}
  // split_elapsed(p, e, w); requires 0 < e < w.
  [[nodiscard]] int64_t split(int64_t p, int32_t e, int32_t w) const {
    const bool neg = p < 0;
    const uint64_t m = neg ? uint64_t{0} - static_cast<uint64_t>(p) : static_cast<uint64_t>(p);
    if (m > split_max) [[unlikely]]
      return split_elapsed(p, e, w);
    uint64_t rem;
    uint64_t q = by_w.div(m * static_cast<uint64_t>(e), rem);
    if (rem != 0 && rem >= by_w.d - rem) ++q;
    return neg ? static_cast<int64_t>(uint64_t{0} - q) : static_cast<int64_t>(q);
  }
  // scale_round(a, w, e, what); requires e > 0.
  [[nodiscard]] int64_t scale(int64_t a, int32_t w, int32_t e, const char* what) const {
    const bool neg = a < 0;
    const uint64_t m = neg ? uint64_t{0} - static_cast<uint64_t>(a) : static_cast<uint64_t>(a);
    if (m > scale_max) [[unlikely]]
      return scale_round(a, int64_t{w}, int64_t{e}, what);
    uint64_t rem;
    uint64_t q = by_e.div(m * static_cast<uint64_t>(w), rem);
    if (rem * 2 >= by_e.d) ++q;
    return neg ? -static_cast<int64_t>(q) : static_cast<int64_t>(q);
  }
};

// Asks Linux for transparent huge pages on [p, p + bytes) before its first touch. track returns
// 73 MB of fresh memory per million cells; in 4 KiB pages the kernel's page faults took about 40%
// of its time on the reference VM (in 2 MiB pages, 512 times fewer faults). A hint only: where
// it is unknown or refused, nothing changes.
inline void huge_pages_hint(const void* p, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t huge = uintptr_t{1} << 21;
  const auto a = reinterpret_cast<uintptr_t>(p);
  const uintptr_t b = (a + huge - 1) & ~(huge - 1), e = (a + bytes) & ~(huge - 1);
  if (e > b) (void)madvise(reinterpret_cast<void*>(b), e - b, MADV_HUGEPAGE);
#else
  (void)p, (void)bytes;
#endif
}

inline double checked_threshold(double v, const char* name) {
  if (!std::isfinite(v) || v < 0) fail(errc::invalid_argument, "thresholds.", name, " is ", v, "; it must be finite and >= 0");
  return v;
}

struct PeriodPace {
  int32_t ed = 0, wd = 0;
  double ew = 0, rw = 0;
  bool over = false;
  bool integral = true;  // weights are the working-day counts
  PeriodDivisors div;
};

}  // namespace detail

inline TrackResult track(const Hierarchy& h, const Calendar& cal, gsl::span<const int64_t> plan,
                         gsl::span<const int64_t> actual, Date start, Date end, Date as_of,
                         const TrackOptions& opt = {}) {
  const auto& th = opt.thresholds;
  detail::checked_threshold(th.ahead_pace, "ahead_pace");
  detail::checked_threshold(th.behind_pace, "behind_pace");
  detail::checked_threshold(th.at_risk_pace, "at_risk_pace");
  detail::checked_threshold(th.at_risk_required, "at_risk_required");
  if (!(th.at_risk_pace <= th.behind_pace && th.behind_pace <= th.ahead_pace))
    fail(errc::invalid_argument, "thresholds must satisfy at_risk_pace <= behind_pace <= ahead_pace; got ", th.at_risk_pace,
         ", ", th.behind_pace, ", ", th.ahead_pace);
  check_grain(static_cast<int32_t>(opt.grain));
  check_date(as_of, "as_of");

  TrackResult r;
  r.periods = cal.periods(start, end, opt.grain);
  r.nodes = h.size();
  const size_t P = r.periods.size(), cells = r.nodes * P;
  if (plan.size() != cells)
    fail(errc::invalid_argument, "plan has ", plan.size(), " values; expected nodes x periods = ", r.nodes, " x ", P, " = ", cells);
  if (actual.size() != cells)
    fail(errc::invalid_argument, "actual has ", actual.size(), " values; expected nodes x periods = ", r.nodes, " x ", P, " = ",
         cells);

  // Per period: elapsed and remaining working days and weights.
  const bool profiled = !opt.month_profile.empty() || !opt.weekday_profile.empty() || !opt.daily_profile.empty();
  PhaseOptions po;
  po.grain = Grain::year;
  po.month_profile = opt.month_profile;
  po.weekday_profile = opt.weekday_profile;
  if (!opt.daily_profile.empty() && opt.daily_profile.size() != static_cast<size_t>(end - start))
    fail(errc::invalid_argument, "daily_profile has ", opt.daily_profile.size(), " values; expected one per day of ",
         date_to_string(start), "..", date_to_string(end), " (", end - start, ")");
  auto weight = [&](Date a, Date b) {  // summed day weights of [a, b), in day order as phase() does
    PhaseOptions o = po;
    if (!opt.daily_profile.empty()) o.daily_profile = opt.daily_profile.subspan(static_cast<size_t>(a - start), static_cast<size_t>(b - a));
    double s = 0;
    for (double w : phase_weights(cal, a, b, o).weights) s += w;
    return s;
  };
  std::vector<detail::PeriodPace> pp(P);
  r.elapsed_days.resize(P);
  r.remaining_days.resize(P);
  r.elapsed.resize(P);
  r.elapsed_weight.resize(P);
  r.remaining_weight.resize(P);
  for (size_t k = 0; k < P; ++k) {
    const Period& per = r.periods[k];
    const Date upto = as_of < per.start ? per.start : as_of >= per.end ? per.end : as_of + 1;
    auto& q = pp[k];
    q.wd = per.working_days;
    q.ed = cal.working_days(per.start, upto);
    q.over = as_of >= per.end - 1;
    if (profiled) {
      q.ew = weight(per.start, upto);
      q.rw = weight(upto, per.end);
      q.integral = false;
    } else {
      q.ew = q.ed;
      q.rw = q.wd - q.ed;
    }
    q.div = detail::PeriodDivisors(q.ed, q.wd);
    r.elapsed_days[k] = q.ed;
    r.remaining_days[k] = q.wd - q.ed;
    r.elapsed[k] = cal.elapsed_fraction(per.start, per.end, as_of);
    r.elapsed_weight[k] = q.ew;
    r.remaining_weight[k] = q.rw;
  }
  // Exact shared-weight splitters for profiled periods (one per period, reused by every node).
  std::vector<quotaflow::detail::apportion_impl::HamiltonRows> splitters;
  if (profiled) {
    splitters.reserve(P);
    for (size_t k = 0; k < P; ++k) splitters.emplace_back(std::vector<double>{pp[k].ew, pp[k].rw});
  }

  // The outputs are written once each, in order: cells are computed a block at a time into small
  // cache-resident arrays that are then appended to the reserved vectors. (Sizing the vectors
  // first would zero 73 MB per million cells and then write it again.)
  [cells](auto&... out) {
    ((out.reserve(cells), detail::huge_pages_hint(out.data(), cells * sizeof(out[0]))), ...);
  }(r.plan_to_date, r.variance, r.projected, r.projected_seasonal,
                                                       r.variance_pct, r.attainment, r.pace, r.required_rate, r.gap_share,
                                                       r.status);
  constexpr size_t block = 1024;  // cells per block: 9 x 8 KiB of scratch, in L1/L2
  struct Scratch {
    int64_t ptd[block], var[block], proj[block], proj_s[block];
    double vpct[block], att[block], pace[block], req[block];
    TrackStatus status[block];
  };
  const auto sc = std::make_unique<Scratch>();
  auto append = [](auto& vec, const auto* src, size_t m) { vec.insert(vec.end(), src, src + m); };
  for (size_t c0 = 0; c0 < cells; c0 += block) {
    const size_t m = std::min(block, cells - c0);
    size_t v = c0 / P, k = c0 % P;
    for (size_t j = 0; j < m; ++j) {
      const size_t c = c0 + j;
      const auto& q = pp[k];
      const int64_t p = plan[c], a = actual[c];
      // plan to date
      int64_t ptd;
      const double wsum = q.ew + q.rw;
      if (wsum == 0) {
        ptd = q.over ? p : 0;
      } else if (q.rw == 0) {
        ptd = p;
      } else if (q.ew == 0) {
        ptd = 0;
      } else if (q.integral) {
        ptd = q.div.split(p, q.ed, q.wd);
      } else {
        int64_t two[2];
        if (!splitters[k].apply(p, two)) {
          const double w2[2] = {q.ew, q.rw};
          apportion(p, gsl::span<const double>(w2, 2), gsl::span<int64_t>(two, 2));
        }
        ptd = two[0];
      }
      int64_t var;
      if (__builtin_sub_overflow(a, ptd, &var))
        fail(errc::overflow, "variance of node ", v, ", period ", k, " overflows int64: ", a, " - ", ptd);
      // projections
      int64_t proj, proj_s;
      if (q.ed == 0 || q.ew == 0) {
        int64_t still;
        if (__builtin_sub_overflow(p, ptd, &still) || __builtin_add_overflow(a, still, &proj))
          fail(errc::overflow, "projection of node ", v, ", period ", k, " overflows int64");
        proj_s = proj;
        if (q.ed > 0) proj = q.div.scale(a, q.wd, q.ed, "projected");
      } else {
        proj = q.div.scale(a, q.wd, q.ed, "projected");
        proj_s = q.integral ? proj : detail::scale_round(a, wsum, q.ew, "projected_seasonal");
      }
      const int32_t rd = q.wd - q.ed;
      const double gap_to_plan = static_cast<double>(p) - static_cast<double>(a);
      const double req = gap_to_plan <= 0 ? 0.0 : rd == 0 ? detail::nan : gap_to_plan / rd;
      const double pace = detail::ratio(static_cast<double>(a), static_cast<double>(ptd));
      // status
      TrackStatus s;
      if (q.over) {
        s = a >= p ? TrackStatus::made : TrackStatus::missed;
      } else if (p > 0 && a >= p) {
        s = TrackStatus::made;
      } else if (ptd <= 0) {
        s = a > 0 ? TrackStatus::ahead : TrackStatus::on_track;
      } else if (pace >= th.ahead_pace) {
        s = TrackStatus::ahead;
      } else if (pace >= th.behind_pace) {
        s = TrackStatus::on_track;
      } else if (pace < th.at_risk_pace || rd == 0 ||
                 req > th.at_risk_required * ((static_cast<double>(p) - static_cast<double>(ptd)) / rd)) {
        s = TrackStatus::at_risk;
      } else {
        s = TrackStatus::behind;
      }
      sc->ptd[j] = ptd;
      sc->var[j] = var;
      sc->proj[j] = proj;
      sc->proj_s[j] = proj_s;
      sc->vpct[j] = ptd == 0 ? detail::nan : 100.0 * static_cast<double>(var) / static_cast<double>(ptd);
      sc->att[j] = detail::ratio(static_cast<double>(a), static_cast<double>(p));
      sc->pace[j] = pace;
      sc->req[j] = req;
      sc->status[j] = s;
      if (++k == P) k = 0, ++v;
    }
    append(r.plan_to_date, sc->ptd, m), append(r.variance, sc->var, m), append(r.projected, sc->proj, m);
    append(r.projected_seasonal, sc->proj_s, m), append(r.variance_pct, sc->vpct, m), append(r.attainment, sc->att, m);
    append(r.pace, sc->pace, m), append(r.required_rate, sc->req, m), append(r.status, sc->status, m);
  }
  // Each child's share of its parent's gap.
  const auto parents = h.parents();
  for (size_t v = 0; v < r.nodes; ++v) {
    const int32_t par = parents[v];
    const int64_t* own = r.variance.data() + v * P;
    if (par < 0) {
      r.gap_share.insert(r.gap_share.end(), P, detail::nan);
      continue;
    }
    const int64_t* up = r.variance.data() + static_cast<size_t>(par) * P;
    for (size_t k = 0; k < P; ++k) r.gap_share.push_back(detail::ratio(static_cast<double>(own[k]), static_cast<double>(up[k])));
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Volume, price and mix effects of a revenue gap (the textbook sales-variance analysis).
//
// Items (products, say) are rows; `group[i]` says which gap row i belongs to (a node x period
// cell, a region; 0..n_groups-1). Per item: planned and actual quantity Qp, Qa and revenue Rp,
// Ra (minor units), so prices are Pp = Rp / Qp and Pa = Ra / Qa. Per group, with totals
// Qp* = sum Qp, Rp* = sum Rp, Qa*, Ra* and the planned average price P̄ = Rp* / Qp*:
//   gap    = Ra* - Rp*
//   price  = sum over items of (Pa - Pp) x Qa = sum (Ra - round(Qa x Rp / Qp))
//   volume = (Qa* - Qp*) x P̄                  = round((Qa* - Qp*) x Rp* / Qp*)
//   mix    = sum (Qa - Qa* x Qp / Qp*) x Pp    = sum Qa x Pp - Qa* x P̄
// Algebraically price + volume + mix = sum Qa Pa - Qp* P̄ = Ra* - Rp* = gap. In minor units
// price and volume are rounded (nearest, halves away from zero) and mix is computed as
// gap - price - volume, so the three sum to the gap exactly and mix differs from its formula by
// rounding only (at most half a unit per item plus half a unit). Conventions: an item without a
// planned quantity (Qp = 0) has no planned price; its actual price stands in (price effect 0, its
// revenue is volume and mix). A group with Qp* = 0 has no planned average price: everything that
// is not price effect is volume (mix 0).
struct MixEffects {
  int64_t plan_revenue = 0, actual_revenue = 0, gap = 0, volume = 0, price = 0, mix = 0;
  int64_t plan_quantity = 0, actual_quantity = 0;
};

inline std::vector<MixEffects> price_volume_mix(gsl::span<const int32_t> group, gsl::span<const int64_t> plan_quantity,
                                                gsl::span<const int64_t> plan_revenue,
                                                gsl::span<const int64_t> actual_quantity,
                                                gsl::span<const int64_t> actual_revenue, size_t n_groups) {
  const size_t n = group.size();
  auto same = [n](size_t m, const char* name) {
    if (m != n) fail(errc::invalid_argument, "length mismatch: group has ", n, " elements, ", name, " has ", m);
  };
  same(plan_quantity.size(), "plan_quantity");
  same(plan_revenue.size(), "plan_revenue");
  same(actual_quantity.size(), "actual_quantity");
  same(actual_revenue.size(), "actual_revenue");
  using quotaflow::detail::checked_add;
  using quotaflow::detail::checked_sub;
  std::vector<MixEffects> out(n_groups);
  for (size_t i = 0; i < n; ++i) {
    const int32_t g = group[i];
    if (g < 0 || static_cast<size_t>(g) >= n_groups)
      fail(errc::out_of_range, "group[", i, "] is ", g, "; expected 0..", static_cast<int64_t>(n_groups) - 1);
    auto& e = out[static_cast<size_t>(g)];
    e.plan_quantity = checked_add(e.plan_quantity, plan_quantity[i], "plan_quantity sum");
    e.plan_revenue = checked_add(e.plan_revenue, plan_revenue[i], "plan_revenue sum");
    e.actual_quantity = checked_add(e.actual_quantity, actual_quantity[i], "actual_quantity sum");
    e.actual_revenue = checked_add(e.actual_revenue, actual_revenue[i], "actual_revenue sum");
    const int64_t at_plan_price =
        plan_quantity[i] == 0 ? actual_revenue[i]
                              : detail::scale_round(actual_quantity[i], plan_revenue[i], plan_quantity[i], "price effect");
    e.price = checked_add(e.price, checked_sub(actual_revenue[i], at_plan_price, "price effect"), "price effect");
  }
  for (auto& e : out) {
    e.gap = checked_sub(e.actual_revenue, e.plan_revenue, "revenue gap");
    const int64_t rest = checked_sub(e.gap, e.price, "revenue gap");
    if (e.plan_quantity == 0) {
      e.volume = rest;
    } else {
      const int64_t dq = checked_sub(e.actual_quantity, e.plan_quantity, "quantity difference");
      e.volume = detail::scale_round(dq, e.plan_revenue, e.plan_quantity, "volume effect");
    }
    e.mix = checked_sub(rest, e.volume, "mix effect");
  }
  return out;
}

}  // namespace quotaflow::monitor
