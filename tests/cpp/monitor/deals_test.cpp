// monitor deal rules: stalled deals (working and calendar days, model and sojourn limits),
// slipped deals, pipeline coverage; hand-worked values, a seeded property test, bad input, and
// the sample company's planted deviations for every rule of this issue (stalled deals,
// cross-territory sale, promotional item sold, discount violations, overdue invoices).
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "quotaflow/monitor/deals.hpp"
#include "quotaflow/monitor/price_policy.hpp"
#include "quotaflow/monitor/receivables.hpp"
#include "quotaflow/monitor/territory.hpp"
#include "quotaflow/process/model_json.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::monitor;

namespace {
Date d(const char* s) { return date_from_string(s); }
const std::vector<std::string> stage_names{"lead", "qualification", "won"};
}  // namespace

TEST(Stalled, HandWorkedWorkingDays) {
  Calendar cal;  // Sat+Sun weekends
  // as_of Wednesday 2025-09-10. Deal 0: lead since Mon 09-01 -> 1..5, 8, 9 = 7 working days.
  // Deal 1: qualification since Fri 08-01 -> 21 in August + 7 = 28. Deal 2 closed. Deal 3 in
  // "won" (no limit). Deal 4: lead since Wed 09-03 -> 3, 4, 5, 8, 9 = 5, exactly the limit.
  std::vector<int32_t> stage{0, 1, -1, 2, 0};
  std::vector<Date> entered{d("2025-09-01"), d("2025-08-01"), d("2020-01-01"), d("2024-01-01"), d("2025-09-03")};
  std::vector<double> limit{5, 10, process::unset};
  std::vector<std::string> names{"DL-0", "DL-1", "DL-2", "DL-3", "DL-4"};
  StallOptions o;
  o.deal_names = names;
  o.stage_names = stage_names;
  auto r = detect_stalled(stage, entered, limit, cal, d("2025-09-10"), o);
  EXPECT_EQ(r.days_in_stage, (std::vector<int32_t>{7, 28, -1, 442, 5}));
  ASSERT_EQ(r.alerts.size(), 2u);
  EXPECT_EQ(r.alerts[0].message, "Deal DL-0: 7 working days in lead, limit 5");
  EXPECT_EQ(r.alerts[0].severity, Severity::warning);  // 7 < 2 x 5
  EXPECT_EQ(r.alerts[0].entity, 0);
  EXPECT_EQ(r.alerts[0].related, 0);
  EXPECT_EQ(r.alerts[0].period, -1);  // no period: the key does not change with as_of
  EXPECT_EQ(r.alerts[0].observed, 7);
  EXPECT_EQ(r.alerts[0].expected, 5);
  EXPECT_EQ(r.alerts[1].message, "Deal DL-1: 28 working days in qualification, limit 10");
  EXPECT_EQ(r.alerts[1].severity, Severity::critical);  // 28 >= 20
  EXPECT_EQ(r.alerts[1].rule, Rule::deal_stalled);
  EXPECT_EQ(r.alerts[1].entity_kind, EntityKind::deal);
  // Calendar days: deal 0 has 9, deal 4 has 7 > 5; no names -> "#id".
  StallOptions c;
  c.day_count = DayCount::calendar_days;
  auto rc = detect_stalled(stage, entered, limit, cal, d("2025-09-10"), c);
  ASSERT_EQ(rc.alerts.size(), 3u);
  EXPECT_EQ(rc.alerts[0].message, "Deal #0: 9 days in #0, limit 5");
  EXPECT_EQ(rc.alerts[2].message, "Deal #4: 7 days in #0, limit 5");
  EXPECT_EQ(rc.days_in_stage[1], 40);
}

