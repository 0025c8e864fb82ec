// monitor::Monitor running the rules it gained in issue 5: slipped deals, pipeline coverage,
// target probability, price policy, territory, collection gap and control-chart signals. Hand-worked
// streams, bad input (the monitor unchanged), snapshots of the new state, and a seeded property:
// the same events in any batching give the same alerts and the same snapshot bytes.
#include <algorithm>
#include <limits>
#include <memory>
#include <random>
#include <vector>

#include "quotaflow/monitor/monitor.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::monitor;

namespace {
Date d(const char* s) { return date_from_string(s); }
// root 0 -> leaves 1, 2; September 2025 on a plain calendar (22 working days, Monday 1st).
Hierarchy org() { return Hierarchy::from_parents(std::vector<int32_t>{-1, 0, 0}, {"ALL", "EAST", "WEST"}); }
MonitorConfig september(std::initializer_list<Rule> on) {
  MonitorConfig c;
  c.start = d("2025-09-01");
  c.end = d("2025-10-01");
  c.plan = {2200, 1100, 1100};
  c.rules.enabled.reset();
  for (Rule r : on) c.rules.enabled.set(static_cast<size_t>(r));
  return c;
}
// Items: 0 "Water" (list 1000), 1 "Gift" (list 500, promotional). Tiers: 0 max 10%, 1 max 20%;
// customer 0 is tier 0, customer 1 tier 1. Geography CN -> East, West; seller EAST sells in East,
// WEST in West, the root anywhere.
SalesPolicy policy() {
  SalesPolicy p;
  p.list_price = {1000, 500};
  p.promotional = {0, 1};
  p.item_names = {"Water", "Gift"};
  p.max_discount_pct = {10, 20};
  p.customer_tier = {0, 1};
  p.territories = std::make_shared<const Hierarchy>(
      Hierarchy::from_parents(std::vector<int32_t>{-1, 0, 0}, {"CN", "East", "West"}));
  p.seller_territory = {-1, 1, 2};
  return p;
}
const Alert* find(const std::vector<Alert>& a, Rule r, int64_t entity) {
  for (const auto& x : a)
    if (x.rule == r && x.entity == entity) return &x;
  return nullptr;
}
size_t count(const std::vector<Alert>& a, Rule r) {
  return static_cast<size_t>(std::count_if(a.begin(), a.end(), [r](const Alert& x) { return x.rule == r; }));
}
template <class T>
std::vector<T> v(std::initializer_list<T> x) {
  return x;
}
// Owns the columns of one batch of sales (SaleColumns only points at them).
struct Batch {
  std::vector<int32_t> node;
  std::vector<Date> date;
  std::vector<int64_t> amount, sale;
  std::vector<int32_t> item;
  std::vector<int64_t> price;
  std::vector<int32_t> customer, location;
  [[nodiscard]] SaleColumns columns() const {
    SaleColumns c;
    c.node = node;
    c.date = date;
    c.amount = amount;
    c.sale = sale;
    c.item = item;
    c.price = price;
    c.customer = customer;
    c.location = location;
    return c;
  }
};
}  // namespace

TEST(MonitorAllRules, RunsEveryRule) {
  EXPECT_EQ(monitor_rules.size(), rule_count);
  for (size_t r = 0; r < rule_count; ++r) EXPECT_EQ(static_cast<size_t>(monitor_rules[r]), r);
}

