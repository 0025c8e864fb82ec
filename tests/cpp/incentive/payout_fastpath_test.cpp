// The payout run's optimised paths against simple references, on seeded random inputs, so an
// optimisation cannot silently change a result or an error:
// - crediting (prefetched blocks, inline day lookup) against a per-line loop in this file, with
//   splits apportioned one sale at a time and roll-up by walking each person's managers;
// - the error of a bad input is the one adding the sales in order gives, across prefetch blocks;
// - the component fast path (cells whose lines are not kept) against the general loop (cells
//   whose lines are kept): every statement field equal, errors equal;
// - the reciprocal division by 10^9 against the / operator.
#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "quotaflow/incentive/payout.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::incentive;

namespace {
Date D(const char* s) { return date_from_string(s); }

struct Random {
  std::mt19937_64 g;
  explicit Random(uint64_t seed) : g(seed) {}
  int64_t i(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(g); }
};

// Columns of a random sales force: sales (some split), quotas, managers, hires, plan changes,
// KPI scores, adjustments and clawbacks.
struct Data {
  size_t people = 0;
  std::vector<int32_t> seller, sp_person, qperson, manager, aperson, aplan, sperson, skpi, adjp;
  std::vector<Date> date, qfrom, hired, afrom, sdate, adjd, cdate;
  std::vector<int64_t> amount, sp_sale, qamount, adja, csale, camount;
  std::vector<double> sp_share, sval;
  std::vector<std::string> kpis{"nps"}, reasons;