TEST(Stalled, LimitsFromModelAndSojourns) {
  process::ProcessModel m("m", process::DurationUnit::calendar_days);
  auto stage = [&](const char* name, double expected, double max, process::TerminalKind t) {
    process::Stage s;
    s.name = name;
    s.expected_duration = expected;
    s.max_duration = max;
    s.terminal = t;
    m.add_stage(s);
  };
  stage("lead", 7, 14, process::TerminalKind::none);
  stage("qualification", 10, process::unset, process::TerminalKind::none);
  stage("won", process::unset, process::unset, process::TerminalKind::won);
  auto a = stall_limits(m);
  EXPECT_EQ(a[0], 14);
  EXPECT_TRUE(std::isnan(a[1]) && std::isnan(a[2]));
  auto b = stall_limits(m, 2.0);
  EXPECT_EQ(b[0], 14);  // max_duration wins
  EXPECT_EQ(b[1], 20);
  EXPECT_TRUE(std::isnan(b[2]));  // terminal stages never stall
  EXPECT_QF_ERROR(stall_limits(m, -1.0), errc::invalid_argument, "expected_factor is -1; it must be finite and >= 0");
  // Percentiles with linear interpolation: stage 0 stays {2, 4, 10}, stage 1 {5}, stage 2 none.
  std::vector<int32_t> st{0, 0, 0, 1};
  std::vector<double> days{10, 2, 4, 5};
  auto p50 = sojourn_limits(st, days, 3, 50);
  EXPECT_EQ(p50[0], 4);
  EXPECT_EQ(p50[1], 5);
  EXPECT_TRUE(std::isnan(p50[2]));
  EXPECT_DOUBLE_EQ(sojourn_limits(st, days, 3, 90)[0], 8.8);  // 4 + 0.8 x (10 - 4)
  EXPECT_EQ(sojourn_limits(st, days, 3, 100)[0], 10);
  EXPECT_QF_ERROR(sojourn_limits(st, days, 3, 101), errc::invalid_argument, "percentile is 101; it must be in [0, 100]");
  std::vector<double> bad{1, std::nan(""), 2, 3};
  EXPECT_QF_ERROR(sojourn_limits(st, bad, 3, 50), errc::invalid_argument, "days[1] is NaN");
  std::vector<int32_t> unknown{0, 0, 7, 1};
  EXPECT_QF_ERROR(sojourn_limits(unknown, days, 3, 50), errc::not_found, "stage[2] is 7; expected a stage id in 0..2");
}

TEST(Stalled, RandomMatchesDayByDayCount) {
  std::mt19937_64 rng(20261128);
  const Calendar cal = Calendar::preset("CN");
  const Date as_of = d("2026-06-30");
  const size_t n = 400;
  std::vector<int32_t> stage(n);
  std::vector<Date> entered(n);
  std::vector<double> limit{5, 12, 30, process::unset};
  for (size_t i = 0; i < n; ++i) {
    stage[i] = static_cast<int32_t>(rng() % 5) - 1;
    entered[i] = as_of - static_cast<Date>(rng() % 200);
  }
  auto r = detect_stalled(stage, entered, limit, cal, as_of);
  size_t expected_alerts = 0;
  for (size_t i = 0; i < n; ++i) {
    if (stage[i] < 0) {
      EXPECT_EQ(r.days_in_stage[i], -1);
      continue;
    }
    int32_t count = 0;
    for (Date x = entered[i]; x < as_of; ++x) count += cal.is_working_day(x);
    EXPECT_EQ(r.days_in_stage[i], count) << i;
    const double lim = limit[static_cast<size_t>(stage[i])];
    expected_alerts += !std::isnan(lim) && count > lim;
  }
  EXPECT_EQ(r.alerts.size(), expected_alerts);
  for (const auto& a : r.alerts) EXPECT_GT(a.observed, a.expected);
}

TEST(Stalled, BadInput) {
  const Calendar cn = Calendar::preset("CN");  // valid 2007-01-01..2026-12-31
  std::vector<int32_t> stage{0, 0};
  std::vector<Date> entered{d("2026-01-05"), d("2006-12-01")};
  std::vector<double> limit{5};
  EXPECT_QF_ERROR(detect_stalled(stage, entered, limit, cn, d("2026-06-30")), errc::out_of_range,
                  "entered[1] is 2006-12-01, outside the calendar's valid range 2007-01-01..2026-12-31");
  EXPECT_QF_ERROR(detect_stalled(stage, gsl::span<const Date>(entered).first(1), limit, cn, d("2026-06-30")),
                  errc::invalid_argument, "length mismatch: stage has 2 elements, entered has 1");
  EXPECT_QF_ERROR(detect_stalled(stage, entered, limit, cn, d("2027-01-04")), errc::out_of_range,
                  "as_of is 2027-01-04, outside the calendar's valid range");
  std::vector<int32_t> unknown{0, 3};
  std::vector<Date> ok{d("2026-01-05"), d("2026-01-05")};
  EXPECT_QF_ERROR(detect_stalled(unknown, ok, limit, cn, d("2026-06-30")), errc::not_found,
                  "stage[1] is 3; expected a stage id in 0..0");
  std::vector<double> neg{-2};
  EXPECT_QF_ERROR(detect_stalled(stage, ok, neg, cn, d("2026-06-30")), errc::invalid_argument,
                  "limit[0] is -2; a stall limit must be finite and >= 0 (NaN: none)");
  EXPECT_QF_ERROR(detect_stalled(stage, ok, limit, cn, d("2026-01-01")), errc::invalid_argument,
                  "entered[0] is 2026-01-05, after as_of 2026-01-01");
  std::vector<std::string> one{"x"};
  StallOptions o;
  o.deal_names = one;
  EXPECT_QF_ERROR(detect_stalled(stage, ok, limit, cn, d("2026-06-30"), o), errc::invalid_argument,
                  "length mismatch: deal_names has 1 elements; expected 0 or one per deal (2)");
}

