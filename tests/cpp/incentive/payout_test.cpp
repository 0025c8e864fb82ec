// Payout run: hand-worked statements (tiers, accelerators, caps, draws, clawbacks, splits,
// proration), seeded properties, and bad input.
#include <gtest/gtest.h>

#include <random>

#include "quotaflow/incentive/payout.hpp"
#include "incentive/plan_fixtures.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::incentive;
using qf_test::commission;

namespace {
Date D(const char* s) { return date_from_string(s); }

Plan plan_of(ComponentSpec c, std::optional<int64_t> cap = {}, DrawSpec draw = {}) {
  PlanSpec s;
  s.name = "AE";
  s.components.push_back(std::move(c));
  s.cap = cap;
  s.draw = draw;
  return Plan(s);
}

// Owns the columns of a small case.
struct Case {
  size_t people = 1;
  std::vector<int32_t> seller, qperson, manager, sp_person, aperson, aplan, adjp, skpi;
  std::vector<Date> date, qfrom, hired, afrom, adjd, sdate, cdate;
  std::vector<int64_t> amount, qamount, sp_sale, adja, csale, camount;
  std::vector<double> sp_share, sval;
  std::vector<std::string> reasons, kpis;
  std::vector<int32_t> sperson;
  bool rollup = false;
  void sale(int32_t who, const char* d, int64_t a) {
    seller.push_back(who);
    date.push_back(D(d));
    amount.push_back(a);
  }
  void quota(int32_t who, const char* from, int64_t a) {
    qperson.push_back(who);
    qfrom.push_back(D(from));
    qamount.push_back(a);
  }
  PayoutInput input() const {
    PayoutInput in;
    in.people = people;
    in.manager = manager;
    in.rollup = rollup;
    in.hired = hired;
    in.sales = {seller, date, amount, sp_sale, sp_person, sp_share};
    in.quota_person = qperson;
    in.quota_from = qfrom;
    in.quota_amount = qamount;
    in.assign_person = aperson;
    in.assign_from = afrom;
    in.assign_plan = aplan;
    in.kpi_names = kpis;
    in.score_person = sperson;
    in.score_date = sdate;
    in.score_kpi = skpi;
    in.score_value = sval;
    in.adjust_person = adjp;
    in.adjust_date = adjd;
    in.adjust_amount = adja;
    in.adjust_reason = reasons;
    in.clawback_sale = csale;
    in.clawback_date = cdate;
    in.clawback_amount = camount;
    return in;
  }
};

const PayoutOptions Q1{.start = D("2026-01-01"), .end = D("2026-04-01")};

PayoutResult run(const Plan& p, const Case& c, PayoutOptions o = Q1) { return run_payouts(p, Calendar(), c.input(), o); }
PayoutResult run(std::vector<const Plan*> ps, const Case& c, PayoutOptions o = Q1) {
  return run_payouts(ps, Calendar(), c.input(), o);
}

std::vector<int64_t> amounts(const PayoutResult& r, size_t cell) {
  const Statement& s = r.cells[cell];
  std::vector<int64_t> out;
  for (uint32_t i = 0; i < s.line_count; ++i) out.push_back(r.lines[s.first_line + i].amount);
  return out;
}
}  // namespace

