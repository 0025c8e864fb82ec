// Deviation detection benchmarks. Target: bulk control charts, 100,000 series x 52 weekly points
// with all 8 Nelson rules, in under 200 ms on one core (Release).
//
// The data are KPI-like: each series has its own level and spread, and one series in ten has a
// level shift in its last 12 weeks, so signals are produced (the counters report how many).
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "quotaflow/monitor/control_chart.hpp"

namespace {

using namespace quotaflow::monitor;

std::vector<double> make_series(size_t n_series, size_t n_points, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> level(1e4, 1e6), spread(0.02, 0.2);
  std::vector<double> m(n_series * n_points);
  for (size_t s = 0; s < n_series; ++s) {
    const double mu = level(rng), sd = mu * spread(rng);
    const bool shifted = s % 10 == 0;
    for (size_t i = 0; i < n_points; ++i)
      m[s * n_points + i] = mu + sd * normal(rng) + (shifted && i + 12 >= n_points ? 2 * sd : 0.0);
  }
  return m;
}

void run_bulk(benchmark::State& state, const ChartOptions& options) {
  const auto S = static_cast<size_t>(state.range(0)), P = static_cast<size_t>(state.range(1));
  const std::vector<double> m = make_series(S, P, 42);
  size_t signals = 0;
  for (auto _ : state) {
    ChartResult r = control_charts(m, S, P, options);
    signals = r.signals.size();
    benchmark::DoNotOptimize(r.signals.index.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(S * P));
  state.counters["signals"] = static_cast<double>(signals);
}

void BM_ControlChartsNelson(benchmark::State& state) { run_bulk(state, {.rules = nelson_rules}); }

void BM_ControlChartsNelsonBaseline(benchmark::State& state) {
  // The first 40 weeks set centre and sigma; the last 12 are judged against them.
  static std::vector<uint8_t> base = [] {
    std::vector<uint8_t> b(52, 0);
    for (size_t i = 0; i < 40; ++i) b[i] = 1;
    return b;
  }();
  run_bulk(state, {.rules = nelson_rules, .baseline = base});
}

void BM_ControlChartsAllRunRules(benchmark::State& state) { run_bulk(state, {.rules = run_rules}); }
void BM_ControlChartsRobust(benchmark::State& state) { run_bulk(state, {.rules = nelson_rules, .robust = true}); }
void BM_ControlChartsCusum(benchmark::State& state) { run_bulk(state, {.kind = ChartKind::cusum}); }
void BM_ControlChartsEwma(benchmark::State& state) { run_bulk(state, {.kind = ChartKind::ewma}); }

BENCHMARK(BM_ControlChartsNelson)->Args({100'000, 52})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ControlChartsNelsonBaseline)->Args({100'000, 52})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ControlChartsAllRunRules)->Args({100'000, 52})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ControlChartsRobust)->Args({100'000, 52})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ControlChartsCusum)->Args({100'000, 52})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ControlChartsEwma)->Args({100'000, 52})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