TEST(Slipped, HandWorked) {
  std::vector<Date> orig{d("2026-06-20"), d("2026-06-20"), d("2026-05-20"), d("2026-06-30")};
  std::vector<Date> now{d("2026-08-15"), d("2026-06-30"), d("2026-07-10"), d("2026-07-01")};
  std::vector<std::string> names{"DL-7", "DL-8", "DL-9", "DL-10"};
  SlipOptions o;
  o.period = 5;
  o.deal_names = names;
  auto a = detect_slipped(orig, now, d("2026-06-01"), d("2026-07-01"), o);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].entity, 0);
  EXPECT_EQ(a[0].observed, 56);
  EXPECT_EQ(a[0].period, 5);
  EXPECT_EQ(a[0].rule, Rule::deal_slipped);
  EXPECT_EQ(a[0].message,
            "Deal DL-7: close date moved from 2026-06-20 to 2026-08-15, 56 days later and out of the period ending 2026-06-30");
  EXPECT_EQ(a[1].entity, 3);
  EXPECT_EQ(a[1].observed, 1);
  EXPECT_QF_ERROR(detect_slipped(orig, now, d("2026-07-01"), d("2026-07-01")), errc::invalid_argument,
                  "end 2026-07-01 is not after start 2026-07-01");
  EXPECT_QF_ERROR(detect_slipped(orig, gsl::span<const Date>(now).first(3), d("2026-06-01"), d("2026-07-01")),
                  errc::invalid_argument, "length mismatch: original_close has 4 elements, current_close has 3");
}

TEST(Coverage, HandWorkedWithRollup) {
  Hierarchy h = Hierarchy::from_parents(std::vector<int32_t>{-1, 0, 0}, {"Company", "East", "West"});
  // East: 1000 x 0.5 = 500, 333 x 0.5 = 166.5 -> 167 (halves away from zero); West: 2000 x 0.25 =
  // 500; West's 9999 closes after the period. Roll-up: Company 1167.
  std::vector<int32_t> owner{1, 1, 2, 2};
  std::vector<int64_t> amount{1000, 333, 2000, 9999};
  std::vector<double> p{0.5, 0.5, 0.25, 1.0};
  std::vector<Date> close{d("2026-06-10"), d("2026-06-30"), d("2026-06-01"), d("2026-07-01")};
  std::vector<int64_t> remaining{3000, 600, 400};
  CoverageOptions o;
  o.hierarchy = &h;
  o.period = 5;
  auto r = pipeline_coverage(owner, amount, p, close, d("2026-06-01"), d("2026-07-01"), remaining, o);
  EXPECT_EQ(r.weighted, (std::vector<int64_t>{1167, 667, 500}));
  EXPECT_DOUBLE_EQ(r.coverage[0], 1167.0 / 3000.0);
  EXPECT_DOUBLE_EQ(r.coverage[2], 1.25);
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(r.alerts[0].severity, Severity::critical);  // 0.389 < 0.5
  EXPECT_EQ(r.alerts[0].message, "Company: weighted pipeline 1.17K covers 0.39x of the remaining target 3K, minimum 1x");
  // Without the hierarchy nodes stand alone; a made target (<= 0) has no coverage.
  std::vector<int64_t> rem2{0, 700, 400};
  CoverageOptions o2;
  o2.min_coverage = 1.2;
  auto r2 = pipeline_coverage(owner, amount, p, close, d("2026-06-01"), d("2026-07-01"), rem2, o2);
  EXPECT_EQ(r2.weighted, (std::vector<int64_t>{0, 667, 500}));
  EXPECT_TRUE(std::isnan(r2.coverage[0]));
  ASSERT_EQ(r2.alerts.size(), 1u);
  EXPECT_EQ(r2.alerts[0].entity, 1);
  EXPECT_EQ(r2.alerts[0].severity, Severity::warning);
  EXPECT_EQ(r2.alerts[0].message, "#1: weighted pipeline 667 covers 0.95x of the remaining target 700, minimum 1.2x");
}