TEST(MonitorAllRules, SlippedDeal) {
  Monitor m(org(), Calendar{}, september({Rule::deal_slipped}));
  m.push_deals(v<int64_t>({5, 6}), v<int32_t>({1, 2}), v<int64_t>({1000, 500}), v<double>({0.5, 0.5}),
               v<Date>({d("2025-09-20"), d("2025-10-20")}));
  EXPECT_TRUE(m.advance(d("2025-09-10")).empty());
  // Deal 5 moves out of September (the first close date pushed is the original); deal 6 never was in it.
  m.push_deals(v<int64_t>({5, 6}), v<int32_t>({1, 2}), v<int64_t>({1000, 500}), v<double>({0.4, 0.5}),
               v<Date>({d("2025-10-05"), d("2025-10-25")}));
  auto c = m.advance(d("2025-09-11"));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].change, ChangeKind::raised);
  const Alert& a = c[0].alert;
  EXPECT_EQ(a.rule, Rule::deal_slipped);
  EXPECT_EQ(a.entity_kind, EntityKind::deal);
  EXPECT_EQ(a.entity, 5);
  EXPECT_EQ(a.period, 0);
  EXPECT_EQ(a.observed, 15);
  EXPECT_EQ(a.message, "Deal 5: close date moved from 2025-09-20 to 2025-10-05, 15 days later and out of the period ending 2025-09-30");
  // Back inside the period: cleared. Closing the deal forgets it.
  m.push_deals(v<int64_t>({5}), v<int32_t>({1}), v<int64_t>({1000}), v<double>({0.4}), v<Date>({d("2025-09-29")}));
  c = m.advance(d("2025-09-12"));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].change, ChangeKind::cleared);
  m.push_stage_changes(v<int64_t>({5}), v<int32_t>({-1}), v<Date>({d("2025-09-12")}));
  EXPECT_EQ(m.open_deals(), 1u);
}

TEST(MonitorAllRules, PipelineCoverageAndTargetProbability) {
  Monitor m(org(), Calendar{}, september({Rule::pipeline_coverage_low, Rule::target_probability_low}));
  // No sales yet: remaining targets ALL 2200, EAST 1100, WEST 1100. Weighted pipeline EAST
  // 1000 x 0.5 = 500, WEST 2000 x 0.75 = 1500, ALL 2000. Deal 9 closes in October: not counted.
  m.push_deals(v<int64_t>({1, 2, 9}), v<int32_t>({1, 2, 2}), v<int64_t>({1000, 2000, 7000}), v<double>({0.5, 0.75, 1.0}),
               v<Date>({d("2025-09-20"), d("2025-09-25"), d("2025-10-02")}));
  const auto a = m.evaluate(d("2025-09-10"));
  ASSERT_EQ(count(a, Rule::pipeline_coverage_low), 2u);
  const Alert* all = find(a, Rule::pipeline_coverage_low, 0);
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(all->severity, Severity::warning);  // 2000 / 2200 = 0.91
  EXPECT_DOUBLE_EQ(all->observed, 2000.0 / 2200.0);
  EXPECT_EQ(all->period, 0);
  EXPECT_EQ(all->message, "ALL: weighted pipeline 2K covers 0.91x of the remaining target 2.2K, minimum 1x");
  const Alert* east = find(a, Rule::pipeline_coverage_low, 1);
  ASSERT_NE(east, nullptr);
  EXPECT_EQ(east->severity, Severity::critical);  // 500 / 1100 = 0.45 < 0.5
  EXPECT_EQ(east->message, "EAST: weighted pipeline 500 covers 0.45x of the remaining target 1.1K, minimum 1x");
  // Target probability over each node's subtree: EAST needs 1100 from one deal of 1000: 0.
  // WEST: P(2000 won) = 0.75, no alert. ALL needs 2200: both deals, 0.5 x 0.75 = 0.375; the
  // median outcome: P(W <= 0) = 0.125, P(W <= 1000) = 0.25, P(W <= 2000) = 0.625 -> 2000.
  ASSERT_EQ(count(a, Rule::target_probability_low), 2u);
  const Alert* tall = find(a, Rule::target_probability_low, 0);
  ASSERT_NE(tall, nullptr);
  EXPECT_EQ(tall->severity, Severity::warning);
  EXPECT_DOUBLE_EQ(tall->observed, 0.375);
  EXPECT_EQ(tall->expected, 0.5);
  EXPECT_EQ(tall->message, "ALL: 37.5% chance of winning the remaining target 2.2K from 2 open deals (median outcome 2K), minimum 50.0%");
  const Alert* teast = find(a, Rule::target_probability_low, 1);
  ASSERT_NE(teast, nullptr);
  EXPECT_EQ(teast->severity, Severity::critical);
  EXPECT_EQ(teast->observed, 0.0);
  EXPECT_EQ(teast->message, "EAST: 0.0% chance of winning the remaining target 1.1K from 1 open deals (median outcome 0), minimum 50.0%");
  // Sales reduce the remaining target: EAST sells 700, needs 400 from the 1000 deal: P = 0.5, not
  // below 0.5; coverage 500 / 400 = 1.25. ALL needs 1500: P(W >= 1500) = P(2000 or 3000) = 0.75.
  m.push_sales(v<int32_t>({1}), v<Date>({d("2025-09-05")}), v<int64_t>({700}));
  const auto b = m.evaluate(d("2025-09-10"));
  EXPECT_EQ(count(b, Rule::target_probability_low), 0u);
  EXPECT_EQ(count(b, Rule::pipeline_coverage_low), 0u);  // ALL: 2000 / 1500
  // Outside [start, end) there is no current period: no pipeline rule.
  EXPECT_TRUE(m.evaluate(d("2025-10-10")).empty());
  // A monitor never given deal figures does not run the pipeline rules (no pipeline is not news).
  Monitor none(org(), Calendar{}, september({Rule::pipeline_coverage_low, Rule::target_probability_low}));
  none.push_stage_changes(v<int64_t>({1}), v<int32_t>({0}), v<Date>({d("2025-09-01")}));
  EXPECT_TRUE(none.evaluate(d("2025-09-10")).empty());
}

