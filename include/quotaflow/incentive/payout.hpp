// The payout run: plans + credits + quotas + KPI scores + adjustments + clawbacks -> statements.
//
// How a cell (person x period) is paid, in order:
//  1. Segments. The period is cut where the person is hired or leaves, where their plan
//     assignment changes, and where a plan's effective range ends. Each segment has a plan and
//     its working days w (business calendar); E = working days employed on a plan, W = working
//     days of the period.
//  2. Quota: the quota in effect on each employed day, weighted by working days: a mid-period
//     quota (or territory) change and a new hire's partial period both prorate the same way,
//     quota = round(sum(amount_i * w_i) / W).
//  3. Each segment evaluates its plan on the whole period's credit and quota, weighted by w / E
//     (commissions and caps) or by w / W (fixed bonuses and draws, which prorate for partial
//     employment). Tier starts are attainments: a tier starting at 1.0 starts at credit = quota.
//     A component over its cap gets a negative component_cap line; the plan cap likewise.
//  4. Clawbacks booked in this period: a clawback event reverses `amount` of a sale's credit
//     (split and rolled up as the sale was) in the period of the event; each credited person
//     gives back the commission earned on it at the sale period's average rate:
//     round(commission(sale period) * reversed / credit(sale period)).
//  5. Draw: with guarantee G = sum of round(draw * w / W): earnings below G are topped up by a
//     draw line; a recoverable top-up adds to the draw balance, which later earnings above G pay
//     back (draw_recovery line) until it is 0.
//  6. Adjustments (rewards positive, penalties negative) dated in the period, with their reason.
// Lines are rounded half away from zero from exact integer arithmetic; the payout is the sum of
// the lines. The same inputs give byte-identical results.
//
// Performance: people are dense ids, credits go in one pass into a people x periods array, and
// cells are evaluated person by person without allocation; lines are kept only for the periods
// in [lines_from, lines_until) so a year of a large sales force can be run with statements
// for the month being paid. The cells whose lines are not kept take a fast path for their
// components (flat tables, branch-free tier walks, see fast_segment) that gives the same numbers
// and, through its fallback to the general loop, the same errors. Measured figures:
// benchmarks/README.md ("Incentive payouts").
//   PayoutResult r = run_payouts(plans, cal, input, {.start = jan1, .end = next_jan1});
//
// Thread rule: pure; plans and calendar are read only.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <tuple>
#include <type_traits>
#include <string>
#include <vector>

#include <gsl/span>

#include "quotaflow/incentive/crediting.hpp"
#include "quotaflow/incentive/plan.hpp"
#include "quotaflow/incentive/statement.hpp"