TEST(Coverage, BadInput) {
  std::vector<int32_t> owner{0, 1};
  std::vector<int64_t> amount{10, 20};
  std::vector<double> nanp{0.5, std::nan("")}, big{0.5, 1.5};
  std::vector<Date> close{d("2026-06-10"), d("2026-06-10")};
  std::vector<int64_t> rem{10, 10};
  const Date s = d("2026-06-01"), e = d("2026-07-01");
  EXPECT_QF_ERROR(pipeline_coverage(owner, amount, nanp, close, s, e, rem), errc::invalid_argument, "probability[1] is NaN");
  EXPECT_QF_ERROR(pipeline_coverage(owner, amount, big, close, s, e, rem), errc::invalid_argument,
                  "probability[1] is 1.5; a probability must be in [0, 1]");
  std::vector<double> p{0.5, 0.5};
  std::vector<int32_t> unknown{0, 2};
  EXPECT_QF_ERROR(pipeline_coverage(unknown, amount, p, close, s, e, rem), errc::not_found,
                  "owner[1] is 2; expected a node id in 0..1");
  std::vector<int64_t> neg{10, -20};
  EXPECT_QF_ERROR(pipeline_coverage(owner, neg, p, close, s, e, rem), errc::invalid_argument,
                  "amount[1] is -20; a deal amount cannot be negative");
  EXPECT_QF_ERROR(pipeline_coverage(owner, gsl::span<const int64_t>(amount).first(1), p, close, s, e, rem),
                  errc::invalid_argument, "length mismatch: owner has 2 elements, amount has 1");
}

// ---- the sample company: the planted deviations and nothing else -------------------------------
namespace {
using Table = std::vector<std::map<std::string, std::string>>;
Table read_csv(const std::string& name) {
  std::ifstream f(std::string(QUOTAFLOW_PROJECT_DATA_DIR) + "/sample_company/" + name);
  if (!f) ADD_FAILURE() << "cannot open " << name;
  std::string line;
  std::vector<std::string> header;
  Table t;
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string cell;
    while (std::getline(ss, cell, ',')) out.push_back(cell);
    if (!s.empty() && s.back() == ',') out.emplace_back();
    return out;
  };
  while (std::getline(f, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto cells = split(line);
    if (header.empty()) {
      header = cells;
      continue;
    }
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size(); ++i) row[header[i]] = i < cells.size() ? cells[i] : "";
    t.push_back(std::move(row));
  }
  return t;
}
struct Ids {
  std::map<std::string, int32_t> id;
  std::vector<std::string> names;
  int32_t operator()(const std::string& s) {
    auto [it, fresh] = id.emplace(s, static_cast<int32_t>(names.size()));
    if (fresh) names.push_back(s);
    return it->second;
  }
};
std::vector<std::string> alert_names(const std::vector<Alert>& alerts, const std::vector<std::string>& names,
                                     Rule rule) {
  std::vector<std::string> out;
  for (const auto& a : alerts)
    if (a.rule == rule) out.push_back(names[static_cast<size_t>(a.entity)]);
  return out;
}
const Date sample_as_of = date_from_string("2026-06-30");
}  // namespace