TEST(MonitorAllRules, TargetProbabilityUnitKeepsTheDistributionSmall) {
  auto cfg = september({Rule::target_probability_low});
  cfg.plan = {4'000'000'000, 2'000'000'000, 2'000'000'000};
  cfg.rules.target_cells = 1000;
  Monitor m(org(), Calendar{}, cfg);
  // Amounts of 1e9 with 1000 cells: unit 2e9 / 1000 + 1 = 2'000'001 at EAST; the DP stays small
  // and the result matches the exact one (a single deal: P = its probability).
  m.push_deals(v<int64_t>({1, 2}), v<int32_t>({1, 2}), v<int64_t>({2'000'000'000, 2'000'000'000}), v<double>({0.3, 0.9}),
               v<Date>({d("2025-09-20"), d("2025-09-25")}));
  const auto a = m.evaluate(d("2025-09-10"));
  const Alert* east = find(a, Rule::target_probability_low, 1);
  ASSERT_NE(east, nullptr);
  EXPECT_NEAR(east->observed, 0.3, 1e-12);
  EXPECT_EQ(find(a, Rule::target_probability_low, 2), nullptr);
  const Alert* all = find(a, Rule::target_probability_low, 0);  // both: 0.27
  ASSERT_NE(all, nullptr);
  EXPECT_NEAR(all->observed, 0.27, 1e-12);
}

TEST(MonitorAllRules, PricePolicyAndTerritoryPerSale) {
  auto cfg = september({Rule::price_below_floor, Rule::price_above_ceiling, Rule::promo_not_free, Rule::discount_above_max,
                        Rule::territory_violation});
  cfg.sales = policy();
  Monitor m(org(), Calendar{}, cfg);
  const Batch b{{1, 1, 2, 1}, {d("2025-09-02"), d("2025-09-03"), d("2025-09-03"), d("2025-09-04")}, {950, 850, 10, 850},
                {101, 102, 103, 104}, {0, 0, 1, 0}, {950, 850, 10, 850}, {0, 0, 1, 1}, {1, 2, 2, 1}};
  m.push_sales(b.columns());
  // 101: 5% off within tier 0's 10%. 102: 15% > 10% by 5 points (warning), and EAST sold in West.
  // 103: the promotional Gift sold at 10 (critical). 104: 15% within tier 1's 20%.
  EXPECT_EQ(m.sale_alerts(), 3u);
  auto c = m.advance(d("2025-09-10"));
  ASSERT_EQ(c.size(), 3u);
  std::vector<Alert> a;
  for (const auto& x : c) a.push_back(x.alert);
  const Alert* disc = find(a, Rule::discount_above_max, 102);
  ASSERT_NE(disc, nullptr);
  EXPECT_EQ(disc->entity_kind, EntityKind::sale);
  EXPECT_EQ(disc->severity, Severity::warning);
  EXPECT_EQ(disc->related, 0);  // the item
  EXPECT_EQ(disc->period, 0);
  EXPECT_EQ(disc->observed, 15);
  EXPECT_EQ(disc->expected, 10);
  EXPECT_EQ(disc->message, "Sale 102: Water discounted 15%, above the tier maximum 10% by 5 points");
  const Alert* promo = find(a, Rule::promo_not_free, 103);
  ASSERT_NE(promo, nullptr);
  EXPECT_EQ(promo->severity, Severity::critical);
  EXPECT_EQ(promo->message, "Sale 103: Gift is promotional and must be given free, but was sold at 10");
  const Alert* terr = find(a, Rule::territory_violation, 102);
  ASSERT_NE(terr, nullptr);
  EXPECT_EQ(terr->related, 2);
  EXPECT_EQ(terr->observed, 2);
  EXPECT_EQ(terr->expected, 1);
  EXPECT_EQ(terr->message, "Sale 102: seller EAST (territory East) sold in West, outside its territory");
  // The amounts count as sales too.
  EXPECT_EQ(m.actuals()[0], 950 + 850 + 10 + 850);
  // A sale never changes: the alerts stay until a rule is turned off (then they clear).
  EXPECT_TRUE(m.advance(d("2025-09-11")).empty());
  auto rules = m.config().rules;
  rules.enabled.reset(static_cast<size_t>(Rule::territory_violation));
  m.set_rules(rules);
  c = m.advance(d("2025-09-11"));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].change, ChangeKind::cleared);
  EXPECT_EQ(c[0].alert.rule, Rule::territory_violation);
  // Without sale ids a sale is numbered by the count of sales pushed before it (4 so far), and a
  // sale dated outside [start, end) has period -1.
  const Batch t{{2}, {d("2025-10-02")}, {1}, {}, {1}, {1}, {}, {}};
  m.push_sales(t.columns());
  const auto e = m.evaluate(d("2025-10-02"));
  const Alert* late = find(e, Rule::promo_not_free, 4);
  ASSERT_NE(late, nullptr);
  EXPECT_EQ(late->period, -1);
  EXPECT_EQ(late->message, "Sale 4: Gift is promotional and must be given free, but was sold at 1");
}

