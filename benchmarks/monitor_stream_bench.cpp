// Streaming monitor: ingest of a mix of event kinds with every rule on (pacing, deals with
// figures, priced and located sales against a price policy and a geography, invoices with
// sellers and a collection plan, visits, cases, control charts over a KPI history), and advance()
// on a realistic state (2,021 nodes x 12 months, 20,000 deals, 50,000 invoices, 5,000 cases).
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <vector>

#include "quotaflow/monitor/monitor.hpp"

using namespace quotaflow;
using namespace quotaflow::monitor;

namespace {
constexpr int regions = 20, per_region = 100;
const Date start = date_from_string("2026-01-01"), end = date_from_string("2027-01-01");

Hierarchy org() {
  std::vector<int32_t> p{-1};
  for (int r = 0; r < regions; ++r) p.push_back(0);
  for (int r = 0; r < regions; ++r)
    for (int s = 0; s < per_region; ++s) p.push_back(1 + r);
  return Hierarchy::from_parents(p);
}

MonitorConfig config(const Hierarchy& h) {
  MonitorConfig c;
  c.start = start;
  c.end = end;
  const size_t n = h.size();
  std::vector<int64_t> leaf(n * 12, 0), visits(n * 12, 0);
  for (size_t v = 1 + regions; v < n; ++v)
    for (size_t k = 0; k < 12; ++k) leaf[v * 12 + k] = 100000, visits[v * 12 + k] = 40;
  c.plan = leaf;
  monitor::detail::rollup_rows(h, c.plan.data(), 12, "plan");
  c.visit_plan = visits;
  c.stage_limit_days = {5, 10, 15, 20, 10};
  c.collection_plan = c.plan;
  // Two years of monthly history per node around the plan's level (the chart baseline).
  std::mt19937_64 rng(7);
  c.kpi_history.resize(n * 24);
  for (size_t v = 0; v < n; ++v)
    for (size_t j = 0; j < 24; ++j)
      c.kpi_history[v * 24 + j] = static_cast<double>(c.plan[v * 12]) * (0.9 + 0.2 * static_cast<double>(rng() % 1000) / 1000.0);
  // 100 items, 3 tiers, 3,000 customers; the geography has the org's shape, every seller sells
  // in its region.
  auto& p = c.sales;
  for (int g = 0; g < 100; ++g) p.list_price.push_back(1000 + 50 * g), p.promotional.push_back(g == 99 ? 1 : 0);
  p.max_discount_pct = {10, 15, 20};
  for (int k = 0; k < 3000; ++k) p.customer_tier.push_back(k % 3);
  p.territories = std::make_shared<const Hierarchy>(h);
  p.seller_territory.assign(n, -1);
  for (size_t v = 1 + regions; v < n; ++v) p.seller_territory[v] = h.parents()[v];
  return c;  // every rule is enabled by default
}

// One batch of each kind in the proportions of a day's traffic: 65 % sales (with item, price,
// customer and location; about 1 % break the price policy or the territory), 10 % stage changes,
// 5 % deal figures, 8 % visits, 5 % invoices (with seller), 5 % payments, 2 % cases.
struct Events {
  std::vector<int32_t> sale_node, sale_date, stage, stage_date, visit_seller, visit_date, pay_date, due, item, sale_customer,
      location, owner, close, inv_seller;
  std::vector<int64_t> sale_amount, deal, visit_count, invoice, customer, inv_amount, pay_invoice, pay_amount, case_id,
      case_end, case_planned, price, figure_deal, deal_amount;
  std::vector<double> probability;
  size_t total = 0;
  Events(size_t n, uint64_t seed, int64_t invoice_base) {
    std::mt19937_64 rng(seed);
    auto leaf = [&] { return static_cast<int32_t>(1 + regions + rng() % (regions * per_region)); };
    auto day = [&] { return start + static_cast<Date>(rng() % 140); };
    for (size_t i = 0; i < n * 65 / 100; ++i) {
      const int32_t v = leaf(), g = static_cast<int32_t>(rng() % 99);
      const bool odd = rng() % 100 == 0;
      const int64_t list = 1000 + 50 * g, units = 1 + static_cast<int64_t>(rng() % 5);
      const int64_t unit_price = list - list * static_cast<int64_t>(odd ? 25 : rng() % 10) / 100;
      sale_node.push_back(v), sale_date.push_back(day()), sale_amount.push_back(units * unit_price);
      item.push_back(g), price.push_back(unit_price), sale_customer.push_back(static_cast<int32_t>(rng() % 3000));
      location.push_back(odd && rng() % 2 ? leaf() : v);
    }
    for (size_t i = 0; i < n * 5 / 100; ++i)
      figure_deal.push_back(static_cast<int64_t>(rng() % 20000)), owner.push_back(leaf()),
          deal_amount.push_back(static_cast<int64_t>(10000 + rng() % 500000)),
          probability.push_back(static_cast<double>(rng() % 100) / 100.0), close.push_back(day() + 30);
    for (size_t i = 0; i < n * 10 / 100; ++i)
      deal.push_back(static_cast<int64_t>(rng() % 20000)), stage.push_back(static_cast<int32_t>(rng() % 5)),
          stage_date.push_back(day());
    for (size_t i = 0; i < n * 8 / 100; ++i) visit_seller.push_back(leaf()), visit_date.push_back(day()), visit_count.push_back(1);
    for (size_t i = 0; i < n * 5 / 100; ++i)
      invoice.push_back(invoice_base + static_cast<int64_t>(i)), customer.push_back(static_cast<int64_t>(rng() % 3000)),
          inv_amount.push_back(1 + static_cast<int64_t>(rng() % 90000)), due.push_back(day() + 30), inv_seller.push_back(leaf());
    for (size_t i = 0; i < n * 5 / 100; ++i)
      pay_invoice.push_back(invoice[rng() % invoice.size()]), pay_amount.push_back(1 + static_cast<int64_t>(rng() % 20000)),
          pay_date.push_back(day());
    for (size_t i = 0; i < n * 2 / 100; ++i) {
      const int64_t planned = (int64_t{start} + static_cast<int64_t>(rng() % 140)) * ns_per_day;
      case_id.push_back(static_cast<int64_t>(rng() % 5000)), case_planned.push_back(planned),
          case_end.push_back(rng() % 3 == 0 ? no_time : planned + static_cast<int64_t>(rng() % (4 * ns_per_day)) - 2 * ns_per_day);
    }
    total = sale_node.size() + deal.size() + figure_deal.size() + visit_seller.size() + invoice.size() + pay_invoice.size() +
            case_id.size();
  }
  void push(Monitor& m) const {
    SaleColumns s;
    s.node = sale_node;
    s.date = sale_date;
    s.amount = sale_amount;
    s.item = item;
    s.price = price;
    s.customer = sale_customer;
    s.location = location;
    m.push_sales(s);
    m.push_stage_changes(deal, stage, stage_date);
    m.push_deals(figure_deal, owner, deal_amount, probability, close);
    m.push_visits(visit_seller, visit_date, visit_count);
    m.push_invoices(invoice, customer, inv_amount, due, inv_seller);
    m.push_payments(pay_invoice, pay_amount, pay_date);
    m.push_cases(case_id, case_end, case_planned);
  }
};

// Ingest: 1,000,000 events per iteration in batches of 10,000 (every kind in each batch); a fresh
// monitor per iteration (outside the timing) so invoice ids stay new.
void BM_MonitorIngestMix(benchmark::State& state) {
  const Hierarchy h = org();
  const MonitorConfig cfg = config(h);
  const size_t batch = static_cast<size_t>(state.range(0));
  std::vector<Events> batches;
  for (size_t b = 0; b < 1000000 / batch; ++b) batches.emplace_back(batch, b + 1, static_cast<int64_t>(b * batch));
  size_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Monitor m(h, Calendar{}, cfg);
    state.ResumeTiming();
    for (const auto& e : batches) {
      e.push(m);
      events += e.total;
    }
    benchmark::DoNotOptimize(m.open_deals());
  }
  state.SetItemsProcessed(static_cast<int64_t>(events));
}
BENCHMARK(BM_MonitorIngestMix)->Arg(10000)->Arg(1000)->Unit(benchmark::kMillisecond);

