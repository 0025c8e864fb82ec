// Allocation benchmarks. Apportionment target: Hamilton on 10 million random weights in under
// 150 ms on one core (Release), and at least 3x faster than numpy's largest remainder
// (benchmarks/compare_apportion.py); divisor methods and bounds are measured at 1 million.
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "quotaflow/allocation/apportion.hpp"

namespace {

using namespace quotaflow;

// Weights uniform in [0, 1): remainders spread evenly, the usual worst case for selection.
std::vector<double> random_weights(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> w(n);
  for (double& x : w) x = u(rng);
  return w;
}

constexpr int64_t kTotal = 1'000'000'000'000;  // 10 billion in cents

void run_apportion(benchmark::State& state, ApportionMethod method, int64_t total) {
  const size_t n = static_cast<size_t>(state.range(0));
  const std::vector<double> w = random_weights(n, 42);
  std::vector<int64_t> out(n);
  for (auto _ : state) {
    apportion(total, w, out, method);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
}

void BM_ApportionHamilton(benchmark::State& state) { run_apportion(state, ApportionMethod::hamilton, kTotal); }
BENCHMARK(BM_ApportionHamilton)->Arg(1'000)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

// Few units per recipient: most of the work is the remainder selection.
void BM_ApportionHamiltonSmallTotal(benchmark::State& state) {
  run_apportion(state, ApportionMethod::hamilton, state.range(0) / 2);
}
BENCHMARK(BM_ApportionHamiltonSmallTotal)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_ApportionWebster(benchmark::State& state) { run_apportion(state, ApportionMethod::webster, kTotal); }
BENCHMARK(BM_ApportionWebster)->Arg(1'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_ApportionDhondt(benchmark::State& state) { run_apportion(state, ApportionMethod::dhondt, kTotal); }
BENCHMARK(BM_ApportionDhondt)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_ApportionHuntingtonHill(benchmark::State& state) {
  run_apportion(state, ApportionMethod::huntington_hill, kTotal);
}
BENCHMARK(BM_ApportionHuntingtonHill)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// Divisor method with a huge total: the heap work stays O(n log n).
void BM_ApportionWebsterHugeTotal(benchmark::State& state) {
  run_apportion(state, ApportionMethod::webster, 1'000'000'000'000'000);
}
BENCHMARK(BM_ApportionWebsterHugeTotal)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// Bounds: every recipient between 50% and 200% of its even share, so many are pinned.
void run_bounded(benchmark::State& state, ApportionMethod method) {
  const size_t n = static_cast<size_t>(state.range(0));
  const std::vector<double> w = random_weights(n, 7);
  const int64_t even = kTotal / static_cast<int64_t>(n);
  const std::vector<int64_t> lower(n, even / 2), upper(n, even * 2);
  std::vector<int64_t> out(n);
  for (auto _ : state) {
    apportion(kTotal, w, out, method, lower, upper);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
}

void BM_ApportionHamiltonBounded(benchmark::State& state) { run_bounded(state, ApportionMethod::hamilton); }
BENCHMARK(BM_ApportionHamiltonBounded)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_ApportionWebsterBounded(benchmark::State& state) { run_bounded(state, ApportionMethod::webster); }
BENCHMARK(BM_ApportionWebsterBounded)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_ApportionQuotas(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const std::vector<double> w = random_weights(n, 42);
  std::vector<double> out(n);
  for (auto _ : state) {
    apportion_quotas(kTotal, w, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
}
BENCHMARK(BM_ApportionQuotas)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