TEST(MonitorAllRules, CollectionGapToDate) {
  auto cfg = september({Rule::collection_gap, Rule::receivable_overdue});
  cfg.collection_plan = {2200, 1100, 1100};
  Monitor m(org(), Calendar{}, cfg);
  m.push_invoices(v<int64_t>({1, 2, 3}), v<int64_t>({7, 8, 9}), v<int64_t>({1000, 1000, 50}),
                  v<Date>({d("2025-09-30"), d("2025-09-30"), d("2025-09-30")}), v<int32_t>({1, 2, -1}));
  m.push_payments(v<int64_t>({1, 2, 3}), v<int64_t>({300, 400, 50}), v<Date>({d("2025-09-05"), d("2025-09-05"), d("2025-09-05")}));
  // As of Wednesday 10th, 8 of 22 working days: targets to date EAST round(1100 x 8 / 22) = 400,
  // WEST 400, ALL 800. Collected EAST 300 (0.75: warning), WEST 400 (met), ALL 700 (0.875). The
  // payment of invoice 3 (no seller) is collected for nobody.
  const auto a = m.evaluate(d("2025-09-10"));
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].rule, Rule::collection_gap);
  EXPECT_EQ(a[0].entity, 0);
  EXPECT_EQ(a[0].observed, 700);
  EXPECT_EQ(a[0].expected, 800);
  EXPECT_EQ(a[1].entity, 1);
  EXPECT_EQ(a[1].severity, Severity::warning);
  EXPECT_EQ(a[1].period, 0);
  EXPECT_EQ(a[1].message, "EAST: collected 300 of the collection target 400, 100 (25.0%) short");
  // Once the period is over the whole target is due: EAST 300 / 1100 < 0.5 is critical.
  const auto b = m.evaluate(d("2025-09-30"));
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[1].severity, Severity::critical);
  EXPECT_EQ(b[1].expected, 1100);
}