namespace quotaflow::incentive {

struct PayoutInput {
  size_t people = 0;
  gsl::span<const std::string> names;  // optional, for messages
  gsl::span<const int32_t> manager;    // parent per person (-1 = none); used when rollup
  bool rollup = false;
  gsl::span<const Date> hired;  // first day employed, per person (empty: everyone from the start)
  gsl::span<const Date> left;   // first day no longer employed (empty: nobody leaves)
  Sales sales;
  // Quotas per period, effective from a date until the person's next quota row.
  gsl::span<const int32_t> quota_person;
  gsl::span<const Date> quota_from;
  gsl::span<const int64_t> quota_amount;
  // Plan assignments, effective from a date (empty: everyone on plans[0]).
  gsl::span<const int32_t> assign_person;
  gsl::span<const Date> assign_from;
  gsl::span<const int32_t> assign_plan;
  // KPI scores, one per person, KPI and period (any date in the period names it).
  gsl::span<const std::string> kpi_names;
  gsl::span<const int32_t> score_person;
  gsl::span<const Date> score_date;
  gsl::span<const int32_t> score_kpi;
  gsl::span<const double> score_value;
  // Adjustments: rewards and penalties with a reason.
  gsl::span<const int32_t> adjust_person;
  gsl::span<const Date> adjust_date;
  gsl::span<const int64_t> adjust_amount;
  gsl::span<const std::string> adjust_reason;
  // Clawbacks: reverse `amount` of sale `sale`'s credit as of `date`.
  gsl::span<const int64_t> clawback_sale;
  gsl::span<const Date> clawback_date;
  gsl::span<const int64_t> clawback_amount;
};

struct PayoutOptions {
  Date start = 0;
  Date end = 0;
  Grain grain = Grain::month;
  int32_t lines_from = 0;  // periods whose statement lines are kept: [lines_from, lines_until)
  int32_t lines_until = std::numeric_limits<int32_t>::max();
};

namespace detail {
using quotaflow::detail::checked_add;

// Rows grouped by person (CSR), each person's rows sorted by date then row.
struct ByPerson {
  std::vector<uint32_t> offset, row;
  ByPerson(gsl::span<const int32_t> person, gsl::span<const Date> date, size_t people, const char* pname, const char* dname) {
    if (date.size() != person.size())
      fail(errc::invalid_argument, pname, " has ", person.size(), " rows but ", dname, " has ", date.size());
    if (person.size() > UINT32_MAX) fail(errc::out_of_range, pname, " has more than 2^32-1 rows");
    offset.assign(people + 1, 0);
    for (size_t i = 0; i < person.size(); ++i) {
      check_person(person[i], people, pname, i);
      check_date(date[i], std::string(dname) + "[" + std::to_string(i) + "]");
      ++offset[static_cast<size_t>(person[i]) + 1];
    }
    for (size_t p = 0; p < people; ++p) offset[p + 1] += offset[p];
    row.resize(person.size());
    std::vector<uint32_t> next(offset.begin(), offset.end() - 1);
    for (size_t i = 0; i < person.size(); ++i) row[next[static_cast<size_t>(person[i])]++] = static_cast<uint32_t>(i);
    for (size_t p = 0; p < people; ++p)
      std::stable_sort(row.begin() + offset[p], row.begin() + offset[p + 1],
                       [&](uint32_t a, uint32_t b) { return date[a] < date[b]; });
  }
  [[nodiscard]] gsl::span<const uint32_t> of(size_t p) const { return {row.data() + offset[p], offset[p + 1] - offset[p]}; }
  // Two rows of one person on one date are an error (which one would apply?).
  void unique_dates(gsl::span<const Date> date, const char* dname) const {
    for (size_t p = 0; p + 1 < offset.size(); ++p)
      for (uint32_t k = offset[p] + 1; k < offset[p + 1]; ++k)
        if (date[row[k]] == date[row[k - 1]])
          fail(errc::invalid_argument, dname, "[", row[k], "] repeats ", dname, "[", row[k - 1], "] (",
               date_to_string(date[row[k]]), ") for person ", p);
  }
};

// x / den rounded half away from zero (den > 0), in int64.
[[gnu::always_inline]] inline int64_t div_round64(int64_t x, int64_t den) {
  int64_t q = x / den, r = x % den;
  if ((r < 0 ? -r : r) >= den - (r < 0 ? -r : r)) q += x < 0 ? -1 : 1;
  return q;
}
// div_round with the int64 division when num fits (the 128-bit one is a library call).
[[gnu::always_inline]] inline int64_t div_round_fit(i128 num, int64_t den, const char* what) {
  if (num >= INT64_MIN && num <= INT64_MAX) return div_round64(static_cast<int64_t>(num), den);
  return div_round(num, den, what);
}
// x * num / den rounded half away from zero (den > 0), with an int64 fast path. num == den (a
// whole period) is x exactly, whatever the path, so it returns x without dividing.
[[gnu::always_inline]] inline int64_t mul_div(int64_t x, int64_t num, int64_t den, const char* what) {
  if (num == den) return x;
  int64_t prod;
  if (!__builtin_mul_overflow(x, num, &prod)) return div_round64(prod, den);
  return div_round(i128{x} * num, den, what);
}
// prod / rate_scale rounded half away from zero. The quotient is taken by multiplying with the
// reciprocal (what a compiler emits for a constant divisor): written out, because inside the large
// evaluation loop GCC 12 kept a 64-bit idiv here (about 40 cycles, tens of millions per run).
static_assert(rate_scale == 1'000'000'000);
__extension__ typedef unsigned __int128 u128;
[[gnu::always_inline]] inline int64_t round_nano(int64_t prod) {
  const uint64_t a = prod < 0 ? 0 - static_cast<uint64_t>(prod) : static_cast<uint64_t>(prod);
  // floor(a / 10^9) = ((a >> 9) * ceil(2^75 / 5^9)) >> 75 for every uint64 a (GCC's own sequence
  // for / 10^9; the seeded test compares it with / on edge and random values).
  uint64_t q = static_cast<uint64_t>((static_cast<u128>(a >> 9) * 19342813113834067ULL) >> 75);
  const uint64_t r = a - q * 1'000'000'000ULL;
  q += 2 * r >= 1'000'000'000ULL ? 1 : 0;
  return prod < 0 ? -static_cast<int64_t>(q) : static_cast<int64_t>(q);
}
// x * nano / rate_scale rounded half away from zero (this runs for every tier of every cell).
[[gnu::always_inline]] inline int64_t scale_nano(int64_t x, int64_t nano, const char* what) {
  int64_t prod;
  if (!__builtin_mul_overflow(x, nano, &prod)) return round_nano(prod);
  return div_round(i128{x} * nano, rate_scale, what);
}
// x * rate * w / (rate_scale * e)
[[gnu::always_inline]] inline int64_t rate_amount(int64_t x, int64_t rate, int32_t w, int32_t e) {
  if (w == e) return scale_nano(x, rate, "commission amount");
  return div_round(i128{x} * rate * w, i128{rate_scale} * e, "commission amount");
}

struct Segment {
  int32_t plan, days;
};

struct Claw {
  int32_t person, period, sale_period, sale;
  int64_t credit;
};
}  // namespace detail

inline PayoutResult run_payouts(gsl::span<const Plan* const> plans, const Calendar& cal, const PayoutInput& in,
                                const PayoutOptions& opt) {
  namespace d = detail;
  if (plans.empty()) fail(errc::invalid_argument, "plans is empty");
  for (size_t i = 0; i < plans.size(); ++i)
    if (plans[i] == nullptr) fail(errc::null_pointer, "plans[", i, "] is NULL");
  if (plans.size() > 32767) fail(errc::out_of_range, "plans has ", plans.size(), " plans; at most 32767");
  const size_t N = in.people;
  if (N > static_cast<size_t>(std::numeric_limits<int32_t>::max() - 1))
    fail(errc::out_of_range, "people is ", N, "; at most 2^31-2");
  auto person_name = [&](size_t r) {
    return r < in.names.size() ? "\"" + in.names[r] + "\"" : "person " + std::to_string(r);
  };
  auto check_len = [](size_t n, size_t want, const char* what, const char* of) {
    if (n != 0 && n != want) fail(errc::invalid_argument, what, " has ", n, " rows; expected ", want, " (one per ", of, ")");
  };
  check_len(in.names.size(), N, "names", "person");
  check_len(in.hired.size(), N, "hired", "person");
  check_len(in.left.size(), N, "left", "person");
  if (in.rollup && in.manager.size() != N)
    fail(errc::invalid_argument, "manager has ", in.manager.size(), " rows; roll-up needs one per person (", N, ")");
  const PeriodIndex pi(cal, opt.start, opt.end, opt.grain);
  const size_t P = pi.size();
  const auto& periods = pi.periods();

  PayoutResult res;
  res.periods = periods;
  res.people = N;
  // Credits: one pass into the dense array.
  std::vector<int64_t> credit(N * P, 0);
  credit_sales(in.sales, N, pi, in.rollup ? in.manager : gsl::span<const int32_t>{}, credit);

  // Quotas and assignments, grouped by person.
  if (in.quota_amount.size() != in.quota_person.size())
    fail(errc::invalid_argument, "quota_person has ", in.quota_person.size(), " rows but quota_amount has ", in.quota_amount.size());
  const d::ByPerson quotas(in.quota_person, in.quota_from, N, "quota_person", "quota_from");
  quotas.unique_dates(in.quota_from, "quota_from");
  for (size_t i = 0; i < in.quota_amount.size(); ++i)
    if (in.quota_amount[i] < 0) fail(errc::invalid_argument, "quota_amount[", i, "] is ", in.quota_amount[i], "; it must be >= 0");
  if (in.assign_plan.size() != in.assign_person.size())
    fail(errc::invalid_argument, "assign_person has ", in.assign_person.size(), " rows but assign_plan has ", in.assign_plan.size());
  const d::ByPerson assigns(in.assign_person, in.assign_from, N, "assign_person", "assign_from");
  assigns.unique_dates(in.assign_from, "assign_from");
  for (size_t i = 0; i < in.assign_plan.size(); ++i)
    if (in.assign_plan[i] < 0 || static_cast<size_t>(in.assign_plan[i]) >= plans.size())
      fail(errc::not_found, "assign_plan[", i, "] is ", in.assign_plan[i], "; plans are 0..", plans.size() - 1);
  const bool assigned = !in.assign_person.empty();
  for (size_t r = 0; r < in.hired.size(); ++r) check_date(in.hired[r], "hired[" + std::to_string(r) + "]");
  for (size_t r = 0; r < in.left.size(); ++r) check_date(in.left[r], "left[" + std::to_string(r) + "]");

  // KPI scores: dense per KPI; the plans' bonus components resolved to KPI ids once.
  const size_t K = in.kpi_names.size();
  const size_t ns = in.score_person.size();
  if (in.score_date.size() != ns || in.score_kpi.size() != ns || in.score_value.size() != ns)
    fail(errc::invalid_argument, "score_person has ", ns, " rows but score_date has ", in.score_date.size(), ", score_kpi ",
         in.score_kpi.size(), " and score_value ", in.score_value.size());
  std::vector<double> score(ns == 0 ? 0 : K * N * P, std::numeric_limits<double>::quiet_NaN());
  for (size_t i = 0; i < ns; ++i) {
    d::check_person(in.score_person[i], N, "score_person", i);
    const int32_t k = in.score_kpi[i];
    if (k < 0 || static_cast<size_t>(k) >= K) fail(errc::not_found, "score_kpi[", i, "] is ", k, "; KPIs are 0..", static_cast<int64_t>(K) - 1);
    if (!std::isfinite(in.score_value[i])) fail(errc::invalid_argument, "score_value[", i, "] is ", in.score_value[i]);
    const size_t at = static_cast<size_t>(k) * N * P + static_cast<size_t>(in.score_person[i]) * P +
                      static_cast<size_t>(pi.of(in.score_date[i], "score_date", i));
    if (!std::isnan(score[at]))
      fail(errc::invalid_argument, "score row ", i, " repeats the score of ", person_name(static_cast<size_t>(in.score_person[i])),
           " for KPI \"", in.kpi_names[static_cast<size_t>(k)], "\" in the period of ", date_to_string(in.score_date[i]));
    score[at] = in.score_value[i];
  }
  std::vector<std::vector<int32_t>> bonus_kpi(plans.size());
  for (size_t pl = 0; pl < plans.size(); ++pl) {
    const PlanSpec& spec = plans[pl]->spec();
    bonus_kpi[pl].assign(spec.components.size(), -1);
    for (size_t c = 0; c < spec.components.size(); ++c) {
      if (spec.components[c].kind != ComponentKind::bonus) continue;
      auto it = std::find(in.kpi_names.begin(), in.kpi_names.end(), spec.components[c].kpi);
      if (it == in.kpi_names.end())
        fail(errc::not_found, "plan \"", spec.name, "\" component \"", spec.components[c].name, "\" pays on KPI \"",
             spec.components[c].kpi, "\", which is not in kpi_names");
      bonus_kpi[pl][c] = static_cast<int32_t>(it - in.kpi_names.begin());
    }
  }

  // Adjustments.
  const size_t na = in.adjust_person.size();
  if (in.adjust_amount.size() != na || in.adjust_reason.size() != na)
    fail(errc::invalid_argument, "adjust_person has ", na, " rows but adjust_amount has ", in.adjust_amount.size(),
         " and adjust_reason ", in.adjust_reason.size());
  const d::ByPerson adjusts(in.adjust_person, in.adjust_date, N, "adjust_person", "adjust_date");
  for (size_t i = 0; i < na; ++i) {
    (void)pi.of(in.adjust_date[i], "adjust_date", i);
    if (in.adjust_reason[i].empty()) fail(errc::invalid_argument, "adjust_reason[", i, "] is empty; an adjustment needs a reason");
  }
  res.reasons.assign(in.adjust_reason.begin(), in.adjust_reason.end());

  // Clawbacks: expanded to every credited person (and their managers with roll-up).
  const size_t nc = in.clawback_sale.size();
  if (in.clawback_date.size() != nc || in.clawback_amount.size() != nc)
    fail(errc::invalid_argument, "clawback_sale has ", nc, " rows but clawback_date has ", in.clawback_date.size(),
         " and clawback_amount ", in.clawback_amount.size());
  std::vector<d::Claw> claws;
  {
    std::vector<int64_t> scratch;
    for (size_t i = 0; i < nc; ++i) {
      const int64_t s = in.clawback_sale[i];
      if (s < 0 || static_cast<size_t>(s) >= in.sales.seller.size())
        fail(errc::not_found, "clawback_sale[", i, "] is ", s, "; sales are 0..", static_cast<int64_t>(in.sales.seller.size()) - 1);
      if (s > std::numeric_limits<int32_t>::max()) fail(errc::out_of_range, "clawback_sale[", i, "] is ", s, "; at most 2^31-1");
      const auto su = static_cast<size_t>(s);
      const int32_t q = pi.of(in.clawback_date[i], "clawback_date", i);
      const int32_t p = pi.of(in.sales.date[su], "sale_date", su);
      if (in.clawback_date[i] < in.sales.date[su])
        fail(errc::invalid_argument, "clawback_date[", i, "] is ", date_to_string(in.clawback_date[i]), ", before its sale's date ",
             date_to_string(in.sales.date[su]));
      const int64_t amt = in.clawback_amount[i];
      if (amt <= 0 || amt > in.sales.amount[su])
        fail(errc::invalid_argument, "clawback_amount[", i, "] is ", amt, "; it must be in 1..", in.sales.amount[su],
             " (the amount of sale ", s, ")");
      for_each_credit(in.sales, su, amt, first_split(in.sales, su), scratch, [&](int32_t r, int64_t c) {
        for (int32_t who = r; who >= 0; who = in.rollup ? in.manager[static_cast<size_t>(who)] : -1)
          claws.push_back({who, q, p, static_cast<int32_t>(s), c});
      });
    }
    std::sort(claws.begin(), claws.end(), [](const d::Claw& a, const d::Claw& b) {
      return std::tie(a.person, a.period, a.sale) < std::tie(b.person, b.period, b.sale);
    });
  }

  // Tier thresholds depend only on the cell's quota and the tier's start, and the components of a
  // plan mostly share their starts (here 10 components x 4 tiers have 5 distinct starts). So each
  // distinct start of a plan gets a slot, and a threshold is scaled once per segment and slot,
  // memoised on first use: a threshold that overflows still fails exactly where it is first needed.
  std::vector<std::vector<std::vector<uint32_t>>> thr_slot(plans.size());  // [plan][component][tier]
  std::vector<std::vector<int64_t>> thr_start(plans.size());               // [plan][slot]: the tier start
  size_t slots = 0;
  for (size_t pl = 0; pl < plans.size(); ++pl) {
    std::vector<int64_t>& starts = thr_start[pl];
    for (size_t c = 0; c < plans[pl]->size(); ++c) {
      std::vector<uint32_t> slot;
      for (const CompiledTier& t : plans[pl]->component(c).tiers) {
        const auto it = std::find(starts.begin(), starts.end(), t.from_nano);
        slot.push_back(static_cast<uint32_t>(it - starts.begin()));
        if (it == starts.end()) starts.push_back(t.from_nano);
      }
      thr_slot[pl].push_back(std::move(slot));
    }
    slots = std::max(slots, starts.size());
  }
  std::vector<int64_t> thr_value(slots);
  std::vector<uint64_t> thr_stamp(slots, 0);
  uint64_t stamp = 0;

  // The component loop of a segment, for cells whose lines are not kept (11 of 12 in a monthly
  // run with statements for the month being paid): flat per-plan tables, and tier walks without
  // data-dependent exits (credit against random thresholds is a branch mispredicted about half
  // the time) or error paths. The sums are the general loop's: thresholds are non-decreasing
  // (quota >= 0, starts increasing), so the retroactive tier is the count of thresholds reached,
  // and a marginal tier past the credit has part 0, amount 0, and adds 0, where the general loop
  // writes no line. Every addition of the general loop is made in the same order, its overflow
  // only flagged. Returns false, having changed nothing, when it does not apply (a bonus
  // component, attainment tiers with quota <= 0, a threshold or rate product beyond int64) or an
  // addition overflows: the general loop then evaluates the segment and raises the exact error.
  struct FastComponent {
    const CompiledTier* tier;
    const uint32_t* slot;
    size_t tiers;
    bool retroactive, capped;
    int64_t cap;
  };
  std::vector<std::vector<FastComponent>> fast(plans.size());  // empty: the plan has a bonus component
  for (size_t pl = 0; pl < plans.size(); ++pl) {
    const PlanSpec& ps = plans[pl]->spec();
    for (size_t c = 0; c < plans[pl]->size(); ++c) {
      const ComponentSpec& cs = ps.components[c];
      if (cs.kind != ComponentKind::commission) {
        fast[pl].clear();
        break;
      }
      const auto& t = plans[pl]->component(c).tiers;
      fast[pl].push_back({t.data(), thr_slot[pl][c].data(), t.size(), cs.method == TierMethod::retroactive, cs.cap.has_value(),
                          cs.cap.value_or(0)});
    }
  }
  auto fast_segment = [&](size_t pl, int64_t q, int64_t cr, int64_t& total, int64_t& comm, int64_t& seg_total) {
    const auto& fc = fast[pl];
    if (fc.empty()) return false;
    if (q <= 0)
      for (const FastComponent& f : fc)
        if (f.tiers > 1) return false;  // the general loop's error
    if (cr <= 0) return true;           // no commission: every component adds 0
    const auto& starts = thr_start[pl];
    int64_t* thr = thr_value.data();
    for (size_t u = 0; u < starts.size(); ++u) {
      int64_t prod;
      if (__builtin_mul_overflow(q, starts[u], &prod)) return false;
      thr[u] = d::round_nano(prod);  // = scale_nano(q, start)
    }
    bool over = false;
    int64_t tot = total, cm = comm, sum = seg_total;
    for (const FastComponent& f : fc) {
      const CompiledTier* t = f.tier;
      const uint32_t* sl = f.slot;
      const size_t n = f.tiers;
      int64_t ct = 0, prod;
      if (f.retroactive) {
        size_t k = 0;
        for (size_t j = 1; j < n; ++j) k += cr >= thr[sl[j]] ? 1 : 0;
        over |= __builtin_mul_overflow(cr, t[k].rate_nano, &prod);
        ct = d::round_nano(prod);
        over |= __builtin_add_overflow(tot, ct, &tot);
      } else {
        int64_t lo = 0;
        for (size_t k = 0; k < n; ++k) {
          const int64_t hi = k + 1 < n ? thr[sl[k + 1]] : std::numeric_limits<int64_t>::max();
          const int64_t part = std::max<int64_t>(std::min(cr, hi) - lo, 0);
          over |= __builtin_mul_overflow(part, t[k].rate_nano, &prod);
          const int64_t amt = d::round_nano(prod);
          over |= __builtin_add_overflow(ct, amt, &ct);
          over |= __builtin_add_overflow(tot, amt, &tot);
          lo = std::max(lo, hi);
        }
      }
      if (f.capped && ct > f.cap) {  // cap >= 0, so cap - ct does not overflow
        over |= __builtin_add_overflow(tot, f.cap - ct, &tot);
        ct = f.cap;
      }
      over |= __builtin_add_overflow(cm, ct, &cm);
      over |= __builtin_add_overflow(sum, ct, &sum);
    }
    if (over) return false;
    total = tot;
    comm = cm;
    seg_total = sum;
    return true;
  };

  // Evaluation, person by person, period by period. Cells are appended in order (no zero-filled
  // array written twice); a cell's body is instantiated with and without kept lines so the cells
  // not kept (11 of 12 months in a monthly run) carry no line bookkeeping.
  res.cells.reserve(N * P);
  const auto lines_from = static_cast<size_t>(std::max(opt.lines_from, 0));
  const size_t lines_until = static_cast<size_t>(std::max(opt.lines_until, 0));
  std::vector<d::Segment> segs;
  std::vector<int64_t> commission(P);
  size_t claw_at = 0;
  const Date never = max_supported_date + 1;
  for (size_t r = 0; r < N; ++r) {
    const Date hired = in.hired.empty() ? min_supported_date : in.hired[r];
    const Date left = in.left.empty() ? never : in.left[r];
    const auto qrows = quotas.of(r);
    const auto arows = assigns.of(r);
    const auto adj = adjusts.of(r);
    size_t adj_at = 0;
    int64_t balance = 0, cum_credit = 0, cum_quota = 0;
    for (size_t p = 0; p < P; ++p) {
      auto period_body = [&](auto keep_lines) {
        constexpr bool keep = decltype(keep_lines)::value;
        const Period& per = periods[p];
        const size_t cell = r * P + p;
        Statement& st = res.cells.emplace_back();
        st.person = static_cast<int32_t>(r);
        st.period = static_cast<int32_t>(p);
        st.credit = credit[cell];
        if (keep) st.first_line = res.lines.size();
        int64_t total = 0;
        auto line = [&](LineKind kind, int64_t base, int64_t rate, int64_t amount, int32_t ref, int32_t comp, int32_t tier) {
          total = d::checked_add(total, amount, "payout");
          if constexpr (keep)
            res.lines.push_back({base, rate, amount, ref, static_cast<int16_t>(comp), kind, static_cast<int8_t>(tier)});
        };
        line(LineKind::credit, st.credit, 0, 0, -1, -1, -1);
        const int32_t W = per.working_days;
        const Date a = std::max(per.start, hired), b = std::min(per.end, left);
        // 1. segments
        segs.clear();
        int32_t E = 0;
        if (a < b) {
          size_t k = 0;
          int32_t plan = assigned ? -1 : 0;
          for (; k < arows.size() && in.assign_from[arows[k]] <= a; ++k) plan = in.assign_plan[arows[k]];
          for (Date x = a; x < b;) {
            const Date y = k < arows.size() ? std::min(b, in.assign_from[arows[k]]) : b;
            if (plan >= 0) {
              const PlanSpec& ps = plans[static_cast<size_t>(plan)]->spec();
              const Date xa = std::max(x, ps.effective_from), yb = std::min(y, ps.effective_until);
              const int32_t w = xa < yb ? cal.working_days(xa, yb) : 0;
              if (w > 0) {
                if (!segs.empty() && segs.back().plan == plan) segs.back().days += w;
                else segs.push_back({plan, w});
                E += w;
              }
            }
            x = y;
            if (k < arows.size() && in.assign_from[arows[k]] <= x) plan = in.assign_plan[arows[k++]];
          }
        }
        // 2. quota
        {
          d::i128 num = 0;
          if (a < b) {
            size_t k = 0;
            int64_t amount = 0;
            for (; k < qrows.size() && in.quota_from[qrows[k]] <= a; ++k) amount = in.quota_amount[qrows[k]];
            for (Date x = a; x < b;) {
              const Date y = k < qrows.size() ? std::min(b, in.quota_from[qrows[k]]) : b;
              if (amount != 0) num += d::i128{amount} * (y - x == per.end - per.start ? W : cal.working_days(x, y));
              x = y;
              if (k < qrows.size() && in.quota_from[qrows[k]] <= x) amount = in.quota_amount[qrows[k++]];
            }
          }
          st.quota = d::div_round_fit(num, W, "prorated quota");
        }
        // 3. plan components per segment
        int64_t earned = 0, comm = 0, guarantee = 0;
        bool recoverable = false;
        for (const d::Segment& sg : segs) {
          const Plan& plan = *plans[static_cast<size_t>(sg.plan)];
          const auto& plan_slots = thr_slot[static_cast<size_t>(sg.plan)];
          ++stamp;
          const PlanSpec& ps = plan.spec();
          const int32_t w = sg.days;
          int64_t seg_total = 0;
          // The general loop: kept lines, partial segments, and whatever the fast path declines.
          const bool done =
              !keep && w == E && fast_segment(static_cast<size_t>(sg.plan), st.quota, st.credit, total, comm, seg_total);
          for (size_t c = 0; c < plan.size() && !done; ++c) {
            const CompiledComponent& cc = plan.component(c);
            const ComponentSpec& cs = ps.components[c];
            const auto ci = static_cast<int32_t>(c);
            int64_t ctotal = 0;
            if (cs.kind == ComponentKind::commission) {
              const auto& t = cc.tiers;
              const int64_t q = st.quota, cr = st.credit;
              if (t.size() > 1 && q <= 0)
                fail(errc::invalid_argument, person_name(r), " has quota ", q, " in period ", date_to_string(per.start), "..",
                     date_to_string(per.end - 1), " but plan \"", ps.name, "\" component \"", cs.name,
                     "\" has attainment tiers; a positive quota is needed");
              const uint32_t* slot = plan_slots[c].data();
              auto threshold = [&](size_t k) {
                const size_t u = slot[k];
                if (thr_stamp[u] != stamp) {
                  thr_value[u] = d::scale_nano(q, t[k].from_nano, "tier threshold");
                  thr_stamp[u] = stamp;
                }
                return thr_value[u];
              };
              if (cr > 0) {
                if (cs.method == TierMethod::retroactive) {
                  size_t k = 0;
                  while (k + 1 < t.size() && cr >= threshold(k + 1)) ++k;
                  const int64_t amt = d::rate_amount(cr, t[k].rate_nano, w, E);
                  ctotal += amt;
                  line(LineKind::commission, cr, t[k].rate_nano, amt, sg.plan, ci, t[k].tier);
                } else {
                  int64_t lo = 0;
                  for (size_t k = 0; k < t.size() && cr > lo; ++k) {
                    const int64_t hi = k + 1 < t.size() ? threshold(k + 1) : std::numeric_limits<int64_t>::max();
                    const int64_t part = std::min(cr, hi) - lo;
                    if (part > 0) {
                      const int64_t amt = d::rate_amount(part, t[k].rate_nano, w, E);
                      ctotal = d::checked_add(ctotal, amt, "commission");
                      line(LineKind::commission, part, t[k].rate_nano, amt, sg.plan, ci, t[k].tier);
                    }
                    lo = std::max(lo, hi);
                  }
                }
              }
            } else {
              const double s = score.empty() ? std::numeric_limits<double>::quiet_NaN()
                                             : score[static_cast<size_t>(bonus_kpi[static_cast<size_t>(sg.plan)][c]) * N * P + cell];
              if (!std::isnan(s)) {
                int32_t reached = -1;
                for (size_t k = 0; k < cc.steps.size() && s >= cc.steps[k].score; ++k) reached = static_cast<int32_t>(k);
                if (reached >= 0) {
                  const int64_t amt = d::mul_div(cc.steps[static_cast<size_t>(reached)].amount, w, W, "bonus");
                  ctotal += amt;
                  line(LineKind::bonus, std::llround(s * 1000.0), 0, amt, sg.plan, ci, reached);
                }
              }
            }
            if (cs.cap) {
              const int64_t cap = d::mul_div(*cs.cap, w, E, "component cap");
              if (ctotal > cap) {
                line(LineKind::component_cap, ctotal, 0, cap - ctotal, sg.plan, ci, -1);
                ctotal = cap;
              }
            }
            if (cs.kind == ComponentKind::commission) comm = d::checked_add(comm, ctotal, "commission");
            seg_total = d::checked_add(seg_total, ctotal, "earnings");
          }
          if (ps.cap) {
            const int64_t cap = d::mul_div(*ps.cap, w, E, "plan cap");
            if (seg_total > cap) {
              line(LineKind::plan_cap, seg_total, 0, cap - seg_total, sg.plan, -1, -1);
              seg_total = cap;
            }
          }
          earned = d::checked_add(earned, seg_total, "earnings");
          guarantee = d::checked_add(guarantee, d::mul_div(ps.draw.amount, w, W, "draw"), "draw");
          recoverable = ps.draw.recoverable;
        }
        commission[p] = comm;
        // 4. clawbacks booked in this period
        while (claw_at < claws.size() && claws[claw_at].person == static_cast<int32_t>(r) &&
               claws[claw_at].period == static_cast<int32_t>(p)) {
          const d::Claw& cw = claws[claw_at++];
          const size_t sp = static_cast<size_t>(cw.sale_period);
          const int64_t base = credit[r * P + sp];
          const int64_t amt = base > 0 ? -d::div_round(d::i128{commission[sp]} * cw.credit, base, "clawback") : 0;
          st.clawback = d::checked_add(st.clawback, amt, "clawback");
          earned = d::checked_add(earned, amt, "earnings");
          line(LineKind::clawback, -cw.credit, 0, amt, cw.sale, -1, -1);
        }
        st.earnings = earned;
        // 5. draw
        if (guarantee > 0 && earned < guarantee) {
          const int64_t top = guarantee - earned;
          line(LineKind::draw, guarantee, 0, top, segs.empty() ? -1 : segs.back().plan, -1, -1);
          if (recoverable) balance = d::checked_add(balance, top, "draw balance");
        } else if (balance > 0) {
          const int64_t rec = std::min(balance, earned - guarantee);
          if (rec > 0) {
            line(LineKind::draw_recovery, balance, 0, -rec, segs.empty() ? -1 : segs.back().plan, -1, -1);
            balance -= rec;
          }
        }
        st.draw_balance = balance;
        // 6. adjustments
        while (adj_at < adj.size() && in.adjust_date[adj[adj_at]] < per.end) {
          const uint32_t i = adj[adj_at++];
          line(LineKind::adjustment, 0, 0, in.adjust_amount[i], static_cast<int32_t>(i), -1, -1);
        }
        st.payout = total;
        if (keep) st.line_count = static_cast<uint32_t>(res.lines.size() - st.first_line);
        else st.first_line = res.lines.size();
        cum_credit = d::checked_add(cum_credit, st.credit, "credit to date");
        cum_quota = d::checked_add(cum_quota, st.quota, "quota to date");
        const double nan = std::numeric_limits<double>::quiet_NaN();
        st.attainment = st.quota > 0 ? static_cast<double>(st.credit) / static_cast<double>(st.quota) : nan;
        st.ytd_attainment = cum_quota > 0 ? static_cast<double>(cum_credit) / static_cast<double>(cum_quota) : nan;
      };
      if (p >= lines_from && p < lines_until) period_body(std::true_type{});
      else period_body(std::false_type{});
    }
  }
  return res;
}

// One plan, everyone on it.
inline PayoutResult run_payouts(const Plan& plan, const Calendar& cal, const PayoutInput& in, const PayoutOptions& opt) {
  const Plan* p = &plan;
  return run_payouts(gsl::span<const Plan* const>(&p, 1), cal, in, opt);
}

}  // namespace quotaflow::incentive