TEST(SampleCompany, StalledDeals) {
  auto model = process::load_model(std::string(QUOTAFLOW_PROJECT_DATA_DIR) + "/sample_company/process_model.json");
  // The model's max_duration is stall_factor (2) x expected_duration_days for every open stage.
  auto limits = stall_limits(model);
  for (const auto& row : read_csv("process_stages.csv")) {
    const auto s = model.find_stage(row.at("stage_id"));
    ASSERT_TRUE(s.has_value());
    if (row.at("is_terminal") == "1") continue;
    EXPECT_EQ(limits[static_cast<size_t>(*s)], 2 * std::stod(row.at("expected_duration_days"))) << row.at("stage_id");
  }
  std::map<std::string, std::pair<std::string, std::string>> last;  // deal -> (entered_at, stage)
  for (const auto& e : read_csv("deal_events.csv")) {
    auto& l = last[e.at("deal_id")];
    if (e.at("entered_at") >= l.first) l = {e.at("entered_at"), e.at("stage_id")};
  }
  std::vector<std::string> names;
  std::vector<int32_t> stage;
  std::vector<Date> entered;
  for (const auto& row : read_csv("deals.csv")) {
    names.push_back(row.at("deal_id"));
    const auto& l = last.at(row.at("deal_id"));
    stage.push_back(row.at("status") == "open" ? *model.find_stage(l.second) : -1);
    entered.push_back(date_from_string(l.first.substr(0, 10)));
  }
  std::vector<std::string> stage_names;
  for (const auto& s : model.stages()) stage_names.push_back(s.name);
  StallOptions o;
  o.day_count = DayCount::calendar_days;  // the model's unit
  o.deal_names = names;
  o.stage_names = stage_names;
  const Calendar cal = Calendar::preset("CN");
  auto r = detect_stalled(stage, entered, limits, cal, sample_as_of, o);
  EXPECT_EQ(alert_names(r.alerts, names, Rule::deal_stalled),
            (std::vector<std::string>{"DL-0149", "DL-0154", "DL-0155", "DL-0171"}));
  ASSERT_EQ(r.alerts.size(), 4u);
  EXPECT_EQ(r.alerts[0].message, "Deal DL-0149: 153 days in negotiation, limit 28");
  EXPECT_EQ(r.alerts[1].message, "Deal DL-0154: 169 days in qualification, limit 20");
  EXPECT_EQ(r.alerts[2].message, "Deal DL-0155: 126 days in price_approval, limit 6");
  EXPECT_EQ(r.alerts[3].message, "Deal DL-0171: 141 days in proposal, limit 20");
  // Counted in working days of the CN calendar the same four deals, and only they, stall.
  o.day_count = DayCount::working_days;
  auto w = detect_stalled(stage, entered, limits, cal, sample_as_of, o);
  EXPECT_EQ(alert_names(w.alerts, names, Rule::deal_stalled),
            (std::vector<std::string>{"DL-0149", "DL-0154", "DL-0155", "DL-0171"}));
}