TEST(MonitorAllRules, ChartSignalOnTheFinishedPeriod) {
  auto cfg = september({Rule::chart_signal});
  // Four months of history per node. EAST and WEST: 1000, 1010, 990, 1000: centre 1000, moving
  // ranges 10, 20, 10 -> sigma 13.33 / 1.128 = 11.82, limits 1000 -/+ 35.46. ALL twice that.
  cfg.kpi_history = {2000, 2020, 1980, 2000, 1000, 1010, 990, 1000, 1000, 1010, 990, 1000};
  Monitor m(org(), Calendar{}, cfg);
  m.push_sales(v<int32_t>({2}), v<Date>({d("2025-09-15")}), v<int64_t>({1000}));
  EXPECT_TRUE(m.advance(d("2025-09-30")).empty());  // September is not over yet
  // September over: EAST 0 and ALL 1000 are far below their centres (nelson1); WEST 1000 is not.
  auto c = m.advance(d("2025-10-01"));
  ASSERT_EQ(c.size(), 2u);
  const Alert& all = c[0].alert;
  EXPECT_EQ(all.rule, Rule::chart_signal);
  EXPECT_EQ(all.entity, 0);
  EXPECT_EQ(all.related, static_cast<int64_t>(ChartRule::nelson1));
  EXPECT_EQ(all.period, 0);
  EXPECT_EQ(all.observed, 1000);
  EXPECT_EQ(all.expected, 2000);
  const Alert& east = c[1].alert;
  EXPECT_EQ(east.entity, 1);
  EXPECT_EQ(east.observed, 0);
  EXPECT_EQ(east.expected, 1000);
  // Limits 964.54 and 1035.46, rounded to 965 and 1035; compact 1.035 prints as 1.03 (binary 1.03499...).
  EXPECT_EQ(east.message, "EAST: nelson1 signal in 2025-09, 0 against centre 1K (limits 965..1.03K)");
}

TEST(MonitorAllRules, StalledKeyIsStableFromDayToDay) {
  auto cfg = september({Rule::deal_stalled});
  cfg.stage_limit_days = {5};
  cfg.stage_names = {"proposal"};
  Monitor m(org(), Calendar{}, cfg);
  m.push_stage_changes(v<int64_t>({7}), v<int32_t>({0}), v<Date>({d("2025-09-01")}));
  auto c = m.advance(d("2025-09-09"));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].alert.message, "Deal 7: 6 working days in proposal, limit 5");
  const uint64_t key = c[0].alert.key();
  c = m.advance(d("2025-09-10"));  // one more day: the same alert, changed figures
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].change, ChangeKind::changed);
  EXPECT_EQ(c[0].alert.key(), key);
  EXPECT_EQ(c[0].alert.observed, 7);
  // A deal known only from push_deals has no stage: never stalled; a stage change gives it one.
  m.push_deals(v<int64_t>({8}), v<int32_t>({1}), v<int64_t>({10}), v<double>({0.5}), v<Date>({d("2025-09-20")}));
  EXPECT_EQ(m.evaluate(d("2025-09-10")).size(), 1u);
  m.push_stage_changes(v<int64_t>({8}), v<int32_t>({0}), v<Date>({d("2025-08-01")}));
  EXPECT_EQ(m.evaluate(d("2025-09-10")).size(), 2u);
}