TEST(IncentivePayout, MarginalVersusRetroactive) {
  Case c;
  c.sale(0, "2026-01-10", 1'000'000);
  c.sale(0, "2026-01-20", 500'000);
  c.quota(0, "2026-01-01", 1'000'000);
  auto m = run(plan_of(commission({{0, 0.02}, {1, 0.05}})), c);
  EXPECT_EQ(m.cells[0].credit, 1'500'000);
  EXPECT_EQ(m.cells[0].quota, 1'000'000);
  EXPECT_DOUBLE_EQ(m.cells[0].attainment, 1.5);
  // 1,000,000 x 2% + 500,000 x 5%
  EXPECT_EQ(amounts(m, 0), (std::vector<int64_t>{0, 20'000, 25'000}));
  EXPECT_EQ(m.cells[0].payout, 45'000);
  EXPECT_EQ(m.lines[m.cells[0].first_line + 2].base, 500'000);
  EXPECT_EQ(m.lines[m.cells[0].first_line + 2].tier, 1);
  EXPECT_EQ(m.lines[m.cells[0].first_line + 2].rate, 50'000'000);
  auto r = run(plan_of(commission({{0, 0.02}, {1, 0.05}}, TierMethod::retroactive)), c);
  EXPECT_EQ(amounts(r, 0), (std::vector<int64_t>{0, 75'000}));  // 1,500,000 x 5%
  // Just below the tier: 999,999 x 2% = 19,999.98 -> 20,000 (half away from zero)
  c.amount = {999'999, 0};
  EXPECT_EQ(run(plan_of(commission({{0, 0.02}, {1, 0.05}}, TierMethod::retroactive)), c).cells[0].payout, 20'000);
  // Running attainment: Feb quota 1,000,000, no sales -> 999,999 / 2,000,000
  EXPECT_DOUBLE_EQ(run(plan_of(commission({{0, 0.02}})), c).cells[1].ytd_attainment, 999'999.0 / 2'000'000.0);
}

TEST(IncentivePayout, AcceleratorAndDecelerator) {
  ComponentSpec cs = commission({{0, 0.04}});
  cs.accelerator = Multiplier{1.0, 1.5};
  cs.decelerator = Multiplier{0.5, 0.5};
  Case c;
  c.sale(0, "2026-01-10", 1'200'000);
  c.sale(0, "2026-02-10", 400'000);
  c.quota(0, "2026-01-01", 1'000'000);
  auto r = run(plan_of(cs), c);
  // Jan (marginal): 500,000 x 2% + 500,000 x 4% + 200,000 x 6% = 42,000.
  // Feb: 400,000 x 2% = 8,000 (all below 50%)
  EXPECT_EQ(amounts(r, 0), (std::vector<int64_t>{0, 10'000, 20'000, 12'000}));
  EXPECT_EQ(r.cells[1].payout, 8'000);
}

TEST(IncentivePayout, CapsAreExplicitNegativeLines) {
  Case c;
  c.sale(0, "2026-01-10", 1'500'000);
  c.quota(0, "2026-01-01", 1'000'000);
  ComponentSpec cs = commission({{0, 0.02}, {1, 0.05}});
  cs.cap = 30'000;
  auto r = run(plan_of(cs), c);
  EXPECT_EQ(amounts(r, 0), (std::vector<int64_t>{0, 20'000, 25'000, -15'000}));
  EXPECT_EQ(r.lines[r.cells[0].first_line + 3].kind, LineKind::component_cap);
  EXPECT_EQ(r.cells[0].payout, 30'000);
  auto pc = run(plan_of(commission({{0, 0.02}, {1, 0.05}}), 40'000), c);
  EXPECT_EQ(amounts(pc, 0), (std::vector<int64_t>{0, 20'000, 25'000, -5'000}));
  EXPECT_EQ(pc.lines[pc.cells[0].first_line + 3].kind, LineKind::plan_cap);
}

TEST(IncentivePayout, RecoverableDrawIsCarriedAndRecovered) {
  Case c;
  c.sale(0, "2026-01-10", 500'000);    // earns 10,000
  c.sale(0, "2026-02-10", 2'250'000);  // earns 45,000
  c.sale(0, "2026-03-10", 3'000'000);  // earns 60,000
  auto r = run(plan_of(commission({{0, 0.02}}), {}, {30'000, true}), c);
  EXPECT_EQ(amounts(r, 0), (std::vector<int64_t>{0, 10'000, 20'000}));
  EXPECT_EQ(r.cells[0].draw_balance, 20'000);
  EXPECT_EQ(amounts(r, 1), (std::vector<int64_t>{0, 45'000, -15'000}));
  EXPECT_EQ(r.cells[1].draw_balance, 5'000);
  EXPECT_EQ(amounts(r, 2), (std::vector<int64_t>{0, 60'000, -5'000}));
  EXPECT_EQ(r.cells[2].draw_balance, 0);
  auto n = run(plan_of(commission({{0, 0.02}}), {}, {30'000, false}), c);
  EXPECT_EQ(n.cells[0].payout, 30'000);
  EXPECT_EQ(n.cells[0].draw_balance, 0);
  EXPECT_EQ(n.cells[1].payout, 45'000);
}

TEST(IncentivePayout, ClawbackReversesCreditAtTheSalePeriodRate) {
  Case c;
  c.sale(0, "2026-01-10", 1'000'000);
  c.sale(0, "2026-01-20", 500'000);
  c.quota(0, "2026-01-01", 1'000'000);
  c.csale = {1};
  c.cdate = {D("2026-02-10")};
  c.camount = {500'000};
  auto r = run(plan_of(commission({{0, 0.02}, {1, 0.05}})), c);
  EXPECT_EQ(r.cells[0].payout, 45'000);
  // Feb gives back 45,000 x 500,000 / 1,500,000 = 15,000
  EXPECT_EQ(amounts(r, 1), (std::vector<int64_t>{0, -15'000}));
  EXPECT_EQ(r.lines[r.cells[1].first_line + 1].base, -500'000);
  EXPECT_EQ(r.cells[1].clawback, -15'000);
}

TEST(IncentivePayout, SplitsApportionExactlyAndRollUp) {
  Case c;
  c.people = 3;
  c.manager = {2, 2, -1};
  c.rollup = true;
  c.sale(0, "2026-01-10", 1'000'001);
  c.sp_sale = {0, 0};
  c.sp_person = {0, 1};
  c.sp_share = {0.5, 0.5};
  auto r = run(plan_of(commission({{0, 0.1}})), c);
  EXPECT_EQ(r.cells[0 * 3].credit, 500'001);  // the odd unit to the lower index
  EXPECT_EQ(r.cells[1 * 3].credit, 500'000);
  EXPECT_EQ(r.cells[2 * 3].credit, 1'000'001);
  EXPECT_EQ(r.cells[2 * 3].payout, 100'000);  // 100,000.1
  c.sp_share = {0.5, 0.4};
  EXPECT_QF_ERROR(run(plan_of(commission({{0, 0.1}})), c), errc::invalid_argument,
                  "split shares of sale 0 (split rows 0..1) sum to 0.9", "must sum to 1 (100%)");
}

TEST(IncentivePayout, ProrationByWorkingDays) {
  // New hire on 2026-01-15: 12 of January's 22 working days.
  Case c;
  c.hired = {D("2026-01-15")};
  c.sale(0, "2026-01-20", 1'500'000);
  c.quota(0, "2026-01-01", 2'200'000);
  c.kpis = {"csat"};
  c.sperson = {0};
  c.sdate = {D("2026-01-31")};
  c.skpi = {0};
  c.sval = {85};
  PlanSpec s;
  s.name = "AE";
  s.components.push_back(commission({{0, 0.02}, {1, 0.05}}));
  ComponentSpec b;
  b.name = "csat";
  b.kind = ComponentKind::bonus;
  b.kpi = "csat";
  b.steps = {{80, 22'000}, {90, 44'000}};
  s.components.push_back(b);
  auto r = run(Plan(s), c);
  EXPECT_EQ(r.cells[0].quota, 1'200'000);  // 2,200,000 x 12 / 22
  // 1,200,000 x 2% + 300,000 x 5% + 22,000 x 12 / 22
  EXPECT_EQ(amounts(r, 0), (std::vector<int64_t>{0, 24'000, 15'000, 12'000}));

  // Mid-March change of plan (2% to 4%) and quota on 2026-03-16: 10 + 12 of 22 working days.
  Case m;
  m.sale(0, "2026-03-20", 1'100'000);
  m.quota(0, "2026-01-01", 1'000'000);
  m.quota(0, "2026-03-16", 2'100'000);
  m.aperson = {0, 0};
  m.afrom = {D("2026-01-01"), D("2026-03-16")};
  m.aplan = {0, 1};
  Plan a = plan_of(commission({{0, 0.02}})), b4 = plan_of(commission({{0, 0.04}}));
  auto q = run({&a, &b4}, m);
  EXPECT_EQ(q.cells[2].quota, 1'600'000);  // (1,000,000 x 10 + 2,100,000 x 12) / 22
  // 1,100,000 x 2% x 10/22 + 1,100,000 x 4% x 12/22
  EXPECT_EQ(amounts(q, 2), (std::vector<int64_t>{0, 10'000, 24'000}));
  EXPECT_EQ(q.lines[q.cells[2].first_line + 2].ref, 1);
}

TEST(IncentivePayout, AdjustmentsCarryTheirReason) {
  Case c;
  c.adjp = {0, 0};
  c.adjd = {D("2026-02-03"), D("2026-02-28")};
  c.adja = {5'000, -1'200};
  c.reasons = {"Q1 SPIFF", "late CRM entry"};
  auto r = run(plan_of(commission({{0, 0.02}})), c);
  EXPECT_EQ(amounts(r, 1), (std::vector<int64_t>{0, 5'000, -1'200}));
  EXPECT_EQ(r.reasons[static_cast<size_t>(r.lines[r.cells[1].first_line + 2].ref)], "late CRM entry");
}

TEST(IncentivePayout, BadInput) {
  Plan p = plan_of(commission({{0, 0.02}, {1, 0.05}}));
  Case c;
  c.people = 2;
  c.sale(5, "2026-01-10", 100);
  EXPECT_QF_ERROR(run(p, c), errc::not_found, "sale_seller[0] is 5; people are 0..1");
  c.seller = {0};
  c.date = {D("2026-04-01")};
  EXPECT_QF_ERROR(run(p, c), errc::out_of_range, "sale_date[0] is 2026-04-01, outside the run 2026-01-01..2026-03-31");
  c.date = {D("2026-01-10")};
  c.sale(0, "2026-01-11", INT64_MAX);
  EXPECT_QF_ERROR(run(p, c), errc::overflow, "credit overflows int64");
  c.amount[1] = 5;
  EXPECT_QF_ERROR(run(p, c), errc::invalid_argument, "person 0 has quota 0 in period 2026-01-01..2026-01-31",
                  "has attainment tiers");
  c.quota(0, "2026-01-01", -3);
  EXPECT_QF_ERROR(run(p, c), errc::invalid_argument, "quota_amount[0] is -3; it must be >= 0");
  c.qamount = {100};
  c.qperson = {7};
  EXPECT_QF_ERROR(run(p, c), errc::not_found, "quota_person[0] is 7");
  c.qperson = {0};
  c.csale = {9};
  c.cdate = {D("2026-02-01")};
  c.camount = {1};
  EXPECT_QF_ERROR(run(p, c), errc::not_found, "clawback_sale[0] is 9; sales are 0..1");
  c.csale = {0};
  c.camount = {101};
  EXPECT_QF_ERROR(run(p, c), errc::invalid_argument, "clawback_amount[0] is 101; it must be in 1..100");
  c.camount = {1};
  c.cdate = {D("2026-01-01")};
  EXPECT_QF_ERROR(run(p, c), errc::invalid_argument, "clawback_date[0] is 2026-01-01, before its sale's date 2026-01-10");
  c.cdate = {D("2026-02-01")};
  c.adjp = {1};
  c.adjd = {D("2026-02-01")};
  c.adja = {5};
  c.reasons = {""};
  EXPECT_QF_ERROR(run(p, c), errc::invalid_argument, "adjust_reason[0] is empty");
  c.reasons = {"ok"};
  c.aperson = {0};
  c.afrom = {D("2026-01-01")};
  c.aplan = {3};
  EXPECT_QF_ERROR(run(p, c), errc::not_found, "assign_plan[0] is 3; plans are 0..0");
}

// ---- properties on seeded random cases ----
namespace {
struct Random {
  std::mt19937_64 g;
  explicit Random(uint64_t seed) : g(seed) {}
  int64_t i(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(g); }
  double u() { return std::uniform_real_distribution<double>(0, 1)(g); }
};

Plan random_plan(Random& rnd, bool monotone) {
  PlanSpec s;
  s.name = "random";
  const int nc = static_cast<int>(rnd.i(1, 4));
  for (int k = 0; k < nc; ++k) {
    ComponentSpec c;
    c.name = "c" + std::to_string(k);
    c.method = monotone || rnd.i(0, 1) == 0 ? TierMethod::marginal : TierMethod::retroactive;
    double from = 0;
    const int nt = static_cast<int>(rnd.i(1, 4));
    for (int t = 0; t < nt; ++t) {
      c.tiers.push_back({from, static_cast<double>(rnd.i(0, 200)) / 1000.0});
      from += static_cast<double>(rnd.i(1, 100)) / 100.0;
    }
    if (rnd.i(0, 1)) c.accelerator = Multiplier{1.0, 1.0 + static_cast<double>(rnd.i(0, 100)) / 100.0};
    if (!monotone) {
      if (rnd.i(0, 1)) c.decelerator = Multiplier{0.5, static_cast<double>(rnd.i(0, 100)) / 100.0};
      if (rnd.i(0, 1)) c.cap = rnd.i(0, 100'000);
    }
    s.components.push_back(c);
  }
  if (!monotone && rnd.i(0, 1)) s.draw = {rnd.i(0, 50'000), rnd.i(0, 1) == 1};
  return Plan(s);
}

Case random_case(Random& rnd, size_t people, size_t sales) {
  Case c;
  c.people = people;
  for (size_t i = 0; i < sales; ++i) {
    c.seller.push_back(static_cast<int32_t>(rnd.i(0, static_cast<int64_t>(people) - 1)));
    c.date.push_back(D("2026-01-01") + static_cast<Date>(rnd.i(0, 89)));
    c.amount.push_back(rnd.i(1, 2'000'000));
    if (rnd.i(0, 4) == 0) {
      const int k = static_cast<int>(rnd.i(2, 3));
      std::vector<double> w(static_cast<size_t>(k));
      for (auto& x : w) x = static_cast<double>(rnd.i(1, 5));
      double tot = 0;
      for (double x : w) tot += x;
      for (int j = 0; j < k; ++j) {
        c.sp_sale.push_back(static_cast<int64_t>(i));
        c.sp_person.push_back(static_cast<int32_t>(rnd.i(0, static_cast<int64_t>(people) - 1)));
        c.sp_share.push_back(j + 1 < k ? w[static_cast<size_t>(j)] / tot : 0);
      }
      double rest = 1;
      for (int j = 0; j + 1 < k; ++j) rest -= c.sp_share[c.sp_share.size() - static_cast<size_t>(k) + static_cast<size_t>(j)];
      c.sp_share.back() = rest;
    }
  }
  for (size_t r = 0; r < people; ++r) {
    c.quota(static_cast<int32_t>(r), "2026-01-01", rnd.i(1, 5'000'000));
    c.manager.push_back(r == 0 ? -1 : static_cast<int32_t>(rnd.i(0, static_cast<int64_t>(r) - 1)));
  }
  return c;
}
}  // namespace

TEST(IncentivePayoutProperty, LinesSumToPayoutAndCreditsAreConserved) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    Random rnd(seed);
    Plan p = random_plan(rnd, false);
    Case c = random_case(rnd, 7, 60);
    c.rollup = seed % 2 == 0;
    auto r = run(p, c);
    for (const Statement& s : r.cells) {
      int64_t sum = 0;
      for (uint32_t i = 0; i < s.line_count; ++i) sum += r.lines[s.first_line + i].amount;
      ASSERT_EQ(sum, s.payout) << "seed " << seed;
    }
    int64_t sales = 0;
    for (int64_t a : c.amount) sales += a;
    int64_t credited = 0;
    for (const Statement& s : r.cells)
      if (!c.rollup || c.manager[static_cast<size_t>(s.person)] == -1) credited += s.credit;
    ASSERT_EQ(credited, sales) << "seed " << seed;  // without roll-up: all people; with it: the root's subtree
  }
}

TEST(IncentivePayoutProperty, PayoutMonotoneInCreditWithoutDeceleratorsOrCaps) {
  for (uint64_t seed = 100; seed < 140; ++seed) {
    Random rnd(seed);
    Plan p = random_plan(rnd, true);
    Case c = random_case(rnd, 4, 30);
    auto before = run(p, c);
    c.sale(static_cast<int32_t>(rnd.i(0, 3)), "2026-02-14", rnd.i(1, 3'000'000));
    auto after = run(p, c);
    for (size_t k = 0; k < before.cells.size(); ++k) ASSERT_GE(after.cells[k].payout, before.cells[k].payout) << "seed " << seed;
  }
}

TEST(IncentivePayoutProperty, RerunIsByteIdentical) {
  Random rnd(7);
  Plan p = random_plan(rnd, false);
  Case c = random_case(rnd, 9, 200);
  c.csale = {3, 10};
  c.cdate = {D("2026-03-30"), D("2026-03-31")};
  c.camount = {1, c.amount[10]};
  auto a = run(p, c), b = run(p, c);
  ASSERT_EQ(a.lines.size(), b.lines.size());
  EXPECT_EQ(0, std::memcmp(a.lines.data(), b.lines.data(), a.lines.size() * sizeof(Line)));
  for (size_t k = 0; k < a.cells.size(); ++k) {
    EXPECT_EQ(a.cells[k].payout, b.cells[k].payout);
    EXPECT_EQ(a.cells[k].quota, b.cells[k].quota);
    EXPECT_EQ(a.cells[k].draw_balance, b.cells[k].draw_balance);
  }
}
