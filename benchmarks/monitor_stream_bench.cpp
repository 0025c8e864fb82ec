// Streaming monitor: ingest of a mix of event kinds with all rules on, and advance() on a
// realistic state (2,021 nodes x 12 months, 20,000 open deals, 50,000 invoices, 5,000 cases).
#include <benchmark/benchmark.h>

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
  return c;  // every rule is enabled by default
}

// One batch of each kind in the proportions of a day's traffic: 70 % sales, 10 % stage changes,
// 8 % visits, 5 % invoices, 5 % payments, 2 % cases.
struct Events {
  std::vector<int32_t> sale_node, sale_date, stage, stage_date, visit_seller, visit_date, pay_date, due;
  std::vector<int64_t> sale_amount, deal, visit_count, invoice, customer, inv_amount, pay_invoice, pay_amount, case_id,
      case_end, case_planned;
  size_t total = 0;
  Events(size_t n, uint64_t seed, int64_t invoice_base) {
    std::mt19937_64 rng(seed);
    auto leaf = [&] { return static_cast<int32_t>(1 + regions + rng() % (regions * per_region)); };
    auto day = [&] { return start + static_cast<Date>(rng() % 140); };
    for (size_t i = 0; i < n * 70 / 100; ++i)
      sale_node.push_back(leaf()), sale_date.push_back(day()), sale_amount.push_back(static_cast<int64_t>(rng() % 5000));
    for (size_t i = 0; i < n * 10 / 100; ++i)
      deal.push_back(static_cast<int64_t>(rng() % 20000)), stage.push_back(static_cast<int32_t>(rng() % 5)),
          stage_date.push_back(day());
    for (size_t i = 0; i < n * 8 / 100; ++i) visit_seller.push_back(leaf()), visit_date.push_back(day()), visit_count.push_back(1);
    for (size_t i = 0; i < n * 5 / 100; ++i)
      invoice.push_back(invoice_base + static_cast<int64_t>(i)), customer.push_back(static_cast<int64_t>(rng() % 3000)),
          inv_amount.push_back(1 + static_cast<int64_t>(rng() % 90000)), due.push_back(day() + 30);
    for (size_t i = 0; i < n * 5 / 100; ++i)
      pay_invoice.push_back(invoice[rng() % invoice.size()]), pay_amount.push_back(1 + static_cast<int64_t>(rng() % 20000)),
          pay_date.push_back(day());
    for (size_t i = 0; i < n * 2 / 100; ++i) {
      const int64_t planned = (int64_t{start} + static_cast<int64_t>(rng() % 140)) * ns_per_day;
      case_id.push_back(static_cast<int64_t>(rng() % 5000)), case_planned.push_back(planned),
          case_end.push_back(rng() % 3 == 0 ? no_time : planned + static_cast<int64_t>(rng() % (4 * ns_per_day)) - 2 * ns_per_day);
    }
    total = sale_node.size() + deal.size() + visit_seller.size() + invoice.size() + pay_invoice.size() + case_id.size();
  }
  void push(Monitor& m) const {
    m.push_sales(sale_node, sale_date, sale_amount);
    m.push_stage_changes(deal, stage, stage_date);
    m.push_visits(visit_seller, visit_date, visit_count);
    m.push_invoices(invoice, customer, inv_amount, due);
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