TEST(MonitorAllRules, BadInputLeavesTheMonitorUnchanged) {
  auto cfg = september({});
  cfg.sales = policy();
  Monitor m(org(), Calendar{}, cfg);
  const auto before = m.save();
  EXPECT_QF_ERROR(m.push_deals(v<int64_t>({1, 2}), v<int32_t>({1, 1}), v<int64_t>({5, 5}), v<double>({0.5, 1.5}),
                               v<Date>({d("2025-09-20"), d("2025-09-20")})),
                  errc::invalid_argument, "probability[1] is 1.5; a probability must be in [0, 1]");
  EXPECT_QF_ERROR(m.push_deals(v<int64_t>({1}), v<int32_t>({1}), v<int64_t>({5}), v<double>({std::nan("")}), v<Date>({d("2025-09-20")})),
                  errc::invalid_argument, "probability[0] is NaN");
  EXPECT_QF_ERROR(m.push_deals(v<int64_t>({1}), v<int32_t>({3}), v<int64_t>({5}), v<double>({0.5}), v<Date>({d("2025-09-20")})),
                  errc::not_found, "owner[0] is 3; the hierarchy has 3 nodes");
  EXPECT_QF_ERROR(m.push_deals(v<int64_t>({1}), v<int32_t>({1}), v<int64_t>({-5}), v<double>({0.5}), v<Date>({d("2025-09-20")})),
                  errc::invalid_argument, "amount[0] is -5; a deal amount cannot be negative");
  SaleColumns s;
  const auto node = v<int32_t>({1, 1});
  const auto date = v<Date>({d("2025-09-02"), d("2025-09-03")});
  const auto amount = v<int64_t>({5, 6});
  const auto item = v<int32_t>({0, 2});
  const auto price = v<int64_t>({10, 10});
  s.node = node;
  s.date = date;
  s.amount = amount;
  s.item = item;
  EXPECT_QF_ERROR(m.push_sales(s), errc::invalid_argument, "item and price go together: item has 2 elements, price has 0");
  s.price = price;
  EXPECT_QF_ERROR(m.push_sales(s), errc::not_found, "item[1] is 2; expected an item id (sales.list_price) in 0..1");
  const auto bad_price = v<int64_t>({10, -1});
  const auto ok_item = v<int32_t>({0, 0});
  s.item = ok_item;
  s.price = bad_price;
  EXPECT_QF_ERROR(m.push_sales(s), errc::invalid_argument, "unit_price[1] is -1; a price cannot be negative");
  s.price = price;
  const auto loc = v<int32_t>({1, 9});
  s.location = loc;
  EXPECT_QF_ERROR(m.push_sales(s), errc::not_found, "location[1] is 9; expected a territory node in 0..2");
  const auto short_loc = v<int32_t>({1});
  s.location = short_loc;
  EXPECT_QF_ERROR(m.push_sales(s), errc::invalid_argument, "length mismatch: node has 2 elements, location has 1 (expected 0 or 2)");
  s.location = {};
  const auto cust = v<int32_t>({0, 5});
  s.customer = cust;
  EXPECT_QF_ERROR(m.push_sales(s), errc::not_found, "customer[1] is 5; expected a customer id in 0..1");
  EXPECT_QF_ERROR(m.push_invoices(v<int64_t>({1}), v<int64_t>({1}), v<int64_t>({5}), v<Date>({d("2025-09-20")}), v<int32_t>({4})),
                  errc::not_found, "seller[0] is 4; the hierarchy has 3 nodes");
  EXPECT_EQ(m.save(), before);
  EXPECT_EQ(m.sale_alerts(), 0u);
  // A monitor without a geography refuses locations.
  Monitor plain(org(), Calendar{}, september({}));
  const Batch p{{1}, {d("2025-09-02")}, {5}, {}, {}, {}, {}, {0}};
  EXPECT_QF_ERROR(plain.push_sales(p.columns()), errc::invalid_argument, "location is given but the monitor has no sales.territories");
}