// advance() on the state 1,000,000 events leave (2,021 x 12 cells, ~20,000 deals, 50,000
// invoices, ~5,000 cases), alternating between two dates so alerts change each time.
void BM_MonitorAdvance(benchmark::State& state) {
  const Hierarchy h = org();
  Monitor m(h, Calendar{}, config(h));
  for (size_t b = 0; b < 100; ++b) Events(10000, b + 1, static_cast<int64_t>(b * 10000)).push(m);
  const Date a = date_from_string("2026-05-20"), b = date_from_string("2026-05-21");
  bool flip = false;
  size_t changes = 0;
  for (auto _ : state) {
    changes += m.advance(flip ? a : b).size();
    flip = !flip;
  }
  state.counters["changes_per_advance"] = static_cast<double>(changes) / static_cast<double>(state.iterations());
  state.counters["active_alerts"] = static_cast<double>(m.alerts().size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_MonitorAdvance)->Unit(benchmark::kMillisecond);

// save() of that state.
void BM_MonitorSave(benchmark::State& state) {
  const Hierarchy h = org();
  Monitor m(h, Calendar{}, config(h));
  for (size_t b = 0; b < 100; ++b) Events(10000, b + 1, static_cast<int64_t>(b * 10000)).push(m);
  m.advance(date_from_string("2026-05-20"));
  size_t bytes = 0;
  for (auto _ : state) bytes += m.save().size();
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_MonitorSave)->Unit(benchmark::kMillisecond);
}  // namespace

BENCHMARK_MAIN();