TEST(SampleCompany, TerritoryPriceAndReceivables) {
  // Geography: country -> province -> territory.
  std::vector<std::string> child{"CN"}, parent{""};
  std::map<std::string, std::string> territory_name;
  for (const auto& t : read_csv("territories.csv")) {
    if (std::find(child.begin(), child.end(), t.at("province")) == child.end()) {
      child.push_back(t.at("province"));
      parent.push_back("CN");
    }
    child.push_back(t.at("territory_id"));
    parent.push_back(t.at("province"));
  }
  Hierarchy geo = Hierarchy::from_edges(child, parent);
  TerritoryIndex index(geo);
  Ids sellers;
  std::vector<int32_t> seller_territory;
  for (const auto& n : read_csv("org.csv")) {
    sellers(n.at("node_id"));
    seller_territory.push_back(n.at("territory_id").empty() ? -1 : geo.index_of(n.at("territory_id")));
  }
  std::map<std::string, std::string> customer_territory;
  for (const auto& c : read_csv("customers.csv")) customer_territory[c.at("customer_id")] = c.at("territory_id");
  Ids products;
  std::vector<int64_t> list_price;
  std::vector<uint8_t> promo;
  for (const auto& p : read_csv("products.csv")) {
    products(p.at("product_id"));
    list_price.push_back(std::stoll(p.at("list_price_minor")));
    promo.push_back(p.at("is_promotional") == "1");
  }
  std::vector<std::string> sale_names;
  std::vector<int32_t> sale_seller, sale_location, sale_product, sale_tier;
  std::vector<int64_t> unit_price;
  std::vector<double> discount;
  std::map<std::string, int32_t> order_seller;
  for (const auto& s : read_csv("sales_facts.csv")) {
    sale_names.push_back(s.at("line_id"));
    sale_seller.push_back(sellers.id.at(s.at("node_id")));
    sale_location.push_back(geo.index_of(customer_territory.at(s.at("customer_id"))));
    sale_product.push_back(products.id.at(s.at("product_id")));
    sale_tier.push_back(0);  // one tier: the company's max_discount_pct
    unit_price.push_back(std::stoll(s.at("unit_price_minor")));
    discount.push_back(std::stod(s.at("discount_pct")));
    order_seller[s.at("order_id")] = sale_seller.back();
  }
  TerritoryOptions to;
  to.sale_names = sale_names;
  to.seller_names = sellers.names;
  auto ta = check_territory(index, sale_seller, sale_location, seller_territory, to);
  EXPECT_EQ(alert_names(ta, sale_names, Rule::territory_violation), (std::vector<std::string>{"SL26-001667"}));
  ASSERT_EQ(ta.size(), 1u);
  EXPECT_EQ(ta[0].message, "Sale SL26-001667: seller SP-08 (territory T-SUZ) sold in T-NJ, outside its territory");

  const std::vector<double> max_discount{15};  // company.csv max_discount_pct
  PricePolicy pol;
  pol.list_price = list_price;
  pol.promotional = promo;
  pol.max_discount_pct = max_discount;
  pol.amount_scale = 2;
  pol.sale_names = sale_names;
  pol.product_names = products.names;
  auto pa = check_prices(sale_product, sale_tier, unit_price, discount, pol);
  EXPECT_EQ(alert_names(pa, sale_names, Rule::promo_not_free), (std::vector<std::string>{"SL26-001880"}));
  EXPECT_EQ(alert_names(pa, sale_names, Rule::discount_above_max), (std::vector<std::string>{"SL26-002481", "SL26-002910"}));
  EXPECT_EQ(pa.size(), 3u);
  for (const auto& a : pa) {
    if (a.rule != Rule::promo_not_free) continue;
    EXPECT_EQ(a.message, "Sale SL26-001880: P903 is promotional and must be given free, but was sold at 18");
  }

  // Receivables as of 2026-06-30.
  Ids invoices, customers;
  std::vector<int32_t> inv_customer, inv_seller;
  std::vector<Date> due;
  std::vector<int64_t> amount;
  for (const auto& c : read_csv("customers.csv")) customers(c.at("customer_id"));
  for (const auto& i : read_csv("invoices.csv")) {
    invoices(i.at("invoice_id"));
    inv_customer.push_back(customers.id.at(i.at("customer_id")));
    inv_seller.push_back(order_seller.count(i.at("order_id")) ? order_seller.at(i.at("order_id")) : -1);
    due.push_back(date_from_string(i.at("due_date")));
    amount.push_back(std::stoll(i.at("amount_minor")));
  }
  std::vector<int32_t> pay_invoice;
  std::vector<int64_t> pay_amount;
  std::vector<Date> pay_date;
  for (const auto& p : read_csv("payments.csv")) {
    pay_invoice.push_back(invoices.id.at(p.at("invoice_id")));
    pay_amount.push_back(std::stoll(p.at("amount_minor")));
    pay_date.push_back(date_from_string(p.at("paid_date")));
  }
  auto paid = paid_by_invoice(pay_invoice, pay_amount, pay_date, invoices.names.size(), sample_as_of);
  ReceivableOptions ro;
  ro.amount_scale = 2;
  ro.invoice_names = invoices.names;
  ro.customer_names = customers.names;
  ro.seller_names = sellers.names;
  auto rr = receivables(inv_customer, inv_seller, due, amount, paid, customers.names.size(), sellers.names.size(),
                        sample_as_of, ro);
  std::vector<std::string> overdue;
  for (const auto& a : rr.alerts)
    if (a.entity_kind == EntityKind::invoice) overdue.push_back(invoices.names[static_cast<size_t>(a.entity)]);
  EXPECT_EQ(overdue, (std::vector<std::string>{"INV26-00214", "INV26-00323", "INV26-00560", "INV26-00633", "INV26-00895",
                                               "INV26-01212"}));
  // The near miss, due on as_of itself, is not overdue.
  EXPECT_EQ(rr.days_past_due[static_cast<size_t>(invoices.id.at("INV26-01232"))], 0);
  for (const auto& a : rr.alerts) {
    if (a.entity_kind != EntityKind::invoice || invoices.names[static_cast<size_t>(a.entity)] != "INV26-00560") continue;
    EXPECT_EQ(a.observed, 2190321);
    EXPECT_EQ(a.message, "Invoice INV26-00560 of customer C0019: 21.9K outstanding, 60 days past due (due 2026-05-01)");
  }
  std::vector<std::string> customer_alerts;
  for (const auto& a : rr.alerts)
    if (a.entity_kind == EntityKind::customer) customer_alerts.push_back(customers.names[static_cast<size_t>(a.entity)]);
  std::sort(customer_alerts.begin(), customer_alerts.end());
  EXPECT_EQ(customer_alerts, (std::vector<std::string>{"C0019", "C0031", "C0188", "C0198", "C0232"}));
}