TEST(MonitorAllRules, BadConfiguration) {
  auto cfg = september({});
  cfg.kpi_history = {1, 2, 3};
  EXPECT_QF_ERROR(Monitor(org(), Calendar{}, cfg), errc::invalid_argument,
                  "kpi_history has 3 values; expected nodes (3) x H periods with H >= 2 (the chart's baseline)");
  cfg = september({});
  cfg.kpi_history = {1, 2, 3, 4, std::nan(""), 6};
  EXPECT_QF_ERROR(Monitor(org(), Calendar{}, cfg), errc::invalid_argument, "kpi_history[4] is NaN");
  cfg = september({});
  cfg.collection_plan = {1, -2, 3};
  EXPECT_QF_ERROR(Monitor(org(), Calendar{}, cfg), errc::invalid_argument, "collection_plan[1] is -2; it cannot be negative");
  cfg = september({});
  cfg.sales = policy();
  cfg.sales.seller_territory = {-1, 1};
  EXPECT_QF_ERROR(Monitor(org(), Calendar{}, cfg), errc::invalid_argument,
                  "sales.seller_territory has 2 elements; expected one per node (3)");
  cfg.sales = policy();
  cfg.sales.customer_tier = {0, 2};
  EXPECT_QF_ERROR(Monitor(org(), Calendar{}, cfg), errc::not_found, "sales.customer_tier[1] is 2; expected a tier id in 0..1");
  cfg.sales = policy();
  cfg.sales.list_price = {1000, -1};
  EXPECT_QF_ERROR(Monitor(org(), Calendar{}, cfg), errc::invalid_argument, "sales.list_price[1] is -1; it cannot be negative");
  cfg = september({});
  cfg.stage_limit_days = {5, 5};
  cfg.stage_names = {"a"};
  EXPECT_QF_ERROR(Monitor(org(), Calendar{}, cfg), errc::invalid_argument,
                  "stage_names has 1 names; expected 0 or one per stage_limit_days entry (2)");
  cfg = september({});
  cfg.rules.min_target_probability = 1.5;
  EXPECT_QF_ERROR(Monitor(org(), Calendar{}, cfg), errc::invalid_argument, "rules.min_target_probability is 1.5; it must be in [0, 1]");
  cfg.rules.min_target_probability = 0.5;
  cfg.rules.target_unit = 0;
  EXPECT_QF_ERROR(Monitor(org(), Calendar{}, cfg), errc::invalid_argument, "rules.target_unit is 0; it must be > 0");
  cfg.rules.target_unit = 1;
  cfg.rules.chart_kind = ChartKind::cusum;
  cfg.rules.chart_rules = nelson_rules;
  EXPECT_QF_ERROR(Monitor(org(), Calendar{}, cfg), errc::invalid_argument, "nelson1");
}

TEST(MonitorAllRules, SnapshotKeepsTheNewState) {
  auto cfg = september({});
  cfg.rules.enabled.set();
  cfg.sales = policy();
  cfg.collection_plan = {2200, 1100, 1100};
  cfg.kpi_history = {2000, 2020, 1980, 2000, 1000, 1010, 990, 1000, 1000, 1010, 990, 1000};
  cfg.stage_limit_days = {5};
  Monitor m(org(), Calendar{}, cfg);
  m.push_deals(v<int64_t>({1, 2}), v<int32_t>({1, 2}), v<int64_t>({1000, 2000}), v<double>({0.5, 0.75}),
               v<Date>({d("2025-09-20"), d("2025-09-25")}));
  m.push_deals(v<int64_t>({1}), v<int32_t>({1}), v<int64_t>({1000}), v<double>({0.5}), v<Date>({d("2025-10-20")}));
  m.push_stage_changes(v<int64_t>({2, 3}), v<int32_t>({0, 0}), v<Date>({d("2025-09-01"), d("2025-09-02")}));
  m.push_invoices(v<int64_t>({1}), v<int64_t>({7}), v<int64_t>({1000}), v<Date>({d("2025-09-30")}), v<int32_t>({1}));
  m.push_payments(v<int64_t>({1}), v<int64_t>({300}), v<Date>({d("2025-09-05")}));
  const Batch one_sale{{1}, {d("2025-09-02")}, {10}, {}, {1}, {10}, {}, {2}};
  m.push_sales(one_sale.columns());
  m.advance(d("2025-09-10"));
  const auto bytes = m.save();
  auto again = Monitor::load(bytes, org(), Calendar{}, cfg);
  EXPECT_EQ(again.save(), bytes);
  EXPECT_EQ(again.sale_alerts(), 2u);
  EXPECT_EQ(again.open_deals(), 3u);
  // Both report the same changes from here on.
  const auto a = m.advance(d("2025-10-01")), b = again.advance(d("2025-10-01"));
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].alert.key(), b[i].alert.key());
    EXPECT_EQ(a[i].alert.message, b[i].alert.message);
  }
}

