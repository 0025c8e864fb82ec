// Monitor rule detectors on 1 million rows each (issue 5, Release, one core). The streaming
// monitor calls these over its current state at every advance(as_of), so per-row work must be
// O(1) and allocation-free; only alerts allocate (their messages). Inputs are drawn so that about
// 1-3% of rows raise an alert, as in a healthy pipeline.
// The exact target probability is a dynamic programme, O(deals x amount units) per node, not
// O(1) per row: it is measured on 100,000 nodes x 10 open deals (1 million deals).
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "quotaflow/monitor/activity.hpp"
#include "quotaflow/monitor/deals.hpp"
#include "quotaflow/monitor/late_cases.hpp"
#include "quotaflow/monitor/price_policy.hpp"
#include "quotaflow/monitor/receivables.hpp"
#include "quotaflow/monitor/target_probability.hpp"
#include "quotaflow/monitor/territory.hpp"

namespace {

using namespace quotaflow;
using namespace quotaflow::monitor;

constexpr size_t rows = 1'000'000;
const Date as_of = date_from_string("2026-06-30");

void BM_Stalled(benchmark::State& state) {
  std::mt19937_64 rng(1);
  const Calendar cal = Calendar::preset("CN");
  std::vector<int32_t> stage(rows);
  std::vector<Date> entered(rows);
  const std::vector<double> limit{14, 20, 28, 20, 6, 28, 14, 6, 10, 80};
  for (size_t i = 0; i < rows; ++i) {
    stage[i] = static_cast<int32_t>(rng() % 11) - 1;  // -1: closed
    entered[i] = as_of - static_cast<Date>(rng() % 60 == 0 ? 200 : rng() % 20);
  }
  size_t alerts = 0;
  for (auto _ : state) {
    auto r = detect_stalled(stage, entered, limit, cal, as_of);
    alerts = r.alerts.size();
    benchmark::DoNotOptimize(r.days_in_stage.data());
  }
  state.counters["alerts"] = static_cast<double>(alerts);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
}
BENCHMARK(BM_Stalled)->Unit(benchmark::kMillisecond);

void BM_Slipped(benchmark::State& state) {
  std::mt19937_64 rng(2);
  std::vector<Date> orig(rows), now(rows);
  const Date s = date_from_string("2026-06-01"), e = date_from_string("2026-07-01");
  for (size_t i = 0; i < rows; ++i) {
    orig[i] = s + static_cast<Date>(rng() % 60);
    now[i] = rng() % 50 == 0 ? orig[i] + 30 : orig[i];
  }
  for (auto _ : state) benchmark::DoNotOptimize(detect_slipped(orig, now, s, e).size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
}
BENCHMARK(BM_Slipped)->Unit(benchmark::kMillisecond);

void BM_PipelineCoverage(benchmark::State& state) {
  std::mt19937_64 rng(3);
  const size_t nodes = 10'000;
  std::vector<int32_t> owner(rows);
  std::vector<int64_t> amount(rows);
  std::vector<double> p(rows);
  std::vector<Date> close(rows);
  for (size_t i = 0; i < rows; ++i) {
    owner[i] = static_cast<int32_t>(rng() % nodes);
    amount[i] = 10'000 + static_cast<int64_t>(rng() % 10'000'000);
    p[i] = static_cast<double>(rng() % 100) / 100.0;
    close[i] = as_of - 29 + static_cast<Date>(rng() % 60);
  }
  std::vector<int64_t> remaining(nodes, 250'000'000);
  const Date s = date_from_string("2026-06-01"), e = date_from_string("2026-07-01");
  for (auto _ : state) benchmark::DoNotOptimize(pipeline_coverage(owner, amount, p, close, s, e, remaining).alerts.size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
}
BENCHMARK(BM_PipelineCoverage)->Unit(benchmark::kMillisecond);

void BM_TargetProbability(benchmark::State& state) {
  std::mt19937_64 rng(4);
  const size_t nodes = 100'000;
  std::vector<int32_t> owner(rows);
  std::vector<int64_t> amount(rows);
  std::vector<double> p(rows);
  for (size_t i = 0; i < rows; ++i) {
    owner[i] = static_cast<int32_t>(i % nodes);
    amount[i] = 100'000 + static_cast<int64_t>(rng() % 9'900'000);  // 1,000.00 .. 100,000.00
    p[i] = 0.05 + static_cast<double>(rng() % 90) / 100.0;
  }
  std::vector<int64_t> remaining(nodes, 30'000'000);
  TargetProbabilityOptions o;
  o.unit = 100'000;  // 1,000.00: at most 10 x 500.00 off per node
  for (auto _ : state) benchmark::DoNotOptimize(target_probabilities(owner, amount, p, remaining, o).alerts.size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
}
BENCHMARK(BM_TargetProbability)->Unit(benchmark::kMillisecond);

void BM_PricePolicy(benchmark::State& state) {
  std::mt19937_64 rng(5);
  const size_t products = 1000;
  std::vector<int64_t> list(products);
  std::vector<uint8_t> promo(products);
  for (size_t g = 0; g < products; ++g) {
    promo[g] = g % 50 == 0;
    list[g] = promo[g] ? 0 : 1000 + static_cast<int64_t>(rng() % 10'000);
  }
  std::vector<int32_t> product(rows), tier(rows);
  std::vector<int64_t> price(rows);
  std::vector<double> disc(rows);
  for (size_t i = 0; i < rows; ++i) {
    product[i] = static_cast<int32_t>(rng() % products);
    tier[i] = static_cast<int32_t>(rng() % 3);
    const auto g = static_cast<size_t>(product[i]);
    disc[i] = static_cast<double>(rng() % 100 == 0 ? 30 : rng() % 15);
    price[i] = promo[g] ? (rng() % 10 == 0 ? 100 : 0) : list[g] * (100 - static_cast<int64_t>(disc[i])) / 100;
  }
  const std::vector<double> max_disc{15, 20, 25};
  PricePolicy pol;
  pol.list_price = list;
  pol.promotional = promo;
  pol.floor_share = 0.6;
  pol.ceiling_share = 1.2;
  pol.max_discount_pct = max_disc;
  for (auto _ : state) benchmark::DoNotOptimize(check_prices(product, tier, price, disc, pol).size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
}
BENCHMARK(BM_PricePolicy)->Unit(benchmark::kMillisecond);

void BM_Territory(benchmark::State& state) {
  std::mt19937_64 rng(6);
  // Country -> 30 provinces -> 10 cities each -> 10 districts each (3,331 nodes).
  std::vector<int32_t> parents{-1};
  for (int p = 0; p < 30; ++p) parents.push_back(0);
  for (int c = 0; c < 300; ++c) parents.push_back(1 + c / 10);
  for (int d = 0; d < 3000; ++d) parents.push_back(31 + d / 10);
  Hierarchy h = Hierarchy::from_parents(parents);
  TerritoryIndex geo(h);
  const size_t sellers = 5000;
  std::vector<int32_t> seller_territory(sellers);
  for (auto& t : seller_territory) t = 31 + static_cast<int32_t>(rng() % 300);  // a city each
  std::vector<int32_t> seller(rows), location(rows);
  for (size_t i = 0; i < rows; ++i) {
    seller[i] = static_cast<int32_t>(rng() % sellers);
    const int32_t city = rng() % 100 == 0 ? 31 + static_cast<int32_t>(rng() % 300) : seller_territory[static_cast<size_t>(seller[i])];
    location[i] = 331 + (city - 31) * 10 + static_cast<int32_t>(rng() % 10);
  }
  for (auto _ : state) benchmark::DoNotOptimize(check_territory(geo, seller, location, seller_territory).size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
}
BENCHMARK(BM_Territory)->Unit(benchmark::kMillisecond);

void BM_Receivables(benchmark::State& state) {
  std::mt19937_64 rng(7);
  const size_t customers = 50'000, sellers = 2'000;
  std::vector<int32_t> customer(rows), seller(rows);
  std::vector<Date> due(rows);
  std::vector<int64_t> amount(rows), paid(rows);
  for (size_t i = 0; i < rows; ++i) {
    customer[i] = static_cast<int32_t>(rng() % customers);
    seller[i] = static_cast<int32_t>(rng() % sellers);
    due[i] = as_of - 150 + static_cast<Date>(rng() % 200);
    amount[i] = 1000 + static_cast<int64_t>(rng() % 10'000'000);
    paid[i] = due[i] < as_of && rng() % 50 == 0 ? 0 : amount[i];
  }
  ReceivableOptions o;
  o.customer_alerts = o.seller_alerts = true;
  for (auto _ : state)
    benchmark::DoNotOptimize(receivables(customer, seller, due, amount, paid, customers, sellers, as_of, o).alerts.size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
}
BENCHMARK(BM_Receivables)->Unit(benchmark::kMillisecond);

void BM_Activity(benchmark::State& state) {
  std::mt19937_64 rng(8);
  std::vector<int64_t> planned(rows), done(rows);
  for (size_t c = 0; c < rows; ++c) {
    planned[c] = 10 + static_cast<int64_t>(rng() % 20);
    done[c] = rng() % 50 == 0 ? planned[c] / 2 : planned[c];
  }
  for (auto _ : state) benchmark::DoNotOptimize(activity_compliance(planned, done, 10).alerts.size());  // 100,000 sellers x 10 periods
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
}
BENCHMARK(BM_Activity)->Unit(benchmark::kMillisecond);

void BM_LateCases(benchmark::State& state) {
  std::mt19937_64 rng(9);
  std::vector<int64_t> end(rows), planned(rows);
  const int64_t base = int64_t{1'300'000'000} * 1'000'000'000;
  for (size_t i = 0; i < rows; ++i) {
    planned[i] = base + static_cast<int64_t>(rng() % 1'000'000) * 1'000'000'000;
    end[i] = rng() % 10 == 0 ? no_time : planned[i] + (rng() % 50 == 0 ? 1 : -1) * static_cast<int64_t>(rng() % 86400) * 1'000'000'000;
  }
  for (auto _ : state) benchmark::DoNotOptimize(late_cases(end, planned).alerts.size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
}
BENCHMARK(BM_LateCases)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