  Sales sales() const { return {seller, date, amount, sp_sale, sp_person, sp_share}; }
  // One aggregate initialisation: every column at once, in the declaration order of PayoutInput.
  PayoutInput input(bool rollup) const {
    return PayoutInput{.people = people, .names = {}, .manager = manager, .rollup = rollup, .hired = hired, .left = {},
                       .sales = sales(), .quota_person = qperson, .quota_from = qfrom, .quota_amount = qamount,
                       .assign_person = aperson, .assign_from = afrom, .assign_plan = aplan, .kpi_names = kpis,
                       .score_person = sperson, .score_date = sdate, .score_kpi = skpi, .score_value = sval,
                       .adjust_person = adjp, .adjust_date = adjd, .adjust_amount = adja, .adjust_reason = reasons,
                       .clawback_sale = csale, .clawback_date = cdate, .clawback_amount = camount};
  }
};

// `sales` sales over 2026 by `people` people, about one in five split 2..4 ways; with `huge`,
// amounts up to 4e15 so rate products leave int64 (the 128-bit paths).
Data sales_force(Random& rnd, size_t people, size_t sales, bool huge) {
  Data d;
  d.people = people;
  const Date jan1 = D("2026-01-01");
  for (size_t i = 0; i < sales; ++i) {
    d.seller.push_back(static_cast<int32_t>(rnd.i(0, static_cast<int64_t>(people) - 1)));
    d.date.push_back(jan1 + static_cast<Date>(rnd.i(0, 364)));
    d.amount.push_back(huge ? rnd.i(1, 4'000'000'000'000'000) : rnd.i(1, 3'000'000));
    if (rnd.i(0, 4) == 0) {
      const auto k = static_cast<size_t>(rnd.i(2, 4));
      std::vector<double> w(k);
      double total = 0;
      for (double& x : w) total += x = static_cast<double>(rnd.i(1, 7));
      double rest = 1;
      for (size_t j = 0; j < k; ++j) {
        d.sp_sale.push_back(static_cast<int64_t>(i));
        d.sp_person.push_back(static_cast<int32_t>(rnd.i(0, static_cast<int64_t>(people) - 1)));
        d.sp_share.push_back(j + 1 < k ? w[j] / total : rest);
        rest -= d.sp_share.back();
      }
    }
  }
  for (size_t r = 0; r < people; ++r) {
    const auto who = static_cast<int32_t>(r);
    d.manager.push_back(r == 0 ? -1 : static_cast<int32_t>(rnd.i(0, static_cast<int64_t>(r) - 1)));
    d.hired.push_back(rnd.i(0, 5) == 0 ? jan1 + static_cast<Date>(rnd.i(0, 300)) : jan1);
    d.qperson.push_back(who);
    d.qfrom.push_back(jan1);
    d.qamount.push_back(rnd.i(0, 199) == 0 ? 0 : rnd.i(1, 20'000'000));  // 0: the tiers' error
    if (rnd.i(0, 3) == 0) {  // a quota change mid-year, often mid-month
      d.qperson.push_back(who);
      d.qfrom.push_back(jan1 + static_cast<Date>(rnd.i(1, 364)));
      d.qamount.push_back(rnd.i(1, 20'000'000));
    }
    d.aperson.push_back(who);
    d.afrom.push_back(jan1);
    d.aplan.push_back(static_cast<int32_t>(rnd.i(0, 1)));
    if (rnd.i(0, 3) == 0) {  // a plan change mid-year: two segments in that month
      d.aperson.push_back(who);
      d.afrom.push_back(jan1 + static_cast<Date>(rnd.i(1, 364)));
      d.aplan.push_back(static_cast<int32_t>(rnd.i(0, 1)));
    }
    if (rnd.i(0, 2) == 0) {
      d.sperson.push_back(who);
      d.sdate.push_back(jan1 + static_cast<Date>(rnd.i(0, 364)));
      d.skpi.push_back(0);
      d.sval.push_back(static_cast<double>(rnd.i(0, 100)));
    }
    if (rnd.i(0, 4) == 0) {
      d.adjp.push_back(who);
      d.adjd.push_back(jan1 + static_cast<Date>(rnd.i(0, 364)));
      d.adja.push_back(rnd.i(-50'000, 50'000));
      d.reasons.push_back("spiff " + std::to_string(r));
    }
  }
  for (size_t k = 0; k < sales / 20; ++k) {
    const auto s = static_cast<size_t>(rnd.i(0, static_cast<int64_t>(sales) - 1));
    d.csale.push_back(static_cast<int64_t>(s));
    d.cdate.push_back(std::min<Date>(d.date[s] + static_cast<Date>(rnd.i(0, 60)), D("2026-12-31")));
    d.camount.push_back(rnd.i(1, d.amount[s]));
  }
  return d;
}

PlanSpec random_plan(Random& rnd, const std::string& name, bool bonus) {
  PlanSpec s;
  s.name = name;
  const int nc = static_cast<int>(rnd.i(1, 5));
  for (int k = 0; k < nc; ++k) {
    ComponentSpec c;
    c.name = "c" + std::to_string(k);
    if (bonus && k == nc - 1) {
      c.kind = ComponentKind::bonus;
      c.kpi = "nps";
      c.steps = {{50, rnd.i(0, 90'000)}, {80, rnd.i(90'000, 200'000)}};
    } else {
      c.method = rnd.i(0, 1) == 0 ? TierMethod::marginal : TierMethod::retroactive;
      double from = 0;
      const int nt = static_cast<int>(rnd.i(1, 5));
      for (int t = 0; t < nt; ++t) {
        c.tiers.push_back({from, static_cast<double>(rnd.i(0, 1000)) / 1000.0});
        from += static_cast<double>(rnd.i(1, 60)) / 100.0;
      }
      if (rnd.i(0, 2) == 0) c.accelerator = Multiplier{1.0 + static_cast<double>(rnd.i(0, 50)) / 100.0, 1.5};
      if (rnd.i(0, 3) == 0) c.decelerator = Multiplier{0.5, 0.5};
    }
    if (rnd.i(0, 2) == 0) c.cap = rnd.i(0, 400'000);
    s.components.push_back(c);
  }
  if (rnd.i(0, 3) == 0) s.cap = rnd.i(0, 1'000'000);
  if (rnd.i(0, 2) == 0) s.draw = {rnd.i(0, 60'000), rnd.i(0, 1) == 1};
  if (rnd.i(0, 4) == 0) s.effective_until = D("2026-01-01") + static_cast<Date>(rnd.i(30, 364));  // a plan ending mid-month
  return s;
}

// The result, or the error message.
struct Outcome {
  std::optional<PayoutResult> result;
  std::string error;
};
Outcome outcome(const std::vector<const Plan*>& plans, const PayoutInput& in, int32_t lines_from, int32_t lines_until) {
  const PayoutOptions opt{.start = D("2026-01-01"), .end = D("2027-01-01"), .lines_from = lines_from, .lines_until = lines_until};
  try {
    return {run_payouts(plans, Calendar(), in, opt), ""};
  } catch (const error& e) {
    return {std::nullopt, e.what()};
  }
}

// Every field but the line range; doubles bit for bit (NaN attainments included).
void expect_same_cells(const PayoutResult& a, const PayoutResult& b, uint64_t seed) {
  ASSERT_EQ(a.cells.size(), b.cells.size());
  for (size_t k = 0; k < a.cells.size(); ++k) {
    const Statement &x = a.cells[k], &y = b.cells[k];
    ASSERT_EQ(x.person, y.person) << "seed " << seed << " cell " << k;
    ASSERT_EQ(x.period, y.period) << "seed " << seed << " cell " << k;
    ASSERT_EQ(x.credit, y.credit) << "seed " << seed << " cell " << k;
    ASSERT_EQ(x.quota, y.quota) << "seed " << seed << " cell " << k;
    ASSERT_EQ(std::bit_cast<uint64_t>(x.attainment), std::bit_cast<uint64_t>(y.attainment)) << "seed " << seed << " cell " << k;
    ASSERT_EQ(std::bit_cast<uint64_t>(x.ytd_attainment), std::bit_cast<uint64_t>(y.ytd_attainment)) << "seed " << seed;
    ASSERT_EQ(x.earnings, y.earnings) << "seed " << seed << " cell " << k;
    ASSERT_EQ(x.draw_balance, y.draw_balance) << "seed " << seed << " cell " << k;
    ASSERT_EQ(x.clawback, y.clawback) << "seed " << seed << " cell " << k;
    ASSERT_EQ(x.payout, y.payout) << "seed " << seed << " cell " << k;
  }
}

// Reference crediting: one sale at a time, a split sale apportioned on its own, roll-up by walking
// each person's chain of managers (not the pass over the hierarchy the library makes).
std::vector<int64_t> reference_credit(const Data& d, const PeriodIndex& pi, bool rollup) {
  const size_t P = pi.size();
  std::vector<int64_t> direct(d.people * P, 0);
  for (size_t i = 0; i < d.seller.size(); ++i) {
    const auto p = static_cast<size_t>(pi.of(d.date[i], "sale_date", i));
    std::vector<double> shares;
    std::vector<int32_t> who;
    for (size_t j = 0; j < d.sp_sale.size(); ++j)
      if (d.sp_sale[j] == static_cast<int64_t>(i)) {
        shares.push_back(d.sp_share[j]);
        who.push_back(d.sp_person[j]);
      }
    if (shares.empty()) {
      direct[static_cast<size_t>(d.seller[i]) * P + p] += d.amount[i];
      continue;
    }
    const std::vector<int64_t> part = apportion(d.amount[i], shares);
    for (size_t k = 0; k < who.size(); ++k) direct[static_cast<size_t>(who[k]) * P + p] += part[k];
  }
  if (!rollup) return direct;
  std::vector<int64_t> out(direct.size(), 0);
  for (size_t v = 0; v < d.people; ++v)
    for (int32_t m = static_cast<int32_t>(v); m >= 0; m = d.manager[static_cast<size_t>(m)])
      for (size_t p = 0; p < P; ++p) out[static_cast<size_t>(m) * P + p] += direct[v * P + p];
  return out;
}
}  // namespace

TEST(IncentiveFastPath, CreditingEqualsPerSaleReference) {
  const Calendar cal;
  const PeriodIndex pi(cal, D("2026-01-01"), D("2027-01-01"), Grain::month);
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    Random rnd(seed);
    const auto people = static_cast<size_t>(rnd.i(1, 300));
    const auto n = static_cast<size_t>(rnd.i(0, 3000));  // block boundaries of 64 and partial last blocks
    Data d = sales_force(rnd, people, n, false);
    if (seed % 3 == 0) {  // the no-split loop
      d.sp_sale.clear();
      d.sp_person.clear();
      d.sp_share.clear();
    }
    for (bool rollup : {false, true}) {
      std::vector<int64_t> got(people * pi.size(), 0);
      credit_sales(d.sales(), people, pi, rollup ? gsl::span<const int32_t>(d.manager) : gsl::span<const int32_t>{}, got);
      ASSERT_EQ(got, reference_credit(d, pi, rollup)) << "seed " << seed << " rollup " << rollup;
    }
  }
  // Adds to what `out` holds.
  Data d;
  d.people = 2;
  d.seller = {1, 1, 0};
  d.date = {D("2026-02-03"), D("2026-02-27"), D("2026-12-31")};
  d.amount = {5, 7, 11};
  std::vector<int64_t> out(2 * 12, 100);
  credit_sales(d.sales(), 2, pi, {}, out);
  EXPECT_EQ(out[1 * 12 + 1], 112);
  EXPECT_EQ(out[0 * 12 + 11], 111);
  EXPECT_EQ(out[0], 100);
}

TEST(IncentiveFastPath, CreditingErrorsAreThoseOfSaleOrder) {
  // 200 sales of 1 by person 0 in January; one run of one period. The checks of a block of 64
  // run before its adds, and the next block's checks run early (with its prefetches): the error
  // must still be the first one met adding block by block in order.
  const Calendar cal;
  const PeriodIndex pi(cal, D("2026-01-01"), D("2026-02-01"), Grain::month);
  auto make = [] {
    Data d;
    d.people = 2;
    d.seller.assign(200, 0);
    d.date.assign(200, D("2026-01-15"));
    d.amount.assign(200, 1);
    return d;
  };
  const int64_t big = std::numeric_limits<int64_t>::max();
  std::vector<int64_t> out(2);
  {  // overflow at sale 70 (block 64..127) before a bad seller at sale 130 (block 128..191)
    Data d = make();
    d.amount[70] = big;
    d.seller[130] = 5;
    EXPECT_QF_ERROR(credit_sales(d.sales(), 2, pi, {}, out), errc::overflow, "credit overflows int64: 70 + 9223372036854775807");
  }
  {  // the same block: its checks come first, so the bad seller at 120 wins over the overflow at 100
    Data d = make();
    d.amount[100] = big;
    d.seller[120] = -1;
    std::fill(out.begin(), out.end(), 0);
    EXPECT_QF_ERROR(credit_sales(d.sales(), 2, pi, {}, out), errc::not_found, "sale_seller[120] is -1; people are 0..1");
  }
  {  // a date outside the run in the last, partial block
    Data d = make();
    d.date[199] = D("2026-02-01");
    std::fill(out.begin(), out.end(), 0);
    EXPECT_QF_ERROR(credit_sales(d.sales(), 2, pi, {}, out), errc::out_of_range,
                    "sale_date[199] is 2026-02-01", "outside the run 2026-01-01..2026-01-31");
  }
  {  // the first sale
    Data d = make();
    d.seller[0] = 2;
    std::fill(out.begin(), out.end(), 0);
    EXPECT_QF_ERROR(credit_sales(d.sales(), 2, pi, {}, out), errc::not_found, "sale_seller[0] is 2; people are 0..1");
  }
}

TEST(IncentiveFastPath, StatementsDoNotDependOnWhichLinesAreKept) {
  // Cells whose lines are kept take the general component loop; the others take the fast path
  // when it applies. Same statements either way, on plans with every feature (two plans, bonus
  // components, caps, plan caps, draws, accelerators, decelerators, plans ending mid-month) and
  // people with hires, mid-month plan and quota changes, adjustments and clawbacks.
  int compared = 0, errors = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    Random rnd(seed * 7919);
    const Plan a(random_plan(rnd, "A", rnd.i(0, 3) == 0)), b(random_plan(rnd, "B", rnd.i(0, 3) == 0));
    const std::vector<const Plan*> plans{&a, &b};
    const bool huge = seed % 6 == 0;
    const Data d = sales_force(rnd, static_cast<size_t>(rnd.i(1, 40)), static_cast<size_t>(rnd.i(0, 900)), huge);
    const PayoutInput in = d.input(seed % 2 == 0);
    const Outcome all = outcome(plans, in, 0, std::numeric_limits<int32_t>::max());
    const Outcome none = outcome(plans, in, 0, 0);
    const Outcome some = outcome(plans, in, 5, 7);
    ASSERT_EQ(all.error, none.error) << "seed " << seed;
    ASSERT_EQ(all.error, some.error) << "seed " << seed;
    if (!all.result) {
      ++errors;
      continue;
    }
    ++compared;
    expect_same_cells(*all.result, *none.result, seed);
    expect_same_cells(*all.result, *some.result, seed);
    EXPECT_TRUE(none.result->lines.empty());
    // The kept lines of June and July are those of the run keeping everything.
    const PayoutResult &x = *all.result, &y = *some.result;
    for (size_t k = 0; k < x.cells.size(); ++k) {
      const Statement &sx = x.cells[k], &sy = y.cells[k];
      if (sy.period < 5 || sy.period >= 7) {
        ASSERT_EQ(sy.line_count, 0u);
        continue;
      }
      ASSERT_EQ(sx.line_count, sy.line_count) << "seed " << seed;
      ASSERT_EQ(0, std::memcmp(&x.lines[sx.first_line], &y.lines[sy.first_line], sx.line_count * sizeof(Line))) << "seed " << seed;
    }
  }
  EXPECT_GE(compared, 40);  // most seeds run; a zero quota under tiers fails, identically
  EXPECT_GE(compared + errors, 60);
}

TEST(IncentiveFastPath, FastPathHandWorked) {
  // One person, 10,000 quota, 15,000 credit in January; plan: marginal 1% to 100%, then 3%, cap
  // 120; retroactive 2% / 4% from 100%. Marginal: 10,000 x 1% = 100, 5,000 x 3% = 150 -> 250,
  // capped to 120 (a -130 line). Retroactive: 15,000 x 4% = 600. Payout 720, lines kept or not.
  PlanSpec s;
  s.name = "AE";
  ComponentSpec m;
  m.name = "m";
  m.tiers = {{0, 0.01}, {1.0, 0.03}};
  m.cap = 120;
  ComponentSpec r;
  r.name = "r";
  r.method = TierMethod::retroactive;
  r.tiers = {{0, 0.02}, {1.0, 0.04}};
  s.components = {m, r};
  const Plan plan(s);
  Data d;
  d.people = 1;
  d.seller = {0};
  d.date = {D("2026-01-20")};
  d.amount = {15'000};
  d.qperson = {0};
  d.qfrom = {D("2026-01-01")};
  d.qamount = {10'000};
  d.kpis.clear();
  for (int32_t until : {0, 12}) {
    const PayoutResult res =
        run_payouts(plan, Calendar(), d.input(false), {.start = D("2026-01-01"), .end = D("2027-01-01"), .lines_until = until});
    EXPECT_EQ(res.cells[0].payout, 720);
    EXPECT_EQ(res.cells[0].earnings, 720);
    EXPECT_EQ(res.cells[1].payout, 0);
    if (until == 0) continue;
    std::vector<int64_t> amounts;
    for (uint32_t i = 0; i < res.cells[0].line_count; ++i) amounts.push_back(res.lines[res.cells[0].first_line + i].amount);
    EXPECT_EQ(amounts, (std::vector<int64_t>{0, 100, 150, -130, 600}));
  }
}

TEST(IncentiveFastPath, RoundNanoEqualsDivision) {
  auto reference = [](int64_t prod) {
    int64_t q = prod / rate_scale, r = prod % rate_scale;
    if (2 * (r < 0 ? -r : r) >= rate_scale) q += prod < 0 ? -1 : 1;
    return q;
  };
  const int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  for (int64_t x : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{499'999'999}, int64_t{500'000'000}, int64_t{-500'000'000},
                    int64_t{-499'999'999}, int64_t{1'500'000'000}, int64_t{-1'500'000'000}, int64_t{2'500'000'000}, hi, hi - 1, lo,
                    lo + 1})
    EXPECT_EQ(incentive::detail::round_nano(x), reference(x)) << x;
  EXPECT_EQ(incentive::detail::round_nano(1'500'000'000), 2);
  EXPECT_EQ(incentive::detail::round_nano(-2'500'000'000), -3);
  EXPECT_EQ(incentive::detail::round_nano(2'499'999'999), 2);
  std::mt19937_64 g(2026);
  for (int k = 0; k < 1'000'000; ++k) {
    const auto x = static_cast<int64_t>(g()) >> (g() % 64);
    ASSERT_EQ(incentive::detail::round_nano(x), reference(x)) << x;
    const int64_t half = (x / rate_scale) * rate_scale + (x < 0 ? -500'000'000 : 500'000'000);  // ties
    if ((x < 0) == (half < 0)) {
      ASSERT_EQ(incentive::detail::round_nano(half), reference(half)) << half;
    }
  }
}
