// Roll-up and tracking benchmarks. Targets (issue 5, Release, one core):
//   rollup of 10 million facts into a 100,000-leaf hierarchy x 12 months: under 150 ms;
//   track on 1 million node x period cells: under 100 ms.
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "quotaflow/monitor/rollup.hpp"
#include "quotaflow/monitor/track.hpp"

namespace {

using namespace quotaflow;

// 1 root, 10 regions, 100 districts, 1,000 areas, then `leaves` leaves, each level's parents
// drawn at random from the level above (random fan-out). Node order is level order.
Hierarchy make_org(size_t leaves, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int32_t> parents{-1};
  size_t first_prev = 0, prev = 1;
  for (size_t size : {size_t{10}, size_t{100}, size_t{1000}, leaves}) {
    const size_t first = parents.size();
    for (size_t i = 0; i < size; ++i) parents.push_back(static_cast<int32_t>(first_prev + rng() % prev));
    first_prev = first;
    prev = size;
  }
  return Hierarchy::from_parents(parents);
}

struct Facts {
  std::vector<int32_t> node;
  std::vector<Date> date;
  std::vector<int64_t> amount;
};

// n facts on random leaves, dated uniformly over 2026 (plus 1% in December 2025, outside).
Facts make_facts(const Hierarchy& h, size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Facts f;
  f.node.resize(n);
  f.date.resize(n);
  f.amount.resize(n);
  const Date start = date_from_string("2026-01-01");
  const auto leaves = h.leaves();
  for (size_t i = 0; i < n; ++i) {
    f.node[i] = leaves[rng() % leaves.size()];
    f.date[i] = rng() % 100 == 0 ? start - 1 - static_cast<Date>(rng() % 31) : start + static_cast<Date>(rng() % 365);
    f.amount[i] = 100 + static_cast<int64_t>(rng() % 1'000'000);
  }
  return f;
}

void BM_Rollup(benchmark::State& state) {
  const Hierarchy h = make_org(100'000, 3);
  const Calendar cal = Calendar::preset("CN");
  const Facts f = make_facts(h, static_cast<size_t>(state.range(0)), 9);
  const Date start = date_from_string("2026-01-01"), end = date_from_string("2027-01-01");
  for (auto _ : state) benchmark::DoNotOptimize(monitor::rollup(h, cal, f.node, f.date, f.amount, start, end, Grain::month));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.SetLabel(std::to_string(h.leaves().size()) + " leaves, " + std::to_string(h.size()) + " nodes x 12 months");
}
BENCHMARK(BM_Rollup)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_Track(benchmark::State& state) {
  // 1 + 10 + 100 + 1,000 + 82,222 = 83,333 nodes x 12 months = 999,996 cells.
  const Hierarchy h = make_org(82'222, 5);
  const Calendar cal = Calendar::preset("CN");
  const Date start = date_from_string("2026-01-01"), end = date_from_string("2027-01-01");
  const size_t P = 12, cells = h.size() * P;
  std::mt19937_64 rng(17);
  std::vector<int64_t> plan(cells, 0), actual(cells, 0);
  for (int32_t v : h.leaves())
    for (size_t k = 0; k < P; ++k) {
      plan[static_cast<size_t>(v) * P + k] = 1'000'000 + static_cast<int64_t>(rng() % 10'000'000);
      actual[static_cast<size_t>(v) * P + k] = static_cast<int64_t>(rng() % 8'000'000);
    }
  monitor::detail::rollup_rows(h, plan.data(), P, "plan");
  monitor::detail::rollup_rows(h, actual.data(), P, "actual");
  std::vector<double> month{1.3, 0.7, 0.9, 1.0, 1.0, 1.2, 1.1, 1.1, 1.2, 0.8, 1.1, 1.0};
  monitor::TrackOptions opt;
  if (state.range(0)) opt.month_profile = month;
  const Date as_of = date_from_string("2026-03-18");
  for (auto _ : state) benchmark::DoNotOptimize(monitor::track(h, cal, plan, actual, start, end, as_of, opt));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(cells));
  state.SetLabel(std::to_string(cells) + " cells" + (state.range(0) ? ", month profile" : ", working days"));
}
BENCHMARK(BM_Track)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_PriceVolumeMix(benchmark::State& state) {
  // 1 million item rows in 100,000 groups (10 products per node x period cell).
  const size_t n = 1'000'000, groups = 100'000;
  std::mt19937_64 rng(23);
  std::vector<int32_t> group(n);
  std::vector<int64_t> qp(n), rp(n), qa(n), ra(n);
  for (size_t i = 0; i < n; ++i) {
    group[i] = static_cast<int32_t>(i / 10);
    qp[i] = 1 + static_cast<int64_t>(rng() % 1000);
    rp[i] = qp[i] * (500 + static_cast<int64_t>(rng() % 1000));
    qa[i] = static_cast<int64_t>(rng() % 1200);
    ra[i] = qa[i] * (450 + static_cast<int64_t>(rng() % 1100));
  }
  for (auto _ : state) benchmark::DoNotOptimize(monitor::price_volume_mix(group, qp, rp, qa, ra, groups));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
}
BENCHMARK(BM_PriceVolumeMix)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