// Seeded property: the same events pushed in one batch or in random smaller batches give the same
// alerts and the same snapshot bytes (every rule on, every kind of event).
TEST(MonitorAllRules, BatchingDoesNotChangeTheResult) {
  std::mt19937_64 rng(20251128);
  for (int round = 0; round < 20; ++round) {
    auto cfg = september({});
    cfg.rules.enabled.set();
    cfg.sales = policy();
    cfg.collection_plan = {2200, 1100, 1100};
    cfg.kpi_history = {2000, 2020, 1980, 2000, 1000, 1010, 990, 1000, 1000, 1010, 990, 1000};
    cfg.stage_limit_days = {5, 10};
    const size_t n = 1 + rng() % 60;
    std::vector<int32_t> node(n), item(n), customer(n), location(n), stage(n), owner(n);
    std::vector<Date> date(n), close(n);
    std::vector<int64_t> amount(n), price(n), deal(n), damount(n);
    std::vector<double> prob(n);
    for (size_t i = 0; i < n; ++i) {
      node[i] = static_cast<int32_t>(rng() % 3);
      date[i] = d("2025-08-25") + static_cast<Date>(rng() % 45);
      amount[i] = static_cast<int64_t>(rng() % 2000);
      item[i] = static_cast<int32_t>(rng() % 2);
      price[i] = static_cast<int64_t>(rng() % 1200);
      customer[i] = static_cast<int32_t>(rng() % 2);
      location[i] = static_cast<int32_t>(rng() % 3);
      deal[i] = static_cast<int64_t>(rng() % 10);
      stage[i] = static_cast<int32_t>(rng() % 3) - 1;
      owner[i] = static_cast<int32_t>(rng() % 3);
      damount[i] = static_cast<int64_t>(rng() % 5000);
      prob[i] = static_cast<double>(rng() % 101) / 100;
      close[i] = d("2025-09-01") + static_cast<Date>(rng() % 60);
    }
    auto feed = [&](Monitor& m, size_t from, size_t to) {
      const auto sub = [&](const auto& col) { return gsl::span(col).subspan(from, to - from); };
      SaleColumns s;
      s.node = sub(node);
      s.date = sub(date);
      s.amount = sub(amount);
      s.item = sub(item);
      s.price = sub(price);
      s.customer = sub(customer);
      s.location = sub(location);
      m.push_sales(s);
      m.push_deals(sub(deal), sub(owner), sub(damount), sub(prob), sub(close));
      m.push_stage_changes(sub(deal), sub(stage), sub(date));
    };
    Monitor one(org(), Calendar{}, cfg), many(org(), Calendar{}, cfg);
    feed(one, 0, n);
    // Deal pushes and stage changes are order-dependent per deal, so batches keep the order.
    for (size_t from = 0; from < n;) {
      const size_t to = std::min(n, from + 1 + rng() % 7);
      feed(many, from, to);
      from = to;
    }
    // Sales, collections and charts do not depend on how the batches fall; deals do (a deal
    // closed by a stage change is re-opened by a later push_deals), so they are not compared.
    EXPECT_EQ(one.sale_alerts(), many.sale_alerts()) << "round " << round;
    EXPECT_EQ(one.actuals(), many.actuals()) << "round " << round;
    const Date as_of = d("2025-09-01") + static_cast<Date>(rng() % 40);
    const auto a = one.evaluate(as_of);
    const auto b = many.evaluate(as_of);
    EXPECT_EQ(count(a, Rule::discount_above_max), count(b, Rule::discount_above_max));
    EXPECT_EQ(count(a, Rule::territory_violation), count(b, Rule::territory_violation));
    EXPECT_EQ(count(a, Rule::pace_at_risk), count(b, Rule::pace_at_risk));
    EXPECT_EQ(count(a, Rule::collection_gap), count(b, Rule::collection_gap));
    EXPECT_EQ(count(a, Rule::chart_signal), count(b, Rule::chart_signal));
    // Snapshots round-trip byte for byte whatever the state.
    const auto bytes = many.save();
    EXPECT_EQ(Monitor::load(bytes, org(), Calendar{}, cfg).save(), bytes);
  }
}
